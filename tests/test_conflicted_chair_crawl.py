"""The conflicted-chair leak crawl (issue 12): a chair who co-authors submission P
opens every page of the project and must learn nothing about P's reviewing.

The world is the demo seed, at the "decision" stage (every review in, decisions
set, not released) and again at "over" (released, camera-ready, awards), plus: a
co-chair, the demo chair listed as an author of P (so the conflict rules hide P
from them), two canary reviewers who review only P (assigned by the co-chair, so
the outbox holds their assignment mails), a canary review text, bids, a discussion
post, the chairs' overdue-review digest (one review of P is a draft), and a
password reset requested for a canary reviewer.

Logged in as the conflicted chair, the crawl GETs every URL pattern of the project
(arguments filled from the seeded objects: every submission number, mail, run,
date, award) and every link of the chair's start pages, one level deep. Then:

1. Every pattern is crawled or listed in NOT_CRAWLED with its reason, so a new page
   is covered the day it is added (or the test says what to fill it with).
2. No chair-facing page names P: its title, abstract, "#<number>", its chair pages'
   URLs, its review texts. Pages the chair opens as one of P's authors (their own
   submission) may show P's title, never its reviewing (its reviews once released);
   after release the public pages and exports may list P like any accepted paper.
3. No page depends on who reviews P: every page is fetched again with P's
   assignments, reviews, bids, affinity, discussion and decision deleted (then
   rolled back), and must be identical. This is what catches a load, a count or a
   histogram computed over the hidden submission, and a canary reviewer's name
   shown "in connection with P", without guessing at how each page lays them out.
4. No page hands out a credential (a password-reset or e-mail confirmation link).
"""

import os
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import (
    reverse,
)

from awards.models import AwardSettings
from campaigns.composing import Draft, prepare
from campaigns.models import Campaign
from campaigns.sending import queue_campaign
from decisions.jobs import RELEASE
from decisions.meta_reviews import save_meta_review
from decisions.models import Decision, DecisionLog, MetaReview
from haet.clock import parse_instant
from haet.jobs.models import Job
from haet.jobs.services import start_job
from haet.models import ImportantDate, User
from haet.outbox.models import OutboxMail
from haet.outbox.reminders import send_due_reminders
from haet.seed import STAGE_NOW
from reviews.assigning import assign_reviewer
from reviews.delegation import approve_delegation
from reviews.emergency import invite_emergency_reviewer
from reviews.models import (
    AffinityScore,
    AreaChairAssignment,
    Assignment,
    AssignmentRun,
    Bid,
    Delegation,
    DiscussionPost,
    EmergencyInvitation,
    Review,
)
from reviews.reviewing import post_to_discussion
from schedule.models import Item, Session
from schedule.services import (
    assign_poster_boards,
    fill_orals,
    publish_schedule,
    save_item,
    save_session,
    schedule_of,
)
from submissions.models import Author, Submission, SubmissionField
from tests.crawler import (
    Crawl,
    Page,
    body_text,
    follow_links,
    normalised,
    pattern_kwargs,
    url_patterns,
    urls_of,
)
from tests.factories import ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db

P_NUMBER = 10  # two digits: "#10" cannot be part of a colour or of "#1"
P_TITLE = "Quokka-canary training of wombat networks on abacus clusters"
P_ABSTRACT = "Canary abstract: we teach wombats to multiply on an abacus cluster."
CANARY_REVIEWERS = [
    ("Zebulon Quokkareviewer", "zebulon.quokka@canary-review.example"),
    ("Xanthe Wombatreviewer", "xanthe.wombat@canary-review.example"),
]
CANARY_REVIEW = "canary-review-text: the abacus baseline is unconvincing"
CANARY_POST = "canary-discussion-post: I side with the first review"
CANARY_META_REVIEW = "canary-meta-review: the wombats multiply, the reviewers agree"
CANARY_META_NOTE = "canary-meta-note: for the chairs only, never the authors"

