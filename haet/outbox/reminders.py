"""Deadline reminders: a registry the apps fill, and one beat job that sends them.

An app registers a `Reminder` (its default steps relative to a deadline) with a
`recipients(conference, now)` callable that yields the people it still concerns, each
as `(user, context)` or `(user, context, anchor)`. The anchor is the deadline instant;
None (or a 2-tuple) means the conference's `ImportantDate` of `deadline_kind`
(`closes_at`), while a per-person anchor serves e.g. "an invitation not answered after
3 days" (anchor = when it was sent).

`send_due_reminders` (beat, every 5 minutes) reads the deadlines from the database each
time, so an extension moves every step, and queues the one step due per person under
the dedupe key `reminder:<key>:<user pk>:<deadline instant>:<step>`: a step fires at
most once per person per deadline, and a new deadline instant restarts the steps.
Only the latest due step is sent, and only while it is fresh (`max_late`, and never a
"before the deadline" step after the deadline): after downtime nobody gets a stale
"7 days left".

Each mail is linked to the submissions it is about (haet.outbox.models.
OutboxMailSubmission), so a chair conflicted with one never sees it in the outbox:
a recipient's context names them as `submissions` (objects with a pk) or
`submission_ids`, and a digest's items as `submission_id`.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils.timesince import timeuntil

from haet import clock
from haet.deadlines import describe_deadline
from haet.models import Conference, User
from haet.outbox.models import OutboxMail, ReminderSetting, format_offset
from haet.outbox.services import queue_mail
from haet.rules import CHAIRS, conflicted_submission_ids

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    key: str
    label: str
    # An ImportantDate.Kind value; "" when every recipient brings its own anchor.
    deadline_kind: str
    # Negative = before the anchor, positive = after it (overdue). Chairs may override.
    offsets: tuple[timedelta, ...]
    # After the last offset, repeat at this interval for as long as `recipients` still
    # yields the person (the chairs' daily digest of overdue reviews).
    every: timedelta | None = None
    # A step later than this is skipped: the server was down, and the next step (or
    # none) is what the person should get.
    max_late: timedelta = timedelta(days=1)
    description: str = ""
    # The mail carries a credential (an invitation link): chairs never read it.
    sensitive: bool = False


class Address(str):
    """A person without an account as a recipient: their email address (queue_mail
    accepts one), with a `pk` of its own for the step's key (e.g. reviews.reminders'
    Invitee)."""

    pk: str
    display_name: str


Recipient = tuple[User | Address, dict] | tuple[User | Address, dict, datetime | None]
Recipients = Callable[[Conference, datetime], Iterable[Recipient]]


@dataclass(frozen=True)
class Registered:
    reminder: Reminder
    recipients: Recipients
    template: str


REGISTRY: dict[str, Registered] = {}


def register_reminder(
    reminder: Reminder, recipients: Recipients, template: str
) -> None:
    """Add (or replace, on re-import) a reminder source; call it from AppConfig.ready
    or module import of the app that owns the data."""
    REGISTRY[reminder.key] = Registered(reminder, recipients, template)


def unregister_reminder(key: str) -> None:
    REGISTRY.pop(key, None)


def chairs() -> Iterable[User]:
    return User.objects.filter(groups__name=CHAIRS, is_active=True).order_by("pk")


def chair_digest(items: Callable[[Conference, datetime], list]) -> Recipients:
    """A recipients callable for a digest to every chair: `items(conference, now)`
    lists what is overdue (dicts with at least `title`, optionally `url`, `detail`
    and `submission_id`). Each chair's digest leaves out the items about submissions
    that chair is conflicted with; nothing is sent to a chair with no items."""

    def recipients(conference: Conference, now: datetime) -> list[Recipient]:
        found = list(items(conference, now))
        if not found:
            return []
        digests: list[Recipient] = []
        for chair in chairs():
            hidden = conflicted_submission_ids(chair)
            mine = [i for i in found if i.get("submission_id") not in hidden]
            if mine:
                digests.append((chair, {"items": mine}))
        return digests

    return recipients


def submissions_named(context: dict) -> set[int]:
    """The ids of the submissions a reminder's mail is about (see the docstring)."""
    ids = {s.pk for s in context.get("submissions", ())}
    ids.update(context.get("submission_ids", ()))
    ids.update(
        item["submission_id"]
        for item in context.get("items", ())
        if isinstance(item, dict) and item.get("submission_id") is not None
    )
    return ids


