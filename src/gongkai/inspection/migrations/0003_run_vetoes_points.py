"""Each recorded run keeps its failed single-veto indicators and the points lost (the supervisor's ranking reads
them). Runs recorded before are filled in from their problem keys: the points exactly (a points indicator is among
the problems only when it deducts), the vetoes as the veto indicators among the problems of a run that failed."""

from django.db import migrations, models


def fill_in(apps, schema_editor):  # type: ignore[no-untyped-def]
    from gongkai.inspection.indicators import BY_KEY

    Run = apps.get_model("inspection", "InspectionRun")
    for run in Run.objects.all().iterator():
        keys = {p.split(":", 1)[0] for p in run.problems}
        known = [BY_KEY[k] for k in sorted(keys) if k in BY_KEY]
        run.points_lost = sum(i.points for i in known if not i.is_veto)
        run.vetoes = [] if run.passed else [i.key for i in known if i.is_veto]
        run.save(update_fields=["points_lost", "vetoes"])


class Migration(migrations.Migration):

    dependencies = [
        ("inspection", "0002_inspection_runs"),
    ]

    operations = [
        migrations.AddField(
            model_name="inspectionrun",
            name="vetoes",
            field=models.JSONField(default=list, verbose_name="单项否决指标"),
        ),
        migrations.AddField(
            model_name="inspectionrun",
            name="points_lost",
            field=models.PositiveIntegerField(default=0, verbose_name="扣分"),
        ),
        migrations.RunPython(fill_in, migrations.RunPython.noop),
    ]
