"""search_submissions: every term, chairs against reviewers, and blind safety."""

from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from decisions.models import Decision, Outcome
from haet import clock
from haet.models import Topic
from reviews.assigning import assign_reviewer
from submissions.models import Author, Submission, SubmissionTag, Tag
from submissions.search import search_submissions
from submissions.tagging import create_tag, save_search, tag_submissions
from tests.factories import (
    ReviewerFactory,
    ReviewFactory,
    SubmissionFactory,
    UserFactory,
    attach_checked_pdf,
)

pytestmark = pytest.mark.django_db


@dataclass
class World:
    sparse: Submission
    draft: Submission
    gone: Submission
    other: Submission
    chair: object
    reviewer: object


def person(name, affiliation="", domain="authors.example"):
    slug = name.split()[0].lower()
    return UserFactory(email=f"{slug}@{domain}", name=name, affiliation=affiliation)


@pytest.fixture
def world(conference, chair) -> World:
    topics = list(Topic.objects.all()[:2])
    sparse = SubmissionFactory(
        title="Sparse training on GPUs",
        abstract="We save energy with structured pruning.",
        keywords="sparsity, pruning",
        contact=person("Zebulon Quixotic", "Farnsworth Institute", "zq.example"),
        topics=[topics[0]],
    )
    draft = SubmissionFactory(
        title="Quantised inference",
        abstract="Eight bits suffice.",
        state=Submission.State.DRAFT,
        is_late=True,
        contact=person("Vandersnoot Ada", "Xylophonia Labs", "va.example"),
        topics=[topics[1]],
    )
    gone = SubmissionFactory(
        title="Withdrawn idea",
        state=Submission.State.WITHDRAWN,
        contact=person("Grace Other", "", "go.example"),
    )
    other = SubmissionFactory(
        title="Low-rank adapters",
        abstract="Mentions nobody.",
        contact=person("Hedy Third", "", "ht.example"),
    )
    reviewer = ReviewerFactory()
    for submission, scores in [
        (sparse, [(2, 4), (2, 4), (1, 3)]),
        (draft, [(-2, 1), (1, 2)]),
    ]:
        for score, confidence in scores:
            assignment, _ = assign_reviewer(
                submission, ReviewerFactory(), by=chair, notify=False
            )
            ReviewFactory(assignment=assignment, score=score, confidence=confidence)
    for submission in (sparse, draft, other):
        assign_reviewer(submission, reviewer, by=chair, notify=False)
    Decision.objects.create(
        submission=sparse, outcome=Outcome.ACCEPT_ORAL, set_by=chair, set_at=clock.now()
    )
    Decision.objects.create(
        submission=draft, outcome=Outcome.REJECT, set_by=chair, set_at=clock.now()
    )
    Decision.objects.create(
        submission=gone, outcome=Outcome.REJECT, set_by=chair, set_at=clock.now()
    )
    return World(sparse, draft, gone, other, chair, reviewer)


def numbers(world, query, user=None, queryset=None):
    user = user or world.chair
    result = search_submissions(
        queryset if queryset is not None else Submission.objects.all(), query, user=user
    )
    assert result.error is None, result.error
    return {s.number for s in result.queryset}


def error_of(world, query, user=None):
    result = search_submissions(
        Submission.objects.all(), query, user=user or world.chair
    )
    assert result.error is not None
    assert list(result.queryset) == []
    return result.error


def reviewer_queryset(world):
    return Submission.objects.filter(assignments__reviewer=world.reviewer)


def test_free_text_looks_at_title_abstract_keywords_and_for_chairs_authors(world):
    w = world
    assert numbers(w, "sparse") == {w.sparse.number}
    assert numbers(w, "pruning energy") == {w.sparse.number}  # abstract AND keywords
    assert numbers(w, '"eight bits"') == {w.draft.number}
    assert numbers(w, "zebulon") == {w.sparse.number}  # an author, for chairs
    assert numbers(w, "xylophonia") == {w.draft.number}  # an affiliation
    assert numbers(w, str(w.other.number)) == {w.other.number}
    assert numbers(w, f"#{w.other.number}") == {w.other.number}
    assert numbers(w, "zebulon", w.reviewer, reviewer_queryset(w)) == set()


def test_boolean_combinations(world):
    w = world
    assert numbers(w, "sparse OR quantised") == {w.sparse.number, w.draft.number}
    assert numbers(w, "NOT sparse -quantised -withdrawn") == {w.other.number}
    assert numbers(w, "(sparse OR quantised) AND status:draft") == {w.draft.number}


