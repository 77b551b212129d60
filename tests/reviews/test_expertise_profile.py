"""Profile papers from uploaded publication lists: the page for every role, the
import, co-authors of recent years as detected conflicts with their source, and
the expertise the papers feed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haet import clock
from reviews.affinity import compute_affinity
from reviews.conflicts import ConflictIndex
from reviews.models import ConflictSource, ReviewerPublication, ReviewSettings
from tests.factories import DeclaredConflictFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

URL = "/reviews/profile/publications/"


def bibtex(year: int) -> bytes:
    return f"""
@inproceedings{{recent,
  title = {{Sparse Training on {{FPGA}}s}},
  author = {{Reviewer, Rene and M{{\\"u}}ller, Hans}},
  year = {{{year}}},
  abstract = {{We train sparse networks on reconfigurable hardware.}}
}}
@article{{old, title = {{Old Work}}, author = {{Rene Reviewer and Old Friend}},
  year = {{{year - 10}}}}}
""".encode()


DBLP = b"""<dblpperson name="Rene Reviewer"><r><article key="j/x/R" mdate="2024">
<author>Rene Reviewer</author><title>Graph Things.</title><year>2001</year>
</article></r></dblpperson>"""


def upload(client, data: bytes, kind: str = "bibtex"):
    return client.post(
        reverse("reviews:publications"),
        {"kind": kind, "file": SimpleUploadedFile("list", data)},
    )


def test_profile_publications_url():
    assert reverse("reviews:publications") == URL


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["author", "chair", "outsider"])
def test_people_who_are_not_reviewers_get_404(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 404
    assert upload(client, bibtex(2024)).status_code == 404
    assert ReviewerPublication.objects.count() == 0


def test_a_conflicted_reviewer_manages_their_publications_like_anyone(
    client, conference, author, reviewer
):
    submission = SubmissionFactory(conference=conference, number=1, contact=author)
    DeclaredConflictFactory(submission=submission, value=reviewer.email)
    client.force_login(reviewer)

    response = upload(client, bibtex(clock.now().year))
    page = client.get(URL)

    assert response.status_code == 302
    assert page.status_code == 200
    assert "Sparse Training on FPGAs" in page.content.decode()
    assert submission.title not in page.content.decode()


def test_a_reviewer_uploads_bibtex_and_sees_publications_and_recent_coauthors(
    client, reviewer
):
    client.force_login(reviewer)
    year = clock.now().year

    response = upload(client, bibtex(year))
    page = client.get(URL)

    assert response["Location"] == URL
    assert [(p.title, p.year, p.source) for p in ReviewerPublication.objects.all()] == [
        ("Sparse Training on FPGAs", year, "bibtex"),
        ("Old Work", year - 10, "bibtex"),
    ]
    assert [(c.name, c.title, c.source) for c in page.context["coauthors"]] == [
        ("Hans Müller", "Sparse Training on FPGAs", "BibTeX")
    ]
    html = page.content.decode()
    assert "Imported 2 publications (BibTeX)" in html
    assert "Old Friend" not in html  # ten years ago: not a conflict any more


def test_an_upload_replaces_the_publications_of_its_kind_only(client, reviewer):
    client.force_login(reviewer)
    upload(client, DBLP, "dblp")
    upload(client, bibtex(2024))
    upload(client, bibtex(2024))

    sources = sorted(ReviewerPublication.objects.values_list("source", flat=True))

    assert sources == ["bibtex", "bibtex", "dblp"]


def test_removing_a_kind_deletes_only_those_publications(client, reviewer):
    client.force_login(reviewer)
    upload(client, DBLP, "dblp")
    upload(client, bibtex(2024))

    client.post(URL, {"delete": "bibtex"})

    assert list(ReviewerPublication.objects.values_list("title", flat=True)) == [
        "Graph Things"
    ]


def test_an_unreadable_file_is_refused_and_nothing_changes(client, reviewer):
    client.force_login(reviewer)
    upload(client, bibtex(2024))

    response = upload(client, b"<html>not a list</html>", "dblp")

    assert response.status_code == 200
    assert "not a DBLP person page" in response.content.decode()
    assert ReviewerPublication.objects.count() == 2


def test_recent_coauthors_are_detected_conflicts_with_their_source(
    client, conference, reviewer, chair, make_reviewer
):
    year = clock.now().year
    client.force_login(reviewer)
    upload(client, bibtex(year))
    hans = make_reviewer("hans@uni.example.net", name="Hans Muller")
    friend = make_reviewer("friend@old.example.net", name="Old Friend")
    with_hans = SubmissionFactory(conference=conference, number=1, contact=hans)
    with_friend = SubmissionFactory(conference=conference, number=2, contact=friend)

    index = ConflictIndex.build([reviewer])
    client.force_login(chair)
    table = client.get(reverse("reviews:conflicts")).content.decode()

    reasons = index.reasons_for(reviewer.pk, with_hans.pk)
    assert [(r.source, r.reason) for r in reasons] == [
        (
            ConflictSource.PUBLICATION,
            f"Co-authored “Sparse Training on FPGAs” ({year}) with Hans Müller "
            "(from their BibTeX upload)",
        )
    ]
    assert not index.is_conflicted(reviewer.pk, with_friend.pk)
    assert "(from their BibTeX upload)" in table


def test_profile_publications_feed_the_expertise_score(conference, author, reviewer):
    submission = SubmissionFactory(
        conference=conference,
        number=1,
        contact=author,
        title="Sparse training on reconfigurable hardware",
    )
    settings = ReviewSettings(weight_bid=0.0, weight_topic=0.0, weight_text=1.0)
    before = compute_affinity([submission], [reviewer], review_settings=settings)
    ReviewerPublication.objects.create(
        reviewer=reviewer,
        source="bibtex",
        title="Sparse Training on FPGAs",
        abstract="We train sparse networks on reconfigurable hardware.",
    )

    after = compute_affinity([submission], [reviewer], review_settings=settings)

    assert before.text.tolist() == [[0.0]]
    assert after.text[0, 0] > 0.5


def test_the_publications_page_makes_the_same_queries_for_more_publications(
    client, reviewer
):
    client.force_login(reviewer)
    counts = []
    for year in (2020, 2024):
        upload(client, bibtex(year))  # two more papers each time (another key)
        ReviewerPublication.objects.filter(source="bibtex").update(source="orcid")
        client.get(URL)  # shows (and consumes) the upload's message
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))

    assert ReviewerPublication.objects.count() == 4
    assert counts[0] == counts[1]
