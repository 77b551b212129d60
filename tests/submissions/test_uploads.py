"""Uploads over HTTP: the size limit enforced while the file streams, the deadline
counted from when the request started (within the transfer window), and no stored
file left behind by a rolled-back request."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import DatabaseError, connection
from django.test.client import FakePayload, encode_multipart
from django.urls import reverse

from submissions.models import Submission, SubmissionSettings, SubmissionVersion
from tests.submissions.conftest import BEFORE_DEADLINE
from tests.submissions.test_views import form_data

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


# --- the size limit, while the file streams ----------------------------------------
@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("pdf", "The PDF is larger than the limit of 1 MB."),
        ("supplementary", "The supplementary file is larger than the limit of 1 MB."),
    ],
)
def test_over_size_upload_is_refused_while_it_streams(
    client, conference, author, make_submission, frozen, field, message
):
    frozen(BEFORE_DEADLINE)
    SubmissionSettings.objects.for_conference(conference)
    SubmissionSettings.objects.filter(conference=conference).update(
        max_bytes=MB, supplementary_max_bytes=MB
    )
    submission = make_submission(author, state="draft")
    before = submission.current_version
    client.force_login(author)
    size = 8 * MB
    big = FileLike(f"big.{'pdf' if field == 'pdf' else 'zip'}", size)

    response = client.post(
        reverse("submissions:edit", args=[1]),
        form_data(conference, author, title="Typed but not saved", **{field: big}),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "Typed but not saved" in page
    assert "rival.edu" in page  # a field sent after the file arrived too
    submission = Submission.objects.get()
    assert (submission.title, submission.current_version) == (
        "Sparse Training at Scale",
        before,
    )
    # The handler stopped at the limit: the rest of the file was never stored.
    request = response.wsgi_request
    refused = request.refused_uploads[field]
    assert MB < refused.received_bytes <= MB + 64 * 1024
    assert field not in request.FILES


class FileLike:
    """An upload of `size` bytes, for the test client's multipart encoder."""

    def __init__(self, name: str, size: int):
        self.name = name
        self.data = b"%PDF-1.4\n" + b"0" * (size - 9)

    def read(self):
        return self.data


# --- the deadline counts from the start of the request -----------------------------
class SlowPayload(FakePayload):
    """The network: the body takes `transfer` of (frozen) time to arrive."""

    def __init__(self, content: bytes, *, time_machine, transfer):
        super().__init__(content)
        self.time_machine = time_machine
        self.transfer = transfer

    def _read_started(self):
        if self.transfer is not None:
            self.time_machine.shift(self.transfer)  # all of it, before the bytes
            self.transfer = None

    def read(self, size=-1, /):
        self._read_started()
        return super().read(size)

    def readline(self, size=-1, /):
        self._read_started()
        return super().readline(size)


def post_slowly(client, url, data, *, time_machine, transfer):
    body = encode_multipart("BoUnDaRyStRiNg", data)
    slow = SlowPayload(body, time_machine=time_machine, transfer=transfer)
    return client.generic(
        "POST",
        url,
        body,
        content_type="multipart/form-data; boundary=BoUnDaRyStRiNg",
        **{"wsgi.input": slow},
    )


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


@pytest.mark.parametrize(
    ("started", "transfer", "accepted"),
    [
        # Started 2 minutes before the deadline, arrived 3 minutes after it.
        ("2022-05-28T10:58:00Z", 5, True),
        # Started after the deadline: refused, however fast.
        ("2022-05-28T11:00:01Z", 0, False),
        # Longer than the 10-minute window: counts as starting at 11:00:30.
        ("2022-05-28T10:58:00Z", 12.5, False),
    ],
)
def test_deadline_counts_from_when_the_upload_started(
    client,
    conference,
    author,
    make_submission,
    frozen,
    time_machine,
    upload,
    started,
    transfer,
    accepted,
):
    frozen(BEFORE_DEADLINE)
    make_submission(author, state="draft")
    client.force_login(author)
    frozen(started)

    response = post_slowly(
        client,
        reverse("submissions:edit", args=[1]),
        form_data(conference, author, pdf=upload("good_v2")),
        time_machine=time_machine,
        transfer=timedelta(minutes=transfer),
    )

    version = Submission.objects.get().current_version
    if accepted:
        assert response.status_code == 302
        assert (version.request_started_at, version.received_at) == (
            at(started),
            at(started) + timedelta(minutes=transfer),
        )
        assert version.uploaded_at == at(started)
        assert not version.is_late
    else:
        assert response.status_code == 403
        assert "The submission deadline has passed" in response.content.decode()
        assert version.original_filename == "mine.pdf"  # the one before


def test_form_states_the_transfer_window(client, conference, author, frozen):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)

    page = client.get(reverse("submissions:new")).content.decode()

    assert (
        "one that starts before the deadline is on time if it arrives within "
        "10 minutes" in page
    )


# --- files of a rolled-back request ------------------------------------------------
REFUSE_RECEIPTS = {
    "sqlite": [
        "CREATE TRIGGER refuse_receipts BEFORE INSERT ON submissions_receipt "
        "BEGIN SELECT RAISE(ABORT, 'the database refused the write'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_write() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'the database refused the write'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER refuse_receipts BEFORE INSERT ON submissions_receipt "
        "FOR EACH ROW EXECUTE FUNCTION refuse_write()",
    ],
}


def stored_files(settings) -> set[str]:
    root = settings.PRIVATE_STORAGE_ROOT
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_rolled_back_upload_leaves_no_file(
    client, conference, author, make_submission, frozen, upload, settings
):
    frozen(BEFORE_DEADLINE)
    make_submission(author)  # submitted: a new PDF writes a receipt
    before = stored_files(settings)
    with connection.cursor() as cursor:
        for statement in REFUSE_RECEIPTS[connection.vendor]:
            cursor.execute(statement)
    client.force_login(author)

    # The PDF and its reviewer copy are stored, then the receipt's insert fails.
    with pytest.raises(DatabaseError, match="the database refused the write"):
        client.post(
            reverse("submissions:edit", args=[1]),
            form_data(conference, author, pdf=upload("good_v2"), action="submit"),
        )

    assert SubmissionVersion.objects.count() == 1
    assert stored_files(settings) == before