def test_status_topic_author_affiliation(world):
    w = world
    assert numbers(w, "status:draft") == {w.draft.number}
    assert numbers(w, "status:withdrawn") == {w.gone.number}
    topic = w.sparse.topics.get()
    assert numbers(w, f'topic:"{topic.name}"') == {w.sparse.number}
    assert numbers(w, "author:quixotic") == {w.sparse.number}
    assert numbers(w, "author:va.example") == {w.draft.number}  # an email
    assert numbers(w, "affiliation:farnsworth") == {w.sparse.number}


def test_flags(world, conference):
    w = world
    assert numbers(w, "flag:late") == {w.draft.number}
    version = attach_checked_pdf(w.other)
    version.main_body_pages = conference.page_limit + 1
    version.check_report = {
        "ok": True,
        "errors": [],
        "warnings": [{"code": "identity_in_text", "message": "names"}],
    }
    version.save()
    attach_checked_pdf(w.sparse)  # clean: neither flag
    assert numbers(w, "flag:over-length") == {w.other.number}
    assert numbers(w, "flag:identity") == {w.other.number}
    assert error_of(w, "flag:purple").position == len("flag:")


def test_review_statistics(world):
    w = world
    assert numbers(w, "reviews:3") == {w.sparse.number}
    assert numbers(w, "reviews:<3") == {w.draft.number, w.gone.number, w.other.number}
    assert numbers(w, "score:>1.5") == {w.sparse.number}  # 5/3
    assert numbers(w, "spread:>=2") == {w.draft.number}  # 1 - (-2)
    assert numbers(w, "confidence:<=2") == {w.draft.number}
    assert numbers(w, "NOT score:>1.5 reviews:>0") == {w.draft.number}
    assert numbers(w, "reviews:>=2 sparse") == {w.sparse.number}
    assert error_of(w, "reviews:lots").position == len("reviews:")
    assert error_of(w, "reviews:2.5").position == len("reviews:")


def test_decisions(world):
    w = world
    assert numbers(w, "decision:accept") == {w.sparse.number}
    assert numbers(w, "decision:oral") == {w.sparse.number}
    assert numbers(w, "decision:reject") == {w.draft.number}  # withdrawn wins
    assert numbers(w, "decision:withdrawn") == {w.gone.number}
    assert numbers(w, "decision:undecided") == {w.other.number}
    assert "Unknown decision" in error_of(w, "decision:maybe").message


def test_custom_fields_do_not_exist_yet(world):
    error = error_of(world, "sparse field:track=systems")
    assert "No such field “track”" in error.message
    assert error.position == len("sparse field:")
    assert "field:<name>=<value>" in error_of(world, "field:track").message


def test_a_word_ending_in_a_colon_is_a_word_but_a_term_needs_its_value(world):
    world.other.title = "Low-rank adapters: a benchmark"
    world.other.save()
    assert numbers(world, "adapters:") == {world.other.number}
    error = error_of(world, "adapters status:")
    assert error.position == len("adapters ")
    assert "“status:” needs a value" in error.message


def test_unknown_terms_and_parse_errors_carry_positions(world):
    error = error_of(world, "sparse colour:red")
    assert error.position == len("sparse ")
    assert "There is no search term “colour:”" in error.message
    assert error_of(world, "(sparse").position == 0


@pytest.mark.parametrize(
    "query",
    [
        "author:x",
        "affiliation:x",
        "score:>1",
        "reviews:<3",
        "decision:accept",
        "flag:late",
    ],
)
def test_reviewers_may_not_use_the_chairs_terms(world, query):
    error = error_of(world, f"sparse {query}", world.reviewer)
    assert "not available to reviewers" in error.message
    assert error.position == len("sparse ")


