"""In a real browser: a chair reads what the fairness option does, proposes a
fair assignment and sees its figures (lowest score, the LP bound fair mode
aimed at, total), the same LP bound a plain proposal reports."""

import re

import pytest

from reviews.assignment_runs import compute_run
from reviews.models import AssignmentRun
from tests.conftest import PASSWORD
from tests.reviews.test_assignment_min_load import star_pool  # noqa: F401 - fixture
from tests.reviews.test_browser import log_in, wait_for_proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_chair_proposes_a_fair_assignment_and_sees_its_figures(
    page,
    chair,
    star_pool,  # noqa: F811 - the fixture imported above
):
    plain = AssignmentRun.objects.create(created_by=chair, params={"fair": False})
    compute_run(plain.pk)
    plain.refresh_from_db()
    log_in(page, chair.email, PASSWORD)

    page.goto("/reviews/chair/")
    page.get_by_role("link", name=re.compile("Automatic assignment")).click()
    option = page.get_by_label(re.compile("Fairness"))
    assert "95% of the LP bound" in page.locator("main").inner_text()
    option.check()
    page.get_by_role("button", name="Propose an assignment").click()
    page.wait_for_url(re.compile(r"/reviews/chair/assignment-runs/\d+/"))
    wait_for_proposal(page)

    fair = AssignmentRun.objects.exclude(pk=plain.pk).get()
    assert fair.params["fair"] is True
    summary = page.locator(".run-summary").inner_text()
    assert f"LP bound {fair.result['lp_bound']:.2f}" in summary
    assert f"lowest per submission {fair.result['min_paper_score']:.2f}" in summary
    # Fair mode solved the bound itself (on the other core): the chair's figure.
    assert fair.result["lp_bound"] == pytest.approx(plain.result["lp_bound"])
    assert fair.result["min_paper_score"] >= plain.result["min_paper_score"] - 1e-9
    assert fair.result["min_paper_score"] <= fair.result["lp_bound"] + 1e-9
