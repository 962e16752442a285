"""Each stored annual report keeps what the supervisor's dashboard shows of it; reports stored before get theirs
computed here once."""

from django.db import migrations, models


def fill_in(apps, schema_editor):  # type: ignore[no-untyped-def]
    from gongkai.reports.document import ReportValidationError, parse_report
    from gongkai.reports.selectors import dashboard_summary

    Report = apps.get_model("reports", "AnnualReport")
    for report in Report.objects.all().iterator():
        try:
            summary = dashboard_summary(parse_report(report.document))
        except (ReportValidationError, KeyError, ValueError):
            continue  # left empty: the dashboard computes it when it reads the report
        Report.objects.filter(pk=report.pk).update(dashboard_summary=summary)


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0003_report_families"),
    ]

    operations = [
        migrations.AddField(
            model_name="annualreport",
            name="dashboard_summary",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(fill_in, migrations.RunPython.noop),
    ]
