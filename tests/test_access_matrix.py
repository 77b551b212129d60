"""The access matrix (issue 12): every URL pattern of the project, its arguments
filled from a seeded conference, requested by each persona: anonymous, an author, a
reviewer, a reviewer conflicted with some submissions, a chair, and an area chair.

Each pattern is declared once below as what it is for (public, any signed-in person
for their own things, reviewers, chairs). The matrix then checks, for every URL:

- nobody ever gets a server error;
- anonymous visitors read public pages only; everything else sends them to sign in
  (or answers 404, the same for existing and missing objects);
- chair pages answer 404 to every signed-in person who is not a chair;
- reviewer pages answer 404 to people who are not reviewers, and a conflicted
  reviewer gets 404 on every reviewer URL of a submission they are conflicted with;
- an author opens their own submissions, and gets 404 on everybody else's;
- a delegate (issue 16) opens the one submission whose review they write, and gets
  404 on every other submission, reviewer page and chair page;
- a pattern nobody declared fails the test, so a new page is placed in the matrix
  the day it is added.

The seed runs at two stages: during review (reviewer pages open) and after the
workshop (decisions released, camera-ready, awards).
"""

import os
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from decisions.jobs import RELEASE
from haet.jobs.services import start_job
from haet.models import User
from haet.rules import conflicted_submission_ids
from haet.seed import STAGE_NOW
from reviews.models import Delegation
from submissions.models import Submission
from tests.crawler import url_patterns, urls_of
from tests.test_conflicted_chair_crawl import (
    OWN_PAGES,
    PUBLIC_ACCEPTED_PAGES,
    argument_values,
    not_crawled,
)

pytestmark = pytest.mark.django_db

# Anyone, signed in or not. The pages naming accepted papers come from the crawl;
# the programme among them is public once published (before that 404, chairs
# preview it).
PUBLIC = PUBLIC_ACCEPTED_PAGES | {
    "home",
    "call-for-papers",  # the call for papers, archived there after the workshop
    "dates-ics",
    "favicon",
    # allauth's pages for people who are not signed in
    "account_login",
    "account_signup",
    "account_inactive",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "account_email_verification_sent",
    "account_logout",
    "reviews:outstanding",  # 404 until chairs publish it; names only (issue 16)
    # The read-only API's schema, documentation and public data (tests/api/).
    "api:schema",
    "api:docs",
    "api:conference",
    "api:topics",
}
# Any signed-in person, for their own account and their own submissions: the
# crawl's pages a chair opens as an author, and allauth's account pages.
OWN = (OWN_PAGES - PUBLIC) | {
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "account_email",
    "account_change_password",
    "account_set_password",
    "account_confirm_login_code",
    # The API lists what the person may see (401 to anonymous clients); their
    # tokens; their data and account deletion.
    "api:submissions",
    "api:submission",
    "api:assigned",
    "api:assignments",
    "api:reviews",
    "api:decisions",
    "api:tokens",
    "exchange:my-account",
    "exchange:delete-account",
    "reviews:response",  # an author's response to the reviews (issue 16)
    "reviews:markdown-preview",  # POST only: renders the posted text, nothing else
}
# Reviewers (and jurors, who are appointed from the committee).
REVIEWER = {
    "reviews:dashboard",
    "reviews:autosave",  # POST only: the review draft's autosave
    "reviews:listing-consent",  # POST only: agree to be named as outstanding
    "reviews:profile",
    "reviews:publications",
    "reviews:bidding",
    "reviews:submission",
    "reviews:review",
    "reviews:paper",
    "reviews:supplementary",
    "reviews:discussion",
    "reviews:delegation",  # the assigned reviewer delegates their review
    "reviews:delegated",  # the delegate's one submission (DELEGATE_PAGES)
    "reviews:delegated-paper",
    "reviews:delegated-supplementary",
    "awards:jury",
    "awards:jury-award",
    "awards:jury-rank",
    "awards:jury-score",
    "awards:verify",
}
# Reviewer URLs about one submission: a conflicted reviewer must get 404 there.
REVIEWER_SUBMISSION_PAGES = {
    "reviews:submission",
    "reviews:autosave",
    "reviews:review",
    "reviews:paper",
    "reviews:supplementary",
    "reviews:discussion",
    "reviews:delegation",
    "reviews:delegated",
    "reviews:delegated-paper",
    "reviews:delegated-supplementary",
}
# The delegate's pages: only for the submission whose review they write.
DELEGATE_PAGES = {
    "reviews:delegated",
    "reviews:delegated-paper",
    "reviews:delegated-supplementary",
}
# Area chairs, about the submissions they oversee (the meta-review page also
# opens to chairs): everybody else gets 404, and so does an area chair on a
# submission that is not theirs or that they are conflicted with.
AREA_CHAIR = {
    "reviews:area-chair-dashboard",
    "reviews:area-chair-submission",
    "reviews:area-chair-paper",
    "decisions:meta-review",
}
CHAIR_PREFIXES = ("chair-", "outbox:", "submissions:chair-", "awards:chair-")
CHAIR = {
    "submissions:chair-tags",  # tags and saved searches (also by the prefix)
    "submissions:chair-bulk-tag",  # POST only: 405 to a chair's GET
    "submissions:chair-fields",  # chair-defined submission fields (issue 15)
    "submissions:chair-field-new",
    "submissions:chair-field-edit",
    "submissions:chair-field-archive",  # POST only
    "submissions:chair-field-restore",  # POST only
    "submissions:chair-field-move",  # POST only
    "reviews:chair",
    "reviews:invitations",
    "reviews:conflicts",
    "reviews:assignments",
    "reviews:runs",
    "reviews:run",
    "jobs:detail",  # chairs' background jobs (deploy, release): haet.jobs.rules
    "audit:log",  # the audit log, its CSV, a submission's timeline (issue 15)
    "audit:log-csv",
    "audit:timeline",
    "reviews:affinity-upload",
    "reviews:settings",
    "reviews:chair-reviews",
    "reviews:chair-submission",
    "reviews:review-form",
    "reviews:chair-response-window",
    "reviews:chair-rate",  # POST only
    "reviews:chair-outstanding",
    "reviews:chair-delegations",
    "reviews:chair-emergency",
    "reviews:chair-emergency-submission",
    "reviews:area-chairs",  # area chairs: settings, role, assignment
    "decisions:dashboard",
    "decisions:bulk",
    "decisions:bulk-undo",
    "decisions:export-table",
    "decisions:release",
    "decisions:release-mail",  # one submission's mail before the release
    "decisions:templates",
    "decisions:camera-ready-progress",
    "decisions:exports",
    "decisions:export-accepted-csv",
    "decisions:export-accepted-json",
    "decisions:export-bibtex",
    "decisions:export-zip",
    "decisions:export-programme",
    "decisions:programme",
    "decisions:submission",
    "decisions:camera-ready-extension",
    "decisions:schedule-release",
    "decisions:cancel-release",
    "decisions:meta-reviews",  # the list and the "required" setting
    "schedule:edit",
    "schedule:settings",
    "schedule:fill-orals",
    "schedule:boards",
    "schedule:publish",
    "schedule:session-new",
    "schedule:session-edit",
    "schedule:session-delete",
    "schedule:item-new",
    "schedule:item-edit",
    "schedule:item-move",
    "schedule:item-delete",
    "exchange:chair",  # the export page
    "exchange:chair-download",  # without the chair's conflicted submissions
    "exchange:import",  # upload → dry run (issue 18)
    "exchange:import-confirm",  # POST only: starts the import job
    "exchange:import-reviewers",
    "exchange:retention",  # policy and preview, without conflicted submissions
    "exchange:retention-purge",  # POST only: starts the purge job
    "campaigns:list",  # mail campaigns (issue 15)
    "campaigns:new",
    "campaigns:detail",  # the delivery report: only mails the chair may see
    "campaigns:release",  # POST only: 405 to a chair's GET
}
PERSONAS = [
    "anonymous",
    "author",
    "reviewer",
    "conflicted_reviewer",
    "chair",
    "area_chair",
    "delegate",  # writes one review for a reviewer (issue 16)
]
MAX_URLS_PER_PATTERN = 40  # every submission of the seed, every mail up to 40
MISSING_NUMBER = 9999


