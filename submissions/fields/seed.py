"""The HAET 2022 submission fields, and answers for the demo submissions.

Receiver of `haet.signals.seed_demo`, connected after `submissions.seed`. The
answers come from each submission's number (not the command's rng), so the other
apps' demo data stays what it was. The fields are optional, so the demo's
other journeys (a keyboard-only submission) stay as they were."""

import random

from haet.models import Conference
from submissions.fields.services import AnswerInput, save_answers
from submissions.models import Submission, SubmissionField

Kind = SubmissionField.Kind
Visibility = SubmissionField.Visibility
PRIZES = ["Energy-efficiency prize", "Fastest-training prize"]
HAET_FIELDS = [
    {
        "slug": "student_author",
        "label": "The first author is a student",
        "kind": Kind.YES_NO,
        "help_text": "Students are eligible for the best student paper award.",
    },
    {
        "slug": "in_person",
        "label": "Will present in person at ICML",
        "kind": Kind.YES_NO,
        "help_text": "Otherwise a pre-recorded talk and a virtual poster.",
    },
    {
        "slug": "recording_consent",
        "label": "Consents to recording",
        "kind": Kind.YES_NO,
        "help_text": "The talk may be recorded and published on the workshop page.",
    },
    {
        "slug": "prize",
        "label": "Enters the energy-efficiency or fastest-training prize",
        "kind": Kind.CHOICES,
        "choices": PRIZES,
        "help_text": "Entries give their measurements on the award page once accepted.",
    },
    {
        "slug": "non_archival",
        "label": "Non-archival",
        "kind": Kind.YES_NO,
        "visibility": Visibility.PUBLIC,
        "help_text": "Non-archival papers are listed but left out of the proceedings.",
    },
]


def seed_fields(conference: Conference) -> dict[str, SubmissionField]:
    fields = {}
    for order, spec in enumerate(HAET_FIELDS):
        field, _ = SubmissionField.objects.update_or_create(
            conference=conference,
            slug=spec["slug"],
            defaults={**{k: v for k, v in spec.items() if k != "slug"}, "order": order},
        )
        fields[field.slug] = field
    return fields


def demo_answers(number: int) -> dict[str, object]:
    rng = random.Random(f"haet-fields-{number}")  # noqa: S311  demo data
    prizes = [prize for prize in PRIZES if rng.random() < 0.3]
    return {
        "student_author": rng.choice(["yes", "no"]),
        "in_person": "yes" if rng.random() < 0.7 else "no",
        "recording_consent": "yes" if rng.random() < 0.8 else "no",
        "prize": prizes,
        "non_archival": "yes" if rng.random() < 0.25 else "no",
    }


def seed_submission_fields(sender, *, conference, submissions, stdout, **_) -> None:
    if (
        submissions <= 0
        or SubmissionField.objects.filter(conference=conference).exists()
    ):
        return
    fields = seed_fields(conference)
    demo = Submission.objects.filter(conference=conference).prefetch_related("authors")
    for submission in demo:
        answers = demo_answers(submission.number)
        save_answers(
            submission,
            [AnswerInput(fields[slug], value) for slug, value in answers.items()],
            by=submission.contact,
        )
    stdout.write(f"{len(fields)} submission fields, answered by {len(demo)}.")
