"""A chair's campaign in Chromium: search the submissions, write the mail with
placeholders, see a refused placeholder named, preview page by page, queue (a
double click queues once), then read the delivery report."""

import re

import pytest

from campaigns.models import Campaign
from haet.outbox.models import OutboxMail
from tests.browser_nav import nav_click
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/$"))


def test_chair_searches_composes_previews_sends_and_reads_the_report(
    page, world, mailoutbox, artifacts
):
    sign_in(page, world.chair.email)
    nav_click(page, "Mail")
    page.wait_for_url(re.compile("/chair/campaigns/$"))
    page.get_by_role("link", name="Write to a group").click()

    page.get_by_label(
        "Authors of the matching submissions: one mail per submission"
    ).check()
    page.get_by_label("Submissions (search)").fill("sparse OR pruning")
    page.get_by_label("Subject").fill(
        "[{{ conference }}] Poster for #{{ submission.number }}"
    )
    page.get_by_label("Text").fill(
        "Dear {{ recipient.name }},\n"
        "please bring the poster of “{{ submission.title }}” ({{ submission.colour }})."
    )
    page.get_by_role("button", name="Preview").click()

    # Refused with its name; nothing typed is lost.
    assert "Unknown placeholder {{ submission.colour }}." in page.content()
    assert "{{ submission.colour }}" in page.get_by_label("Text").input_value()
    page.get_by_label("Text").fill(
        "Dear {{ recipient.name }},\n"
        "please bring the poster of “{{ submission.title }}” by {{ review_deadline }}."
    )
    page.get_by_role("button", name="Preview").click()

    count = page.locator("#preview-count")
    assert "5 mails to authors" in count.inner_text()
    assert "about 2 submissions" in count.inner_text()
    assert "Mails 1 to 3 of 5" in page.locator("#preview-position").inner_text()
    first = page.locator("article.mail-preview").first
    assert "[HAET 2022] Poster for #1" in first.inner_text()
    assert "Dear Ada Author," in first.inner_text()
    page.get_by_role("button", name="Next mails →").click()
    assert "Mails 4 to 5 of 5" in page.locator("#preview-position").inner_text()
    assert (
        "Energy-aware pruning"
        in page.locator("article.mail-preview").first.inner_text()
    )
    page.screenshot(path=str(artifacts / "campaign-preview.png"), full_page=True)

    page.locator("#queue-button").dblclick()
    page.wait_for_url(re.compile(r"/chair/campaigns/\d+/$"))

    campaign = Campaign.objects.get()
    assert campaign.mails.count() == 5
    assert OutboxMail.objects.filter(template="campaign").count() == 5
    assert page.get_by_role("heading", name="Delivery report").is_visible()
    rows = page.locator("table#delivery tbody tr")
    assert rows.count() == 5
    assert "Sent (5)" in page.locator("nav.tabs").inner_text()
    assert "olga@elsewhere.example" in page.locator("table#delivery").inner_text()
    page.screenshot(path=str(artifacts / "campaign-report.png"), full_page=True)
    poster_mails = [m for m in mailoutbox if "Poster for" in m.subject]
    assert sorted(m.to[0] for m in poster_mails) == sorted(
        [
            "ada@uni-a.example",
            "cora@uni-b.example",
            "zoltan@distinct-lab.example",
            "olga@elsewhere.example",
            "cochair@example.org",
        ]
    )

    # The campaign list shows it with its delivery.
    page.get_by_role("link", name="← Mail campaigns").click()
    row = page.locator("tbody tr").first
    assert "Sent: 5" in row.inner_text()
