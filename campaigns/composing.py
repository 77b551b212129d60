"""What a draft campaign would send, without writing anything: its recipients, its
placeholders checked, a page of rendered mails, and the fingerprint the preview
posts back so that "queue" sends exactly what was previewed.
"""

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator

from campaigns.audiences import Recipient, RecipientKind, recipient_kind
from campaigns.placeholders import check, conference_values, recipient_values, render
from haet.models import Conference, User
from haet.outbox.models import MailPreference
from haet.outbox.preferences import CAMPAIGNS
from submissions.fields.placeholders import field_placeholders, field_values
from submissions.models import Submission
from submissions.search import SearchResult, search_submissions

PREVIEW_PER_PAGE = 3


@dataclass(frozen=True)
class Draft:
    """What the chair wrote in the composer."""

    recipients: str  # a campaigns.audiences key
    search: str
    subject: str
    body: str
    is_essential: bool = False
    is_held: bool = False

    @property
    def kind(self) -> RecipientKind:
        kind = recipient_kind(self.recipients)
        if kind is None:
            raise ValidationError("Choose who receives the mail.")
        return kind


@dataclass(frozen=True)
class RenderedMail:
    recipient: Recipient
    subject: str
    body: str


@dataclass
class Prepared:
    """A checked draft and everyone it goes to, as `by` may see them."""

    draft: Draft
    kind: RecipientKind
    conference: Conference
    recipients: list[Recipient]
    search: SearchResult | None
    fields: list[str]

    @property
    def fingerprint(self) -> str:
        """Changes when the text, the options or any recipient changes."""
        data = {**asdict(self.draft), "keys": [r.key for r in self.recipients]}
        encoded = json.dumps(data, sort_keys=True).encode()
        return hashlib.sha256(encoded).hexdigest()

    @property
    def submission_count(self) -> int:
        return len({s.pk for r in self.recipients for s in r.submissions})

    def rendered(self, recipients: list[Recipient]) -> list[RenderedMail]:
        """The mails of `recipients` (a page of them, or all), filled."""
        shared = conference_values(self.conference)
        values = {}
        if self.kind.per_submission and self.fields:
            ids = {s.pk for r in recipients for s in r.submissions}
            values = field_values(ids, audience=self.kind.audience)
        mails = []
        for recipient in recipients:
            filled = recipient_values(recipient, self.kind, shared, values)
            subject, body = render(self.draft.subject, self.draft.body, filled)
            mails.append(RenderedMail(recipient, subject, body))
        return mails

    def preview_page(self, number: int | str) -> Page:
        """One page of rendered mails (only that page is rendered)."""
        page = Paginator(self.recipients, PREVIEW_PER_PAGE).get_page(number)
        rendered: Any = self.rendered(list(page.object_list))
        page.object_list = rendered  # the page's recipients, as their mails
        return page


def opted_out(recipients: list[Recipient]) -> set[str]:
    """Emails of the recipients who turned the chairs' announcements off (two
    queries: people without a linked account are matched by email)."""
    users = {r.user.pk: r.email for r in recipients if r.user is not None}
    unlinked = {r.email for r in recipients if r.user is None}
    for email, pk in User.objects.filter(email__in=unlinked).values_list("email", "pk"):
        users.setdefault(pk, email.lower())
    off = MailPreference.objects.filter(
        key=CAMPAIGNS, enabled=False, user_id__in=users
    ).values_list("user_id", flat=True)
    return {users[pk] for pk in off}


def field_names(kind: RecipientKind, conference: Conference) -> list[str]:
    """The custom-field placeholders a mail to `kind` may use (per submission)."""
    if not kind.per_submission or not kind.uses_search:
        return []
    return field_placeholders(conference, audience=kind.audience)


def chosen_submissions(text: str, *, by: User, conference: Conference) -> SearchResult:
    """The submissions `by` may see that the search `text` finds."""
    visible = Submission.objects.visible_to(by).filter(conference=conference)
    return search_submissions(visible, text, user=by)


def prepare(draft: Draft, *, by: User, conference: Conference) -> Prepared:
    """Check the draft and find its recipients. Raises ValidationError for an
    unknown or forbidden placeholder; a bad search gives no recipients and
    `search.error` (the composer shows where)."""
    kind = draft.kind
    fields = field_names(kind, conference)
    check(draft.subject, draft.body, kind, fields)
    search = None
    submissions = None
    if kind.uses_search:
        search = chosen_submissions(draft.search, by=by, conference=conference)
        submissions = None if search.error else search.queryset
    recipients = kind.find(submissions)  # None: nothing searched, or a bad search
    return Prepared(draft, kind, conference, recipients, search, fields)