# Patterns not crawled, each with its reason. Everything else is crawled as the
# conflicted chair; a pattern whose arguments the crawl cannot fill fails the test.
NOT_CRAWLED = {
    "healthz": "a health probe: no data",
    "reviews:bid": "POST only: a reviewer's own bid, keyed per reviewer",
    "account_confirm_email": "needs a secret key from a mail (checked: never shown)",
    "account_reset_password_from_key": "needs a secret key (checked: never shown)",
    "reviews:invitation": "an invitee's secret token (the invitee's own page)",
    "reviews:delegation-answer": "a delegate's secret token (the delegate's page)",
    "reviews:emergency-answer": "an emergency invitee's token (their own page)",
    "reviews:area-chair-invitation": "an invitee's secret token (their own page)",
    "": "allauth's legacy redirects (no name), no data",
    "api:token-revoke": "POST only: revokes one of the person's own API tokens",
}
NOT_CRAWLED_PREFIXES = {
    "admin:": "Django's admin: staff only, chairs are not staff",
    "socialaccount_": "third-party sign-in is not configured",
}
# Pages the conflicted chair opens as an author (their own submission) or as anyone
# else: they may show P's title and number when they are about P (or list the
# user's own submissions), never anything about its reviewing (check 3).
OWN_PAGES = {
    "home",
    "dates-ics",
    "mail-preferences",
    "submissions:list",
    "submissions:new",
    "submissions:detail",
    "submissions:edit",
    "submissions:submit",
    "submissions:withdraw",
    "submissions:restore",
    "submissions:paper",
    "submissions:version",
    "submissions:reviewer-copy",
    "submissions:supplementary",
    "submissions:supplementary-reviewer-copy",
    "submissions:field-file",  # a file answer to a chair-defined field
    "decisions:author-view",
    "decisions:camera-ready",
    "decisions:presentation",
    "decisions:camera-ready-pdf",
    "decisions:slides",
    "decisions:poster",
    "awards:submission",
    "awards:entry",
    "awards:entry-withdraw",
    "exchange:my-data",  # their own data: their submission P, not its reviewing
    "api:submission-reviews",  # as P's author once released, as the decision page
}
# Public pages that name accepted papers (the accepted list, award leaderboards and
# the published programme): anyone may read them once decisions are released.
PUBLIC_ACCEPTED_PAGES = {
    "accepted:list",
    "accepted:pdf",
    "awards:index",
    "awards:leaderboard",
    "awards:leaderboard-csv",
    "awards:leaderboard-json",
    "awards:leaderboard-svg",
    # The published programme (schedule app): public pages naming accepted papers.
    "schedule:timetable",
    "schedule:by-room",
    "schedule:print",
    "schedule:json",
    "schedule:ics",
    "schedule:item",
    "schedule:item-ics",
    "schedule:photo",
    "schedule:slides",
    "schedule:poster",
    # The read-only API's public lists (api.views.public).
    "api:accepted",
    "api:awards",
    "api:leaderboard",
}
# Once decisions are released (the "over" stage) these may list P like any accepted
# paper: the public pages above and the chair's exports of the accepted papers.
PUBLIC_AFTER_RELEASE = PUBLIC_ACCEPTED_PAGES | {
    "decisions:exports",
    "decisions:export-accepted-csv",
    "decisions:export-accepted-json",
    "decisions:export-bibtex",
    "decisions:export-zip",
    "decisions:export-programme",
    "decisions:programme",
}
# The chair's start pages: every link on them is followed once (with its query).
START_PAGES = [
    "chair-home",
    "submissions:chair-list",
    "reviews:chair",
    "decisions:dashboard",
    "awards:chair-list",
    "outbox:list",
    "campaigns:list",
]
CREDENTIALS = re.compile(r"/accounts/(password/reset/key|confirm-email)/[^\s\"'<]+")


# --- the world ---------------------------------------------------------------------
@dataclass
class World:
    chair: User
    co_chair: User
    submission: Submission
    reviewers: list[User]
    stage: str


