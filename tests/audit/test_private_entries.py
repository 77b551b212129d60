"""A chair's private tag, where it was put, and a private saved search: in the audit
log (page, CSV, a submission's timeline, the conference export) only their owner
reads those entries; another chair sees neither the name nor the query."""

import pytest
from django.urls import reverse

from exchange.exporting import dumps, export_conference
from exchange.importing import import_conference
from haet import audit
from haet.audit.chain import seal_pending, verify
from haet.audit.models import AuditEntry
from haet.models import User
from submissions.models import Tag
from submissions.tagging import (
    create_tag,
    save_search,
    tag_submissions,
    untag_submissions,
    update_tag,
)
from tests.exchange.test_round_trip import wipe_database
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET_TAG = "doubtful-authors"
SECRET_QUERY = "decision:oral AND reviews:<4"
SECRET_SEARCH = "orals I want to drop"
SHARED_TAG = "needs-fourth-review"


@pytest.fixture
def other_chair(db):
    return UserFactory(email="co-chair@example.org", name="Cora Cochair", role="chair")


@pytest.fixture
def private_things(history, chair):
    """`chair` keeps a private tag on #2, a private saved search, and a shared tag."""
    with audit.acting(chair, request_id="tagging"):
        secret = create_tag(
            history.conference,
            name=SECRET_TAG,
            colour="red",
            visibility=Tag.Visibility.PRIVATE,
            by=chair,
        )
        tag_submissions(secret, [history.other_submission], by=chair)
        save_search(
            history.conference,
            name=SECRET_SEARCH,
            query=SECRET_QUERY,
            shared=False,
            auto_tag=None,
            by=chair,
        )
        shared = create_tag(
            history.conference,
            name=SHARED_TAG,
            colour="blue",
            visibility=Tag.Visibility.CHAIRS,
            by=chair,
        )
        tag_submissions(shared, [history.other_submission], by=chair)
    seal_pending()  # as after the requests commit: the export has sealed entries
    return secret


def pages(client, number: int) -> str:
    urls = [
        reverse("audit:log"),
        reverse("audit:log-csv"),
        reverse("audit:timeline", args=[number]),
    ]
    bodies = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:  # the CSV
            bodies.append(b"".join(response.streaming_content).decode())
        else:
            bodies.append(response.content.decode())
    return "\n".join(bodies)


def test_another_chair_reads_nothing_of_a_private_tag_or_search(
    private_things,
    history,
    other_chair,
    login,
):
    seen = pages(login(other_chair), history.other_submission.number)

    assert SHARED_TAG in seen  # the log works, and shows the shared tag
    assert SECRET_TAG not in seen
    assert SECRET_SEARCH not in seen
    assert SECRET_QUERY not in seen
    assert "submission_tag.created" in seen  # the shared tag's link only


def test_the_owner_reads_their_own_private_entries(
    private_things,
    history,
    chair,
    login,
):
    seen = pages(login(chair), history.other_submission.number)

    assert SECRET_TAG in seen
    assert SECRET_SEARCH in seen


def test_private_entries_follow_the_object_when_it_changes(
    private_things,
    history,
    chair,
    other_chair,
):
    """Entries written while the tag was private stay private; once shared, what
    happens to it is every chair's; untagging a private tag is private too."""
    with audit.acting(chair, request_id="more"):
        untag_submissions(private_things, [history.other_submission], by=chair)
        update_tag(private_things, colour="red", visibility="chairs", by=chair)
    entries = AuditEntry.objects.filter(object_type="submissions.submissiontag")
    removed = entries.get(action="submission_tag.deleted")
    assert removed.private_to == chair.pk
    shared_now = AuditEntry.objects.filter(
        object_type="submissions.tag", object_id=private_things.pk
    ).latest("pk")
    assert shared_now.private_to is None
    assert shared_now.after == {"visibility": "chairs"}
    created = AuditEntry.objects.get(
        object_type="submissions.tag", object_id=private_things.pk, action="tag.created"
    )
    assert created.private_to == chair.pk


def test_a_chairs_export_leaves_out_another_chairs_private_entries(
    private_things,
    chair,
    other_chair,
):
    theirs = export_conference(viewer=other_chair)["audit_log"]
    mine = export_conference(viewer=chair)["audit_log"]
    everything = export_conference()["audit_log"]

    def private(rows):
        return [row for row in rows if row["private_to"] is not None]

    assert private(theirs) == []
    assert SECRET_TAG not in str(theirs)
    assert len(private(mine)) == len(private(everything)) == 3
    assert {row["private_to"] for row in private(everything)} == {chair.email}
    assert len(everything) == len(theirs) + 3


def test_the_owner_survives_an_export_and_import(private_things, chair):
    document = export_conference()
    private = [row for row in document["audit_log"] if row["private_to"]]
    wipe_database()

    import_conference(document)

    owner = User.objects.get(email=chair.email)
    entries = AuditEntry.objects.filter(private_to__isnull=False)
    assert entries.count() == len(private) == 3
    assert set(entries.values_list("private_to", flat=True)) == {owner.pk}
    assert verify()[1] is None  # the chain still verifies
    assert dumps(export_conference()) == dumps(document)
