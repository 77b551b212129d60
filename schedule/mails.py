"""Telling presenters that their slot moved (after publishing), through the outbox.

Called by schedule.services inside its transaction; never on its own.
"""

from datetime import datetime

from django.urls import reverse

from haet.models import User
from haet.outbox.services import queue_mail
from schedule.models import Item
from schedule.queries.items import default_presenter, title_of
from submissions.models import Author, Submission


def presenters_of(item: Item) -> list[tuple[User | str, Submission | None]]:
    """(recipient, submission) for everyone who presents in `item`: an oral's
    presenter, each poster's presenter, a talk's speaker (if an email is set).
    A recipient is the author's account, or their email without one."""
    found: list[tuple[User | str, Submission | None]] = []

    def recipient(author: Author | None, submission: Submission) -> None:
        author = author or default_presenter(submission)
        if author is not None:
            found.append((author.user or author.email, submission))

    if item.is_oral and item.submission_id and item.submission is not None:
        recipient(item.presenter, item.submission)
    elif item.is_poster_session:
        for board in item.boards.select_related("presenter__user", "submission"):
            recipient(board.presenter, board.submission)
    elif item.speaker_email:
        found.append((item.speaker_email, None))
    return found


def notify_moved(
    item: Item, *, old_starts_at: datetime, since: datetime | None = None
) -> int:
    """Once the schedule is published, tell the item's presenters it moved.

    The dedupe key is the item, the version it was moved from (`since`, its
    `updated_at` before the change), its old and its new start: the same change
    saved twice (a double click, two tabs) mails once, and every later change
    mails again, even one back to a time it had before. Returns the number of
    mails queued."""
    schedule = item.session.schedule
    if schedule.published_at is None or old_starts_at == item.starts_at:
        return 0
    zone = schedule.tzinfo
    old_local, new_local = (
        old_starts_at.astimezone(zone),
        item.starts_at.astimezone(zone),
    )
    same_day = old_local.date() == new_local.date()
    queued = 0
    for to, submission in presenters_of(item):
        address = to.email if isinstance(to, User) else to
        key = (
            f"schedule-moved:{item.pk}:{since.isoformat() if since else ''}:"
            f"{old_starts_at.isoformat()}:"
            f"{item.starts_at.isoformat()}:{address.lower()}"
        )
        mail = queue_mail(
            to=to,
            template="schedule_moved",
            context={
                "name": getattr(to, "display_name", ""),
                "item_title": item_title(item),
                "kind": item.get_kind_display().lower(),
                # Strings: a datetime in a template would be shown in the server's
                # zone, not the venue's.
                "old_time": _clock(old_local, with_day=not same_day),
                "new_time": _clock(new_local, with_day=not same_day),
                "zone": schedule.zone_label(item.starts_at),
                "room": item.session.room,
                "item_path": reverse("schedule:item", args=[item.code]),
            },
            dedupe_key=key,
            submissions=[submission] if submission is not None else [],
        )
        queued += mail is not None
    return queued


def _clock(at: datetime, *, with_day: bool) -> str:
    return at.strftime("%a %d %b %H:%M" if with_day else "%H:%M")


def item_title(item: Item) -> str:
    if item.is_oral and item.submission_id and item.submission is not None:
        return title_of(item.submission)
    return item.title or item.get_kind_display()
