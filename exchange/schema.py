"""The conference export format, version 1 (documented key by key in SCHEMA.md).

A document is one JSON object:

    {"format": "haet-conference", "version": 1, "conference": {...},
     "users": [...], "<section>": [rows...], ...}

Every section below is a list of rows of one model, in the order the rows were
created. A row holds the model's fields by name, except its primary key and its
link to the conference (a deployment serves one). Links to other rows are
*natural keys*, never database ids, so a fresh database gives the same JSON:

- a person is their email address; a submission its number; a topic or an award
  category its name; a date its [kind, label]; a schedule item its code;
- other keys are lists of those (an author: [submission number, email]).

Times are ISO 8601 in UTC; files are {"path", "sha256", "size"} (the path inside
private storage; `--files DIR` copies the bytes next to the JSON).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models

from awards.models import AwardResult, AwardSettings, Entry, Judgement, ShortlistChange
from decisions.models import (
    Decision,
    DecisionLog,
    DecisionMailTemplate,
    DecisionSettings,
    MetaReview,
    MetaReviewSettings,
)
from exchange.models import ImportedSubmission, RetentionPolicy
from haet.models import AwardCategory, DateChange, ImportantDate, Topic
from haet.outbox.models import MailPreference, ReminderSetting
from proceedings.models import CameraReady, CameraReadyExtension, CameraReadyVersion
from reviews.models import (
    AffinityScore,
    AreaChairAssignment,
    AreaChairInvitation,
    AreaChairSettings,
    Assignment,
    Bid,
    Conflict,
    ConflictLog,
    Delegation,
    DelegationComment,
    DiscussionPost,
    EmergencyInvitation,
    Invitation,
    Review,
    ReviewerProfile,
    ReviewerPublication,
    ReviewForm,
    ReviewNomination,
    ReviewQuestion,
    ReviewSettings,
)
from schedule.models import Item, PosterBoard, Schedule, Session
from submissions.models import (
    Author,
    DeadlineExtension,
    DeclaredConflict,
    FieldAnswer,
    Receipt,
    Submission,
    SubmissionField,
    SubmissionSettings,
    SubmissionVersion,
    SupplementaryFile,
)

FORMAT = "haet-conference"
VERSION = 1
# Issue 18 names it; haet has no custom forms yet, so it is always an empty list.
EMPTY_SECTIONS = ("custom_forms",)
# The audit log's entries (exchange.audit_log): not rows of a model like the rest.
AUDIT_LOG = "audit_log"


@dataclass(frozen=True)
class Section:
    """One list of the document: the rows of `model`."""

    name: str
    model: type[models.Model]
    # The natural key other rows refer to this one by (field names; a link in a key
    # stands for the linked row's key). Empty: a singleton of the conference.
    # None: nothing refers to these rows.
    key: tuple[str, ...] | None = None
    # Links written after every section is in (they point at later rows).
    deferred: tuple[str, ...] = ()
    # Fields never exported: credentials, and records whose ids are internal.
    exclude: tuple[str, ...] = ()
    # The path from a row to its submission: a chair's export leaves out the rows
    # of submissions the chair is conflicted with.
    submission_path: str | None = None
    # Part of the configuration `import_conference --settings-only` carries over.
    is_setting: bool = False
    # Reset to the field's default by --settings-only (this year's progress).
    reset_for_new_edition: tuple[str, ...] = ()
    # Only in the operator's export (`manage.py export_conference`): personal
    # choices a chair never sees.
    is_operator_only: bool = False
    # Row hooks: (row, lookups) -> row, for JSON fields holding database ids.
    to_json: Callable | None = field(default=None, compare=False)
    from_json: Callable | None = field(default=None, compare=False)


def _nominations_to_names(row: dict, ids: dict) -> dict:
    """A review's nominations answer holds award ids: write their names."""
    names = ids["award_names"]
    for key in ids["nomination_keys"]:
        if isinstance(row["answers"].get(key), list):
            row["answers"][key] = [names[pk] for pk in row["answers"][key]]
    return row


def _nominations_to_ids(row: dict, ids: dict) -> dict:
    pks = ids["award_pks"]
    for key in ids["nomination_keys"]:
        if isinstance(row["answers"].get(key), list):
            row["answers"][key] = [pks[name] for name in row["answers"][key]]
    return row


