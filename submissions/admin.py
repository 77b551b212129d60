from django.contrib import admin

from submissions.models import (
    Author,
    DeadlineExtension,
    DeclaredConflict,
    Receipt,
    Submission,
    SubmissionSettings,
    SubmissionVersion,
    SupplementaryFile,
)


class AuthorInline(admin.TabularInline):
    model = Author
    extra = 0
    raw_id_fields = ["user"]


class SubmissionVersionInline(admin.TabularInline):
    model = SubmissionVersion
    extra = 0
    can_delete = False
    fields = ["uploaded_at", "uploaded_by", "sha256", "size", "page_count", "is_late"]
    readonly_fields = fields


class ExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    extra = 0
    raw_id_fields = ["granted_by"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "state", "is_late", "submitted_at", "contact"]
    list_filter = ["state", "is_late"]
    search_fields = ["number", "title", "authors__name", "authors__email"]
    raw_id_fields = ["contact", "created_by", "current_version", "supplementary"]
    inlines = [AuthorInline, SubmissionVersionInline, ExtensionInline]


@admin.register(SubmissionSettings)
class SubmissionSettingsAdmin(admin.ModelAdmin):
    list_display = ["conference", "grace_minutes", "max_bytes", "max_pages"]


@admin.register(DeclaredConflict)
class DeclaredConflictAdmin(admin.ModelAdmin):
    list_display = ["submission", "kind", "value", "declared_by", "declared_at"]
    raw_id_fields = ["submission", "declared_by"]


@admin.register(Receipt)
class ReceiptAdmin(admin.ModelAdmin):
    list_display = ["submission", "received_at", "sha256", "sent_to", "is_late"]
    raw_id_fields = ["submission", "version"]


admin.site.register(SupplementaryFile)
