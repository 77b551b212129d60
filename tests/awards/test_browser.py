"""The fastest-training prize in a real browser: an author enters it from the
submission's prize page, a juror scores and verifies it, a chair confirms the
winner, publishes the leaderboard and announces; the public sees both."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from awards.models import AwardResult, Entry
from tests.a11y import assert_accessible
from tests.awards.conftest import AwardsWorld
from tests.browser_nav import nav_click
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def log_out(page):
    nav_click(page, "Log out", role="button")
    page.wait_for_url(re.compile(r"/$"))


def test_author_enters_juror_scores_chair_announces(
    page, conference, author, chair, artifacts, mailoutbox
):
    world = AwardsWorld(conference, author, chair)
    fastest = world.settings["fastest_training"]
    fastest.entry_deadline = timezone.now() + timedelta(days=30)
    fastest.save()

    # The author enters the prize from the paper's prize page.
    log_in(page, author.email)
    page.goto("/awards/submission/1/")
    page.locator(".card", has_text="Fastest training").get_by_role(
        "link", name="Enter this prize"
    ).click()
    page.fill("input[name=task]", "image classification")
    page.fill("input[name=dataset]", "ImageNet-1k")
    page.fill("input[name=target_metric]", "top-1 accuracy (%)")
    page.fill("input[name=target_value]", "75.9")
    page.fill("input[name=time_value]", "150")
    page.select_option("select[name=time_unit]", "min")
    page.fill("input[name=node_count]", "16")
    page.fill("input[name=accelerators_per_node]", "8")
    page.fill("input[name=accelerator_model]", "NVIDIA A100-SXM4-40GB")
    page.fill("input[name=interconnect]", "InfiniBand HDR 200 Gb/s")
    page.fill("input[name=software_stack]", "PyTorch 1.11, NCCL 2.12")
    page.fill("input[name=energy_value]", "310")
    page.select_option("select[name=energy_unit]", "kWh")
    page.fill("input[name=code_url]", "https://github.com/example/fast-resnet")
    page.fill("input[name=code_commit]", "0123abcd")
    page.fill("input[name=logs_url]", "https://example.org/logs/run-7.txt")
    page.get_by_role("button", name="Enter the prize").click()
    page.get_by_text("Saved the entry of #1").wait_for()
    assert Entry.objects.get().accelerator_hours == 320.0
    log_out(page)

    # A juror scores it and verifies the evidence.
    log_in(page, world.juror.email)
    page.goto(f"/awards/{fastest.slug}/jury/")
    page.select_option(f"select[name=s{world.submission.pk}-score]", "9")
    page.fill(f"textarea[name=s{world.submission.pk}-comment]", "Logs check out.")
    page.get_by_role("button", name="Save score of #1").click()
    page.get_by_text("Saved your judgement of #1").wait_for()
    page.get_by_role("button", name="Mark the evidence verified").click()
    page.get_by_text("Updated the verification of #1").wait_for()
    log_out(page)

    # The chair confirms the winner, publishes the leaderboard and announces.
    log_in(page, chair.email)
    page.goto(f"/awards/chair/{fastest.slug}/judging/")
    row = page.locator("tr#paper-1")
    assert "9.00" in row.inner_text()
    row.locator("select").select_option("winner")
    row.locator("textarea").fill("Record time to 75.9% on 128 accelerators.")
    row.get_by_role("button", name="Confirm #1").click()
    page.get_by_text("Saved the result of #1").wait_for()
    page.get_by_role("button", name="Publish the leaderboard").click()
    page.get_by_text("The leaderboard is now public").wait_for()
    page.get_by_role("button", name="Announce the results").click()
    page.get_by_text("Announced").first.wait_for()
    log_out(page)
    assert AwardResult.objects.get().is_winner

    # The public sees the winner, the citation and the leaderboard.
    page.goto("/awards/")
    award = page.locator(f"section#{fastest.slug}")
    assert "Sparse training of transformers on FPGAs" in award.inner_text()
    assert "Record time to 75.9% on 128 accelerators." in award.inner_text()
    award.get_by_role("link", name="Leaderboard").click()
    table = page.locator("table.leaderboard")
    assert "2.5 h" in table.inner_text()
    assert "✓ verified" in table.inner_text()
    assert page.locator("figure.plot svg g.point.winner").count() == 1
    page.screenshot(path=str(artifacts / "awards-leaderboard.png"), full_page=True)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["author@example.org", "zebulon@quixotic-institute.example"]
    )


def test_a_juror_s_refused_ballot_keeps_every_comment(page, conference, author, chair):
    """Rank 1 twice: the ballot comes back with the reason, the ranks and the
    comments as typed; one rank changed, it is saved."""
    from awards.judging import change_shortlist
    from awards.models import Judgement

    world = AwardsWorld(conference, author, chair)
    energy = world.settings["energy_hardware"]
    for submission in (world.submission, world.other_submission):
        change_shortlist(energy.award, submission, action="add", by=chair)
    one, two = world.submission.pk, world.other_submission.pk

    log_in(page, world.juror.email)
    page.goto(f"/awards/{energy.slug}/jury/")
    page.get_by_label("Rank of #1").fill("1")
    page.get_by_label("Comment on #1").fill("Careful power logs.")
    page.get_by_label("Rank of #2").fill("1")
    page.get_by_label("Comment on #2").fill("Best joules per sample.")
    page.get_by_role("button", name="Save the ranking").click()

    assert page.get_by_text("with each rank used once").is_visible()
    assert page.get_by_label("Comment on #1").input_value() == "Careful power logs."
    assert page.get_by_label("Comment on #2").input_value() == (
        "Best joules per sample."
    )
    assert page.get_by_label("Rank of #2").input_value() == "1"
    assert not Judgement.objects.exists()

    page.get_by_label("Rank of #1").fill("2")
    page.get_by_role("button", name="Save the ranking").click()
    page.get_by_text("Saved your ranking.").wait_for()
    assert sorted(
        Judgement.objects.values_list("submission_id", "rank", "comment")
    ) == [
        (one, 2, "Careful power logs."),
        (two, 1, "Best joules per sample."),
    ]


def test_a_chairs_refused_result_keeps_the_citation(page, conference, author, chair):
    """The chair writes a citation; meanwhile another chair takes the paper off
    the shortlist. Confirming gives the reason and the citation to copy; a place
    and citation for a paper still shortlisted are saved."""
    from awards.judging import change_shortlist

    world = AwardsWorld(conference, author, chair)
    best = world.settings["best_paper"]
    for submission in (world.submission, world.other_submission):
        change_shortlist(best.award, submission, action="add", by=chair)

    log_in(page, chair.email)
    page.goto(f"/awards/chair/{best.slug}/judging/")
    assert_accessible(page, "judging page with result forms ")
    page.get_by_label("Place of #1").select_option("winner")
    page.get_by_label("Citation for #1").fill("Sparse and swift, on one FPGA.")
    change_shortlist(best.award, world.submission, action="remove", by=chair)
    page.get_by_role("button", name="Confirm #1").click()

    assert page.get_by_text("The result of #1 was not saved").is_visible()
    copy = page.get_by_label("Your citation, not saved")
    assert copy.input_value() == "Sparse and swift, on one FPGA."
    assert not AwardResult.objects.exists()

    page.get_by_label("Place of #2").select_option("honourable_mention")
    page.get_by_label("Citation for #2").fill("Joules, measured.")
    page.get_by_role("button", name="Confirm #2").click()
    page.get_by_text("Saved the result of #2.").wait_for()
    assert AwardResult.objects.get().citation == "Joules, measured."
