from django.contrib import admin

from haet.outbox.models import MailPreference, OutboxMail, ReminderSetting


@admin.register(OutboxMail)
class OutboxMailAdmin(admin.ModelAdmin):
    # Read-only: state changes go through the chair pages (haet.outbox.moderation).
    list_display = ["created_at", "to_email", "subject", "status", "attempts"]
    list_filter = ["status", "template"]
    search_fields = ["to_email", "subject", "dedupe_key"]
    readonly_fields = [f.name for f in OutboxMail._meta.fields]
    # A mail carrying a credential shows no text and no key (an invitation's key holds
    # its token) here either: the admin is not a way around the chairs' outbox.
    secret_fields = ("body_text", "body_html", "dedupe_key")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and obj.is_sensitive:
            return [f for f in fields if f not in self.secret_fields]
        return fields

    def has_add_permission(self, request):
        return False


admin.site.register(MailPreference)
admin.site.register(ReminderSetting)
