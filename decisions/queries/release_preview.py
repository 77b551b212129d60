"""What the release page shows instead of every mail: per outcome, its template and
counts; the recipients; how each placeholder the mails use was filled, and what
their texts leave out."""

from collections import defaultdict
from dataclasses import dataclass, field

from decisions.models import DecisionMailTemplate, Outcome
from decisions.notification import FALLBACKS, DecisionMail


@dataclass
class OutcomeGroup:
    outcome: str
    label: str
    subject: str  # the template's subject, placeholders unfilled
    submission_count: int = 0
    mail_count: int = 0


@dataclass
class PlaceholderUse:
    name: str
    used_in: int = 0  # mails whose template uses it
    filled: int = 0
    unfilled_numbers: list[int] = field(default_factory=list)  # empty or fallback

    @property
    def is_complete(self) -> bool:
        return self.filled == self.used_in


# What the authors would miss if a mail's text has no place for it: a template
# saved before meta-reviews existed has no {{ meta_review }}, and its mails
# would go out without the meta-reviews the chairs wrote for the authors.
AUTHOR_CONTENT = ("meta_review", "reviews")


@dataclass
class LeftOut:
    """Submissions with a `name` text for their authors that their outcome's
    template has no placeholder for, and those outcomes. A chair's own text for
    one submission (decisions.mail_override) is sent as written, placeholders
    refused: whatever it leaves out, the chair left out reading it."""

    name: str
    numbers: list[int] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)  # labels


@dataclass
class Recipient:
    name: str
    email: str
    numbers: list[int]


@dataclass
class ReleaseSummary:
    submission_count: int
    mail_count: int
    groups: list[OutcomeGroup]
    recipients: list[Recipient]
    placeholders: list[PlaceholderUse]
    left_out: list[LeftOut] = field(default_factory=list)


def summarize_release(
    mails: list[DecisionMail], templates: dict[str, DecisionMailTemplate]
) -> ReleaseSummary:
    """Counts over the rendered mails (no queries)."""
    groups = {
        outcome: OutcomeGroup(outcome, label, templates[outcome].subject)
        for outcome, label in Outcome.choices
        if outcome in templates
    }
    submissions_by_outcome: dict[str, set[int]] = defaultdict(set)
    people: dict[str, Recipient] = {}
    uses: dict[str, PlaceholderUse] = {}
    left_out = {name: LeftOut(name) for name in AUTHOR_CONTENT}
    for mail in mails:
        group = groups[mail.outcome]
        group.mail_count += 1
        submissions_by_outcome[mail.outcome].add(mail.number)
        person = people.setdefault(
            mail.recipient.email,
            Recipient(mail.recipient.name, mail.recipient.email, []),
        )
        if mail.number not in person.numbers:
            person.numbers.append(mail.number)
        for name in mail.uses:
            use = uses.setdefault(name, PlaceholderUse(name))
            use.used_in += 1
            if _has_text(mail, name):
                use.filled += 1
            elif mail.number not in use.unfilled_numbers:
                use.unfilled_numbers.append(mail.number)
        for name, missing in left_out.items():
            if mail.edited or name in mail.uses or not _has_text(mail, name):
                continue
            if mail.number not in missing.numbers:
                missing.numbers.append(mail.number)
            if group.label not in missing.outcomes:
                missing.outcomes.append(group.label)
    for outcome, numbers in submissions_by_outcome.items():
        groups[outcome].submission_count = len(numbers)
    return ReleaseSummary(
        submission_count=len({m.number for m in mails}),
        mail_count=len(mails),
        groups=[g for g in groups.values() if g.mail_count],
        recipients=sorted(people.values(), key=lambda r: (r.numbers[0], r.email)),
        placeholders=sorted(uses.values(), key=lambda u: (u.is_complete, u.name)),
        left_out=[missing for missing in left_out.values() if missing.numbers],
    )


def _has_text(mail: DecisionMail, name: str) -> bool:
    """Whether the placeholder has something for this mail (not a stand-in)."""
    value = mail.values.get(name, "").strip()
    return bool(value) and value != FALLBACKS.get(name)
