"""A submission field option that enters a prize, in a real browser (issue 15): a
chair links the fastest-training prize to one option of a custom choice field on
the award's settings page; the author answers the field with that option on the
submission form and the submission page says the submission is entered; the author
gives the measurements; changing the answer to the other option withdraws the entry
(the answer listener, awards.entering.withdraw_unselected)."""

import re

import pytest

from awards.entry_links import is_declared
from awards.models import AwardSettings, Entry, Kind
from submissions.fields.services import save_field
from submissions.models import FieldAnswer, SubmissionField
from tests.a11y import assert_accessible
from tests.awards.conftest import ENTRY_DEADLINE
from tests.awards.test_browser import log_in
from tests.browser_nav import log_out, nav_click
from tests.factories import SubmissionFactory
from tests.submissions.conftest import BEFORE_DEADLINE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINKED, OTHER = "Fastest-training prize", "Energy-efficiency prize"
FIELD_LABEL = "Prize the submission enters"


def starting_data(conference, chair, author):
    """#1 by the author (submitted), the custom choice field, and the fastest-
    training prize taking entries from every submitted paper until 8 July, so the
    author can still change the form (before the submission deadline) and enter."""
    submission = SubmissionFactory(
        conference=conference,
        number=1,
        contact=author,
        title="Sparse training of transformers on FPGAs",
    )
    field = save_field(
        SubmissionField(
            conference=conference,
            slug="prize_track",
            label=FIELD_LABEL,
            kind=SubmissionField.Kind.CHOICE,
            choices=[OTHER, LINKED],
        ),
        by=chair,
    )
    fastest = AwardSettings.objects.get(
        award__conference=conference, kind=Kind.FASTEST_TRAINING
    )
    fastest.eligibility = AwardSettings.Eligibility.SUBMITTED
    fastest.entry_deadline = ENTRY_DEADLINE
    fastest.save()
    return submission, field, fastest


def fastest_card(page):
    return page.locator("#prizes .card", has_text="Fastest training")


def give_measurements(page):
    page.fill("input[name=task]", "image classification")
    page.fill("input[name=dataset]", "ImageNet-1k")
    page.fill("input[name=target_metric]", "top-1 accuracy (%)")
    page.fill("input[name=target_value]", "75.9")
    page.fill("input[name=time_value]", "2.5")
    page.select_option("select[name=time_unit]", "h")
    page.fill("input[name=node_count]", "16")
    page.fill("input[name=accelerators_per_node]", "8")
    page.fill("input[name=accelerator_model]", "NVIDIA A100-SXM4-40GB")
    page.fill("input[name=interconnect]", "InfiniBand HDR 200 Gb/s")
    page.fill("input[name=software_stack]", "PyTorch 1.11, NCCL 2.12")
    page.fill("input[name=code_url]", "https://github.com/example/fast-resnet")
    page.fill("input[name=code_commit]", "0123abcd")
    page.fill("input[name=logs_url]", "https://example.org/logs/run-7.txt")


def answer_field(page, option):
    page.goto("/submissions/1/edit/")
    page.get_by_label(FIELD_LABEL).select_option(option)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/submissions/1/$"))
    page.get_by_text("Saved #1.").wait_for()


def test_a_field_answer_enters_the_prize_and_changing_it_withdraws_the_entry(
    page, conference, chair, author, settings, artifacts
):
    settings.HAET_NOW = BEFORE_DEADLINE
    submission, field, fastest = starting_data(conference, chair, author)

    # 1. The chair links the prize to the field's "fastest-training" option.
    log_in(page, chair.email)
    nav_click(page, "Award judging")
    page.get_by_role("link", name="Fastest training method on compute clusters").click()
    option = page.get_by_label("Entered by the submission form")
    option.select_option(label=f"{FIELD_LABEL}: {LINKED}")
    assert_accessible(page, "award settings ")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved “Fastest training method on compute clusters”.").wait_for()
    assert page.get_by_label("Entered by the submission form").input_value() == (
        f"{field.pk}:{LINKED}"
    )
    fastest.refresh_from_db()
    assert (fastest.entry_field, fastest.entry_choice) == (field, LINKED)
    log_out(page)

    # 2. The author answers the field with that option: the submission is entered.
    log_in(page, author.email)
    answer_field(page, LINKED)
    card = fastest_card(page)
    assert "Entered on the submission form" in card.inner_text()
    assert f"“{FIELD_LABEL}”: {LINKED}" in card.inner_text()
    assert (
        "Entered on the submission form"
        not in page.locator(
            "#prizes .card", has_text="Most energy-efficient"
        ).inner_text()
    )
    assert_accessible(page, "submission page ")
    assert is_declared(fastest, submission) is True

    # ... and gives the measurements on the prize's entry page.
    card.get_by_role("link", name="Enter this prize").click()
    give_measurements(page)
    page.get_by_role("button", name="Enter the prize").click()
    page.get_by_text("Saved the entry of #1").wait_for()
    page.goto("/submissions/1/")
    assert "Entered" in fastest_card(page).locator(".badge.ok").inner_text()
    assert Entry.objects.filter(award=fastest.award, submission=submission).count() == 1

    # 3. The author changes the answer to the other option: the entry is withdrawn.
    answer_field(page, OTHER)
    card = fastest_card(page)
    page.screenshot(path=str(artifacts / "field-prize-withdrawn.png"), full_page=True)
    assert card.locator(".badge").count() == 0  # neither "Entered" badge
    assert card.get_by_role("link", name="Enter this prize").is_visible()
    assert not Entry.objects.filter(submission=submission).exists()
    assert FieldAnswer.objects.get(field=field, submission=submission).value == OTHER
    assert is_declared(fastest, submission) is False
