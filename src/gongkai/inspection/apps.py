from django.apps import AppConfig


class InspectionConfig(AppConfig):
    """网站自查: the national website rules evaluated per organisation, availability probes, link checks."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "gongkai.inspection"
    verbose_name = "网站自查"
