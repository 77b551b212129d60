from django.contrib import admin

from proceedings.models import CameraReady, CameraReadyExtension, CameraReadyVersion


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


admin.site.register(CameraReadyExtension)
