"""The search terms the submissions app answers: text, status, people, topics,
flags and tags (custom fields: submissions/fields/search.py). Registered by
`SubmissionsConfig.ready()`."""

import re

from django.db import connection
from django.db.models import F, Q

from submissions.models import Author, FieldAnswer, Submission, SubmissionTag, Tag
from submissions.search.parser import SearchError, Term
from submissions.search.registry import Context, register_term

# Warning codes of the PDF check that mean "the PDF names its authors".
IDENTITY_CODES = ("author_identity", "identity_in_text", "metadata_identity")
FLAGS = ("identity", "over-length", "late")
TAG_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def authors_matching(q: Q) -> Q:
    return Q(pk__in=Author.objects.filter(q).values("submission"))


def text(term: Term, context: Context) -> Q:
    """Title, abstract and keywords; for chairs also authors' names and
    affiliations. A number alone also finds the submission with that number."""
    word = term.value.strip()
    q = Q(title__icontains=word) | Q(abstract__icontains=word)
    q |= Q(keywords__icontains=word)
    if not context.blind:
        q |= authors_matching(Q(name__icontains=word) | Q(affiliation__icontains=word))
    if word.isdigit() and len(word) < 10:
        q |= Q(number=int(word))
    return q


def status(term: Term, context: Context) -> Q:
    value = term.value.strip().lower()
    states = {state.value for state in Submission.State}
    if value not in states:
        raise term.error(
            f"Unknown status “{term.value}”: use {', '.join(sorted(states))}.",
            at_value=True,
        )
    return Q(state=value)


def author(term: Term, context: Context) -> Q:
    value = term.value.strip()
    return authors_matching(Q(name__icontains=value) | Q(email__icontains=value))


def affiliation(term: Term, context: Context) -> Q:
    return authors_matching(Q(affiliation__icontains=term.value.strip()))


def topic(term: Term, context: Context) -> Q:
    through = Submission.topics.through
    return Q(
        pk__in=through.objects.filter(topic__name__icontains=term.value.strip()).values(
            "submission"
        )
    )


def flag(term: Term, context: Context) -> Q:
    value = term.value.strip().lower()
    if value == "late":
        return Q(is_late=True)
    if value == "over-length":
        return Q(current_version__main_body_pages__gt=F("conference__page_limit"))
    if value == "identity":
        q = Q()
        for code in IDENTITY_CODES:
            q |= has_warning(code)
        # A reviewer-visible custom-field answer the same scan flagged.
        flagged = FieldAnswer.objects.exclude(identity_warning="")
        return q | Q(pk__in=flagged.values("submission"))
    raise term.error(
        f"Unknown flag “{term.value}”: use {', '.join(FLAGS)}.", at_value=True
    )


def has_warning(code: str) -> Q:
    """Submissions whose current PDF's check reported the warning `code`."""
    if connection.features.supports_json_field_contains:
        return Q(current_version__check_report__warnings__contains=[{"code": code}])
    # SQLite (the embedded default) cannot look inside a JSON list: match the list's
    # text instead. A code is an identifier, so `"code"` with its quotes is only ever
    # a whole JSON string (a quote inside a message is escaped), never part of one.
    return Q(current_version__check_report__warnings__icontains=f'"{code}"')


def tag(term: Term, context: Context) -> Q:
    """Submissions carrying the tag (by hand, or automatically from a saved
    search), among the tags the user may see; #12 also finds submission 12."""
    name = term.value
    number = Q(number=int(name)) if name.isdigit() and len(name) < 10 else None
    if not TAG_NAME.match(name):
        raise term.error(
            f"“#{name}” is not a tag name: letters, digits, '-', '_' and '.'.",
            at_value=True,
        )
    visible = Tag.objects.visible_to(context.user, blind=context.blind)
    q = Q(
        pk__in=SubmissionTag.objects.filter(
            tag__in=visible.filter(name__iexact=name)
        ).values("submission")
    )
    for saved_id, query in automatic_tags(context).get(name.lower(), []):
        q |= automatic_tag_q(saved_id, query, context)
    return q | number if number is not None else q


def automatic_tags(context: Context) -> dict[str, list[tuple[int, str]]]:
    """{tag name: [(saved search id, query)]} of the automatic tags the user may
    see: one query per search, read on the first #tag."""
    from submissions.models import SavedSearch

    if "automatic_tags" not in context.cache:
        found: dict[str, list[tuple[int, str]]] = {}
        visible = Tag.objects.visible_to(context.user, blind=context.blind)
        rows = SavedSearch.objects.filter(auto_tag__in=visible).values_list(
            "pk", "query", "auto_tag__name"
        )
        for saved_id, query, name in rows:
            found.setdefault(name.lower(), []).append((saved_id, query))
        context.cache["automatic_tags"] = found
    return context.cache["automatic_tags"]


def automatic_tag_q(saved_id: int, query: str, context: Context) -> Q:
    """What the saved search finds, searched with the user's own rights: a query
    the user may not run (or one that uses its own tag) finds nothing."""
    from submissions.search.compiling import compile_query

    if saved_id in context.expanding:
        return Q(pk__in=[])
    context.expanding.add(saved_id)
    try:
        return compile_query(query, context)
    except SearchError:
        return Q(pk__in=[])
    finally:
        context.expanding.discard(saved_id)


def register() -> None:
    register_term("", text, help="words in the title, abstract or keywords")
    register_term("#", tag, help="#needs-4th-review: submissions with the tag")
    register_term("status", status, help="status:draft, submitted or withdrawn")
    register_term("topic", topic, help="topic:sparsity")
    register_term(
        "author", author, chairs_only=True, help="author:Lovelace (name or email)"
    )
    register_term("affiliation", affiliation, chairs_only=True, help="affiliation:MIT")
    register_term(
        "flag", flag, chairs_only=True, help="flag:identity, over-length or late"
    )
