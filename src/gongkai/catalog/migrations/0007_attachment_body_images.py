import django.db.models.deletion
from django.db import migrations, models


def set_organisation(apps, schema_editor):
    Attachment = apps.get_model("catalog", "Attachment")
    Item = apps.get_model("catalog", "Item")
    for item_id, organisation_id in Item.objects.filter(attachments__isnull=False).values_list("pk", "organisation_id").distinct():
        Attachment.objects.filter(item_id=item_id).update(organisation_id=organisation_id)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0006_attachment_text_places"),
        ("orgs", "0004_published_numbers"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="organisation",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orgs.organisation"
            ),
        ),
        migrations.RunPython(set_organisation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="attachment",
            name="organisation",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orgs.organisation"),
        ),
        migrations.AddField(
            model_name="attachment",
            name="purpose",
            field=models.CharField(
                choices=[("file", "附件"), ("body_image", "正文图片")], default="file", max_length=20
            ),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="item",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="attachments",
                to="catalog.item",
            ),
        ),
    ]
