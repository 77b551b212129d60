"""The campaign pages for each persona; the composer's preview, queueing and
mistakes; the delivery report as a conflicted chair sees it; the list's queries."""

import re
import uuid

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.composing import Draft, prepare
from campaigns.models import Campaign
from campaigns.sending import queue_campaign
from haet.outbox.models import MailPreference, OutboxMail
from haet.outbox.preferences import CAMPAIGNS

pytestmark = pytest.mark.django_db

FORM = {
    "recipients": "authors",
    "q": "status:submitted",
    "subject": "[{{ conference }}] Poster for #{{ submission.number }}",
    "body": "Dear {{ recipient.name }},\nyour poster for “{{ submission.title }}”.",
}


def compose(client, **changes):
    data = {"token": str(uuid.uuid4()), **FORM, "action": "preview", **changes}
    return client.post(reverse("campaigns:new"), data)


def fingerprint_of(response) -> str:
    found = re.search(r'name="fingerprint" value="([0-9a-f]+)"', response.text)
    assert found, "the preview carries the fingerprint"
    return found[1]


def campaign_by(world, chair, **changes) -> Campaign:
    values = {
        "recipients": "authors",
        "search": "status:submitted",
        "subject": "About #{{ submission.number }}",
        "body": "{{ submission.title }}",
        **changes,
    }
    draft = Draft(**values)
    conference = world.first.conference
    prepared = prepare(draft, by=chair, conference=conference)
    with TestCase.captureOnCommitCallbacks(execute=True):
        campaign, _ = queue_campaign(
            draft,
            token=uuid.uuid4(),
            fingerprint=prepared.fingerprint,
            conference=conference,
            by=chair,
        )
    return campaign


@pytest.mark.parametrize("name", ["list", "new", "detail"])
def test_campaign_pages_answer_chairs_only(client, world, name):
    campaign = campaign_by(world, world.chair)
    url = reverse(
        f"campaigns:{name}", kwargs={"pk": campaign.pk} if name == "detail" else {}
    )

    assert "/accounts/login/" in client.get(url)["Location"]
    for person in (world.author, world.reviewer):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.force_login(world.chair)
    assert client.get(url).status_code == 200


def test_release_answers_chairs_only(client, world):
    campaign = campaign_by(world, world.chair, is_held=True)
    url = reverse("campaigns:release", args=[campaign.pk])
    client.force_login(world.reviewer)
    assert client.post(url).status_code == 404
    assert OutboxMail.objects.filter(status="held").count() == 5

    client.force_login(world.chair)
    response = client.post(url, follow=True)

    assert "Released 5 mails." in response.text
    assert not OutboxMail.objects.filter(status="held").exists()


def test_the_composer_starts_from_a_search(client, world):
    client.force_login(world.chair)

    response = client.get(reverse("campaigns:new") + "?q=%23poster")

    assert 'value="#poster"' in response.text
    assert "{{ submission.title }}" in response.text  # the placeholders offered


def test_preview_shows_the_count_and_pages_of_rendered_mails(client, world):
    client.force_login(world.chair)

    first_page = compose(client)
    second_page = compose(client, page="2")

    assert "<strong>5</strong> mails to authors" in first_page.text
    assert "Mails 1 to 3 of 5" in first_page.text
    assert "your poster for “Sparse training on FPGAs”" in first_page.text
    assert "Mails 4 to 5 of 5" in second_page.text
    assert "Dear Olga Other," in second_page.text
    assert Campaign.objects.count() == 0  # a preview writes nothing


