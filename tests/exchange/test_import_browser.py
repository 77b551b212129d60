"""In a browser: a chair imports HotCRP's paper JSON from the export page:
upload, read the dry run, map the unknown topic, run it again, confirm, and
find the submissions in the chairs' list."""

import re
from pathlib import Path

import pytest

from tests.a11y import assert_accessible
from tests.exchange.test_browser import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).parent / "samples" / "hotcrp_submissions.json"


def test_a_chair_uploads_reads_the_dry_run_and_confirms(page, conference):
    chair = UserFactory(email="importer@chairs.example", role="chair")
    log_in(page, chair.email)
    page.goto("/exchange/chair/")
    page.get_by_role("link", name="Import submissions").click()
    page.wait_for_url(re.compile("/exchange/chair/import/"))

    page.get_by_label("Exported from").select_option("hotcrp")
    page.get_by_label("Export file(s)").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Dry run").click()

    assert_accessible(page, "dry run ")
    report = page.locator(".import-counts")
    assert "2 to create" in " ".join(report.inner_text().split())
    assert page.get_by_text("“Mobile” (1 submission)").is_visible()
    rows = page.locator("table.import-plan tbody tr")
    assert rows.count() == 3
    assert "No title." in rows.nth(2).inner_text()

    page.get_by_label("Topic map").fill(
        "Mobile = applications of low-energy deep learning training"
    )
    page.get_by_role("button", name="Dry run").click()
    assert page.locator("text=Unknown topics").count() == 0

    page.get_by_role("button", name="Confirm the import").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/"))
    assert page.get_by_text(
        "Created 2, updated 0, unchanged 0, skipped 1."
    ).is_visible()

    page.get_by_role("link", name="See the submissions").click()
    page.wait_for_url(re.compile("/submissions/chair/"))
    assert page.get_by_text("Measuring the Joules of a Training Step").is_visible()
    assert page.get_by_text("Pruning While Training on Phones").is_visible()


def test_the_reviewer_list_and_retention_pages_pass_axe(page, conference):
    chair = UserFactory(email="keeper@chairs.example", role="chair")
    log_in(page, chair.email)

    page.goto("/exchange/chair/import/")
    assert_accessible(page)
    page.goto("/exchange/chair/import/reviewers/")
    page.get_by_label("Reviewer list").set_input_files(
        str(SAMPLE.parent / "reviewers.csv")
    )
    page.get_by_role("button", name="Dry run").click()
    assert page.locator("table.import-plan tbody tr").count() == 4
    assert_accessible(page, "reviewer dry run ")
    page.goto("/exchange/chair/retention/")
    page.get_by_label("Months after workshop").fill("6")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Purge date: 23 January 2023").is_visible()
    assert_accessible(page, "retention ")


def test_a_reviewer_list_saved_by_excel_in_europe_reads_as_written(
    page, conference, tmp_path
):
    """Semicolons between the cells and Windows-1252 bytes, as Excel saves
    "CSV" in Germany or France: the dry run shows the names as typed."""
    chair = UserFactory(email="europe@chairs.example", role="chair")
    log_in(page, chair.email)
    path = tmp_path / "reviewers.csv"
    path.write_bytes(
        "Name;Email;Affiliation;Load\r\n"
        "Zoë Müller;zoe.mueller@koeln-hw.example;Universität zu Köln;3\r\n"
        "Jérôme “Jay” Lefèvre;j.lefevre@lyon-ml.example;Lyon, ENS;2\r\n".encode(
            "cp1252"
        )
    )

    page.goto("/exchange/chair/import/reviewers/")
    page.get_by_label("Reviewer list").set_input_files(str(path))
    page.get_by_role("button", name="Dry run").click()

    rows = page.locator("table.import-plan tbody tr")
    assert rows.count() == 2
    assert "Zoë Müller" in rows.nth(0).inner_text()
    assert "Jérôme “Jay” Lefèvre" in rows.nth(1).inner_text()


def test_a_chair_imports_decisions_maps_one_and_can_undo_them(
    page, conference, settings, tmp_path
):
    """The file's decisions: the dry run lists them, the chair maps the one
    this site does not read, confirms, and finds them unreleased on the
    dashboard, where the import can be undone as one bulk decision."""
    import json

    from decisions.models import Decision

    settings.HAET_NOW = "2022-06-12T12:00:00-11:00"
    chair = UserFactory(email="decider@chairs.example", role="chair")
    papers = json.loads(SAMPLE.read_text())
    papers[0]["decision"], papers[1]["decision"] = "Major revision", "Accept (oral)"
    path = tmp_path / "papers.json"
    path.write_text(json.dumps(papers))
    log_in(page, chair.email)

    page.goto("/exchange/chair/import/")
    page.get_by_label("Exported from").select_option("hotcrp")
    page.get_by_label("Export file(s)").set_input_files(str(path))
    page.get_by_role("button", name="Dry run").click()
    table = page.locator("table.import-plan").nth(1)
    assert "“Major revision” is not a decision this site knows" in table.inner_text()

    page.get_by_label("Decision map").fill("Major revision = Accept (poster)")
    page.get_by_role("button", name="Dry run").click()
    rows = page.locator("table.import-plan").nth(1).locator("tbody tr")
    assert [" ".join(rows.nth(i).inner_text().split()) for i in range(2)] == [
        "3 Major revision Accept (poster) set —",
        "5 Accept (oral) Accept (oral) set —",
    ]
    assert_accessible(page, "decisions dry run ")
    page.get_by_role("button", name="Confirm the import").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/"))
    assert page.get_by_text("Decisions: 2 set (not released", exact=False).is_visible()
    assert Decision.objects.filter(released_at__isnull=True).count() == 2

    page.goto("/decisions/")
    undo = page.locator("form.bulk-undo")
    assert (
        "Your last bulk decision: Accept (poster) or Accept (oral) on #1, #2"
        in " ".join(undo.inner_text().split())
    )
    undo.get_by_role("button", name="Undo").click()
    assert page.locator("h1").inner_text() == "Undoing a bulk decision: Done"
    assert Decision.objects.count() == 0
