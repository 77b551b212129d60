"""Issue 14, item 10 in a real browser: inviting a pasted list of reviewers and
reminding the authors of missing camera-ready versions run as background jobs;
the chair lands on the job's page, which says what the action did and leads back.
(Bulk decisions and their undo: tests/decisions/test_browser_bulk_and_release.py.)"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from decisions.deciding import decide
from decisions.models import Outcome
from decisions.release import preview_release, release_decisions
from reviews.models import Invitation
from tests.conftest import PASSWORD
from tests.decisions.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chair_invites_a_pasted_list_through_the_job_page(page, chair):
    log_in(page, chair.email, PASSWORD)
    page.goto(reverse("reviews:invitations"))
    page.get_by_label("Or paste a list").fill(
        "Jane Doe <jane@lab.example.org>\nbob@x.example.com, Bob\nnonsense line"
    )
    page.get_by_role("button", name="Send invitations").click()

    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    assert page.locator("h1").inner_text() == "Inviting reviewers: Done"
    summary = page.locator("#job-summary").inner_text()
    assert "Invited 2." in summary
    assert "No address found in: nonsense line" in summary
    page.get_by_role("link", name="See the invitations").click()
    page.wait_for_url(re.compile("/reviews/chair/invitations/"))
    assert "jane@lab.example.org" in page.locator("main").inner_text()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "bob@x.example.com",
        "jane@lab.example.org",
    ]
    assert Invitation.objects.count() == 2


def test_chair_reminds_missing_camera_ready_through_the_job_page(
    page, settings, world, chair
):
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    _, tokens, _ = preview_release(world.conference, by=chair)
    release_decisions(world.conference, tokens=tokens, by=chair, notify=False)
    settings.HAET_NOW = "2022-06-20T12:00:00Z"
    log_in(page, chair.email, PASSWORD)

    page.goto(reverse("decisions:camera-ready-progress"))
    page.get_by_role("button", name="Remind the authors of the 1 missing").click()

    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    title = "Reminding authors of missing camera-ready versions: Done"
    assert page.locator("h1").inner_text() == title
    assert page.locator("#job-summary").inner_text() == "3 reminder mails queued."
    page.get_by_role("link", name="Back to the camera-ready progress").click()
    page.wait_for_url(re.compile("/camera-ready/"))
    assert len([m for m in mail.outbox if "camera-ready" in m.subject]) == 3
