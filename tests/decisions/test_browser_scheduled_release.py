"""Issue 19 in a real browser: a chair previews the release and schedules it for
the notification day (the form's default, 13 June 2022, 5:00 pm UTC-11), the
dashboard counts down; at that time the beat's task releases it once (run twice),
and the dashboard says it happened."""

import re

import pytest
from django.core import mail

from decisions.deciding import decide
from decisions.models import Decision, Outcome
from decisions.tasks import release_due_decisions
from tests.conftest import PASSWORD
from tests.decisions.test_browser import log_in
from tests.factories import SubmissionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_scheduled_release_fires_once_at_its_time(
    page, conference, chair, author, settings, artifacts
):
    settings.HAET_NOW = "2022-06-12T12:00:00-11:00"  # the day before notification
    other = UserFactory(email="olga@elsewhere.example", name="Olga Other")
    for number, contact, outcome in (
        (1, author, Outcome.ACCEPT_ORAL),
        (2, other, Outcome.REJECT),
    ):
        submission = SubmissionFactory(
            conference=conference,
            number=number,
            contact=contact,
            title=f"Part {number}",
        )
        decide(submission, outcome, by=chair)

    log_in(page, chair.email, PASSWORD)
    page.goto("/decisions/release/")
    assert page.get_by_label("Day").input_value() == "2022-06-13"
    assert page.get_by_label("Time").input_value() == "17:00"
    page.get_by_role("button", name="Schedule the release").click()
    page.wait_for_url(re.compile(r"/decisions/$"))
    countdown = page.locator("#scheduled-release").inner_text()
    assert "13 June 2022, 5:00 pm UTC-11 (14 June 2022 04:00 UTC)" in countdown
    assert "2 decisions" in countdown
    page.screenshot(path=artifacts / "decisions-scheduled.png", full_page=True)

    # The beat, every minute: before the time nothing; after it, once.
    release_due_decisions()
    assert not Decision.objects.released().exists()
    settings.HAET_NOW = "2022-06-14T04:00:30Z"
    release_due_decisions()
    release_due_decisions()

    assert Decision.objects.released().count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [author.email, other.email]
    page.goto("/decisions/")
    assert (
        "happened: 2 decisions released"
        in page.locator("#scheduled-release").inner_text()
    )
