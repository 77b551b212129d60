"""The chair's custom-field journey in Chromium (issue 15): the chair defines a
conditional field, the author answers it in the submission form (a too large number
is refused and what was typed stays), the chair filters with field:, and the
accepted-papers export carries the answer."""

import csv
import io
import re

import pytest

from decisions.models import Decision, Outcome
from submissions.models import FieldAnswer
from tests.conftest import PASSWORD
from tests.factories import SubmissionFactory
from tests.submissions.conftest import BEFORE_DEADLINE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile("/$"))


def define(page, *, label, slug, kind, options="", condition="", value=""):
    page.goto("/submissions/chair/fields/new/")
    page.fill("#id_label", label)
    page.fill("#id_slug", slug)
    page.select_option("#id_kind", kind)
    if options:
        page.fill("#id_choices_text", options)
    if condition:
        page.select_option("#id_condition_field", label=condition)
        page.fill("#id_condition_value", value)
    page.get_by_role("button", name="Save field").click()
    page.get_by_text(f"Saved the field “{label}”.").wait_for()


def test_define_answer_filter_export(
    page, live_server, conference, chair, author, settings, artifacts
):
    settings.HAET_NOW = BEFORE_DEADLINE
    mine = SubmissionFactory(
        conference=conference, contact=author, title="Sparse training on GPUs"
    )
    SubmissionFactory(conference=conference, title="Quantised adapters")

    sign_in(page, chair)
    define(
        page,
        label="Enters the energy-efficiency prize",
        slug="energy_prize",
        kind="yes_no",
    )
    define(
        page,
        label="Measured energy (kWh)",
        slug="energy_kwh",
        kind="number",
        condition="Enters the energy-efficiency prize",
        value="yes",
    )
    rows = page.locator("table.submission-fields tbody tr")
    assert rows.count() == 2
    assert (
        "only if “Enters the energy-efficiency prize” is yes"
        in rows.nth(1).inner_text()
    )

    sign_in(page, author)
    page.goto(f"/submissions/{mine.number}/edit/")
    assert not page.is_visible("#id_answers-energy_kwh")  # asked only if yes
    page.check("#id_answers-energy_prize_0")  # Yes
    assert page.is_visible("#id_answers-energy_kwh")
    page.fill("#id_answers-energy_kwh", "123456789012345")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("alert").first.wait_for()
    summary = page.locator("#error-summary").inner_text()
    assert "Measured energy (kWh): Ensure that there are no more than" in summary
    assert page.input_value("#id_answers-energy_kwh") == "123456789012345"  # kept
    assert page.is_checked("#id_answers-energy_prize_0")
    page.fill("#id_answers-energy_kwh", "41.5")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(rf"/submissions/{mine.number}/$"))
    answers = page.locator("section.custom-answers").inner_text()
    assert "Measured energy (kWh)" in answers
    assert "41.5" in answers
    assert FieldAnswer.objects.filter(submission=mine).count() == 2

    sign_in(page, chair)
    page.goto("/submissions/chair/")
    search = page.get_by_role("searchbox")
    search.fill("field:energy_kwh>40")
    search.press("Enter")
    page.wait_for_url(re.compile(r"q=field"))
    found = page.locator("table.submissions tbody tr")
    assert found.count() == 1
    assert "Sparse training on GPUs" in found.first.inner_text()
    assert "41.5" in found.first.inner_text()  # the dashboard column
    search = page.get_by_role("searchbox")
    search.fill("field:nope=1")
    search.press("Enter")
    assert "No such field “nope”" in page.get_by_role("alert").first.inner_text()
    page.screenshot(path=str(artifacts / "fields-search.png"), full_page=True)

    Decision.objects.create(
        submission=mine,
        outcome=Outcome.ACCEPT_POSTER,
        set_by=chair,
        set_at=BEFORE_DEADLINE,
        released_at=BEFORE_DEADLINE,
        released_by=chair,
    )
    response = page.request.get("/decisions/exports/accepted.csv")
    assert response.ok, response.status
    table = list(csv.DictReader(io.StringIO(response.text())))
    assert [row["field.energy_kwh"] for row in table] == ["41.5"]
    assert [row["field.energy_prize"] for row in table] == ["yes"]
