"""The chair's whole journey of issue 15 in Chromium: search the chairs'
submission list, tag what the search found in bulk, follow "Mail the authors of
what this search found" to the composer (the tag's search filled in), preview,
queue, and read the delivery report. The chair co-authors nothing here; a second
chair, conflicted with #2, finds it neither in the search nor in the tag."""

import re

import pytest

from campaigns.models import Campaign
from haet.outbox.models import OutboxMail
from submissions.models import Tag
from submissions.tagging import create_tag
from tests.campaigns.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chair_searches_tags_the_result_and_mails_the_tagged_authors(
    page, world, mailoutbox, artifacts
):
    create_tag(
        world.first.conference,
        name="poster",
        colour=Tag.Colour.GREY,
        visibility=Tag.Visibility.CHAIRS,
        by=world.chair,
    )
    sign_in(page, world.chair.email)

    # Search on the chairs' submission list.
    page.goto("/submissions/chair/")
    page.get_by_label("Search (words, #tag, status:, reviews:<3 …)").fill(
        "sparse OR pruning"
    )
    page.get_by_role("button", name="Search", exact=True).click()
    table = page.locator("table").first
    assert "Sparse training on FPGAs" in table.inner_text()
    assert "Energy-aware pruning" in table.inner_text()
    assert "Unfinished draft" not in table.inner_text()

    # Tag what the search found.
    page.get_by_label("Tag what this search found").select_option(label="#poster")
    page.get_by_role("button", name="Apply").click()
    assert "Tagged 2 submissions #poster" in page.locator("ul.messages").inner_text()
    assert world.first.tag_links.filter(tag__name="poster").exists()
    assert world.second.tag_links.filter(tag__name="poster").exists()

    # The tag is a search; its authors are one link away.
    page.get_by_label("Search (words, #tag, status:, reviews:<3 …)").fill("#poster")
    page.get_by_role("button", name="Search", exact=True).click()
    assert "of 2" in page.locator(".pager-range").first.inner_text()
    page.get_by_role("link", name="Mail the authors of what this search found").click()
    page.wait_for_url(re.compile(r"/chair/campaigns/new/\?"))
    assert page.get_by_label("Submissions (search)").input_value() == "#poster"
    assert page.get_by_label(
        "Authors of the matching submissions: one mail per submission"
    ).is_checked()

    page.get_by_label("Subject").fill("Poster boards for #{{ submission.number }}")
    page.get_by_label("Text").fill(
        "Dear {{ recipient.name }},\n"
        "“{{ submission.title }}” has poster board {{ submission.number }}."
    )
    page.get_by_role("button", name="Preview").click()
    count = page.locator("#preview-count")
    assert "5 mails to authors" in count.inner_text()
    assert (
        "Poster boards for #1"
        in page.locator("article.mail-preview").first.inner_text()
    )
    page.screenshot(path=str(artifacts / "journey-preview.png"), full_page=True)

    page.locator("#queue-button").click()
    page.wait_for_url(re.compile(r"/chair/campaigns/\d+/$"))
    assert page.get_by_role("heading", name="Delivery report").is_visible()
    assert page.locator("table#delivery tbody tr").count() == 5
    assert "Sent (5)" in page.locator("nav.tabs").inner_text()
    page.screenshot(path=str(artifacts / "journey-report.png"), full_page=True)

    campaign = Campaign.objects.get()
    assert campaign.search == "#poster"
    assert OutboxMail.objects.filter(template="campaign").count() == 5
    assert sorted(m.to[0] for m in mailoutbox if "Poster boards" in m.subject) == [
        "ada@uni-a.example",
        "cochair@example.org",
        "cora@uni-b.example",
        "olga@elsewhere.example",
        "zoltan@distinct-lab.example",
    ]


def test_a_conflicted_chair_neither_finds_nor_tags_nor_mails_their_submission(
    page, world, artifacts
):
    create_tag(
        world.first.conference,
        name="poster",
        colour=Tag.Colour.GREY,
        visibility=Tag.Visibility.CHAIRS,
        by=world.conflicted_chair,
    )
    sign_in(page, world.conflicted_chair.email)

    page.goto("/submissions/chair/?q=sparse+OR+pruning")
    assert "Energy-aware pruning" not in page.content()
    page.get_by_label("Tag what this search found").select_option(label="#poster")
    page.get_by_role("button", name="Apply").click()
    assert "Tagged 1 submission #poster" in page.locator("ul.messages").inner_text()
    assert not world.second.tag_links.exists()

    page.goto("/submissions/chair/?q=%23poster")
    page.get_by_role("link", name="Mail the authors of what this search found").click()
    page.get_by_label("Subject").fill("Poster for #{{ submission.number }}")
    page.get_by_label("Text").fill("Dear {{ recipient.name }}, see you there.")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("main").inner_text()
    assert "Energy-aware pruning" not in preview
    assert "olga@elsewhere.example" not in preview
    assert "3 mails to authors" in page.locator("#preview-count").inner_text()
