from django.contrib import admin

from .models import SensitiveWord, Workflow, WorkflowStep


class WorkflowStepInline(admin.TabularInline):
    model = WorkflowStep
    extra = 0


@admin.register(Workflow)
class WorkflowAdmin(admin.ModelAdmin):
    list_display = ["organisation", "name"]
    inlines = [WorkflowStepInline]


@admin.register(SensitiveWord)
class SensitiveWordAdmin(admin.ModelAdmin):
    list_display = ["word", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["word"]
