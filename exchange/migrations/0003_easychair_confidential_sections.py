"""Reviews imported from EasyChair before the import split a review's text:
the section "(CONFIDENTIAL REMARKS FOR THE PROGRAM COMMITTEE) ..." came into
the text the authors read. Move each such section to the chairs' confidential
answer, as the import now does (exchange.imports.easychair._split_text; the
rule is written out here, as a migration must not follow later code)."""

import re

from django.db import migrations

KEPT = re.compile(
    r"\((?=[^()]*(?:CONFIDENTIAL|COMMITTEE|CHAIRS|\bPC\b))([A-Z][A-Z0-9 ,.'&/-]+)\)"
)
NEXT = re.compile(r"\(([A-Z][A-Z0-9,.'&/-]*(?: [A-Z0-9,.'&/-]+)+)\)")


def split(text: str) -> tuple[str, list[str]]:
    kept = []
    while match := KEPT.search(text):
        rest = text[match.end() :]
        end = NEXT.search(rest)
        kept.append((rest[: end.start()] if end else rest).strip())
        text = text[: match.start()].rstrip() + (
            "\n" + rest[end.start() :] if end else ""
        )
    return text.strip(), kept


def move_sections(apps, schema_editor):
    Review = apps.get_model("reviews", "Review")
    for review in Review.objects.filter(answers__icontains="(CONFIDENTIAL").iterator():
        answers = dict(review.answers)
        moved = []
        for key, value in answers.items():
            if key == "confidential" or not isinstance(value, str):
                continue
            text, kept = split(value)
            if kept:
                answers[key] = text
                moved += kept
        if moved:
            earlier = answers.get("confidential") or ""
            answers["confidential"] = "\n".join(
                part for part in [earlier, *moved] if part
            )
            review.answers = answers
            review.save(update_fields=["answers"])


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0002_staged_uploads"),
        ("reviews", "0010_response_review_updates"),
    ]

    operations = [migrations.RunPython(move_sections, migrations.RunPython.noop)]
