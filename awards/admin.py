from django.contrib import admin

from awards.models import AwardResult, AwardSettings, Entry, Judgement, ShortlistChange


@admin.register(AwardSettings)
class AwardSettingsAdmin(admin.ModelAdmin):
    list_display = ["award", "kind", "eligibility", "entry_deadline", "announced_at"]
    filter_horizontal = ["jury"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["award", "submission", "time_s", "energy_j", "verified_at"]
    list_filter = ["award"]
    raw_id_fields = ["submission", "entered_by", "verified_by"]


@admin.register(Judgement)
class JudgementAdmin(admin.ModelAdmin):
    list_display = ["award", "submission", "juror", "score", "rank"]
    list_filter = ["award"]
    raw_id_fields = ["submission", "juror"]


@admin.register(AwardResult)
class AwardResultAdmin(admin.ModelAdmin):
    list_display = ["award", "submission", "place"]
    raw_id_fields = ["submission", "confirmed_by"]


admin.site.register(ShortlistChange)
