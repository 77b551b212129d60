"""Admin for support staff; chairs use the reviews pages, which log and check."""

from django.contrib import admin

from reviews.models import (
    AffinityScore,
    Assignment,
    AssignmentRun,
    Bid,
    Conflict,
    ConflictLog,
    DiscussionPost,
    Invitation,
    Review,
    ReviewerProfile,
    ReviewForm,
    ReviewNomination,
    ReviewQuestion,
    ReviewSettings,
)


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(admin.ModelAdmin):
    list_display = ["conference", "reviewers_per_submission", "default_max_load"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "status", "sent_at", "answered_at"]
    list_filter = ["status"]
    search_fields = ["email", "name"]
    raw_id_fields = ["user", "invited_by"]
    readonly_fields = ["token"]


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "max_assignments", "completed_at", "bidding_done_at"]
    search_fields = ["user__email", "user__name"]
    raw_id_fields = ["user"]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["submission", "user", "source", "is_waived", "created_at"]
    list_filter = ["source", "is_waived"]
    raw_id_fields = ["submission", "user", "created_by", "waived_by"]


@admin.register(ConflictLog)
class ConflictLogAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "source", "submission", "user", "by"]
    list_filter = ["action", "source"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Bid)
class BidAdmin(admin.ModelAdmin):
    list_display = ["submission", "reviewer", "value", "updated_at"]
    list_filter = ["value"]
    raw_id_fields = ["submission", "reviewer"]


@admin.register(AffinityScore)
class AffinityScoreAdmin(admin.ModelAdmin):
    list_display = ["submission", "reviewer", "score", "source"]
    list_filter = ["source"]
    raw_id_fields = ["submission", "reviewer"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["submission", "pseudonym_index", "reviewer", "source", "created_at"]
    list_filter = ["source"]
    raw_id_fields = ["submission", "reviewer", "assigned_by", "run"]


@admin.register(AssignmentRun)
class AssignmentRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "status", "progress", "created_by", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["result", "params"]


class ReviewQuestionInline(admin.TabularInline):
    model = ReviewQuestion
    extra = 0


@admin.register(ReviewForm)
class ReviewFormAdmin(admin.ModelAdmin):
    inlines = [ReviewQuestionInline]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["assignment", "state", "score", "confidence", "submitted_at"]
    list_filter = ["state"]
    raw_id_fields = ["assignment"]


@admin.register(ReviewNomination)
class ReviewNominationAdmin(admin.ModelAdmin):
    list_display = ["review", "award"]


@admin.register(DiscussionPost)
class DiscussionPostAdmin(admin.ModelAdmin):
    list_display = ["submission", "author", "created_at"]
    raw_id_fields = ["submission", "author"]
