"""Existing rows: mark the mails that carry a credential sensitive, and link every
mail about a submission to it, so the chairs' outbox hides old mails as it hides new
ones.

haet sits below the apps whose mails these are, so this migration cannot depend on
their models: it reads what the dedupe keys and texts name, and the apps' tables
with plain SQL when they exist (on a fresh database there are no rows to link).
Where a mail names submissions only by number (reminders, digests), every
submission with that number is linked: hiding too much from a conflicted chair is
the safe side.
"""

import re

from django.db import migrations

SENSITIVE_TEMPLATES = [
    "password_reset_key",
    "email_confirmation",
    "email_confirmation_signup",
    "email_changed",
    "login_code",
    "reviewer_invitation",
    "reviewer_invitation_reminder",
]
# <kind>:<submission pk>:...
BY_SUBMISSION = re.compile(
    r"^(?:coauthor|receipt|decision|decision-correction|camera-ready-receipt|"
    r"camera-ready-reminder):(\d+):"
)
AWARD = re.compile(r"^award:\d+:(\d+):")
# assignment:<assignment pk>, review_posted:<item>:<assignment pk>, same for discussion
BY_ASSIGNMENT = re.compile(r"^(?:assignment:(\d+)$|(?:review|discussion)_posted:\d+:(\d+)$)")
NUMBER = re.compile(r"#(\d+)\b")


def _ids(schema_editor, sql, params) -> list[int]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def forwards(apps, schema_editor):
    OutboxMail = apps.get_model("outbox", "OutboxMail")
    Link = apps.get_model("outbox", "OutboxMailSubmission")
    OutboxMail.objects.filter(dedupe_key__startswith="account:").update(
        is_sensitive=True
    )
    OutboxMail.objects.filter(template__in=SENSITIVE_TEMPLATES).update(
        is_sensitive=True
    )
    tables = set(schema_editor.connection.introspection.table_names())
    has_assignments = "reviews_assignment" in tables
    has_submissions = "submissions_submission" in tables
    links = []
    rows = OutboxMail.objects.values_list("pk", "dedupe_key", "template", "body_text")
    for pk, key, template, body_text in rows.iterator():
        ids: set[int] = set()
        if match := BY_SUBMISSION.match(key) or AWARD.match(key):
            ids.add(int(match.group(1)))
        elif (match := BY_ASSIGNMENT.match(key)) and has_assignments:
            assignment_pk = int(match.group(1) or match.group(2))
            ids.update(
                _ids(
                    schema_editor,
                    "SELECT submission_id FROM reviews_assignment WHERE id = %s",
                    [assignment_pk],
                )
            )
        elif (
            key.startswith("reminder:")
            and template not in SENSITIVE_TEMPLATES
            and has_submissions
        ):
            numbers = sorted({int(n) for n in NUMBER.findall(body_text)})
            if numbers:
                placeholders = ", ".join(["%s"] * len(numbers))
                ids.update(
                    _ids(
                        schema_editor,
                        "SELECT id FROM submissions_submission "
                        f"WHERE number IN ({placeholders})",  # noqa: S608 - placeholders only
                        numbers,
                    )
                )
        links.extend(Link(mail_id=pk, submission_id=i) for i in ids)
    Link.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0002_sensitive_mails_and_submission_links"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