def test_tags_by_visibility(world):
    w = world
    conference = w.sparse.conference
    other_chair = UserFactory(role="chair")
    mine = create_tag(
        conference, name="mine", colour="red", visibility="private", by=w.chair
    )
    chairs = create_tag(
        conference, name="discuss", colour="blue", visibility="chairs", by=other_chair
    )
    shown = create_tag(
        conference,
        name="needs-4th-review",
        colour="green",
        visibility="reviewers",
        by=w.chair,
    )
    tag_submissions(mine, [w.sparse], by=w.chair)
    tag_submissions(chairs, [w.draft], by=other_chair)
    tag_submissions(shown, [w.other, w.gone], by=w.chair)
    assert numbers(w, "#mine") == {w.sparse.number}
    assert numbers(w, "#mine", other_chair) == set()  # someone else's private tag
    assert numbers(w, "#discuss") == {w.draft.number}
    assert numbers(w, "#Needs-4th-review OR #discuss") == {
        w.other.number,
        w.gone.number,
        w.draft.number,
    }
    rq = reviewer_queryset(w)
    assert numbers(w, "#discuss", w.reviewer, rq) == set()
    # Only on what the reviewer may see: #gone is not theirs.
    assert numbers(w, "#needs-4th-review", w.reviewer, rq) == {w.other.number}
    assert SubmissionTag.objects.count() == 4


def test_automatic_tag_follows_its_search(world):
    w = world
    conference = w.sparse.conference
    tag = create_tag(
        conference, name="short", colour="orange", visibility="chairs", by=w.chair
    )
    save_search(
        conference,
        name="Short of reviews",
        query="reviews:<3 -status:withdrawn",
        shared=True,
        auto_tag=tag,
        by=w.chair,
    )
    assert numbers(w, "#short") == {w.draft.number, w.other.number}
    assign = ReviewFactory(
        assignment=assign_reviewer(
            w.other, ReviewerFactory(), by=w.chair, notify=False
        )[0],
        score=1,
    )
    assert assign.pk
    assert numbers(w, "#short") == {w.draft.number, w.other.number}
    for _ in range(2):
        a, _ = assign_reviewer(w.other, ReviewerFactory(), by=w.chair, notify=False)
        ReviewFactory(assignment=a, score=0)
    assert numbers(w, "#short") == {w.draft.number}
    assert Tag.objects.get(name="short").links.count() == 0  # nothing stored


def test_a_search_costs_the_same_queries_whatever_the_size(world):
    w = world
    query = "(sparse OR status:draft) reviews:<5 NOT decision:reject score:>-3 #x"

    def count():
        with CaptureQueriesContext(connection) as captured:
            list(
                search_submissions(
                    Submission.objects.all(), query, user=w.chair
                ).queryset
            )
        return len(captured)

    count()  # warm: the chair's groups are read once per user
    small = count()
    for _ in range(5):
        SubmissionFactory(title="sparse more")
    assert count() == small <= 2


# --- properties ---------------------------------------------------------------------
PIECES = st.sampled_from(
    [
        "sparse",
        "GPUs",
        "energy",
        "zebulon",
        "Quixotic",
        "farnsworth",
        "Vandersnoot",
        "xylophonia",
        '"Zebulon Quixotic"',
        '"Farnsworth Institute"',
        "author:zebulon",
        "affiliation:x",
        "status:submitted",
        "status:nope",
        "topic:a",
        "#tag",
        "#",
        "score:>1",
        "reviews:<3",
        "spread:>=2",
        "confidence:4",
        "decision:accept",
        "flag:late",
        "flag:x",
        "field:a=b",
        "nope:x",
        "1",
        "AND",
        "OR",
        "NOT",
        "-",
        "(",
        ")",
        '"',
        "2.5",
        ":",
        "x:",
        "#needs-4th-review",
    ]
)
QUERIES = st.lists(PIECES, max_size=8).map(" ".join)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=QUERIES)
def test_random_queries_never_fail_and_errors_point_inside(world, query):
    for user in (world.chair, world.reviewer):
        result = search_submissions(Submission.objects.all(), query, user=user)
        list(result.queryset)  # the SQL runs
        if result.error is not None:
            assert 0 <= result.error.position <= len(query)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=QUERIES)
@example(query="zebulon")  # the contact's name: found by a chair (test above)
@example(query='"Farnsworth Institute" OR xylophonia')  # affiliations
def test_reviewer_searches_never_look_at_author_fields(world, query):
    """The same reviewer search finds the same submissions whether or not the
    authors carry the names queried for."""
    rq = reviewer_queryset(world)

    def found():
        result = search_submissions(rq, query, user=world.reviewer)
        return (str(result.error), sorted(s.pk for s in result.queryset))

    named = found()
    with transaction.atomic():
        Author.objects.update(
            name="A. Nonymous", affiliation="Nowhere", email="a@n.example"
        )
        renamed = found()
        transaction.set_rollback(True)
    assert named == renamed
