"""Access matrix of every reviews page, leaks, query counts, chair actions."""

from html import unescape

import pytest
from django.urls import reverse

from reviews.models import (
    Assignment,
    AssignmentRun,
    Bid,
    ConflictSource,
    Invitation,
    ReviewerProfile,
)
from reviews.pool import invite_reviewer
from reviews.views.bidding import bid_key
from tests.factories import SubmissionFactory
from tests.jobs.helpers import summary_of
from tests.reviews.conftest import LEAK_AFFILIATION, LEAK_EMAIL, LEAK_NAME, PERSONAS

pytestmark = pytest.mark.django_db

REVIEWER_PAGES = ["reviews:dashboard", "reviews:profile", "reviews:bidding"]
CHAIR_PAGES = [
    "reviews:chair",
    "reviews:invitations",
    "reviews:conflicts",
    "reviews:assignments",
    "reviews:runs",
    "reviews:affinity-upload",
    "reviews:settings",
]
REVIEWERS = {"reviewer", "unassigned_reviewer", "conflicted_reviewer"}
CHAIRS = {"chair", "conflicted_chair"}


def expected(persona: str, allowed: set[str]) -> int:
    if persona == "anonymous":
        return 302
    return 200 if persona in allowed else 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", REVIEWER_PAGES)
def test_reviewer_pages_access(world, login, persona, name, during_bidding):
    response = login(world.user(persona)).get(reverse(name))

    assert response.status_code == expected(persona, REVIEWERS)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", CHAIR_PAGES)
