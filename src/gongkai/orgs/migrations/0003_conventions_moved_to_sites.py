"""Page conventions now live on sites (gongkai_sites.0002 copied them)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0002_site_conventions'),
        ('gongkai_sites', '0002_sites_from_organisations'),  # the conventions are copied to sites first
    ]

    operations = [
        migrations.RemoveField(
            model_name='organisation',
            name='icp_number',
        ),
        migrations.RemoveField(
            model_name='organisation',
            name='party_mark_image',
        ),
        migrations.RemoveField(
            model_name='organisation',
            name='party_mark_url',
        ),
        migrations.RemoveField(
            model_name='organisation',
            name='police_record_number',
        ),
        migrations.RemoveField(
            model_name='organisation',
            name='police_record_region',
        ),
        migrations.RemoveField(
            model_name='organisation',
            name='site_code',
        ),
    ]