def audience(name: str) -> str | None:
    if name in PUBLIC:
        return "public"
    if name in OWN:
        return "own"
    if name in REVIEWER:
        return "reviewer"
    if name in AREA_CHAIR:
        return "area_chair"
    if name in CHAIR or name.startswith(CHAIR_PREFIXES):
        return "chair"
    return None


def crawled_patterns():
    for name, pattern in url_patterns():
        if not_crawled(name) is None:
            yield name, pattern


def test_every_pattern_has_an_audience():
    undeclared = sorted(
        name for name, _ in crawled_patterns() if audience(name) is None
    )
    assert undeclared == [], (
        "Declare who each of these pages is for in tests/test_access_matrix.py"
    )
    declared = PUBLIC | OWN | REVIEWER | CHAIR | AREA_CHAIR
    known = {name for name, _ in url_patterns()}
    assert declared - known == set(), "declared patterns that no longer exist"


def personas(stage: str) -> dict[str, User | None]:
    reviewers = User.objects.filter(groups__name="reviewers").order_by("pk")
    conflicted = next(r for r in reviewers if conflicted_submission_ids(r))
    return {
        "anonymous": None,
        "author": User.objects.get(email="author@haet.example"),
        "reviewer": User.objects.get(email="reviewer@haet.example"),
        "conflicted_reviewer": conflicted,
        "chair": User.objects.get(email="chair@haet.example"),
        "delegate": User.objects.get(email="delegate@haet.example"),
        "area_chair": User.objects.get(email="area-chair@haet.example"),
    }


def outcome(response) -> str:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    if response.status_code == 401:  # the API asks a client to authenticate
        return "login"
    return str(response.status_code)


