"""Issue 14, item 8 in a real browser: the Announce button that cannot act looks
disabled (greyed, no pointer) next to an enabled one, and says why."""

import pytest

from awards.judging import change_shortlist, score_submission
from awards.results import NEEDS_JURY_SCORES, set_result
from tests.awards.conftest import AwardsWorld
from tests.awards.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def look(locator) -> dict:
    return locator.evaluate(
        "b => { const s = getComputedStyle(b);"
        " return {background: s.backgroundColor, cursor: s.cursor,"
        " opacity: s.opacity}; }"
    )


def test_a_disabled_announce_button_looks_disabled_and_says_why(
    page, conference, author, chair, artifacts
):
    world = AwardsWorld(conference, author, chair)
    change_shortlist(world.best, world.submission, action="add", by=chair)
    set_result(world.best, world.submission, place="winner", by=chair)
    slug = world.settings["best_paper"].slug

    log_in(page, chair.email)
    page.goto(f"/awards/chair/{slug}/judging/")
    announce = page.get_by_role("button", name="Announce the results")

    assert announce.is_disabled()
    assert page.locator("#announce-refusal").inner_text() == NEEDS_JURY_SCORES
    assert announce.get_attribute("aria-describedby") == "announce-refusal"
    disabled = look(announce)
    assert disabled["cursor"] == "not-allowed"
    assert float(disabled["opacity"]) < 1
    page.screenshot(
        path=str(artifacts / "awards-announce-disabled.png"), full_page=True
    )

    # Once the jury has judged the winner, the same button is live.
    score_submission(world.best, world.submission, score=9, by=world.juror)
    page.reload()
    announce = page.get_by_role("button", name="Announce the results")
    enabled = look(announce)
    assert announce.is_enabled()
    assert enabled["cursor"] == "pointer"
    assert float(enabled["opacity"]) == 1
    assert enabled["background"] != disabled["background"]
    assert page.locator("#announce-refusal").count() == 0
