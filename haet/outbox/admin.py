from django.contrib import admin

from haet.outbox.models import MailPreference, OutboxMail, ReminderSetting


@admin.register(OutboxMail)
class OutboxMailAdmin(admin.ModelAdmin):
    # Read-only: state changes go through the chair pages (haet.outbox.services).
    list_display = ["created_at", "to_email", "subject", "status", "attempts"]
    list_filter = ["status", "template"]
    search_fields = ["to_email", "subject", "dedupe_key"]
    readonly_fields = [f.name for f in OutboxMail._meta.fields]

    def has_add_permission(self, request):
        return False


admin.site.register(MailPreference)
admin.site.register(ReminderSetting)
