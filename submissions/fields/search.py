"""The search term `field:<short name>=<value>` (and <, <=, >, >= for numbers).

Yes/no answers match yes or no, one choice matches the option (any case), several
choices match when one of them is the value, texts, web addresses and file names
when they contain it. Chairs search every field (archived ones too); reviewers
only the fields shown to reviewers, and any other name is "no such field", so the
search reveals nothing it could not show. The fields are read once per search
(one query); the term itself is a subquery."""

import re

from django.db import connection
from django.db.models import FloatField, Q
from django.db.models.functions import Cast
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
    Lookup,
)

from submissions.fields.answers import CHOICE_SEPARATOR, Kind
from submissions.models import FieldAnswer, SubmissionField
from submissions.search import register_term
from submissions.search.parser import Term
from submissions.search.registry import Context

SHAPE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*(<=|>=|=|<|>)(.*)$", re.S)
LOOKUPS = {"<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}
# The same comparisons as lookup expressions, for numbers cast from JSON (SQLite).
NUMBER_LOOKUPS: dict[str, type[Lookup]] = {
    "exact": Exact,
    "lt": LessThan,
    "lte": LessThanOrEqual,
    "gt": GreaterThan,
    "gte": GreaterThanOrEqual,
}


def searchable_fields(context: Context) -> dict[str, SubmissionField]:
    if "custom_fields" not in context.cache:
        audience = "reviewers" if context.blind else "chairs"
        fields = SubmissionField.objects.shown_to(audience)
        context.cache["custom_fields"] = {field.slug: field for field in fields}
    return context.cache["custom_fields"]


def answer_q(field: SubmissionField, op: str, value: str, term: Term) -> Q:
    sep = CHOICE_SEPARATOR
    if field.kind == Kind.NUMBER:
        try:
            number = float(value)
        except ValueError:
            raise term.error(
                f"“{field.slug}” holds numbers: field:{field.slug}>=2.", at_value=True
            ) from None
        lookup = LOOKUPS.get(op, "exact")
        if connection.vendor == "sqlite":
            # SQLite keeps JSON as text and would find "3" > "10": compare numbers
            # (PostgreSQL compares jsonb numbers as numbers already).
            return Q(NUMBER_LOOKUPS[lookup](Cast("value", FloatField()), number))
        return Q(**{f"value__{lookup}": number})
    if op != "=":
        raise term.error(
            f"“{field.slug}” is not a number: write field:{field.slug}=<value>.",
            at_value=True,
        )
    if field.kind == Kind.YES_NO:
        wanted = value.lower()
        if wanted not in ("yes", "no"):
            raise term.error(f"“{field.slug}” is answered yes or no.", at_value=True)
        return Q(text=wanted)
    if field.kind == Kind.CHOICE:
        return Q(text__iexact=value)
    if field.kind == Kind.CHOICES:
        return (
            Q(text__iexact=value)
            | Q(text__istartswith=value + sep)
            | Q(text__iendswith=sep + value)
            | Q(text__icontains=sep + value + sep)
        )
    return Q(text__icontains=value)


def custom_field(term: Term, context: Context) -> Q:
    match = SHAPE.match(term.value)
    if not match:
        raise term.error(
            "Write field:<name>=<value>, e.g. field:student_author=yes.",
            at_value=True,
        )
    slug, op, value = match.group(1).lower(), match.group(2), match.group(3).strip()
    fields = searchable_fields(context)
    field = fields.get(slug)
    if field is None:
        known = ", ".join(sorted(fields)) or "none"
        raise term.error(
            f"No such field “{slug}”. Fields you can search: {known}.", at_value=True
        )
    if not value:
        raise term.error(f"Give a value after “{op}”.", at_value=True)
    answers = FieldAnswer.objects.filter(answer_q(field, op, value, term), field=field)
    return Q(pk__in=answers.values("submission"))


def register() -> None:
    register_term(
        "field",
        custom_field,
        help="field:student_author=yes — a custom field's answer",
    )