def settings_for(
    key: str, default: Reminder, setting: ReminderSetting | None
) -> tuple[bool, tuple[timedelta, ...]]:
    """(enabled, offsets) with the chairs' override applied."""
    if setting is None:
        return True, tuple(sorted(default.offsets))
    try:
        offsets = setting.offset_list
    except ValueError:
        logger.error("reminder %s: unreadable offsets %r", key, setting.offsets)
        offsets = None
    return setting.enabled, tuple(sorted(offsets or default.offsets))


def due_step(
    anchor: datetime,
    offsets: tuple[timedelta, ...],
    now: datetime,
    *,
    every: timedelta | None = None,
    max_late: timedelta = timedelta(days=1),
) -> timedelta | None:
    """The one step to send at `now`, or None: the latest step whose time has come,
    if it is not stale (more than `max_late` late, past the next step, or a step
    before the deadline while the deadline has passed)."""
    offsets = tuple(sorted(offsets))
    if not offsets:
        return None
    due = [o for o in offsets if anchor + o <= now]
    if not due:
        return None
    step = due[-1]
    later = [o for o in offsets if o > step]
    if every and not later:
        # Past the last offset: the repeats continue the sequence at `every`.
        repeats = (now - (anchor + step)) // every
        step = step + repeats * every
        later = [step + every]
    window_end = anchor + step + max_late
    if later:
        window_end = min(window_end, anchor + later[0])
    if step < timedelta(0):
        window_end = min(window_end, anchor)
    return step if now < window_end else None


def dedupe_key(
    key: str, user: User | Address, anchor: datetime, step: timedelta
) -> str:
    instant = anchor.astimezone(UTC).isoformat()
    return f"reminder:{key}:{user.pk}:{instant}:{format_offset(step)}"


def humanize(delta: timedelta) -> str:
    """7 days, 3 hours, 1 day: the step as people say it."""
    base = datetime(2000, 1, 1, tzinfo=UTC)
    return timeuntil(base + abs(delta), base, depth=2).replace("\xa0", " ")


def _deadlines(conference: Conference) -> dict[str, datetime]:
    result = {}
    for date in conference.dates.all():
        date.conference = conference  # closes_at of a whole day needs the zone
        result[date.kind] = date.closes_at
    return result


def send_due_reminders(
    now: datetime | None = None, *, only: Iterable[str] | None = None
) -> int:
    """Queue every reminder step that is due now; returns how many mails were queued.
    `only` limits the run to some reminder keys (a chair's "send now", tests).

    Safe to run as often as you like: each step's dedupe key lets it through once.
    """
    now = now or clock.now()
    conference = Conference.objects.current()
    deadlines = _deadlines(conference)
    overrides = {s.key: s for s in ReminderSetting.objects.all()}
    queued = 0
    for key, registered in list(REGISTRY.items()):
        if only is not None and key not in only:
            continue
        reminder = registered.reminder
        enabled, offsets = settings_for(key, reminder, overrides.get(key))
        if not enabled:
            continue
        default_anchor = deadlines.get(reminder.deadline_kind)
        candidates = []
        for item in registered.recipients(conference, now):
            user, context = item[0], item[1]
            anchor = (item[2] if len(item) > 2 else None) or default_anchor
            if anchor is None:
                continue
            step = due_step(
                anchor, offsets, now, every=reminder.every, max_late=reminder.max_late
            )
            if step is not None:
                candidates.append((user, context, anchor, step))
        if not candidates:
            continue
        keys = [dedupe_key(key, u, a, s) for u, _, a, s in candidates]
        # One query spares rendering what was sent already; the unique key still rules.
        sent = set(
            OutboxMail.objects.filter(dedupe_key__in=keys).values_list(
                "dedupe_key", flat=True
            )
        )
        for (user, context, anchor, step), mail_key in zip(
            candidates, keys, strict=True
        ):
            if mail_key in sent:
                continue
            overdue = step > timedelta(0)
            mail_context = {
                **context,
                "conference": conference,
                "reminder": reminder,
                "recipient": user,
                "deadline": anchor,
                "deadline_text": describe_deadline(anchor, conference),
                "step": step,
                "is_overdue": overdue,
                "step_text": humanize(step),
                "time_text": humanize(anchor - now),
            }
            with transaction.atomic():
                mail = queue_mail(
                    to=user,
                    template=registered.template,
                    context=mail_context,
                    dedupe_key=mail_key,
                    sensitive=reminder.sensitive,
                    submissions=submissions_named(context),
                )
            queued += mail is not None
    if queued:
        logger.info("reminders: %s mails queued", queued)
    return queued
