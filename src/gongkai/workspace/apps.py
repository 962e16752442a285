from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class WorkspaceConfig(AppConfig):
    name = "gongkai.workspace"
    label = "workspace"
    verbose_name = gettext_lazy("工作台")
