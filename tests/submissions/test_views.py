"""Every submissions page and download, for every persona; forms; list queries."""

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions.models import (
    DeadlineExtension,
    Submission,
    SubmissionSettings,
    SupplementaryFile,
)
from tests.factories import SubmissionFactory, UserFactory
from tests.submissions.conftest import BEFORE_DEADLINE

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "author", "coauthor", "other_author", "reviewer", "chair"]
AUTHORS = {"author", "coauthor"}


@pytest.fixture
def paper(conference, author, coauthor, other_author, make_submission, frozen):
    """#1 by author with coauthor; other_author has #2; before the deadline."""
    frozen(BEFORE_DEADLINE)
    submission = make_submission(author, authors=[coauthor])
    make_submission(other_author, title="Another paper")
    supplementary = SupplementaryFile(
        submission=submission,
        original_filename="extra.zip",
        sha256="0" * 64,
        size=4,
        uploaded_by=author,
        uploaded_at=submission.submitted_at,
    )
    supplementary.file.save("extra.zip", ContentFile(b"PK\x03\x04"), save=False)
    supplementary.reviewer_copy.save("c.zip", ContentFile(b"PK\x03\x04"), save=False)
    supplementary.save()
    submission.supplementary = supplementary
    submission.save()
    return submission


@pytest.fixture
def login(client, request):
    def as_persona(persona: str):
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        return client

    return as_persona


def expected(persona: str, allowed: set[str]) -> int:
    if persona == "anonymous":
        return 302
    return 200 if persona in allowed else 404


SUBMISSION_PAGES = [
    ("submissions:detail", AUTHORS | {"chair"}),
    ("submissions:edit", AUTHORS),
    ("submissions:paper", AUTHORS | {"chair"}),
    ("submissions:reviewer-copy", AUTHORS | {"chair"}),
    ("submissions:supplementary", AUTHORS | {"chair"}),
    ("submissions:supplementary-reviewer-copy", AUTHORS | {"chair"}),
    ("submissions:chair-detail", {"chair"}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "allowed"), SUBMISSION_PAGES)
def test_submission_pages_by_persona(login, paper, persona, name, allowed):
    response = login(persona).get(reverse(name, args=[paper.number]))

    assert response.status_code == expected(persona, allowed)
    if persona == "anonymous":
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_version_download_by_persona(login, paper, persona):
    url = reverse("submissions:version", args=[paper.number, paper.current_version.pk])

    response = login(persona).get(url)

    assert response.status_code == expected(persona, AUTHORS | {"chair"})


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "name", ["submissions:chair-list", "submissions:chair-settings"]
)
def test_chair_pages_by_persona(login, paper, persona, name):
    response = login(persona).get(reverse(name))

    assert response.status_code == expected(persona, {"chair"})


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["submissions:list", "submissions:new"])
def test_author_pages_need_only_an_account(login, paper, persona, name):
    response = login(persona).get(reverse(name))

    assert response.status_code == expected(persona, set(PERSONAS))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["withdraw", "restore", "submit"])
def test_actions_by_persona(login, paper, persona, action):
    url = reverse(f"submissions:{action}", args=[paper.number])

    response = login(persona).post(url)

    if persona in AUTHORS:
        assert response.status_code == 302
        assert response.url == reverse("submissions:detail", args=[paper.number])
    else:
        assert response.status_code == expected(persona, set())
        paper.refresh_from_db()
        assert paper.state == "submitted"


def test_get_on_action_is_not_allowed(login, paper):
    response = login("author").get(reverse("submissions:withdraw", args=[1]))
    assert response.status_code == 405


def test_withdraw_then_restore(login, paper):
    client = login("coauthor")

    client.post(reverse("submissions:withdraw", args=[paper.number]))
    paper.refresh_from_db()
    assert paper.state == "withdrawn"
    client.post(reverse("submissions:restore", args=[paper.number]))
    paper.refresh_from_db()
    assert paper.state == "submitted"


