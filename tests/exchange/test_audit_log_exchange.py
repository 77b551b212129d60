"""Issue 18: the audit log travels in the export, and its chain survives an import."""

import pytest
from django.urls import reverse

from exchange.exporting import dumps, export_conference
from exchange.importing import ImportRefused, import_conference
from haet import audit
from haet.audit.chain import seal_pending, verify
from haet.audit.models import AuditEntry
from haet.models import Conference, Topic, User
from reviews.assigning import assign_reviewer
from submissions.models import Submission
from tests.exchange.test_round_trip import wipe_database
from tests.factories import ReviewFactory, SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

HIDDEN_TITLE = "Canary submission the chair co-authors"


@pytest.fixture
def world(conference, chair, reviewer, author):
    """Two submissions with a review each, the second co-authored by `chair`;
    every entry sealed, as after the requests commit."""
    co_chair = UserFactory(email="co@chairs.example", role="chair")
    own = SubmissionFactory(number=1, title="Frugal owls", contact=author)
    hidden = SubmissionFactory(number=2, title=HIDDEN_TITLE, authors=[chair])
    for submission in (own, hidden):
        with audit.acting(co_chair, request_id="req-assign"):
            assignment, _ = assign_reviewer(submission, reviewer, by=co_chair)
        ReviewFactory(assignment=assignment, score=2)
    seal_pending()
    return {"own": own, "hidden": hidden, "co_chair": co_chair}


def test_the_export_carries_every_sealed_entry_in_chain_order(world):
    document = export_conference()

    log = document["audit_log"]
    entries = AuditEntry.objects.order_by("seq")
    assert [row["seq"] for row in log] == list(entries.values_list("seq", flat=True))
    assert [row["hash"] for row in log] == list(entries.values_list("hash", flat=True))
    about_hidden = [row for row in log if row["submission"] == 2]
    assert about_hidden, "the full export has the entries about submission 2"
    assert {row["submission_id"] for row in about_hidden} == {world["hidden"].pk}


def test_a_conflicted_chairs_export_has_no_entry_about_their_submission(world, chair):
    full = export_conference()["audit_log"]
    document = export_conference(viewer=chair)

    log = document["audit_log"]
    assert {row["submission"] for row in log} == {None, 1}
    hidden_pk = world["hidden"].pk
    assert all(row["submission_id"] != hidden_pk for row in log)
    assert HIDDEN_TITLE not in dumps(document)
    assert len(log) < len(full)


def test_an_import_carries_the_chain_over_and_the_log_continues(world):
    document = export_conference()
    count = len(document["audit_log"])
    last_hash = document["audit_log"][-1]["hash"]
    co_chair_rows = [
        row for row in document["audit_log"] if row["actor"] == world["co_chair"].email
    ]

    wipe_database()
    summary = import_conference(document)

    assert summary.counts["audit_log"] == count
    assert AuditEntry.objects.count() == count  # the import wrote none of its own
    assert verify() == (count, None)
    # The entries point at this deployment's rows: the timeline of submission 2
    # and the actor found by email.
    hidden = Submission.objects.get(number=2)
    about = AuditEntry.objects.about_submission(hidden.pk)
    assert about.exists()
    assert all(e.submission_id == hidden.pk for e in about)
    co_chair = User.objects.get(email="co@chairs.example")
    assert AuditEntry.objects.filter(actor=co_chair).count() == len(co_chair_rows) > 0
    assert dumps(export_conference()) == dumps(document)

    Topic.objects.create(conference=Conference.objects.current(), name="Sparse")
    seal_pending()

    newest = AuditEntry.objects.order_by("-seq").first()
    assert (newest.seq, newest.prev_hash, newest.imported) == (
        count + 1,
        last_hash,
        None,
    )
    assert verify() == (count + 1, None)


def test_a_tampered_export_is_refused_at_the_entry_where_it_breaks(world):
    document = export_conference()
    document["audit_log"][2]["after"] = {"score": 3}

    wipe_database()
    with pytest.raises(ImportRefused, match="breaks at entry 3: its content"):
        import_conference(document)

    assert not User.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_removed_entry_is_refused(world):
    document = export_conference()
    del document["audit_log"][1]

    wipe_database()
    with pytest.raises(ImportRefused, match="breaks at entry 2"):
        import_conference(document)


def test_the_log_pages_show_imported_entries_with_this_deployments_people(
    client, world, chair
):
    document = export_conference()
    wipe_database()
    import_conference(document)
    co_chair = User.objects.get(email="co@chairs.example")
    chair = User.objects.get(email=chair.email)
    imported_rows = [  # its own rows, and the mails about it alone
        r
        for r in document["audit_log"]
        if r["submission"] == 2 or r["mail_submissions"] == [2]
    ]

    client.force_login(co_chair)
    timeline = client.get(reverse("audit:timeline", args=[2]))
    csv_text = b"".join(client.get(reverse("audit:log-csv")).streaming_content)

    assert len(timeline.context["rows"]) == len(imported_rows)
    assert "co@chairs.example" in timeline.content.decode()
    actors = [line.split(",")[2] for line in csv_text.decode().splitlines()[1:]]
    by_co_chair = [r for r in document["audit_log"] if r["actor"] == co_chair.email]
    assert actors.count(co_chair.email) == len(by_co_chair) > 0
    # The chair who co-authors submission 2 sees nothing about it here either.
    client.force_login(chair)
    assert client.get(reverse("audit:timeline", args=[2])).status_code == 404
    page = client.get(reverse("audit:log"))
    visible = [
        r
        for r in document["audit_log"]
        if r["submission"] != 2
        and 2 not in r["mail_submissions"]
        and len(r["mail_submissions"]) < 2
    ]
    assert page.context["listing"].page.paginator.count == len(visible)
    assert 2 not in {row.submission_number for row in page.context["rows"]}
