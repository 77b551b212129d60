from django.contrib import admin

from decisions.models import (
    CameraReady,
    CameraReadyExtension,
    CameraReadyVersion,
    Decision,
    DecisionLog,
    DecisionMailTemplate,
    DecisionSettings,
)


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["submission", "outcome", "set_by", "set_at", "released_at"]
    list_filter = ["outcome"]
    raw_id_fields = ["submission", "set_by", "released_by"]


@admin.register(DecisionLog)
class DecisionLogAdmin(admin.ModelAdmin):
    list_display = ["submission", "previous_outcome", "outcome", "by", "at"]
    raw_id_fields = ["submission", "by"]


class VersionInline(admin.TabularInline):
    model = CameraReadyVersion
    extra = 0
    can_delete = False
    fields = ["uploaded_at", "uploaded_by", "sha256", "size", "page_count", "is_late"]
    readonly_fields = fields


@admin.register(CameraReady)
class CameraReadyAdmin(admin.ModelAdmin):
    list_display = ["submission", "title", "include_in_proceedings", "submitted_at"]
    raw_id_fields = ["submission", "current_version", "confirmed_by"]
    inlines = [VersionInline]


admin.site.register(DecisionMailTemplate)
admin.site.register(DecisionSettings)
admin.site.register(CameraReadyExtension)