def test_my_submissions_lists_only_mine(login, paper):
    response = login("coauthor").get(reverse("submissions:list"))

    assert [s.number for s in response.context["submissions"]] == [1]


@pytest.mark.parametrize(
    ("name", "filename"),
    [
        ("submissions:paper", "HAET2022-1.pdf"),
        ("submissions:reviewer-copy", "HAET2022-1-reviewer-copy.pdf"),
        ("submissions:supplementary", "HAET2022-1-supplementary.zip"),
        (
            "submissions:supplementary-reviewer-copy",
            "HAET2022-1-supplementary-reviewer-copy.zip",
        ),
    ],
)
def test_download_headers(login, paper, name, filename):
    response = login("chair").get(reverse(name, args=[paper.number]))

    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith((b"%PDF", b"PK"))


def test_files_are_private_and_randomly_named(paper, settings):
    version = paper.current_version
    assert version.original.name.startswith("papers/")
    assert re.fullmatch(r"papers/[0-9a-f]{32}\.pdf", version.original.name)
    assert re.fullmatch(
        r"reviewer-copies/[0-9a-f]{32}\.pdf", version.reviewer_copy.name
    )
    with pytest.raises(NotImplementedError):
        version.original.url  # noqa: B018 - no public URL exists


def count_queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize(
    ("persona", "name"),
    [("author", "submissions:list"), ("chair", "submissions:chair-list")],
)
def test_list_query_count_is_the_same_for_1_and_10_submissions(
    client, request, conference, author, chair, make_submission, persona, name
):
    """The pretalx N+1 test; the fixed part (session, user, roles, conference,
    settings, dates, permissions, and for chairs the conflict index: 7 queries
    whatever the size, and the counts by state that paging no longer gets for free)
    is at most 21 queries on SQLite and PostgreSQL; the chairs' list adds the tags and
    saved searches they may see (2; see tests/submissions/test_tags.py for tagged
    lists)."""
    SubmissionSettings.objects.for_conference(conference)
    client.force_login(request.getfixturevalue(persona))

    def add(count):
        for _ in range(count):
            submission = make_submission(author)
            DeadlineExtension.objects.create(
                submission=submission,
                until=submission.submitted_at,
                granted_by=chair,
                granted_at=submission.submitted_at,
            )

    add(1)
    one, _ = count_queries(client, reverse(name))
    add(9)
    ten, response = count_queries(client, reverse(name))

    assert len(response.context["submissions"]) == 10
    # The chairs' list reads its custom-field columns too (one query, issue 15);
    # every signed-in page asks for the menu's delegated reviews (one query).
    assert one == ten <= (25 if persona == "chair" else 22)


def form_data(conference, author, **changes):
    data = {
        "title": "Sparse Training at Scale",
        "abstract": "We train with less energy.",
        "keywords": "sparsity",
        "topics": [conference.topics.first().pk],
        "include_in_proceedings": "yes",
        "not_accepted_at_main": "on",
        "arxiv_url": "",
        "conflicts": "rival.edu\nboss@uni.edu",
        "authors-TOTAL_FORMS": "2",
        "authors-INITIAL_FORMS": "0",
        "authors-0-name": author.name,
        "authors-0-email": author.email,
        "authors-0-affiliation": "Uni A",
        "authors-0-ORDER": "1",
        "authors-1-name": "",
        "authors-1-email": "",
        "authors-1-ORDER": "",
        "action": "save",
    }
    data.update(changes)
    return data


def test_new_draft_then_edit(client, conference, author, frozen):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)

    response = client.post(reverse("submissions:new"), form_data(conference, author))

    submission = Submission.objects.get()
    assert response.url == reverse("submissions:detail", args=[submission.number])
    assert submission.state == "draft"
    page = client.get(reverse("submissions:edit", args=[1])).content.decode()
    assert "Sparse Training at Scale" in page
    assert "rival.edu" in page