def test_queue_twice_creates_one_campaign(client, world):
    client.force_login(world.chair)
    token = str(uuid.uuid4())
    preview = compose(client, token=token)
    data = {
        "token": token,
        **FORM,
        "fingerprint": fingerprint_of(preview),
        "action": "queue",
    }

    first = client.post(reverse("campaigns:new"), data)
    second = client.post(reverse("campaigns:new"), data, follow=True)

    campaign = Campaign.objects.get()
    assert first["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    assert "This campaign was queued already." in second.text
    assert campaign.mails.count() == 5
    assert OutboxMail.objects.filter(template="campaign").count() == 5


def test_an_unknown_placeholder_is_named_and_the_text_kept(client, world):
    client.force_login(world.chair)
    body = "Dear {{ recipient.name }}, see {{ submission.colour }} and more text."

    response = compose(client, body=body)

    assert "Unknown placeholder {{ submission.colour }}." in response.text
    assert "see {{ submission.colour }} and more text." in response.text
    assert "Queue" not in response.text
    assert Campaign.objects.count() == 0


def test_a_blind_placeholder_is_refused_on_the_page(client, world):
    client.force_login(world.chair)

    response = compose(
        client, recipients="reviewers", body="By {{ submission.authors }}"
    )

    assert (
        "{{ submission.authors }} would reveal the authors to reviewers"
        in response.text
    )


def test_a_bad_search_points_at_the_problem(client, world):
    client.force_login(world.chair)

    response = compose(client, q="status:nonsense")

    assert "The search could not run" in response.text
    assert "Unknown status" in response.text
    assert 'value="status:nonsense"' in response.text


def test_a_changed_text_after_the_preview_is_previewed_again(client, world):
    client.force_login(world.chair)
    preview = compose(client)
    data = {
        "token": str(uuid.uuid4()),
        **FORM,
        "subject": "Another subject",
        "fingerprint": fingerprint_of(preview),
        "action": "queue",
    }

    response = client.post(reverse("campaigns:new"), data)

    assert response.status_code == 200
    assert "changed since the preview" in response.text
    assert "Queue 5 mails" in response.text
    assert Campaign.objects.count() == 0


def test_the_report_hides_mails_about_a_conflicted_chairs_submission(client, world):
    campaign = campaign_by(world, world.chair)
    client.force_login(world.conflicted_chair)

    report = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    listing = client.get(reverse("campaigns:list"))

    shown = {m.to_email for m in report.context["mails"]}
    assert shown == {
        "ada@uni-a.example",
        "cora@uni-b.example",
        "zoltan@distinct-lab.example",
    }
    for text in (report.text, listing.text):
        assert "olga@elsewhere.example" not in text
        assert "Energy-aware pruning" not in text
        assert "#2" not in text
    assert "All (3)" in report.text
    assert "Queued: 3" in listing.text or "Sent: 3" in listing.text


def test_the_report_shows_failures_with_their_reason(client, world):
    campaign = campaign_by(world, world.chair)
    OutboxMail.objects.filter(template="campaign", to_email="ada@uni-a.example").update(
        status="failed", last_error="550 mailbox unavailable"
    )
    client.force_login(world.chair)

    report = client.get(reverse("campaigns:detail", args=[campaign.pk]))

    assert "Failed (1)" in report.text
    assert "550 mailbox unavailable" in report.text


def test_the_campaign_list_costs_the_same_queries_for_more_campaigns(client, world):
    client.force_login(world.chair)
    url = reverse("campaigns:list")
    counts = []
    for more in (1, 3):
        for _ in range(more):
            campaign_by(world, world.chair)
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        counts.append(len(captured.captured_queries))

    assert len(response.context["rows"]) == 4
    assert counts[0] == counts[1]


def test_the_first_preview_names_the_composition(client, world):
    client.force_login(world.chair)

    empty = client.get(reverse("campaigns:new"))
    preview = compose(client, token="")

    assert 'name="token" value=' not in empty.text
    found = re.search(r'name="token" value="([0-9a-f-]{36})"', preview.text)
    assert found is not None
    assert str(uuid.UUID(found[1])) == found[1]


def test_the_preview_counts_who_turned_announcements_off(client, world):
    MailPreference.objects.create(user=world.author, key=CAMPAIGNS, enabled=False)
    client.force_login(world.chair)

    announcement = compose(client)
    essential = compose(client, is_essential="on")

    assert "1 of them turned the chairs' announcements off" in announcement.text
    assert "Essential: sent to everyone" in essential.text


def test_a_campaign_only_about_a_conflicted_chairs_submission_does_not_exist_for_them(
    client, world
):
    campaign = campaign_by(world, world.chair, search="pruning")
    client.force_login(world.conflicted_chair)

    listing = client.get(reverse("campaigns:list"))
    report = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    release = client.post(reverse("campaigns:release", args=[campaign.pk]))

    assert listing.context["rows"] == []
    assert (report.status_code, release.status_code) == (404, 404)
    client.force_login(world.chair)
    assert (
        client.get(reverse("campaigns:detail", args=[campaign.pk])).status_code == 200
    )


def test_a_large_campaign_is_queued_by_a_job_the_report_links(
    client, world, monkeypatch
):
    monkeypatch.setattr("campaigns.sending.INLINE_LIMIT", 2)
    client.force_login(world.chair)
    token = str(uuid.uuid4())
    preview = compose(client, token=token)
    assert "More than 2: they are queued by a background job" in preview.text
    data = {
        "token": token,
        **FORM,
        "fingerprint": fingerprint_of(preview),
        "action": "queue",
    }

    with TestCase.captureOnCommitCallbacks(execute=False):  # the job waits
        report = client.post(reverse("campaigns:new"), data, follow=True)

    campaign = Campaign.objects.get()
    assert "The mails are being queued" in report.text
    assert reverse("jobs:detail", args=[campaign.job_id]) in report.text
