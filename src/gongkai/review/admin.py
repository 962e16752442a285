from django.contrib import admin

from gongkai.orgs.admin_scoping import OrganisationScopedAdmin

from .models import SensitiveWord, Workflow, WorkflowStep


class WorkflowStepInline(admin.TabularInline):
    model = WorkflowStep
    extra = 0


@admin.register(Workflow)
class WorkflowAdmin(OrganisationScopedAdmin):
    list_display = ["organisation", "name"]
    inlines = [WorkflowStepInline]


@admin.register(SensitiveWord)
class SensitiveWordAdmin(OrganisationScopedAdmin):
    list_display = ["word", "organisation"]
    search_fields = ["word"]
