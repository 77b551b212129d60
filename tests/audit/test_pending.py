"""Entries written but not yet sealed in the chain (pending: no place in it, no
hash) are marked on the chairs' audit pages, and each page says how many there
are. In a test nothing commits, so every entry is pending until `seal_pending`."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haet import audit
from haet.audit.chain import seal_pending
from haet.audit.models import AuditEntry
from submissions.models import Submission

pytestmark = pytest.mark.django_db

LOG = reverse("audit:log")
BADGE = "pending: not yet sealed in the chain"
LATE = "late-change"  # the request id of the entries left pending


def timeline(number: int) -> str:
    return reverse("audit:timeline", args=[number])


def change_title(submission: Submission, title: str, *, by) -> None:
    with audit.acting(by, request_id=LATE):
        row = Submission.objects.get(pk=submission.pk)
        row.title = title
        row.save()


def table_rows(response) -> list[str]:
    body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    return body.split("<tr>")[1:]


def header(count: int) -> str:
    return "1 entry is pending" if count == 1 else f"{count} entries are pending"


def test_the_log_marks_a_pending_entry_and_not_a_sealed_one(history, login):
    seal_pending()
    change_title(history.other_submission, "Rewritten", by=history.chair)
    pending_count = AuditEntry.objects.filter(seq__isnull=True).count()

    response = login(history.chair).get(LOG, {"per": 200})

    rows = table_rows(response)
    late = [row for row in rows if LATE in row]
    sealed = [row for row in rows if LATE not in row]
    assert len(late) == pending_count >= 1
    assert sealed
    assert [BADGE in row for row in late] == [True] * len(late)
    assert [BADGE in row for row in sealed] == [False] * len(sealed)
    assert [r.entry.is_pending for r in response.context["rows"]] == [
        r.entry.request_id == LATE for r in response.context["rows"]
    ]
    assert response.context["pending_count"] == pending_count
    assert header(pending_count) in response.content.decode()


def test_a_sealed_log_says_nothing_about_pending_entries(history, login):
    seal_pending()

    response = login(history.chair).get(LOG, {"per": 200})

    text = response.content.decode()
    assert response.context["rows"]
    assert response.context["pending_count"] == 0
    assert BADGE not in text
    assert "pending" not in text


def test_the_count_covers_the_whole_log_not_only_the_filtered_page(history, login):
    pending_count = AuditEntry.objects.filter(seq__isnull=True).count()

    response = login(history.chair).get(LOG, {"action": "decision.created"})

    assert len(response.context["rows"]) == 2
    assert response.context["pending_count"] == pending_count > 2
    assert header(pending_count) in response.content.decode()


def test_a_conflicted_chair_does_not_count_entries_they_cannot_see(history, login):
    seal_pending()
    change_title(history.submission, "Rewritten", by=history.chair)  # #1: hidden
    pending_count = AuditEntry.objects.filter(seq__isnull=True).count()

    conflicted = login(history.conflicted_chair).get(LOG, {"per": 200})
    chair = login(history.chair).get(LOG, {"per": 200})

    assert conflicted.context["pending_count"] == 0
    assert BADGE not in conflicted.content.decode()
    assert "pending" not in conflicted.content.decode()
    assert chair.context["pending_count"] == pending_count >= 1
    assert header(pending_count) in chair.content.decode()


def test_the_timeline_marks_and_counts_its_pending_entries(history, login):
    seal_pending()
    change_title(history.other_submission, "Rewritten", by=history.chair)
    pending_count = AuditEntry.objects.filter(seq__isnull=True).count()
    client = login(history.chair)

    changed = client.get(timeline(2))
    untouched = client.get(timeline(1))

    rows = table_rows(changed)
    late = [row for row in rows if LATE in row]
    assert len(late) == pending_count >= 1
    assert [BADGE in row for row in rows] == [LATE in row for row in rows]
    assert changed.context["pending_count"] == pending_count
    assert header(pending_count) in changed.content.decode()
    assert untouched.context["pending_count"] == 0
    assert BADGE not in untouched.content.decode()
    # The count comes with the page's size: the pager still counts every entry.
    assert changed.context["listing"].page.paginator.count == len(rows)


def test_the_timeline_runs_a_constant_number_of_queries(history, login):
    client = login(history.chair)

    def count() -> tuple[int, int]:
        client.get(timeline(2))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(timeline(2))
        assert response.status_code == 200
        return len(captured), response.context["pending_count"]

    seal_pending()
    small, none_pending = count()
    for n in range(10):
        change_title(history.other_submission, f"Title {n}", by=history.chair)
    large, some_pending = count()

    assert small == large
    assert none_pending == 0
    assert some_pending >= 10