def test_chair_pages_access(world, login, persona, name):
    response = login(world.user(persona)).get(reverse(name))

    assert response.status_code == expected(persona, CHAIRS)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_run_detail_access(world, login, persona):
    run = AssignmentRun.objects.create(created_by=world.chair)

    response = login(world.user(persona)).get(reverse("reviews:run", args=[run.pk]))

    assert response.status_code == expected(persona, CHAIRS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_bid_access(world, login, persona, during_bidding):
    allowed = {"reviewer", "unassigned_reviewer"}  # the conflicted one gets a 404

    user = world.user(persona)
    key = bid_key(user, world.submission.pk) if user else "any"
    response = login(user).post(reverse("reviews:bid", args=[key]), {"value": "eager"})

    assert response.status_code == (
        302 if persona in allowed or persona == "anonymous" else 404
    )
    if persona in allowed:
        assert Bid.objects.get(reviewer=world.user(persona)).value == "eager"
    else:
        assert not Bid.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_invitation_page_is_open_to_whoever_holds_the_link(world, login, persona):
    invitation = Invitation.objects.create(email="new@uni.example.org")

    ok = login(world.user(persona)).get(
        reverse("reviews:invitation", args=[invitation.token])
    )
    missing = login(world.user(persona)).get(
        reverse("reviews:invitation", args=["not-a-token"])
    )

    assert (ok.status_code, missing.status_code) == (200, 404)


# --- what each page shows -------------------------------------------------------------
def test_bidding_lists_non_conflicted_submissions_without_authors(
    world, login, during_bidding
):
    response = login(world.unassigned_reviewer).get(reverse("reviews:bidding"))

    html = response.content.decode()
    assert [i.number for i in response.context["items"]] == [1, 2]
    for secret in (LEAK_NAME, LEAK_EMAIL, LEAK_AFFILIATION, world.author.name):
        assert secret not in html
    assert world.author.email not in html.replace(world.unassigned_reviewer.email, "")
    assert "You have bid on <strong>0</strong> of 2 submissions" in html


def test_conflicted_reviewer_does_not_see_the_submission_in_bidding(
    world, login, during_bidding
):
    response = login(world.conflicted_reviewer).get(reverse("reviews:bidding"))

    assert [i.number for i in response.context["items"]] == [2]
    assert "Sparse training of transformers" not in response.content.decode()


def test_bidding_filters_by_topic_and_search(world, login, during_bidding):
    client = login(world.unassigned_reviewer)
    topic = world.submission.topics.get()

    by_topic = client.get(reverse("reviews:bidding"), {"topic": topic.pk})
    by_search = client.get(reverse("reviews:bidding"), {"q": "energy GPUs"})

    assert [i.number for i in by_topic.context["items"]] == [1]
    assert [i.number for i in by_search.context["items"]] == [2]


def test_bid_conflict_hides_nothing_but_declares(world, login, during_bidding):
    client = login(world.unassigned_reviewer)

    key = bid_key(world.unassigned_reviewer, world.other_submission.pk)
    client.post(reverse("reviews:bid", args=[key]), {"value": "conflict"})
    response = client.get(reverse("reviews:bidding"))

    items = {i.number: i for i in response.context["items"]}
    assert items[2].is_own_conflict
    assert items[2].bid == "conflict"
    assert response.context["bid_count"] == 1


def test_bidding_closed_refuses_bids(world, login, frozen):
    frozen("2022-06-05T12:00:00Z")
    client = login(world.unassigned_reviewer)

    page = client.get(reverse("reviews:bidding"))
    key = bid_key(world.unassigned_reviewer, world.other_submission.pk)
    bid = client.post(reverse("reviews:bid", args=[key]), {"value": "eager"})

    assert "Bidding is closed" in page.content.decode()
    assert bid.status_code == 404


@pytest.mark.parametrize("count", [1, 10])
def test_bidding_query_count_does_not_grow(
    conference,
    author,
    make_reviewer,
    client,
    django_assert_num_queries,
    count,
    during_bidding,
    topics,
):
    reviewer = make_reviewer("q@far.example.net")
    for number in range(1, count + 1):
        submission = SubmissionFactory(
            conference=conference, number=number, contact=author, topics=topics[:2]
        )
        Bid.objects.create(
            reviewer=reviewer,
            submission=submission,
            value="willing",
            updated_at="2022-05-30T00:00:00Z",
        )
    client.force_login(reviewer)
    client.get(reverse("reviews:bidding"))  # warm the session and settings rows

    # The same for 1 and 10 submissions. 21 = 18 for the page and its navigation,
    # + 1 since the navigation asks the entries apps register in haet.nav (the
    # jury's: one EXISTS query per request, tests/awards/test_nav.py), + 1 for the
    # reviewer's recent publications (co-author conflicts, reviews.conflicts), + 1
    # for the delegate's links (tests/haet/test_delegate_menu.py).
    with django_assert_num_queries(21):
        response = client.get(reverse("reviews:bidding"))

    assert len(response.context["items"]) == count


def test_dashboard_lists_assignments_without_authors(world, login):
    response = login(world.reviewer).get(reverse("reviews:dashboard"))

    html = response.content.decode()
    assert [
        (a.number, a.pseudonym, a.status) for a in response.context["assignments"]
    ] == [(1, "Reviewer 1", "not started")]
    assert LEAK_NAME not in html
    assert LEAK_EMAIL not in html
    assert reverse("reviews:bidding") in html


def test_profile_saves(world, login, topics):
    response = login(world.unassigned_reviewer).post(
        reverse("reviews:profile"),
        {
            "topics": [topics[0].pk, topics[2].pk],
            "keywords": "sparsity, FPGA",
            "own_publications": "Sparse training on FPGAs.",
            "institution_domains": "Old-Lab.example.org, @new.example.net",
            "max_assignments": "4",
        },
    )

    assert response.status_code == 302
    profile = ReviewerProfile.objects.get(user=world.unassigned_reviewer)
    assert profile.domains == {"old-lab.example.org", "new.example.net"}
    assert (profile.max_assignments, profile.topics.count()) == (4, 2)


# --- conflicted chairs see nothing of the submission ---------------------------------
@pytest.mark.parametrize(
    "name", ["reviews:conflicts", "reviews:assignments", "reviews:chair"]
)
def test_conflicted_chair_pages_hide_the_submission(world, login, name):
    mine = login(world.conflicted_chair).get(reverse(name)).content.decode()
    theirs = login(world.chair).get(reverse(name)).content.decode()

    if name != "reviews:chair":
        assert world.submission.title in theirs
    assert world.submission.title not in mine
    assert LEAK_NAME not in mine


def test_conflicts_page_lists_reasons_and_waives(world, login):
    client = login(world.chair)

    page = client.get(reverse("reviews:conflicts")).content.decode()
    client.post(
        reverse("reviews:conflicts"),
        {
            "action": "waive",
            "submission": 1,
            "user": world.conflicted_reviewer.pk,
            "source": ConflictSource.DOMAIN,
            "reason": "Different campus",
        },
    )

    assert "Same institution domain: quixotic-institute.example" in page
    assert not world.conflicted_reviewer.has_perm(
        "reviews.chair_view_submission", world.submission
    )
    from reviews.conflicts import is_conflicted

    assert not is_conflicted(world.conflicted_reviewer, world.submission)


def test_chair_adds_conflict_by_hand(world, login):
    login(world.chair).post(
        reverse("reviews:conflicts"),
        {
            "action": "add",
            "submission": 2,
            "user": world.unassigned_reviewer.email,
            "reason": "Former student",
        },
    )

    from reviews.conflicts import conflict_reasons

    [reason] = conflict_reasons(world.unassigned_reviewer, world.other_submission)
    assert (reason.source, reason.reason) == ("chair_added", "Former student")


def test_manual_assignment_of_a_conflicted_reviewer_is_refused_with_reason(
    world, login
):
    response = login(world.chair).post(
        reverse("reviews:assignments"),
        {"submission": 1, "reviewer": world.conflicted_reviewer.email},
    )

    assert response.status_code == 200
    assert "Same institution domain" in response.content.decode()
    assert not Assignment.objects.filter(reviewer=world.conflicted_reviewer).exists()


def test_manual_assignment_and_removal(world, login, mailoutbox):
    client = login(world.chair)

    client.post(
        reverse("reviews:assignments"),
        {"submission": 2, "reviewer": world.unassigned_reviewer.email},
    )
    assignment = Assignment.objects.get(reviewer=world.unassigned_reviewer)
    client.post(
        reverse("reviews:assignments"),
        {"action": "remove", "assignment": assignment.pk},
    )

    assert assignment.pseudonym_index == 1
    assert not Assignment.objects.filter(reviewer=world.unassigned_reviewer).exists()


def test_an_assignment_with_a_started_review_is_not_removed(world, login):
    from reviews.models import Review

    Review.objects.create(assignment=world.assignment)

    login(world.chair).post(
        reverse("reviews:assignments"),
        {"action": "remove", "assignment": world.assignment.pk},
    )

    assert Assignment.objects.filter(pk=world.assignment.pk).exists()


def test_invite_one_and_a_pasted_list(
    world, login, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.chair).post(
            reverse("reviews:invitations"),
            {
                "email": "solo@uni.example.org",
                "pasted": "Jane Doe <jane@lab.example.org>\nbob@x.example.com, Bob\n"
                "nonsense line\nsolo@uni.example.org",
            },
        )

    # A pasted list is a background job (issue 14, item 10): its page says it all.
    assert summary_of(response) == [
        "Invited 3.",
        "Already invited: solo@uni.example.org.",
        "No address found in: nonsense line",
    ]

    assert sorted(Invitation.objects.values_list("email", "name")) == [
        ("bob@x.example.com", "Bob"),
        ("jane@lab.example.org", "Jane Doe"),
        ("solo@uni.example.org", ""),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == [
        "bob@x.example.com",
        "jane@lab.example.org",
        "solo@uni.example.org",
    ]
    page = login(world.chair).get(reverse("reviews:invitations"), {"status": "invited"})
    assert len(page.context["invitations"]) == 3


def test_accept_invitation_needs_login_then_grants_the_role(world, client, outsider):
    invitation, _ = invite_reviewer("outsider@example.org", by=world.chair)
    url = reverse("reviews:invitation", args=[invitation.token])

    anonymous = client.post(url, {"action": "accept"})
    client.force_login(outsider)
    accepted = client.post(url, {"action": "accept"})

    assert anonymous["Location"].startswith(reverse("account_login"))
    assert accepted["Location"] == reverse("reviews:profile")
    invitation.refresh_from_db()
    assert (invitation.status, invitation.user) == ("accepted", outsider)
    assert outsider.has_perm("haet.review")


def test_decline_invitation_without_account(world, client):
    invitation, _ = invite_reviewer("busy@uni.example.org", by=world.chair)

    client.post(
        reverse("reviews:invitation", args=[invitation.token]),
        {"action": "decline", "reason": "Too busy"},
    )

    invitation.refresh_from_db()
    assert (invitation.status, invitation.decline_reason) == ("declined", "Too busy")


def test_affinity_upload_rejects_bad_rows_and_stores_good_ones(world, login):
    from reviews.models import AffinityScore

    client = login(world.chair)
    bad = client.post(
        reverse("reviews:affinity-upload"),
        {"text": "submission,reviewer,score\n1,nobody@x.org,0.5\n"},
    )
    good = client.post(
        reverse("reviews:affinity-upload"),
        {"text": f"1,{world.reviewer.email},0.9\n2,{world.reviewer.email},0.1\n"},
    )

    assert "no account nobody@x.org" in bad.content.decode()
    assert good.status_code == 302
    assert sorted(AffinityScore.objects.values_list("score", flat=True)) == [0.1, 0.9]


@pytest.mark.parametrize(
    ("topic_count", "words"), [(1, "1 topic, "), (2, "2 topics, ")]
)
def test_dashboard_counts_in_words(
    world, login, topics, during_bidding, topic_count, words
):
    from reviews.bidding import place_bid
    from reviews.pool import save_profile

    save_profile(
        world.unassigned_reviewer,
        topics=topics[:topic_count],
        keywords="",
        own_publications="",
        institution_domains="",
        max_assignments=1,
    )
    place_bid(world.submission, world.unassigned_reviewer, value="eager")

    html = login(world.unassigned_reviewer).get(reverse("reviews:dashboard")).text

    text = " ".join(html.split())
    assert f"{words}at most 1 submission." in text
    assert "You have bid on <strong>1</strong> submission." in text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # Excel's "CSV" in continental Europe: semicolons, decimal commas,
        # Windows-1252 (the header's "Gutachter·in" is not UTF-8).
        ("Beitrag;Gutachter·in;Wert\r\n1;{email};0,9\r\n2;{email};0,1\r\n", "cp1252"),
        # Rows pasted from a spreadsheet into the text box arrive tab-separated.
        ("1\t{email}\t0.9\n2\t{email}\t0.1\n", "utf-8"),
        ("\ufeffsubmission,reviewer,score\n1,{email},0.9\n2,{email},0.1\n", "utf-8"),
        # Excel for Mac's "CSV (Macintosh)": a lone CR ends each line.
        ("submission,reviewer,score\r1,{email},0.9\r2,{email},0.1\r", "mac-roman"),
    ],
    ids=["semicolons-cp1252", "tabs", "utf-8-bom", "mac-cr"],
)
def test_affinity_upload_reads_spreadsheets_as_they_are_saved(
    world, login, content, expected
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reviews.models import AffinityScore

    client = login(world.chair)
    data = content.format(email=world.reviewer.email).encode(expected)

    response = client.post(
        reverse("reviews:affinity-upload"),
        {"file": SimpleUploadedFile("scores.csv", data, content_type="text/csv")},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(AffinityScore.objects.values_list("score", flat=True)) == [0.1, 0.9]


def test_a_cell_too_large_to_read_is_an_error_not_a_crash(world, login):
    client = login(world.chair)

    response = client.post(
        reverse("reviews:affinity-upload"),
        {"text": f"1,{world.reviewer.email},{'9' * 200_000}\n"},
    )

    assert response.status_code == 200
    assert "The file cannot be read as CSV" in response.content.decode()


def test_a_comma_in_a_score_of_a_comma_file_is_still_an_error(world, login):
    client = login(world.chair)

    response = client.post(
        reverse("reviews:affinity-upload"),
        {"text": f'1,{world.reviewer.email},"0,9"\n'},
    )

    assert "'0,9' is not a number" in unescape(response.content.decode())


def test_one_uploaded_score_is_one_score(world, login):
    client = login(world.chair)

    response = client.post(
        reverse("reviews:affinity-upload"),
        {"text": f"1,{world.reviewer.email},0.9\n"},
        follow=True,
    )

    assert "1 affinity score uploaded." in response.content.decode()
