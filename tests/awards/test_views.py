"""Awards pages: the access matrix of every view, what each page shows, the
leaderboard exports (formula-safe CSV, JSON), and constant query counts."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.entering import save_entry
from awards.judging import change_shortlist, score_submission
from awards.models import AwardResult, Entry, Judgement
from awards.results import announce, publish_leaderboard, set_result
from tests.awards.conftest import (
    BEFORE_DEADLINE,
    FASTEST,
    LEAK_EMAIL,
    LEAK_NAME,
    accept,
    jury_scores,
)
from tests.factories import SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "author",
    "other_author",
    "juror",
    "conflicted_juror",
    "chair",
    "outsider",
]


def as_persona(client, world, persona, outsider):
    user = {
        "anonymous": None,
        "author": world.author,
        "other_author": world.other_author,
        "juror": world.juror,
        "conflicted_juror": world.conflicted_juror,
        "chair": world.chair,
        "outsider": outsider,
    }[persona]
    if user is not None:
        client.force_login(user)
    return client


def slug(world, kind):
    return world.settings[kind].slug


LOGIN = "login"
# view name -> (args builder, {persona: expected}); missing personas expect 404.
MATRIX = {
    "awards:index": (lambda w: [], dict.fromkeys(PERSONAS, 200)),
    "awards:submission": (lambda w: [1], {"anonymous": LOGIN, "author": 200}),
    "awards:entry": (
        lambda w: [slug(w, "fastest_training"), 1],
        {"anonymous": LOGIN, "author": 200},
    ),
    "awards:jury": (
        lambda w: [],
        {"anonymous": LOGIN, "juror": 200, "conflicted_juror": 200},
    ),
    "awards:jury-award": (
        lambda w: [slug(w, "best_paper")],
        {"anonymous": LOGIN, "juror": 200, "conflicted_juror": 200},
    ),
    "awards:leaderboard": (
        lambda w: [slug(w, "fastest_training")],
        {"juror": 200, "conflicted_juror": 200, "chair": 200},
    ),
    "awards:leaderboard-csv": (
        lambda w: [slug(w, "fastest_training")],
        {"juror": 200, "conflicted_juror": 200, "chair": 200},
    ),
    "awards:leaderboard-json": (
        lambda w: [slug(w, "fastest_training")],
        {"juror": 200, "conflicted_juror": 200, "chair": 200},
    ),
    "awards:leaderboard-svg": (
        lambda w: [slug(w, "fastest_training")],
        {"juror": 200, "conflicted_juror": 200, "chair": 200},
    ),
    "awards:chair-list": (lambda w: [], {"anonymous": LOGIN, "chair": 200}),
    "awards:chair-new": (lambda w: [], {"anonymous": LOGIN, "chair": 200}),
    "awards:chair-edit": (
        lambda w: [slug(w, "best_paper")],
        {"anonymous": LOGIN, "chair": 200},
    ),
    "awards:chair-judging": (
        lambda w: [slug(w, "best_paper")],
        {"anonymous": LOGIN, "chair": 200},
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access_matrix(client, entered, outsider, persona, name):
    args, expected = MATRIX[name]
    url = reverse(name, args=args(entered))

    response = as_persona(client, entered, persona, outsider).get(url)

    want = expected.get(persona, 404)
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == want


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "name", ["awards:leaderboard", "awards:leaderboard-csv", "awards:leaderboard-json"]
)
def test_published_leaderboard_is_public(client, entered, outsider, persona, name):
    publish_leaderboard(entered.fastest, is_published=True, by=entered.chair)

    response = as_persona(client, entered, persona, outsider).get(
        reverse(name, args=[slug(entered, "fastest_training")])
    )

    assert response.status_code == 200


def test_best_paper_has_no_leaderboard_even_for_chairs(client, entered):
    client.force_login(entered.chair)

    response = client.get(
        reverse("awards:leaderboard", args=[slug(entered, "best_paper")])
    )

    assert response.status_code == 404


# --- authors -----------------------------------------------------------------------
def entry_post(data):
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_author_enters_from_the_form_with_units(client, world, frozen):
    frozen(BEFORE_DEADLINE)
    client.force_login(world.author)
    url = reverse("awards:entry", args=[slug(world, "fastest_training"), 1])

    response = client.post(
        url, entry_post({**FASTEST, "time_value": 150, "time_unit": "min"})
    )

    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.time_s, entry.accelerator_hours) == (9000.0, 320.0)


def test_refused_values_are_shown_on_the_form(client, world, frozen):
    frozen(BEFORE_DEADLINE)
    client.force_login(world.author)
    url = reverse("awards:entry", args=[slug(world, "fastest_training"), 1])

    response = client.post(url, entry_post({**FASTEST, "time_value": -2}))

    assert response.status_code == 200
    assert "The time cannot be negative" in response.content.decode()
    assert not Entry.objects.exists()


@pytest.mark.parametrize("persona", ["other_author", "juror", "chair", "outsider"])
def test_only_authors_post_entries(client, world, frozen, outsider, persona):
    frozen(BEFORE_DEADLINE)
    url = reverse("awards:entry", args=[slug(world, "fastest_training"), 1])

    response = as_persona(client, world, persona, outsider).post(
        url, entry_post(FASTEST)
    )

    assert response.status_code == 404
    assert not Entry.objects.exists()


def test_entry_page_is_read_only_after_the_deadline(client, entered, frozen):
    frozen("2022-07-09T00:00:00Z")
    client.force_login(entered.author)
    url = reverse("awards:entry", args=[slug(entered, "fastest_training"), 1])

    page = client.get(url).content.decode()
    response = client.post(url, entry_post({**FASTEST, "time_value": 1}))

    assert "entries are frozen" in page
    assert '<form method="post" class="entry-form"' not in page
    assert response.status_code == 302
    assert Entry.objects.get().time_s == 9000.0


def test_submission_page_shows_prizes_to_authors_only(client, entered, outsider):
    url = reverse("submissions:detail", args=[entered.submission.number])
    client.force_login(entered.author)

    html = client.get(url).content.decode()

    assert 'id="prizes"' in html
    assert "Fastest training method" in html
    client.force_login(outsider)
    assert client.get(url).status_code == 404


# --- jurors ------------------------------------------------------------------------
def test_jury_page_never_shows_authors(client, entered):
    client.force_login(entered.juror)

    page = client.get(
        reverse("awards:jury-award", args=[slug(entered, "fastest_training")])
    ).content.decode()

    assert "Sparse training of transformers" in page
    for leak in (LEAK_NAME, LEAK_EMAIL, "Ada Author", "author@example.org"):
        assert leak not in page


def test_conflicted_juror_page_hides_the_paper(client, entered):
    client.force_login(entered.conflicted_juror)

    page = client.get(
        reverse("awards:jury-award", args=[slug(entered, "best_paper")])
    ).content.decode()

    assert "Energy models of training on GPUs" in page
    assert "Sparse training of transformers" not in page


def test_conflicted_juror_cannot_score_or_verify_the_paper(client, entered):
    client.force_login(entered.conflicted_juror)
    fastest = slug(entered, "fastest_training")

    scored = client.post(
        reverse("awards:jury-score", args=[fastest, 1]),
        {f"s{entered.submission.pk}-score": "10"},
    )
    verified = client.post(
        reverse("awards:verify", args=[fastest, 1]), {"is_verified": "1"}
    )

    assert (scored.status_code, verified.status_code) == (404, 404)
    assert not Judgement.objects.exists()
    assert Entry.objects.get().is_verified is False


def test_juror_scores_and_verifies(client, entered):
    client.force_login(entered.juror)
    fastest = slug(entered, "fastest_training")

    client.post(
        reverse("awards:jury-score", args=[fastest, 1]),
        {
            f"s{entered.submission.pk}-score": "9",
            f"s{entered.submission.pk}-comment": "Convincing logs.",
        },
    )
    client.post(reverse("awards:verify", args=[fastest, 1]), {"is_verified": "1"})

    judgement = Judgement.objects.get()
    assert (judgement.score, judgement.comment) == (9, "Convincing logs.")
    assert Entry.objects.get().verified_by == entered.juror


def test_juror_ranks_on_a_rank_award(client, entered, frozen):
    energy = entered.settings["energy_hardware"]
    for submission in (entered.submission, entered.other_submission):
        change_shortlist(energy.award, submission, action="add", by=entered.chair)
    client.force_login(entered.juror)
    one, two = entered.submission.pk, entered.other_submission.pk

    client.post(
        reverse("awards:jury-rank", args=[energy.slug]),
        {f"rank_{one}": "2", f"rank_{two}": "1", f"comment_{two}": "Best joules."},
    )

    assert sorted(
        Judgement.objects.values_list("submission_id", "rank", "comment")
    ) == [
        (one, 2, ""),
        (two, 1, "Best joules."),
    ]


def test_a_refused_ballot_comes_back_with_every_rank_and_comment(
    client, entered, frozen
):
    """Two papers given rank 1: the page comes back with the reason, the ranks
    and the comments as typed, and nothing is saved."""
    energy = entered.settings["energy_hardware"]
    for submission in (entered.submission, entered.other_submission):
        change_shortlist(energy.award, submission, action="add", by=entered.chair)
    client.force_login(entered.juror)
    one, two = entered.submission.pk, entered.other_submission.pk

    response = client.post(
        reverse("awards:jury-rank", args=[energy.slug]),
        {
            f"rank_{one}": "1",
            f"rank_{two}": "1",
            f"comment_{one}": "Careful power logs.",
            f"comment_{two}": "Best joules.",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "with each rank used once" in page
    assert "Your ranking was not saved: see the ballot below." in page
    assert "Careful power logs.</textarea>" in page
    assert "Best joules.</textarea>" in page
    assert page.count('value="1"') >= 2
    assert not Judgement.objects.exists()


def test_a_refused_score_comes_back_with_the_comment(client, entered):
    fastest = slug(entered, "fastest_training")
    client.force_login(entered.juror)
    prefix = f"s{entered.submission.pk}"

    response = client.post(
        reverse("awards:jury-score", args=[fastest, 1]),
        {f"{prefix}-score": "11", f"{prefix}-comment": "Convincing logs."},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "Your score of #1 was not saved" in page
    assert "Convincing logs.</textarea>" in page
    assert not Judgement.objects.exists()


# --- chairs ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("awards:chair-announce", {}),
        ("awards:chair-publish", {"is_published": "1"}),
        ("awards:chair-shortlist", {"number": "2", "action": "remove"}),
    ],
)
@pytest.mark.parametrize("persona", ["author", "juror", "outsider"])
def test_chair_actions_are_404_for_others(
    client, entered, outsider, persona, name, data
):
    response = as_persona(client, entered, persona, outsider).post(
        reverse(name, args=[slug(entered, "fastest_training")]), data
    )

    assert response.status_code == 404


def test_chair_edits_category_settings_and_jury_on_one_page(client, world):
    client.force_login(world.chair)
    url = reverse("awards:chair-edit", args=[slug(world, "energy_hardware")])

    response = client.post(
        url,
        {
            "c-name": "Most energy-efficient hardware architecture",
            "c-description": "A prize.",
            "c-sponsor": "Green Silicon Inc.",
            "c-amount": "USD 1,000",
            "c-details": "Measured energy to target on your hardware.",
            "c-order": "1",
            "s-kind": "energy_hardware",
            "s-eligibility": "accepted",
            "s-rules": "Wall-plug or on-chip.",
            "s-metric": "energy",
            "s-judging": "rank",
            "s-entry_day": "2022-07-08",
            "s-entry_clock": "23:59",
            "j-emails": "juror@jury.example\nJUDITH@nowhere.example",
        },
    )

    assert response.status_code == 200
    assert "No account for JUDITH@nowhere.example" in response.content.decode()
    response = client.post(
        url,
        {
            "c-name": "Most energy-efficient hardware architecture",
            "c-sponsor": "Green Silicon Inc.",
            "c-amount": "USD 1,000",
            "c-details": "Measured energy to target on your hardware.",
            "c-order": "1",
            "s-kind": "energy_hardware",
            "s-eligibility": "accepted",
            "s-metric": "energy",
            "s-judging": "rank",
            "s-entry_day": "2022-07-08",
            "s-entry_clock": "23:59",
            "j-emails": "JUROR@jury.example",
        },
    )
    assert response.status_code == 302
    found = world.settings["energy_hardware"]
    found.refresh_from_db()
    assert found.award.__class__.objects.get(pk=found.award_id).sponsor == (
        "Green Silicon Inc."
    )
    assert found.entry_deadline.isoformat() == "2022-07-09T10:59:00+00:00"  # UTC-11
    assert list(found.jury.all()) == [world.juror]


def test_chair_new_award_appears_on_the_public_page_as_coming_soon(client, world):
    client.force_login(world.chair)

    client.post(
        reverse("awards:chair-new"),
        {
            "c-name": "Best poster",
            "c-order": "5",
            "s-kind": "other",
            "s-eligibility": "accepted",
            "s-metric": "jury",
            "s-judging": "score",
        },
    )
    page = client.get(reverse("awards:index")).content.decode()

    assert 'id="best-poster"' in page
    assert page.count("Details coming soon.") == 4  # HAET's three and this one


def test_chair_judging_page_hides_a_conflicted_paper_from_a_conflicted_chair(
    client, entered
):
    dean = UserFactory(email="dean@quixotic-institute.example", role="chair")
    score_submission(
        entered.best,
        entered.submission,
        score=9,
        comment="SECRET-NOTE",
        by=entered.juror,
    )
    client.force_login(dean)

    page = client.get(
        reverse("awards:chair-judging", args=[slug(entered, "best_paper")])
    ).content.decode()
    response = client.post(
        reverse("awards:chair-result", args=[slug(entered, "best_paper"), 1]),
        {f"r{entered.submission.pk}-place": "winner"},
    )

    # Not even its row: it would say the paper is shortlisted, and why.
    assert entered.submission.title not in page
    assert 'id="paper-1"' not in page
    assert "Papers you are conflicted with are neither listed nor counted here" in page
    assert "SECRET-NOTE" not in page
    assert response.status_code == 404
    assert not AwardResult.objects.exists()


def test_chair_judging_page_neither_offers_nor_counts_a_hidden_paper(client, world):
    dean = UserFactory(email="dean@quixotic-institute.example", role="chair")
    url = reverse("awards:chair-judging", args=[slug(world, "best_paper")])
    client.force_login(world.chair)
    seen_by_chair = client.get(url).content.decode()
    client.force_login(dean)

    seen_by_dean = client.get(url).content.decode()

    # Neither paper is shortlisted: both are offered to the chair, only the other
    # one to the chair conflicted with #1.
    assert "2 eligible papers." in seen_by_chair
    assert f'<option value="{world.submission.number}">' in seen_by_chair
    assert "1 eligible paper." in seen_by_dean
    assert f'<option value="{world.submission.number}">' not in seen_by_dean
    assert world.submission.title[:40] not in seen_by_dean
    assert f'<option value="{world.other_submission.number}">' in seen_by_dean


def test_announced_award_shows_winner_and_citation_publicly(client, entered):
    chair = entered.chair
    client.force_login(chair)
    best = slug(entered, "best_paper")
    client.post(
        reverse("awards:chair-result", args=[best, 1]),
        {
            f"r{entered.submission.pk}-place": "winner",
            f"r{entered.submission.pk}-citation": "Sparse and swift.",
        },
    )
    jury_scores(entered.best, entered.submission, juror=entered.juror)
    before = client.get(reverse("awards:index")).content.decode()

    client.post(reverse("awards:chair-announce", args=[best]))
    client.logout()
    after = client.get(reverse("awards:index")).content.decode()

    assert "Sparse and swift." not in before
    assert "Sparse training of transformers on FPGAs" in after
    assert "Sparse and swift." in after


# --- exports -----------------------------------------------------------------------
def test_csv_is_safe_from_formula_injection(client, world, frozen):
    frozen(BEFORE_DEADLINE)
    save_entry(
        world.fastest,
        world.submission,
        data={
            **FASTEST,
            "task": '=HYPERLINK("http://evil.example","x")',
            "software_stack": "@SUM(1+1)",
        },
        by=world.author,
    )
    publish_leaderboard(world.fastest, is_published=True, by=world.chair)

    response = client.get(
        reverse("awards:leaderboard-csv", args=[slug(world, "fastest_training")])
    )

    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["task"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["software_stack"] == "'@SUM(1+1)"
    assert row["time_to_target_s"] == "9000.0"
    assert row["accelerator_hours"] == "320.0"
    assert response["Content-Disposition"] == (
        'attachment; filename="fastest-training-leaderboard.csv"'
    )


def test_json_lists_entries_in_normalized_units(client, entered):
    publish_leaderboard(entered.fastest, is_published=True, by=entered.chair)

    data = json.loads(
        client.get(
            reverse("awards:leaderboard-json", args=[slug(entered, "fastest_training")])
        ).content
    )

    assert data["units"] == {"time": "s", "energy": "J", "power": "W"}
    assert [
        (e["paper"], e["time_to_target_s"], e["verified_by_jury"])
        for e in data["entries"]
    ] == [(1, 9000.0, False)]


def test_leaderboard_page_has_our_svg_plot_and_no_scripts(client, world, frozen):
    frozen(BEFORE_DEADLINE)
    save_entry(
        world.fastest,
        world.submission,
        data={**FASTEST, "energy_value": 300, "energy_unit": "kWh"},
        by=world.author,
    )
    publish_leaderboard(world.fastest, is_published=True, by=world.chair)

    page = client.get(
        reverse("awards:leaderboard", args=[slug(world, "fastest_training")])
    ).content.decode()

    assert '<svg xmlns="http://www.w3.org/2000/svg" class="plot"' in page
    assert "#1: 2.5 h, 300 kWh" in page
    assert "<script" not in page


@pytest.mark.parametrize("entry_count", [1, 4])
def test_leaderboard_query_count_is_constant(client, world, frozen, entry_count):
    frozen(BEFORE_DEADLINE)
    publish_leaderboard(world.fastest, is_published=True, by=world.chair)
    papers = [world.submission, world.other_submission]
    for number in range(4, 4 + entry_count - 2):
        paper = SubmissionFactory(
            conference=world.conference, number=number, contact=world.author
        )
        accept(paper, world.chair)
        papers.append(paper)
    for paper in papers[:entry_count]:
        save_entry(world.fastest, paper, data=FASTEST, by=paper.contact)
    url = reverse("awards:leaderboard", args=[slug(world, "fastest_training")])
    client.get(url)  # warm the conference cache

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert len(response.context["rows"]) == entry_count
    assert len(queries) == 7


def test_accepted_papers_page_marks_announced_winners(client, entered):
    set_result(
        entered.best,
        entered.submission,
        place=AwardResult.Place.WINNER,
        by=entered.chair,
    )
    jury_scores(entered.best, entered.submission, juror=entered.juror)
    before = client.get(reverse("accepted:list")).content.decode()

    announce(entered.best, by=entered.chair)
    after = client.get(reverse("accepted:list")).content.decode()

    assert '<span class="badge ok">Best paper awards</span>' not in before
    assert '<span class="badge ok">Best paper awards</span>' in after


def test_the_awards_page_speaks_in_the_chairs_words(client, conference):
    """Its lead is the call for papers' awards text, whatever the workshop."""
    conference.acronym, conference.awards_text = "ÉCO 2027", "Deux prix, un jury."
    conference.save()

    page = client.get(reverse("awards:index")).content.decode()

    assert '<p class="lead">Deux prix, un jury.' in page
    assert "efficient training" not in page
    conference.awards_text = ""
    conference.save()
    assert '<p class="lead">The awards of ÉCO 2027.' in (
        client.get(reverse("awards:index")).content.decode()
    )
