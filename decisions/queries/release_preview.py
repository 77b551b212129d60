"""What the release page shows instead of every mail: per outcome, its template and
counts; the recipients; how each placeholder the templates use was filled."""

from collections import defaultdict
from dataclasses import dataclass, field

from decisions.mail_templates import PLACEHOLDER_RE
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
        template = templates[mail.outcome]
        for name in dict.fromkeys(
            PLACEHOLDER_RE.findall(template.subject + template.body)
        ):
            use = uses.setdefault(name, PlaceholderUse(name))
            use.used_in += 1
            value = mail.values.get(name, "").strip()
            if value and value != FALLBACKS.get(name):
                use.filled += 1
            elif mail.number not in use.unfilled_numbers:
                use.unfilled_numbers.append(mail.number)
    for outcome, numbers in submissions_by_outcome.items():
        groups[outcome].submission_count = len(numbers)
    return ReleaseSummary(
        submission_count=len({m.number for m in mails}),
        mail_count=len(mails),
        groups=[g for g in groups.values() if g.mail_count],
        recipients=sorted(people.values(), key=lambda r: (r.numbers[0], r.email)),
        placeholders=sorted(uses.values(), key=lambda u: (u.is_complete, u.name)),
    )
