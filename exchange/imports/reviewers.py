"""Reviewer lists (CSV, tab-delimited or Excel: name, email, affiliation, topics,
load) as reviewer invitations, through reviews.pool.invite_reviewer (one mail per
new invitation; an open or accepted invitation is left alone).

CMT's reviewer export reads the same: "First Name"/"Last Name", "Email",
"Organization", "Subject Areas", "Quota". What the list says beyond name and
email is kept on an `ImportedReviewer` row and becomes the reviewer's profile
(topics, most submissions) when they accept (`apply_to_profile`).

With the role "area-chairs" the people are invited as area chairs instead
(reviews.area_chairs.invite_area_chair; topics and load are not used). CMT's
meta-reviewer list (a "Meta-Reviewers" sheet, or a title or header naming
meta-reviewers) defaults to that role (`detect_role`)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from exchange.imports.records import split_list
from exchange.imports.tables import (
    column,
    header_key,
    read_table,
    read_workbook,
)
from exchange.models import ImportedReviewer
from haet import clock
from haet.models import Conference, Topic, User
from haet.rules import AREA_CHAIRS
from haet.textfiles import decode_text
from reviews.area_chairs import invite_area_chair
from reviews.models import AreaChairInvitation, Invitation, ReviewerProfile
from reviews.pool import invite_reviewer


@dataclass
class ReviewerLine:
    line: int
    name: str
    email: str
    affiliation: str = ""
    topic_ids: list[int] = field(default_factory=list)
    load: int | None = None
    action: str = "invite"  # invite | already | skip
    reasons: list[str] = field(default_factory=list)


REVIEWERS_ROLE, AREA_CHAIRS_ROLE = "reviewers", "area-chairs"
ROLES = (REVIEWERS_ROLE, AREA_CHAIRS_ROLE)
META_REVIEWERS = "meta-reviewer"


@dataclass
class ReviewerPlan:
    lines: list[ReviewerLine] = field(default_factory=list)
    role: str = REVIEWERS_ROLE
    role_note: str = ""

    def count(self, action: str) -> int:
        return sum(1 for line in self.lines if line.action == action)

    @property
    def invite_count(self) -> int:
        return self.count("invite")


def detect_role(data: bytes) -> str | None:
    """AREA_CHAIRS_ROLE for CMT's meta-reviewer list (a workbook with a
    "Meta-Reviewers" sheet and no "Reviewers" sheet; a text file whose title or
    header, up to the "Email" header line, names meta-reviewers), else None."""
    sheets = read_workbook(data)
    if sheets is not None:
        names = {header_key(name) for name in sheets}
        if "meta-reviewers" in names and "reviewers" not in names:
            return AREA_CHAIRS_ROLE
        return None
    for line in decode_text(data).splitlines()[:5]:
        key = header_key(line)
        if META_REVIEWERS in key:
            return AREA_CHAIRS_ROLE
        if "email" in key:
            break
    return None


def plan_reviewers(
    data: bytes, *, conference: Conference, role: str | None = None
) -> ReviewerPlan:
    """The dry run of a reviewer list, invited as `role` (None: reviewers, or
    area chairs for CMT's meta-reviewer list). Writes nothing."""
    result = ReviewerPlan()
    if role is None:
        role = detect_role(data) or REVIEWERS_ROLE
        if role == AREA_CHAIRS_ROLE:
            result.role_note = (
                "This is CMT's meta-reviewer list: invited as area chairs "
                "(--role reviewers to invite them as reviewers)."
            )
    result.role = role
    if role == AREA_CHAIRS_ROLE:
        return _plan_area_chairs(data, result)
    rows = read_table(
        data, required="email", sheet_names=["Reviewers", "Meta-Reviewers"]
    )
    topics = {t.name.lower(): t for t in Topic.objects.filter(conference=conference)}
    invited = {
        i.email: i.get_status_display()
        for i in Invitation.objects.exclude(status=Invitation.Status.DECLINED)
    }
    for line, row in _read_lines(rows, result):
        for topic_name in split_list(column(row, "topics", "subject areas"), ";\n"):
            topic = topics.get(topic_name.lower())
            if topic is None:
                line.reasons.append(f"Unknown topic “{topic_name}”: not set.")
            else:
                line.topic_ids.append(topic.pk)
        load = column(row, "load", "quota", "max", "max assignments")
        if load:
            if load.isdigit():
                line.load = int(load)
            else:
                line.reasons.append(f"Load “{load}” is not a number: not set.")
        if line.email in invited:
            line.action = "already"
            line.reasons.append(f"Already invited ({invited[line.email]}).")
    return result


def _read_lines(
    rows: list[dict[str, str]], result: ReviewerPlan
) -> list[tuple[ReviewerLine, dict[str, str]]]:
    """Every row as a line of `result`; the valid, first-seen ones returned."""
    valid = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        name = column(row, "name", "full name") or " ".join(
            part
            for part in (
                column(row, "first name", "first"),  # "first", "last": HotCRP
                column(row, "last name", "last"),
            )
            if part
        )
        line = ReviewerLine(
            line=number,
            name=name,
            email=column(row, "email", "e-mail", "email address").lower(),
            affiliation=column(row, "affiliation", "organization", "institution"),
        )
        result.lines.append(line)
        try:
            validate_email(line.email)
        except ValidationError:
            line.action = "skip"
            line.reasons.append(f"“{line.email}” is no email address.")
            continue
        if line.email in seen:
            line.action = "skip"
            line.reasons.append("Duplicate email: the first line is used.")
            continue
        seen.add(line.email)
        valid.append((line, row))
    return valid


def _plan_area_chairs(data: bytes, result: ReviewerPlan) -> ReviewerPlan:
    rows = read_table(
        data, required="email", sheet_names=["Meta-Reviewers", "Reviewers"]
    )
    chairs = {
        email.lower()
        for email in User.objects.filter(groups__name=AREA_CHAIRS).values_list(
            "email", flat=True
        )
    }
    invited = {
        i.email: i.get_status_display()
        for i in AreaChairInvitation.objects.exclude(
            status=AreaChairInvitation.Status.DECLINED
        )
    }
    for line, _row in _read_lines(rows, result):
        if line.email in chairs:
            line.action = "already"
            line.reasons.append("Already an area chair.")
        elif line.email in invited:
            line.action = "already"
            line.reasons.append(f"Already invited ({invited[line.email]}).")
    return result


@transaction.atomic
def apply_reviewers(
    plan: ReviewerPlan, *, by: User
) -> list[Invitation] | list[AreaChairInvitation]:
    """Invite every line the plan invites; keep their topics and load.
    Side effects: invitations and their mails (reviews.pool, or
    reviews.area_chairs for area chairs), ImportedReviewer rows (profile of
    someone who already accepted: updated now)."""
    if plan.role == AREA_CHAIRS_ROLE:
        chairs_sent: list[AreaChairInvitation] = []
        for line in plan.lines:
            if line.action == "invite":
                asked, is_new = invite_area_chair(line.email, name=line.name, by=by)
                if is_new:
                    chairs_sent.append(asked)
        return chairs_sent
    sent: list[Invitation] = []
    now = clock.now()
    for line in plan.lines:
        if line.action == "skip":
            continue
        imported, _ = ImportedReviewer.objects.update_or_create(
            email=line.email,
            defaults={
                "affiliation": line.affiliation,
                "max_assignments": line.load,
                "imported_at": now,
                "applied_at": None,
            },
        )
        imported.topics.set(line.topic_ids)
        invitation, is_new = invite_reviewer(line.email, name=line.name, by=by)
        if is_new:
            sent.append(invitation)
        elif invitation.user is not None:
            apply_to_profile(invitation.user, imported)
    return sent


def apply_to_profile(user: User, imported: ImportedReviewer) -> None:
    """Give the reviewer's profile the list's topics and load (only fields the
    person left empty: their own answers win)."""
    profile, _ = ReviewerProfile.objects.get_or_create(user=user)
    if not profile.topics.exists():
        profile.topics.set(imported.topics.all())
    if profile.max_assignments is None and imported.max_assignments is not None:
        profile.max_assignments = imported.max_assignments
        profile.save(update_fields=["max_assignments", "updated_at"])
    if not user.affiliation and imported.affiliation:
        user.affiliation = imported.affiliation
        user.save(update_fields=["affiliation"])
    ImportedReviewer.objects.filter(pk=imported.pk).update(applied_at=clock.now())


def on_invitation_saved(sender: type, instance: Invitation, **kwargs: object) -> None:
    """post_save of reviews' Invitation (connected in exchange.apps): an accepted
    invitation of an imported reviewer fills their profile once."""
    if instance.status != Invitation.Status.ACCEPTED or instance.user is None:
        return
    imported = ImportedReviewer.objects.filter(
        email=instance.email, applied_at__isnull=True
    ).first()
    if imported is not None:
        apply_to_profile(instance.user, imported)
