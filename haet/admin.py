from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from haet.models import (
    AwardCategory,
    Conference,
    DateChange,
    ImportantDate,
    Topic,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "affiliation", "is_staff"]
    search_fields = ["email", "name", "affiliation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["name", "affiliation", "first_name", "last_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})
    ]


class DateInline(admin.TabularInline):
    model = ImportantDate
    extra = 0


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    inlines = [DateInline]


admin.site.register([Topic, AwardCategory, DateChange])
