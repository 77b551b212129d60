"""In a browser: a chair imports EasyChair's export with its reviews: the dry run
lists each review and why some are skipped, the import's report counts them, and
the imported review reads on the chairs' submission page."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from exchange.models import ImportedSubmission
from tests.a11y import assert_accessible
from tests.exchange.test_browser import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).parent / "samples" / "easychair"
NAMES = ["submission.csv", "author.csv", "review.csv", "committee.csv"]


def test_a_chair_imports_easychair_reviews(page, conference):
    chair = UserFactory(email="review-importer@chairs.example", role="chair")
    log_in(page, chair.email)
    page.goto("/exchange/chair/import/")

    page.get_by_label("Exported from").select_option("easychair")
    page.get_by_label("Export file(s)").set_input_files(
        [str(SAMPLES / name) for name in NAMES]
    )
    page.get_by_role("button", name="Dry run").click()

    assert page.get_by_role("heading", name="Reviews").is_visible()
    assert page.get_by_text("Kwame Mensah: is an author.").is_visible()
    assert_accessible(page, "reviews dry run ")
    page.get_by_role("button", name="Confirm the import").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/"))
    assert page.get_by_text(
        "Reviews: 2 created (1 by a sub-reviewer, recorded as a delegation), "
        "0 unchanged, 4 skipped"
    ).is_visible()

    number = ImportedSubmission.objects.get(source_id="7").submission.number
    page.goto(reverse("reviews:chair-submission", args=[number]))
    assert page.get_by_text("The crossbar energy numbers are convincing").is_visible()
    assert page.get_by_text("Helga Brandt").first.is_visible()

    # The review Tomás Vidal wrote for Helga Brandt: her delegation, chairs see.
    page.goto(reverse("reviews:chair-delegations"))
    row = page.get_by_role("row", name=re.compile("Tomás Vidal"))
    assert "Helga Brandt" in row.inner_text()
    assert "tomas.vidal@uni-bremen.example" in row.inner_text()


SAMPLE_DIR = Path(__file__).parent / "samples"
HOTCRP = [SAMPLE_DIR / "hotcrp_submissions.json", SAMPLE_DIR / "hotcrp_reviews.csv"]
CMT = [SAMPLE_DIR / "cmt_submissions.txt", SAMPLE_DIR / "cmt_reviews.txt"]


def dry_run(page, source: str, files: list[Path], topic_map: str = "") -> None:
    page.goto("/exchange/chair/import/")
    page.get_by_label("Exported from").select_option(source)
    page.get_by_label("Export file(s)").set_input_files([str(f) for f in files])
    if topic_map:
        page.get_by_label("Topic map").fill(topic_map)
    page.get_by_role("button", name="Dry run").click()


def confirm(page, summary: str) -> None:
    page.get_by_role("button", name="Confirm the import").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/"))
    assert page.get_by_text(summary).is_visible()


def test_a_chair_imports_hotcrp_reviews(page, conference):
    """The dry run says where each field goes; the chair gives the score
    question HotCRP's scale, as it says, and the merit comes in too."""
    from reviews.models import ReviewForm
    from tests.exchange.test_import_hotcrp_reviews import HOTCRP_MERIT

    chair = UserFactory(email="hotcrp-importer@chairs.example", role="chair")
    log_in(page, chair.email)
    dry_run(page, "hotcrp", HOTCRP)

    fields = page.locator("ul.import-fields")
    assert "“Overall merit” has values that are not choices" in fields.inner_text()
    assert page.get_by_text("“Comments for PC” → “Confidential comments").is_visible()
    assert_accessible(page, "hotcrp reviews dry run ")

    score = ReviewForm.objects.for_conference(conference).questions.get(key="score")
    score.choices = HOTCRP_MERIT
    score.save()
    dry_run(page, "hotcrp", HOTCRP)
    assert page.get_by_text("“Overall merit” → “Overall score”: 1 as").is_visible()
    confirm(page, "Reviews: 2 created, 0 unchanged, 2 skipped")

    number = ImportedSubmission.objects.get(source="hotcrp", source_id="3").submission
    page.goto(reverse("reviews:chair-submission", args=[number.number]))
    assert page.get_by_text("The per-phase attribution is convincing.").is_visible()
    assert page.get_by_text("Close to a paper I reviewed for MLSys").is_visible()


def test_a_chair_imports_cmt_reviews(page, conference):
    chair = UserFactory(email="cmt-importer@chairs.example", role="chair")
    log_in(page, chair.email)
    topic_map = (SAMPLE_DIR / "cmt_topic_map.txt").read_text(encoding="utf-8")
    dry_run(page, "cmt", CMT, topic_map)

    assert page.get_by_text(
        "“Overall score”: “Strong accept”, “Weak accept”"
    ).is_visible()
    confirm(page, "Reviews: 2 created, 0 unchanged, 2 skipped")

    number = ImportedSubmission.objects.get(source="cmt", source_id="101").submission
    page.goto(reverse("reviews:chair-submission", args=[number.number]))
    assert page.get_by_text("The SRAM budget is convincing").is_visible()