def build_world(frozen, stage: str = "decision") -> World:
    frozen(STAGE_NOW[stage])
    call_command(
        "seed_haet2022",
        papers=12,
        reviewers=8,
        stage=stage,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    chair = User.objects.get(email="chair@haet.example")
    co_chair = UserFactory(
        email="co-chair@haet.example", name="Cleo Cochair", role="chair"
    )
    submission = Submission.objects.get(number=P_NUMBER)
    Submission.objects.filter(pk=submission.pk).update(
        title=P_TITLE, abstract=P_ABSTRACT
    )
    submission.refresh_from_db()
    # The chair is one of P's authors (common at workshops): the conflict rules
    # detect it from this row, as they would from the submission form.
    Author.objects.create(
        submission=submission,
        order=submission.authors.count(),
        name=chair.name,
        email=chair.email,
        affiliation=chair.affiliation,
        user=chair,
    )
    reviewers = [
        UserFactory(email=email, name=name, role="reviewer")
        for name, email in CANARY_REVIEWERS
    ]
    for i, reviewer in enumerate(reviewers):
        assignment, _ = assign_reviewer(submission, reviewer, by=co_chair)
        # The second review is still a draft: P is in the chairs' overdue digest.
        ReviewFactory(
            assignment=assignment,
            score=1 - 2 * i,
            comments=f"{CANARY_REVIEW} ({i})",
            submitted=i == 0,
        )
        Bid.objects.create(
            submission=submission,
            reviewer=reviewer,
            value=Bid.Value.EAGER,
            updated_at=STAGE_NOW[stage],
        )
        # A delegate writes it, awaiting the co-chair's approval (issue 16); the
        # second one approved: its invitation is in the outbox.
        delegation = Delegation.objects.create(
            assignment=assignment,
            name=f"Quentin Quokkadelegate {i}",
            email=f"quentin{i}@canary-delegate.example",
            status=Delegation.Status.AWAITING_APPROVAL,
        )
        if i == 1:
            approve_delegation(delegation, by=co_chair)
    # An emergency reviewer asked for P (issue 16): a mail naming P.
    invite_emergency_reviewer(
        submission,
        UserFactory(
            email="yannick@canary-review.example",
            name="Yannick Emergencyreviewer",
            role="reviewer",
        ),
        due_at=parse_instant(STAGE_NOW[stage]) + timedelta(days=10),
        by=co_chair,
    )
    post_to_discussion(submission, CANARY_POST, by=co_chair)
    save_meta_review(
        submission,
        to_authors=CANARY_META_REVIEW,
        note_to_chairs=CANARY_META_NOTE,
        by=co_chair,
    )
    # The daily digest of overdue reviews, to every chair (finding 1).
    send_due_reminders(only={"review_overdue_digest"})
    # A reset link for a canary reviewer now sits in the outbox (finding 2).
    Client().post(reverse("account_reset_password"), {"email": CANARY_REVIEWERS[0][1]})
    schedule_the_day(submission, co_chair, stage)
    mail_the_reviewers(co_chair)
    # Background jobs (issue 14, item 10), left queued: the chair's own, and the
    # co-chair's, which a conflicted chair may not follow.
    for starter in (chair, co_chair):
        start_job(RELEASE, by=starter, params={"tokens": []})
    return World(chair, co_chair, submission, reviewers, stage)


def schedule_the_day(p: Submission, co_chair: User, stage: str) -> None:
    """The workshop day with P in it (placed by the co-chair, whatever its
    decision), published after release; the demo seed may have built the day."""
    schedule = schedule_of(p.conference)
    if not Session.objects.filter(schedule=schedule).exists():
        start = datetime(2022, 7, 23, 9, tzinfo=schedule.tzinfo)
        session = save_session(
            schedule,
            title="Crawl session",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            by=co_chair,
        )
        kinds = ["oral"] * 11 + ["poster_session", "award_ceremony"]
        for i, kind in enumerate(kinds):
            save_item(
                session,
                kind=kind,
                starts_at=start + timedelta(minutes=10 * i),
                ends_at=start + timedelta(minutes=10 * i + 10),
                by=co_chair,
            )
    fill_orals(schedule, by=co_chair)
    assign_poster_boards(schedule, by=co_chair)
    placed = p.schedule_items.exists() or p.poster_boards.exists()
    if not placed:
        session = Session.objects.filter(schedule=schedule).earliest("starts_at")
        save_item(
            session,
            kind="oral",
            submission=p,
            starts_at=session.starts_at,
            ends_at=session.starts_at + timedelta(minutes=5),
            by=co_chair,
        )
    if stage == "over":
        publish_schedule(schedule, by=co_chair)


def mail_the_reviewers(co_chair: User) -> None:
    """A co-chair's campaign (issue 15) to the reviewers of every submission: the
    canary reviewers' mails list P."""
    draft = Draft(
        recipients="reviewers",
        search="status:submitted",
        subject="Your submissions to review",
        body="Dear {{ recipient.name }},\n{{ submissions }}",
    )
    conference = Submission.objects.get(number=P_NUMBER).conference
    prepared = prepare(draft, by=co_chair, conference=conference)
    queue_campaign(
        draft,
        token=uuid.uuid4(),
        fingerprint=prepared.fingerprint,
        conference=conference,
        by=co_chair,
    )


# --- what the crawl opens -------------------------------------------------------------
def not_crawled(name: str) -> str | None:
    if name in NOT_CRAWLED:
        return NOT_CRAWLED[name]
    return next(
        (why for start, why in NOT_CRAWLED_PREFIXES.items() if name.startswith(start)),
        None,
    )


def argument_values(name: str) -> dict[str, list]:
    """What each keyword argument of a pattern can be, from the seeded objects."""
    numbers = list(
        Submission.objects.order_by("number").values_list("number", flat=True)
    )
    slugs = list(_award_slugs())
    pks = {
        "chair-date-edit": lambda: ImportantDate.objects.values_list("pk", flat=True),
        "reviews:run": lambda: AssignmentRun.objects.values_list("pk", flat=True),
        "jobs:detail": lambda: Job.objects.values_list("pk", flat=True),
        **dict.fromkeys(
            [
                "submissions:chair-field-edit",
                "submissions:chair-field-archive",
                "submissions:chair-field-restore",
                "submissions:chair-field-move",
                "submissions:field-file",
            ],
            lambda: SubmissionField.objects.values_list("pk", flat=True),
        ),
        "campaigns:detail": lambda: Campaign.objects.values_list("pk", flat=True),
        "campaigns:release": lambda: Campaign.objects.values_list("pk", flat=True),
    }
    values: dict[str, list] = {"number": numbers, "slug": slugs}
    if name.startswith("outbox:"):
        values["pk"] = list(
            OutboxMail.objects.order_by("pk").values_list("pk", flat=True)
        )
    elif name in pks:
        values["pk"] = list(pks[name]())
    if name == "submissions:version":
        values["version"] = [1, 2]
    if name.startswith("schedule:") and name not in (
        "schedule:slides",
        "schedule:poster",
    ):
        # Sessions by pk, items by code (none before a day is built).
        values["pk"] = list(Session.objects.values_list("pk", flat=True))
        values["code"] = list(Item.objects.values_list("code", flat=True))
    return values


def _award_slugs():
    return AwardSettings.objects.order_by("pk").values_list("slug", flat=True)


def crawl(world: World) -> Crawl:
    client = Client()
    client.force_login(world.chair)
    result = Crawl(world)
    for name, pattern in url_patterns():
        if not_crawled(name) is not None:
            continue
        urls, _ = urls_of(name, pattern, argument_values(name))
        for url, number in urls:
            result.get(client, url, name, number)
    for name in START_PAGES:
        follow_links(result, client, reverse(name))
    return result


def p_references(world: World) -> dict[str, re.Pattern]:
    """What names P on a page: its title, abstract, "#10", its chair pages."""
    found = {
        "P's title": re.compile(re.escape(P_TITLE)),
        "P's abstract": re.compile(re.escape(P_ABSTRACT[:40])),
        f"#{P_NUMBER}": re.compile(rf"#\s?{P_NUMBER}(?!\d)"),
    }
    for name, pattern in url_patterns():
        if name in OWN_PAGES or not_crawled(name) is not None:
            continue
        if pattern_kwargs(pattern) == ["number"]:
            url = reverse(name, kwargs={"number": P_NUMBER})
            found[f"a link to {url}"] = re.compile(re.escape(url) + r"(?![\w/-])")
    return found


def is_own_page_of_p(page: Page) -> bool:
    """A page the chair opens as P's author: about P, or listing their own."""
    return page.pattern in OWN_PAGES and page.number in (None, P_NUMBER)


def may_name_p(page: Page, stage: str) -> bool:
    if stage == "over" and page.pattern in PUBLIC_AFTER_RELEASE:
        return True
    return is_own_page_of_p(page)


# --- the checks ----------------------------------------------------------------------
def test_every_url_pattern_is_crawled_or_listed(frozen):
    build_world(frozen)  # the objects whose ids fill the arguments
    unfillable = {}
    for name, pattern in url_patterns():
        if not_crawled(name) is None:
            _, missing = urls_of(name, pattern, argument_values(name))
            if missing:
                unfillable[name] = missing
    assert unfillable == {}, (
        "These URL patterns take arguments the crawl cannot fill: teach "
        "argument_values() how, or list them in NOT_CRAWLED with the reason."
    )


@pytest.fixture(params=["decision", "over"])
def crawled(request, frozen):
    """Before release (every review in, decisions set) and after it (released,
    camera-ready, awards)."""
    return crawl(build_world(frozen, request.param))


def test_no_page_names_the_hidden_submission_or_shows_a_credential(crawled):
    opened = [p for p in crawled.pages.values() if p.status == 200]
    # The crawl really did open the pages it judges, and reads them: the chair's
    # own submission page shows P's title, every outbox mail they may see is open.
    assert {name for name in START_PAGES if reverse(name) in crawled.pages} == set(
        START_PAGES
    )
    assert len(opened) > 100
    assert P_TITLE in crawled.pages[reverse("submissions:detail", args=[P_NUMBER])].text
    assert any(p.pattern == "outbox:detail" for p in opened)
    # The canaries are there to find: the co-chair, who may see P, reads them.
    co_chair = Client()
    co_chair.force_login(crawled.world.co_chair)
    review_page = co_chair.get(reverse("reviews:chair-submission", args=[P_NUMBER]))
    assert CANARY_REVIEW in review_page.text
    delegations = co_chair.get(reverse("reviews:chair-delegations"))
    assert "Quentin Quokkadelegate 0" in delegations.text
    assert sorted(
        OutboxMail.objects.filter(
            template__in=["delegation_invitation", "emergency_invitation"]
        ).values_list("template", flat=True)
    ) == ["delegation_invitation", "emergency_invitation"]
    meta_page = co_chair.get(reverse("decisions:meta-review", args=[P_NUMBER]))
    assert CANARY_META_REVIEW in meta_page.text
    assert P_TITLE in co_chair.get(reverse("decisions:dashboard")).text
    stage = crawled.world.stage
    references = p_references(crawled.world)
    leaks = []
    for page in opened:
        checks = {
            "a discussion post of P": re.compile(re.escape(CANARY_POST)),
            "a delegate of P": re.compile("Quokkadelegate"),
            "the meta-review note of P": re.compile(re.escape(CANARY_META_NOTE)),
            "a credential link": CREDENTIALS,
        }
        # Once released, P's authors (the chair among them) read its reviews.
        if not (stage == "over" and is_own_page_of_p(page)):
            checks["a review of P"] = re.compile(re.escape(CANARY_REVIEW))
            checks["a meta-review of P"] = re.compile(re.escape(CANARY_META_REVIEW))
        if not may_name_p(page, stage):
            checks.update(references)
        leaks += [
            f"{page.url}: {what}" for what, rx in checks.items() if rx.search(page.text)
        ]
    assert not leaks, "These pages leak:\n" + "\n".join(leaks)


def forget_reviewing_of(submission: Submission) -> None:
    """Everything that says who reviews the submission and what they concluded."""
    DiscussionPost.objects.filter(submission=submission).delete()
    Bid.objects.filter(submission=submission).delete()
    EmergencyInvitation.objects.filter(submission=submission).delete()
    AffinityScore.objects.filter(submission=submission).delete()
    Review.objects.filter(assignment__submission=submission).delete()
    Assignment.objects.filter(submission=submission).delete()
    DecisionLog.objects.filter(submission=submission).delete()
    Decision.objects.filter(submission=submission).delete()
    MetaReview.objects.filter(submission=submission).delete()
    AreaChairAssignment.objects.filter(submission=submission).delete()


def test_no_page_depends_on_the_reviewing_of_the_hidden_submission(crawled):
    world = crawled.world
    client = Client()
    client.force_login(world.chair)
    co_chair = Client()
    co_chair.force_login(world.co_chair)
    # After release, what P's authors and the public read depends on P's decision
    # and reviews by design; every other page still must not.
    pages = [
        p
        for p in crawled.pages.values()
        if p.status == 200 and not (world.stage == "over" and may_name_p(p, "over"))
    ]

    def render_all() -> dict[str, str]:
        renders = {}
        for page in pages:
            response = client.get(page.url)
            renders[page.url] = (
                normalised(body_text(response)) if response.status_code == 200 else ""
            )
        return renders

    # Fetched twice first: the crawl's own GETs may have created rows (settings
    # made on first visit) that change a page once; that is not a leak.
    before = render_all()
    dashboard_before = co_chair.get(reverse("decisions:dashboard")).text
    with transaction.atomic():
        forget_reviewing_of(world.submission)
        after = render_all()
        dashboard_after = co_chair.get(reverse("decisions:dashboard")).text
        transaction.set_rollback(True)

    # For a chair who may see P, the same change shows (the check can see it).
    assert dashboard_before != dashboard_after
    changed = [
        f"{page.url} ({page.pattern})"
        for page in pages
        if before[page.url] != after[page.url]
    ]
    assert not changed, (
        "These pages change with the reviewing of the hidden submission:\n"
        + "\n".join(changed)
    )