@pytest.fixture(params=["review", "over"])
def matrix(request, frozen):
    """{pattern: {persona: {(url, number): outcome}}} for one seeded stage."""
    stage = request.param
    frozen(STAGE_NOW[stage])
    call_command(
        "seed_haet2022",
        papers=8,
        reviewers=6,
        stage=stage,
        reviews=True,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    people = personas(stage)
    # A chair's background job (issue 14, item 10), left queued.
    start_job(RELEASE, by=people["chair"], params={"tokens": []})
    result: dict = defaultdict(lambda: defaultdict(dict))
    for persona, user in people.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for name, pattern in crawled_patterns():
            urls, _ = urls_of(name, pattern, argument_values(name))
            if "number" in pattern.pattern.regex.groupindex:
                # A number no submission has: probing must not tell it apart.
                missing = {**{k: v[0] for k, v in argument_values(name).items()}}
                missing["number"] = MISSING_NUMBER
                given = {k: missing[k] for k in pattern.pattern.regex.groupindex}
                urls = [*urls, (reverse(name, kwargs=given), MISSING_NUMBER)]
            for url, number in urls[:MAX_URLS_PER_PATTERN]:
                result[name][persona][(url, number)] = outcome(client.get(url))
    return stage, people, result


def test_access_matrix(matrix):
    stage, people, result = matrix
    author_numbers = set(
        Submission.objects.filter(authors__user=people["author"]).values_list(
            "number", flat=True
        )
    )
    hidden_numbers = set(
        Submission.objects.filter(
            pk__in=conflicted_submission_ids(people["conflicted_reviewer"])
        ).values_list("number", flat=True)
    )
    area_chair_numbers = set(
        Submission.objects.filter(
            area_chair_assignment__area_chair=people["area_chair"]
        )
        .exclude(state="withdrawn")
        .exclude(pk__in=conflicted_submission_ids(people["area_chair"]))
        .values_list("number", flat=True)
    )
    # The seed gives each persona a case to judge.
    delegated_numbers = set(
        Delegation.objects.accepted_by(people["delegate"]).values_list(
            "assignment__submission__number", flat=True
        )
    )
    assert author_numbers
    assert hidden_numbers
    assert delegated_numbers
    assert area_chair_numbers
    assert len(result) > 80  # every pattern was requested
    wrong = []

    def expect(name, persona, allowed, only_numbers=None):
        for (url, number), got in result[name][persona].items():
            if only_numbers is not None and number not in only_numbers:
                continue
            if got not in allowed:
                wrong.append(f"{persona} {url} ({name}): {got}, expected {allowed}")

    for name in result:
        kind = audience(name)
        for persona in PERSONAS:
            for (url, _), got in result[name][persona].items():
                if got.startswith("5"):
                    wrong.append(f"{persona} {url} ({name}): server error {got}")
        if kind != "public":
            expect(name, "anonymous", {"login", "404", "405"})
        answers = {
            number == MISSING_NUMBER: got
            for (_, number), got in result[name]["anonymous"].items()
            if number is not None
        }
        if len(set(answers.values())) > 1 and kind != "public":
            wrong.append(f"anonymous tells existing from missing on {name}: {answers}")
        if kind == "chair":
            for persona in (
                "author",
                "reviewer",
                "conflicted_reviewer",
                "area_chair",
                "delegate",
            ):
                expect(name, persona, {"404"})
            opened = set(result[name]["chair"].values())
            if not opened & {"200", "302", "405"}:
                wrong.append(f"chair cannot open any {name} URL: {opened}")
        if kind == "reviewer":
            expect(name, "author", {"404"})
            if name not in DELEGATE_PAGES:
                expect(name, "delegate", {"404"})
        if name in DELEGATE_PAGES:
            for persona in ("reviewer", "conflicted_reviewer", "chair"):
                expect(name, persona, {"404"})
            others = {n for (_, n) in result[name]["delegate"]} - delegated_numbers
            expect(name, "delegate", {"404"}, only_numbers=others)
            expect(name, "area_chair", {"404"})
        if kind == "area_chair":
            for persona in ("author", "reviewer", "conflicted_reviewer", "delegate"):
                expect(name, persona, {"404"})
            numbers = {n for (_, n) in result[name]["area_chair"] if n is not None}
            expect(name, "area_chair", {"200"}, only_numbers=area_chair_numbers)
            expect(
                name, "area_chair", {"404"}, only_numbers=numbers - area_chair_numbers
            )
        if name in REVIEWER_SUBMISSION_PAGES:
            expect(name, "conflicted_reviewer", {"404"}, only_numbers=hidden_numbers)
        if kind == "own" and name.startswith("submissions:"):
            others = {
                n
                for (_, n) in result[name]["author"]
                if n is not None and n not in author_numbers
            }
            expect(name, "author", {"404"}, only_numbers=others)
    detail = {
        number: got
        for (_, number), got in result["submissions:detail"]["author"].items()
    }
    assert {n for n, got in detail.items() if got == "200"} == author_numbers
    delegated = {
        number: got
        for (_, number), got in result["reviews:delegated"]["delegate"].items()
    }
    assert {n for n, got in delegated.items() if got == "200"} == delegated_numbers
    assert not wrong, f"Stage {stage}, access matrix broken:\n" + "\n".join(wrong)