def test_authors_can_be_reordered(client, conference, author, frozen):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)
    data = form_data(
        conference,
        author,
        **{
            "authors-1-name": "Bo Second",
            "authors-1-email": "bo@example.org",
            "authors-1-ORDER": "0",
        },
    )

    client.post(reverse("submissions:new"), data)

    assert [a.email for a in Submission.objects.get().authors.all()] == [
        "bo@example.org",
        author.email,
    ]


def test_form_errors_keep_what_was_typed(client, conference, author, frozen):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)

    response = client.post(
        reverse("submissions:new"),
        form_data(
            conference,
            author,
            title="",
            abstract="My careful abstract",
            action="submit",
            not_accepted_at_main="",
        ),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "My careful abstract" in page
    assert "Submitting needs this declaration" in page
    assert Submission.objects.count() == 0


def test_rejected_upload_shows_messages_and_keeps_draft(
    client, conference, author, upload, frozen
):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)
    client.post(
        reverse("submissions:new"), form_data(conference, author, pdf=upload("good"))
    )
    before = Submission.objects.get().current_version

    response = client.post(
        reverse("submissions:edit", args=[1]),
        form_data(
            conference, author, title="Typed but not saved", pdf=upload("too_long")
        ),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "over_page_limit" in page
    assert "The main body has 5 pages; the limit is 4" in page
    assert "Typed but not saved" in page
    submission = Submission.objects.get()
    assert (submission.title, submission.current_version) == (
        "Sparse Training at Scale",
        before,
    )


def test_change_after_deadline_is_refused_with_both_zones(
    client, conference, author, make_submission, frozen, settings
):
    settings.TIME_ZONE = "Europe/Paris"
    frozen(BEFORE_DEADLINE)
    make_submission(author, state="draft")
    client.force_login(author)
    frozen("2022-05-28T11:00:00Z")

    response = client.post(
        reverse("submissions:edit", args=[1]), form_data(conference, author, title="X")
    )
    withdraw = client.post(reverse("submissions:withdraw", args=[1]), follow=True)

    assert response.status_code == 403
    message = (
        "27 May 2022, 11:59 pm UTC-11 (28 May 2022 10:59 UTC). Nothing was changed."
    )
    assert message in response.content.decode()
    assert message in withdraw.content.decode()
    submission = Submission.objects.get()
    assert (submission.title, submission.state) == ("Sparse Training at Scale", "draft")


def test_one_microsecond_before_deadline_is_accepted_over_http(
    client, conference, author, make_submission, frozen
):
    frozen(BEFORE_DEADLINE)
    make_submission(author, state="draft")
    client.force_login(author)
    frozen("2022-05-28T10:59:59.999999Z")

    response = client.post(reverse("submissions:submit", args=[1]))

    assert response.status_code == 302
    assert Submission.objects.get().state == "submitted"


def test_late_flag_is_for_chairs_only(
    client, conference, author, chair, make_submission, frozen
):
    frozen(BEFORE_DEADLINE)
    submission = make_submission(author)
    Submission.objects.filter(pk=submission.pk).update(is_late=True)

    client.force_login(author)
    author_page = client.get(reverse("submissions:detail", args=[1])).content.decode()
    client.force_login(chair)
    chair_list = client.get(reverse("submissions:chair-list")).content.decode()

    assert '<span class="badge bad">late</span>' not in author_page
    assert '<span class="badge bad">late</span>' in chair_list


def test_chair_grants_extension(client, conference, author, chair, make_submission):
    make_submission(author)
    client.force_login(chair)

    response = client.post(
        reverse("submissions:chair-detail", args=[1]),
        {"day": "2022-05-30", "clock": "23:59", "reason": "Hospital"},
    )

    extension = DeadlineExtension.objects.get()
    assert response.status_code == 302
    assert extension.until.isoformat() == "2022-05-31T11:00:00+00:00"
    assert (extension.granted_by, extension.reason) == (chair, "Hospital")
    page = client.get(reverse("submissions:chair-detail", args=[1])).content.decode()
    assert "Chris Chair extended it until 30 May 2022, 11:59 pm UTC-11" in page


def test_chair_edits_settings(client, conference, chair):
    client.force_login(chair)

    client.post(
        reverse("submissions:chair-settings"),
        {
            "grace_minutes": "15",
            "max_bytes": "5000000",
            "max_pages": "40",
            "supplementary_max_bytes": "20000000",
        },
    )

    settings = SubmissionSettings.objects.get()
    assert (settings.grace_minutes, settings.max_pages) == (15, 40)


def test_chair_list_shows_self_declared_page_count(
    client, conference, author, chair, make_submission
):
    submission = make_submission(author)
    submission.current_version.is_main_body_self_declared = True
    submission.current_version.save()
    client.force_login(chair)

    page = client.get(reverse("submissions:chair-list")).content.decode()

    assert "self-declared" in page


def test_submit_without_pdf_says_so_and_keeps_the_form(
    client, conference, author, frozen
):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)

    response = client.post(
        reverse("submissions:new"), form_data(conference, author, action="submit")
    )

    assert response.status_code == 200
    assert "Submitting needs the paper PDF." in response.content.decode()
    assert Submission.objects.count() == 0


