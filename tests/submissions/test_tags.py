"""Tags and saved searches: the chairs' page, bulk tagging from a search, chips on
the chairs' list and the reviewer's dashboard, per role and in fixed queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.assigning import assign_reviewer
from submissions.models import SavedSearch, SubmissionTag, Tag
from submissions.tagging import create_tag, save_search, tag_submissions
from tests.factories import (
    DeclaredConflictFactory,
    ReviewerFactory,
    SubmissionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TAGS = reverse("submissions:chair-tags")
BULK = reverse("submissions:chair-bulk-tag")
LIST = reverse("submissions:chair-list")


@pytest.fixture
def papers(conference):
    return [
        SubmissionFactory(
            title="Sparse training", contact=UserFactory(name="Zed Author")
        ),
        SubmissionFactory(title="Sparse inference"),
        SubmissionFactory(title="Quantised adapters"),
    ]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("author", 404), ("reviewer", 404), ("chair", 200)],
)
def test_tags_page_and_bulk_tagging_by_role(client, request, papers, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    tag = create_tag(
        papers[0].conference,
        name="x",
        colour="red",
        visibility="chairs",
        by=UserFactory(role="chair"),
    )
    assert client.get(TAGS).status_code == expected
    response = client.post(BULK, {"tag": tag.pk, "q": "sparse", "action": "add"})
    assert response.status_code == (302 if persona in ("anonymous", "chair") else 404)
    assert SubmissionTag.objects.count() == (2 if persona == "chair" else 0)
    if persona == "chair":
        assert client.get(BULK).status_code == 405


def test_chair_creates_tags_and_bad_names_keep_the_form(client, chair, conference):
    client.force_login(chair)
    response = client.post(
        TAGS,
        {
            "action": "create-tag",
            "tag-name": "needs 4th",
            "tag-colour": "red",
            "tag-visibility": "reviewers",
        },
    )
    assert response.status_code == 200
    assert "A tag name is letters" in response.content.decode()
    assert 'value="needs 4th"' in response.content.decode()
    response = client.post(
        TAGS,
        {
            "action": "create-tag",
            "tag-name": "needs-4th",
            "tag-colour": "red",
            "tag-visibility": "reviewers",
        },
        follow=True,
    )
    assert "Tag #needs-4th created." in response.content.decode()
    response = client.post(
        TAGS,
        {
            "action": "create-tag",
            "tag-name": "Needs-4th",
            "tag-colour": "blue",
            "tag-visibility": "chairs",
        },
    )
    assert "There is already a tag" in response.content.decode()
    tag = Tag.objects.get()
    response = client.post(
        TAGS,
        {
            "action": "update-tag",
            "tag": tag.pk,
            f"tag{tag.pk}-colour": "green",
            f"tag{tag.pk}-visibility": "chairs",
        },
    )
    tag.refresh_from_db()
    assert (tag.colour, tag.visibility) == ("green", "chairs")
    client.post(TAGS, {"action": "delete-tag", "tag": tag.pk})
    assert not Tag.objects.exists()


def test_private_tags_are_their_owners(client, chair, conference, papers):
    other = UserFactory(role="chair")
    theirs = create_tag(
        conference, name="mine", colour="grey", visibility="private", by=other
    )
    tag_submissions(theirs, papers, by=other)
    client.force_login(chair)
    assert "#mine" not in client.get(TAGS).content.decode()
    assert "#mine" not in client.get(LIST).content.decode()
    assert (
        client.post(TAGS, {"action": "delete-tag", "tag": theirs.pk}).status_code == 404
    )
    response = client.post(
        BULK, {"tag": theirs.pk, "q": "sparse", "action": "remove"}, follow=True
    )
    assert "Choose a tag" in response.content.decode()
    assert SubmissionTag.objects.count() == 3


def test_saved_search_with_automatic_tag(client, chair, conference, papers):
    client.force_login(chair)
    tag = create_tag(
        conference, name="sparse", colour="blue", visibility="chairs", by=chair
    )
    response = client.post(
        TAGS,
        {
            "action": "save-search",
            "search-name": "Bad",
            "search-query": "sparse (",
            "search-shared": "on",
        },
    )
    assert "never closed" in response.content.decode()
    assert not SavedSearch.objects.exists()
    client.post(
        TAGS,
        {
            "action": "save-search",
            "search-name": "Sparse ones",
            "search-query": "sparse",
            "search-shared": "on",
            "search-auto_tag": tag.pk,
        },
    )
    saved = SavedSearch.objects.get()
    assert saved.auto_tag == tag
    page = client.get(TAGS).content.decode()
    assert "automatic: Sparse ones" in page
    assert "?q=sparse" in page  # the list starts from the saved search
    listing = client.get(LIST).content.decode()
    assert listing.count('class="tag tag-blue"') == 2
    # Automatic tags are not put on by hand.
    response = client.post(
        BULK, {"tag": tag.pk, "q": "quantised", "action": "add"}, follow=True
    )
    assert "Choose a tag" in response.content.decode()


def test_a_tag_reviewers_see_cannot_follow_a_search_they_may_not_run(chair, conference):
    from django.core.exceptions import ValidationError

    tag = create_tag(
        conference, name="famous", colour="red", visibility="reviewers", by=chair
    )
    with pytest.raises(ValidationError, match="not available to reviewers"):
        save_search(
            conference,
            name="Famous",
            query="author:Hinton",
            shared=True,
            auto_tag=tag,
            by=chair,
        )
    hidden = create_tag(
        conference, name="famous2", colour="red", visibility="chairs", by=chair
    )
    save_search(
        conference,
        name="Famous",
        query="author:Hinton",
        shared=True,
        auto_tag=hidden,
        by=chair,
    )
    from submissions.tagging import update_tag

    with pytest.raises(ValidationError):
        update_tag(hidden, colour="red", visibility="reviewers", by=chair)


def test_bulk_tag_from_a_search_skips_what_the_chair_may_not_see(
    client, chair, conference, papers
):
    DeclaredConflictFactory(submission=papers[1], value=chair.email)
    tag = create_tag(
        conference, name="look", colour="red", visibility="chairs", by=chair
    )
    client.force_login(chair)
    response = client.post(
        BULK, {"tag": tag.pk, "q": "sparse", "action": "add"}, follow=True
    )
    assert "Tagged 1 submission #look." in response.content.decode()
    assert list(SubmissionTag.objects.values_list("submission", flat=True)) == [
        papers[0].pk
    ]
    other = UserFactory(role="chair")
    tag_submissions(tag, [papers[1]], by=other)
    page = client.get(TAGS).content.decode()
    assert "<td>1</td>" in page  # the hidden one is not counted
    response = client.post(
        BULK, {"tag": tag.pk, "q": "sparse (", "action": "add"}, follow=True
    )
    assert "never closed" in response.content.decode()


def test_chair_list_searches_shows_errors_and_chips(client, chair, conference, papers):
    tag = create_tag(
        conference, name="discuss", colour="purple", visibility="chairs", by=chair
    )
    tag_submissions(tag, [papers[2]], by=chair)
    client.force_login(chair)
    page = client.get(LIST, {"q": "#discuss OR zed"}).content.decode()
    assert "Quantised adapters" in page
    assert "Sparse training" in page
    assert "Sparse inference" not in page
    assert 'class="tag tag-purple"' in page
    assert "Tag what this search found" in page
    page = client.get(LIST, {"q": "sparse reviews:lots"}).content.decode()
    assert "The search could not run" in page
    assert "<mark>lots</mark>" in page
    assert "No submission matches" in page


def test_reviewer_dashboard_shows_only_tags_for_reviewers(
    client, chair, conference, papers
):
    reviewer = ReviewerFactory()
    assign_reviewer(papers[0], reviewer, by=chair, notify=False)
    shown = create_tag(
        conference,
        name="needs-4th-review",
        colour="green",
        visibility="reviewers",
        by=chair,
    )
    chairs = create_tag(
        conference, name="borderline", colour="red", visibility="chairs", by=chair
    )
    elsewhere = create_tag(
        conference, name="elsewhere", colour="red", visibility="reviewers", by=chair
    )
    tag_submissions(shown, [papers[0]], by=chair)
    tag_submissions(chairs, [papers[0]], by=chair)
    tag_submissions(elsewhere, [papers[1]], by=chair)
    client.force_login(reviewer)
    page = client.get(reverse("reviews:dashboard")).content.decode()
    assert "#needs-4th-review" in page
    assert "#borderline" not in page
    assert "#elsewhere" not in page


def test_tagged_chair_list_costs_the_same_queries_for_3_and_9(
    client, chair, conference
):
    tags = [
        create_tag(
            conference, name=f"t{n}", colour="blue", visibility="chairs", by=chair
        )
        for n in range(3)
    ]
    auto = create_tag(
        conference, name="auto", colour="green", visibility="chairs", by=chair
    )
    save_search(
        conference,
        name="Auto",
        query="training OR reviews:<1",
        shared=True,
        auto_tag=auto,
        by=chair,
    )
    client.force_login(chair)

    def add(count):
        for _ in range(count):
            submission = SubmissionFactory(title="Sparse training")
            for tag in tags:
                tag_submissions(tag, [submission], by=chair)

    def count():
        url = f"{LIST}?q=%23t1+OR+%23auto+OR+status%3Adraft"
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        return len(captured), response

    add(3)
    small, _ = count()
    add(6)
    large, response = count()
    assert len(response.context["submissions"]) == 9
    assert all(len(s.shown_tags) == 4 for s in response.context["submissions"])
    assert small == large


def test_reviewer_searches_their_assignments_blind(client, chair, conference, papers):
    reviewer = ReviewerFactory()
    for paper in papers:
        assign_reviewer(paper, reviewer, by=chair, notify=False)
    shown = create_tag(
        conference, name="urgent", colour="red", visibility="reviewers", by=chair
    )
    tag_submissions(shown, [papers[2]], by=chair)
    client.force_login(reviewer)
    dashboard = reverse("reviews:dashboard")

    def titles(q):
        response = client.get(dashboard, {"q": q})
        return [item.title for item in response.context["assignments"]], response

    assert titles("sparse")[0] == ["Sparse training", "Sparse inference"]
    assert titles("#urgent OR training")[0] == ["Sparse training", "Quantised adapters"]
    assert titles("zed")[0] == []  # the first paper's author: never searched
    found, response = titles("sparse author:zed")
    assert found == []
    assert "“author:” is not available to reviewers. (at character 8)" in (
        response.content.decode()
    )


def test_tags_page_costs_the_same_queries_for_3_and_9_tags_and_searches(
    client, chair, conference
):
    """The chairs' tags page lists tags and saved searches: no query per row."""
    client.force_login(chair)
    other = UserFactory(role="chair")
    submission = SubmissionFactory(title="Sparse training")

    def add(count, start):
        for n in range(start, start + count):
            tag = create_tag(
                conference,
                name=f"t{n}",
                colour="blue",
                visibility="private" if n % 2 else "chairs",
                by=chair if n % 3 else other,
            )
            tag_submissions(tag, [submission], by=tag.owner)
            save_search(
                conference,
                name=f"S{n}",
                query=f"sparse #t{n}",
                shared=True,
                auto_tag=None,
                by=chair,
            )

    def count():
        client.get(TAGS)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(TAGS)
        assert response.status_code == 200
        return len(captured), response

    add(3, 0)
    small, _ = count()
    add(6, 3)
    large, response = count()
    assert len(response.context["searches"]) == 9
    assert small == large


def test_tagging_many_submissions_logs_them_in_a_fixed_number_of_queries(
    chair, conference
):
    """Each new link is an audit entry, inserted together with the others: bulk
    tagging 1,000 submissions costs no more queries than tagging 2."""
    from haet.audit.models import AuditEntry

    small = create_tag(
        conference, name="a", colour="blue", visibility="chairs", by=chair
    )
    large = create_tag(
        conference, name="b", colour="blue", visibility="chairs", by=chair
    )
    few = SubmissionFactory.create_batch(2)
    many = SubmissionFactory.create_batch(6)

    def queries(tag, submissions) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert tag_submissions(tag, submissions, by=chair) == len(submissions)
        return len(captured)

    assert queries(small, few) == queries(large, many)
    logged = AuditEntry.objects.filter(action="submission_tag.created")
    assert logged.count() == 8
    assert {e.submission_id for e in logged} == {s.pk for s in few + many}
