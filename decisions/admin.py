from django.contrib import admin

from decisions.models import (
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


admin.site.register(DecisionMailTemplate)
admin.site.register(DecisionSettings)