def test_bad_supplementary_is_reported_on_its_field(client, conference, author, frozen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    frozen(BEFORE_DEADLINE)
    client.force_login(author)
    bad = SimpleUploadedFile("notes.exe", b"MZ")

    response = client.post(
        reverse("submissions:new"), form_data(conference, author, supplementary=bad)
    )

    assert response.context["form"].errors["supplementary"] == [
        "Supplementary material must be one PDF or ZIP file."
    ]


# --- a conflicted chair sees nothing of the submission --------------------------------
def test_conflicted_chair_gets_404_on_every_chair_and_download_view(
    client, conference, author
):
    from reviews.declared_conflicts import declare_conflict
    from reviews.models import ConflictSource

    chair = UserFactory(
        email="chair2@rival.example.edu", name="Conflicted Chair", role="chair"
    )
    submission = SubmissionFactory(conference=conference, contact=author, uploaded=True)
    declare_conflict(
        submission, chair, source=ConflictSource.CHAIR_ADDED, reason="Advisor", by=chair
    )
    client.force_login(chair)

    for name in ("detail", "paper", "chair-detail"):
        response = client.get(reverse(f"submissions:{name}", args=[submission.number]))
        assert response.status_code == 404, name
    listing = client.get(reverse("submissions:chair-list")).content.decode()
    assert submission.title not in listing
    assert "1 submission you are conflicted with is hidden" in listing


def test_a_workshop_without_topics_or_host_conference_asks_for_neither(
    client, conference, author, upload, frozen
):
    """Chairs who list no topics, and a workshop held on its own (no host
    venue): the form asks for no topic and no declaration, and submitting
    works without them (before, every submission was refused)."""
    frozen(BEFORE_DEADLINE)
    data = form_data(conference, author, action="submit", pdf=upload("good"))
    del data["topics"], data["not_accepted_at_main"]
    conference.topics.all().delete()
    conference.host_venue = ""
    conference.save()
    client.force_login(author)

    page = client.get(reverse("submissions:new")).content.decode()
    response = client.post(reverse("submissions:new"), data)

    assert 'name="topics"' not in page
    assert 'name="not_accepted_at_main"' not in page
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert submission.state == "submitted"
    detail = client.get(reverse("submissions:detail", args=[1])).content.decode()
    assert "not yet declared" not in detail


def test_a_workshop_with_topics_and_a_host_still_asks_for_both(
    client, conference, author, upload, frozen
):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)
    data = form_data(conference, author, action="submit", pdf=upload("good"))
    del data["topics"], data["not_accepted_at_main"]

    response = client.post(reverse("submissions:new"), data)

    page = response.content.decode()
    assert "Choose at least one topic." in page
    assert "Submitting needs this declaration" in page
    assert Submission.objects.count() == 0