S = Section
SECTIONS: tuple[Section, ...] = (
    # --- the conference (haet) -----------------------------------------------------
    S("dates", ImportantDate, key=("kind", "label"), is_setting=True),
    S("date_changes", DateChange),
    S("topics", Topic, key=("name",), is_setting=True),
    S("awards", AwardCategory, key=("name",), is_setting=True),
    S("reminder_settings", ReminderSetting, is_setting=True),
    S("mail_preferences", MailPreference, is_operator_only=True),
    # --- submissions ---------------------------------------------------------------
    S("submission_settings", SubmissionSettings, key=(), is_setting=True),
    S(
        "submissions",
        Submission,
        key=("number",),
        deferred=("current_version", "supplementary"),
        submission_path="pk",
    ),
    S("authors", Author, key=("submission", "email"), submission_path="submission"),
    S(
        "submission_versions",
        SubmissionVersion,
        key=("submission", "uploaded_at", "sha256"),
        submission_path="submission",
    ),
    S(
        "supplementary_files",
        SupplementaryFile,
        key=("submission", "uploaded_at", "sha256"),
        submission_path="submission",
    ),
    S("receipts", Receipt, submission_path="submission"),
    S("declared_conflicts", DeclaredConflict, submission_path="submission"),
    S("deadline_extensions", DeadlineExtension, submission_path="submission"),
    # The chairs' custom fields (archived ones too) and their answers.
    S(
        "submission_fields",
        SubmissionField,
        key=("slug",),
        deferred=("condition_field",),
        is_setting=True,
    ),
    S("field_answers", FieldAnswer, submission_path="submission"),
    # --- reviews -------------------------------------------------------------------
    S("review_settings", ReviewSettings, key=(), is_setting=True),
    S("review_form", ReviewForm, key=(), is_setting=True),
    S("review_questions", ReviewQuestion, is_setting=True),
    S("invitations", Invitation, exclude=("token",)),
    S("reviewer_profiles", ReviewerProfile),
    S("reviewer_publications", ReviewerPublication),
    S("conflicts", Conflict, submission_path="submission"),
    S("conflict_log", ConflictLog, submission_path="submission"),
    S("bids", Bid, submission_path="submission"),
    S("affinity_scores", AffinityScore, submission_path="submission"),
    # `run` points at an assignment proposal, which is not exported (its result
    # holds database ids and it is superseded once deployed).
    S(
        "assignments",
        Assignment,
        key=("submission", "reviewer"),
        exclude=("run",),
        submission_path="submission",
    ),
    S(
        "reviews",
        Review,
        key=("assignment",),
        submission_path="assignment__submission",
        to_json=_nominations_to_names,
        from_json=_nominations_to_ids,
    ),
    S(
        "review_nominations",
        ReviewNomination,
        submission_path="review__assignment__submission",
    ),
    S("discussion_posts", DiscussionPost, submission_path="submission"),
    # Who wrote which review for its reviewer, and their notes on the draft; the
    # links' tokens stay behind (a new one is made: the old link is dead).
    S(
        "delegations",
        Delegation,
        key=("assignment", "created_at"),
        exclude=("token",),
        submission_path="assignment__submission",
    ),
    S(
        "delegation_comments",
        DelegationComment,
        submission_path="delegation__assignment__submission",
    ),
    S(
        "emergency_invitations",
        EmergencyInvitation,
        exclude=("token",),
        submission_path="submission",
    ),
    S("area_chair_settings", AreaChairSettings, key=(), is_setting=True),
    S("area_chair_invitations", AreaChairInvitation, exclude=("token",)),
    S("area_chair_assignments", AreaChairAssignment, submission_path="submission"),
    # --- decisions and proceedings -------------------------------------------------
    S("decision_settings", DecisionSettings, key=()),
    S("decisions", Decision, submission_path="submission"),
    S("decision_log", DecisionLog, submission_path="submission"),
    S("decision_mail_templates", DecisionMailTemplate, is_setting=True),
    S("meta_review_settings", MetaReviewSettings, key=(), is_setting=True),
    S("meta_reviews", MetaReview, submission_path="submission"),
    S(
        "camera_readies",
        CameraReady,
        key=("submission",),
        deferred=("current_version",),
        submission_path="submission",
    ),
    S(
        "camera_ready_versions",
        CameraReadyVersion,
        key=("camera_ready", "uploaded_at", "sha256"),
        submission_path="camera_ready__submission",
    ),
    S("camera_ready_extensions", CameraReadyExtension, submission_path="submission"),
    # --- awards --------------------------------------------------------------------
    S(
        "award_settings",
        AwardSettings,
        is_setting=True,
        reset_for_new_edition=("leaderboard_published", "announced_at"),
    ),
    S("award_entries", Entry, submission_path="submission"),
    S("shortlist_changes", ShortlistChange, submission_path="submission"),
    S("judgements", Judgement, submission_path="submission"),
    S("award_results", AwardResult, submission_path="submission"),
    # --- schedule ------------------------------------------------------------------
    S("schedule", Schedule, key=()),
    S("sessions", Session, key=("starts_at", "room", "title")),
    S("schedule_items", Item, key=("code",), submission_path="submission"),
    S("poster_boards", PosterBoard, submission_path="submission"),
    # --- exchange ------------------------------------------------------------------
    S("imported_submissions", ImportedSubmission, submission_path="submission"),
    S("retention_policy", RetentionPolicy, key=(), is_setting=True),
)
del S

SECTION_BY_MODEL = {section.model: section for section in SECTIONS}
# What a chair sees of a person (never a password, never a login history).
USER_FIELDS = ("email", "name", "affiliation", "first_name", "last_name")
USER_EXTRA = ("is_active", "date_joined", "roles", "email_verified")
ALL_KEYS = (
    "format",
    "version",
    "conference",
    "users",
    *(section.name for section in SECTIONS),
    AUDIT_LOG,
    *EMPTY_SECTIONS,
)
