"""The chairs' audit pages: who may open them, what a conflicted chair sees (nothing
about their submission), filters with clear messages, the CSV, and a constant
number of queries."""

import csv
import io
from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haet import audit
from haet.audit.chain import seal_pending
from tests.audit.conftest import HIDDEN_TITLE, PERSONAS
from tests.factories import UserFactory
from tests.reviews.conftest import LEAK_EMAIL, LEAK_NAME

pytestmark = pytest.mark.django_db

LOG = reverse("audit:log")
CSV = reverse("audit:log-csv")


def timeline(number: int) -> str:
    return reverse("audit:timeline", args=[number])


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_chairs_open_the_audit_pages(history, login, persona):
    client = login(history.user(persona))
    urls = [LOG, CSV, timeline(1), timeline(2)]

    codes = [client.get(url).status_code for url in urls]

    if persona == "anonymous":
        assert all(code == 302 for code in codes)
    elif persona == "chair":
        assert codes == [200, 200, 200, 200]
    elif persona == "conflicted_chair":
        assert codes == [200, 200, 404, 200]
    else:
        assert codes == [404, 404, 404, 404]


def test_a_missing_submission_has_no_timeline(history, login):
    assert login(history.chair).get(timeline(99)).status_code == 404


def test_the_timeline_tells_the_submissions_story(history, login):
    response = login(history.chair).get(timeline(1))

    actions = [row.entry.action for row in response.context["rows"]]
    assert actions[0] == "submission.created"
    assert {
        "author.created",
        "assignment.created",
        "review.created",
        "decision.created",
        "mail.created",
    } <= set(actions)
    assert actions.index("assignment.created") < actions.index("review.created")
    assert actions.index("review.created") < actions.index("decision.created")
    assert "decision.created" not in [
        row.entry.action
        for row in response.context["rows"]
        if row.entry.submission_id == history.other_submission.pk
    ]
    text = response.content.decode()
    assert "accept_oral" in text
    assert "Chris Chair" in text
    # People are named, not numbered: the assignment's reviewer, the decider.
    assert "Rita Assigned &lt;assigned@rev.example.net&gt;" in text
    assert "Chris Chair &lt;chair@example.org&gt;" in text


def test_a_conflicted_chair_sees_nothing_about_their_submission(history, login):
    client = login(history.conflicted_chair)

    page = client.get(LOG, {"per": 200}).content.decode()
    exported = b"".join(client.get(CSV).streaming_content).decode()

    for text in (page, exported):
        assert HIDDEN_TITLE not in text
        assert LEAK_NAME not in text
        assert LEAK_EMAIL not in text
        assert "Energy models of training on GPUs" in text  # #2 is there
    rows = client.get(LOG, {"per": 200}).context["rows"]
    assert history.submission.pk not in {r.entry.submission_id for r in rows}
    assert "A note about" not in page  # the mail linked to #1
    # Asking for it by number gets the words a missing one gets.
    filtered = client.get(LOG, {"submission": 1})
    assert "There is no submission #1 to show." in filtered.content.decode()
    missing = client.get(LOG, {"submission": 99})
    assert "There is no submission #99 to show." in missing.content.decode()


def test_the_unconflicted_chair_sees_the_mail_about_submission_1(history, login):
    page = login(history.chair).get(LOG, {"per": 200}).content.decode()

    assert f"A note about {HIDDEN_TITLE}" in page


def test_filters_narrow_the_log(history, login):
    client = login(history.chair)

    by_action = client.get(LOG, {"action": "decision.created"}).context["rows"]
    by_submission = client.get(LOG, {"submission": 2}).context["rows"]
    by_actor = client.get(LOG, {"actor": "chris"}).context["rows"]
    by_search = client.get(LOG, {"q": "review"}).context["rows"]

    assert [r.submission_number for r in by_action] == [2, 1]
    assert {r.submission_number for r in by_submission} == {2}
    assert "submission.created" in {r.entry.action for r in by_submission}
    assert by_actor
    assert {r.entry.actor_id for r in by_actor} == {history.chair.pk}
    assert by_search
    assert all(
        "review" in r.entry.action or "review" in r.entry.object_type for r in by_search
    )
    assert "review.created" in {r.entry.action for r in by_search}


def test_dates_filter_and_bad_dates_are_explained(history, login):
    client = login(history.chair)
    today = timezone.now().astimezone(UTC).date()
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)

    everything = client.get(LOG, {"per": 200}).context["rows"]
    around = client.get(LOG, {"since": yesterday, "until": tomorrow, "per": 200})
    later = client.get(LOG, {"since": tomorrow})
    earlier = client.get(LOG, {"until": yesterday})
    reversed_ = client.get(LOG, {"since": "2030-01-02", "until": "2030-01-01"})
    nonsense = client.get(LOG, {"since": "yesterday"})

    assert len(around.context["rows"]) == len(everything)
    assert later.context["rows"] == []
    assert earlier.context["rows"] == []
    assert "The end date comes before the start date." in reversed_.content.decode()
    assert "Enter a valid date." in nonsense.content.decode()
    # A bad filter keeps what was typed and shows the whole log, not a wrong part.
    assert 'value="yesterday"' in nonsense.content.decode()
    assert len(nonsense.context["rows"]) == min(len(everything), 50)


def test_the_csv_has_the_filtered_entries(history, login):
    response = login(history.chair).get(CSV, {"submission": 2})

    assert response["Content-Type"] == "text/csv"
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, rows = lines[0], lines[1:]
    assert header[:4] == ["conference_time", "wall_time", "actor", "action"]
    assert rows
    assert {row[6] for row in rows} == {"2"}
    decision = next(row for row in rows if row[3] == "decision.created")
    assert decision[2] == "chair@example.org"
    assert '"outcome": "reject"' in decision[8]


@pytest.mark.parametrize("search", ["", "created"])
def test_the_log_page_runs_a_constant_number_of_queries(history, login, chair, search):
    client = login(chair)

    def count() -> tuple[int, int]:
        client.get(LOG, {"q": search})
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LOG, {"q": search})
        assert response.status_code == 200
        return len(captured), response.context["pending_count"]

    seal_pending()  # the small log is sealed; the larger one adds pending entries
    small, none_pending = count()
    with audit.acting(chair, request_id="more"):
        for n in range(30):
            UserFactory(email=f"many{n}@example.org", name=f"Many {n}")
    large, some_pending = count()

    assert small == large
    assert none_pending == 0
    assert some_pending >= 30


def test_a_csv_with_a_bad_filter_says_so_instead_of_exporting_everything(
    history, login
):
    response = login(history.chair).get(CSV, {"since": "soon"})

    assert response.status_code == 400
    assert response.content.decode() == "Nothing exported: Enter a valid date."
