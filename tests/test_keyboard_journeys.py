"""Keyboard-only journeys (issue 14 item 16): an author submits a paper, a reviewer
submits a review, a chair records a decision, with Tab, Enter, Space (and the arrow
keys inside a radio group) only: no clicks. Every control reached shows a visible
focus (tests/keyboard.py), and every page on the way, the ones after a form post
with their messages and errors included, passes axe-core (tests/a11y.py)."""

import os
import re

import pytest
from django.core.management import call_command
from django.test import Client

from decisions.models import Decision
from haet.models import User
from haet.seed import STAGE_NOW
from reviews.models import Review
from submissions.models import Submission
from tests.a11y import assert_accessible, signed_in_tab
from tests.keyboard import check, choose_radio, press_button, tab_to, type_into
from tests.submissions.pdf_factory import build_paper

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seed(stage: str) -> None:
    call_command(
        "seed_haet2022",
        papers=8,  # as the audit: the demo reviewer has assignments
        reviewers=6,
        stage=stage,
        reviews=True,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )


@pytest.fixture
def tab(browser, live_server):
    opened = []

    def open_as(user):
        context, page = signed_in_tab(browser, live_server, Client(), user)
        opened.append(context)
        return page

    yield open_as
    for context in opened:
        context.close()


def test_an_author_submits_a_paper_by_keyboard(
    tab, conference, author, settings, tmp_path
):
    settings.HAET_NOW = "2022-05-20T12:00:00Z"  # a week before the deadline
    paper = build_paper(tmp_path / "paper.pdf", author="Ada Author")
    too_long = build_paper(tmp_path / "long.pdf", pages=7, references_page=6)
    page = tab(author)
    page.goto("/submissions/")
    assert_accessible(page)
    press_button(page, "New submission")
    page.wait_for_url(re.compile(r"/submissions/new/$"))
    assert_accessible(page)

    # Saved empty: the error summary takes the focus, and the page stays accessible.
    press_button(page, "Save draft")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert_accessible(page, "the form with its errors")

    type_into(page, "input[name=title]", "Sparse Training on a Budget")
    type_into(
        page, "textarea[name=abstract]", "We train sparse networks with less energy."
    )
    type_into(page, "input[name=keywords]", "sparsity, energy")
    check(page, "input[name=topics]")
    assert page.input_value("input[name=authors-0-email]") == author.email
    type_into(page, "input[name=authors-1-name]", "Cora Coauthor")
    type_into(page, "input[name=authors-1-email]", "cora@example.org")
    type_into(page, "input[name=authors-1-affiliation]", "Uni B")
    # The line buttons work from the keyboard; the hidden labels follow the lines.
    tab_to(page, "button[aria-label='Move author line 2 up']")
    page.keyboard.press("Enter")
    assert page.input_value("#id_authors-0-name") == "Cora Coauthor"
    assert page.locator("label[for=id_authors-0-name]").inner_text() == (
        "Author 1: name"
    )
    assert page.get_by_label("Author 2: email").input_value() == author.email
    tab_to(page, "button[aria-label='Move author line 1 down']")  # and back
    page.keyboard.press("Enter")
    assert page.input_value("#id_authors-1-name") == "Cora Coauthor"
    tab_to(page, "input[name=pdf]")
    page.set_input_files("input[name=pdf]", str(too_long))  # the file chooser itself
    check(page, "input[name=not_accepted_at_main]")
    choose_radio(page, "include_in_proceedings", "yes")
    press_button(page, "Save draft")
    # The over-length PDF is refused with its report; the page stays accessible.
    page.wait_for_selector(".check-rejected")
    assert "over_page_limit" in page.locator(".check-rejected").inner_text()
    assert_accessible(page, "the form with the rejected PDF")

    tab_to(page, "input[name=pdf]")
    page.set_input_files("input[name=pdf]", str(paper))
    press_button(page, "Submit")
    page.wait_for_url(re.compile(r"/submissions/\d+/$"))

    submission = Submission.objects.get()
    assert f"Submitted #{submission.number}" in page.locator(".messages").inner_text()
    assert submission.state == "submitted"
    assert submission.title == "Sparse Training on a Budget"
    assert [a.name for a in submission.authors.order_by("order")][1] == "Cora Coauthor"
    assert_accessible(page, "the submission with its message")


def test_a_reviewer_submits_a_review_by_keyboard(tab, settings):
    settings.HAET_NOW = STAGE_NOW["review"]
    seed("review")
    reviewer = User.objects.get(email="reviewer@haet.example")
    page = tab(reviewer)
    page.goto("/reviews/")
    assert_accessible(page)
    assignment = (
        reviewer.assignments.exclude(review__state=Review.State.SUBMITTED)
        .order_by("submission__number")
        .first()
    )
    if assignment is None:  # the demo reviewed everything: Robin's first is unwritten
        assignment = reviewer.assignments.order_by("submission__number").first()
        Review.objects.filter(assignment=assignment).delete()
    number = assignment.submission.number
    tab_to(page, f"a[href='/reviews/{number}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/reviews/{number}/$"))
    assert_accessible(page)

    fields = page.evaluate(
        """() => [...document.querySelectorAll(
                "form.review-form input, form.review-form textarea")]
            .filter(el => el.type !== "hidden" && el.type !== "checkbox")
            .map(el => [el.name, el.type, el.value])"""
    )
    done = set()
    for name, kind, value in fields:
        if name in done:
            continue
        done.add(name)
        if kind == "radio":
            choose_radio(page, name, value)  # the first option of each question
        else:
            type_into(page, f"[name='{name}']", f"Keyboard review: {name}.")
    press_button(page, "Submit review")
    page.wait_for_selector(".messages")
    assert_accessible(page, "the review page after submitting")
    review = Review.objects.get(assignment=assignment)
    assert review.is_submitted


def test_a_chair_records_a_decision_by_keyboard(tab, settings):
    settings.HAET_NOW = STAGE_NOW["decision"]
    seed("decision")
    chair = User.objects.get(email="chair@haet.example")
    submission = Submission.objects.filter(state="submitted").order_by("number").first()
    current = Decision.objects.filter(submission=submission).first()
    outcome = (
        "desk_reject"
        if current is None or current.outcome != "desk_reject"
        else "reject"
    )
    page = tab(chair)
    page.goto("/decisions/")
    assert_accessible(page)
    tab_to(page, f"a[href='/decisions/{submission.number}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/decisions/{submission.number}/$"))
    assert_accessible(page)

    # A desk reject without its reason: refused, said next to the field, accessible.
    choose_radio(page, "outcome", "desk_reject")
    press_button(page, "Save the decision")
    page.wait_for_selector(".errorlist")
    assert "A desk reject needs its reason." in page.locator(".errorlist").inner_text()
    assert_accessible(page, "the decision form with its error")

    choose_radio(page, "outcome", outcome)
    type_into(page, "textarea[name=reason]", "Out of the workshop's scope.")
    press_button(page, "Save the decision")
    page.wait_for_selector(".messages")
    assert_accessible(page, "the page after recording the decision")
    assert Decision.objects.get(submission=submission).outcome == outcome
