"""Award services and queries: entries (units, derived metrics, deadline, freezing,
eligibility), shortlists, juror conflicts, aggregation against hand-computed
rankings, results, the announcement and its mails."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards.categories import appoint_jury
from awards.entering import (
    derived_accelerator_hours,
    save_entry,
    verify_entry,
    withdraw_entry,
)
from awards.judging import change_shortlist, rank_submissions, score_submission
from awards.models import AwardResult, AwardSettings, Entry, Judgement
from awards.queries import (
    award_names_by_submission,
    eligible_submissions,
    jury_shortlist,
    leaderboard,
    shortlist,
    winners_by_submission,
)
from awards.ranking import Tally, borda, mean_scores, positions, ranking
from awards.results import announce, publish_leaderboard, set_result
from haet.outbox.models import OutboxMail
from reviews.assigning import assign_reviewer
from reviews.models import Review, ReviewNomination
from tests.awards.conftest import (
    AFTER_DEADLINE,
    BEFORE_DEADLINE,
    ENERGY,
    FASTEST,
    LEAK_EMAIL,
    LEAK_NAME,
    accept,
    jury_scores,
)
from tests.factories import SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_entries(frozen):
    frozen(BEFORE_DEADLINE)


def nominate(submission, award, reviewer, chair):
    assignment, _ = assign_reviewer(submission, reviewer, by=chair, notify=False)
    review, _ = Review.objects.get_or_create(
        assignment=assignment, defaults={"state": Review.State.SUBMITTED}
    )
    return ReviewNomination.objects.create(review=review, award=award)


# --- entries -----------------------------------------------------------------------
def test_fastest_entry_is_stored_normalized_with_derived_metrics(world, open_entries):
    entry = save_entry(world.fastest, world.submission, data=FASTEST, by=world.author)

    entry.refresh_from_db()
    assert (entry.time_s, entry.time_value, entry.time_unit) == (9000.0, 2.5, "h")
    assert entry.accelerator_count == 128
    assert entry.accelerator_hours == 320.0  # 16 nodes x 8 x 2.5 h
    assert entry.time_display == "2.5 h"


def test_energy_entry_derives_power_times_time_and_samples_per_joule(
    world, open_entries
):
    entry = save_entry(world.energy, world.submission, data=ENERGY, by=world.author)

    assert entry.energy_j == pytest.approx(4.32e6)
    assert entry.implied_energy_j == pytest.approx(60 * 72000)
    assert entry.samples_per_joule == pytest.approx(5000 / 60)
    assert entry.accelerator_hours is None


def test_derived_accelerator_hours_needs_every_figure():
    assert derived_accelerator_hours(4, 8, 1800) == 16.0
    assert derived_accelerator_hours(None, 8, 1800) is None
    assert derived_accelerator_hours(4, 8, None) is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"time_value": 0}, "time_value", "The time cannot be zero"),
        ({"time_value": -3}, "time_value", "The time cannot be negative"),
        ({"time_unit": "kWh"}, "time_value", "is not a unit of time"),
        ({"node_count": None}, "node_count", "Required for this prize"),
        ({"code_commit": "not-a-hash"}, "code_commit", "hexadecimal"),
        ({"task": ""}, "task", "Required."),
    ],
)
def test_fastest_entry_refusals_name_the_field(
    world, open_entries, change, field, message
):
    with pytest.raises(ValidationError) as refused:
        save_entry(
            world.fastest,
            world.submission,
            data={**FASTEST, **change},
            by=world.author,
        )

    assert message in " ".join(refused.value.message_dict[field])
    assert not Entry.objects.exists()


def test_energy_entry_with_power_times_time_far_from_energy_is_refused(
    world, open_entries
):
    data = {**ENERGY, "energy_value": 12}  # 60 W x 20 h is 1.2 kWh, not 12

    with pytest.raises(ValidationError) as refused:
        save_entry(world.energy, world.submission, data=data, by=world.author)

    assert "differ by a factor of 10" in refused.value.message_dict["__all__"][0]


def test_energy_below_physical_sense_is_refused(world, open_entries):
    data = {**ENERGY, "energy_value": 0.0001, "energy_unit": "J", "power_value": None}

    with pytest.raises(ValidationError) as refused:
        save_entry(world.energy, world.submission, data=data, by=world.author)

    assert "no training run" in refused.value.message_dict["energy_value"][0]


def test_entries_can_be_edited_until_the_last_minute_of_the_deadline(world, frozen):
    frozen(BEFORE_DEADLINE)
    save_entry(world.fastest, world.submission, data=FASTEST, by=world.author)
    frozen("2022-07-08T23:59:59Z")  # the deadline is 23:59: that minute is open

    entry = save_entry(
        world.fastest,
        world.submission,
        data={**FASTEST, "time_value": 2},
        by=world.author,
    )

    assert entry.time_s == 7200.0
    assert Entry.objects.count() == 1


def test_entries_are_frozen_after_the_deadline(world, frozen):
    frozen(BEFORE_DEADLINE)
    entry = save_entry(world.fastest, world.submission, data=FASTEST, by=world.author)
    frozen(AFTER_DEADLINE)

    with pytest.raises(ValidationError, match="entries are frozen"):
        save_entry(
            world.fastest,
            world.submission,
            data={**FASTEST, "time_value": 1},
            by=world.author,
        )
    with pytest.raises(ValidationError, match="entries are frozen"):
        withdraw_entry(entry, by=world.author)
    with pytest.raises(ValidationError, match="entries are frozen"):
        save_entry(
            world.fastest, world.other_submission, data=FASTEST, by=world.other_author
        )
    entry.refresh_from_db()
    assert entry.time_s == 9000.0


def test_no_entries_before_the_chairs_set_a_deadline(world, open_entries):
    found = world.settings["fastest_training"]
    found.entry_deadline = None
    found.save()

    with pytest.raises(ValidationError, match="open once the chairs set"):
        save_entry(world.fastest, world.submission, data=FASTEST, by=world.author)


def test_only_authors_enter(world, open_entries):
    with pytest.raises(PermissionDenied):
        save_entry(world.fastest, world.submission, data=FASTEST, by=world.other_author)


def test_best_paper_takes_no_entries(world, open_entries):
    with pytest.raises(ValidationError, match="takes no entries"):
        save_entry(world.best, world.submission, data=FASTEST, by=world.author)


def test_papers_not_accepted_are_not_eligible(world, open_entries):
    third = world.rejected_submission

    with pytest.raises(ValidationError, match="not eligible"):
        save_entry(world.fastest, third, data=FASTEST, by=third.contact)


def test_an_unreleased_acceptance_does_not_make_a_paper_eligible(
    world, open_entries, chair
):
    fourth = SubmissionFactory(
        conference=world.conference, number=4, contact=world.author
    )
    accept(fourth, chair, released=False)

    assert list(eligible_submissions(world.fastest)) == [
        world.submission,
        world.other_submission,
    ]


def test_eligibility_can_extend_to_all_submitted_papers(world, open_entries):
    found = world.settings["fastest_training"]
    found.eligibility = AwardSettings.Eligibility.SUBMITTED
    found.save()
    third = world.rejected_submission

    entry = save_entry(world.fastest, third, data=FASTEST, by=third.contact)

    assert entry.submission == third


def test_changing_an_entry_drops_the_jury_verification(world, open_entries):
    entry = save_entry(world.fastest, world.submission, data=FASTEST, by=world.author)
    verify_entry(entry, is_verified=True, by=world.juror)

    entry = save_entry(world.fastest, world.submission, data=FASTEST, by=world.author)

    assert entry.is_verified is False


# --- shortlists and conflicts ------------------------------------------------------
def test_shortlist_is_nominations_and_entries_plus_chair_changes(
    world, open_entries, chair, make_reviewer
):
    nominate(world.submission, world.fastest, make_reviewer(), chair)
    nominate(world.submission, world.fastest, make_reviewer(), chair)
    nominate(world.rejected_submission, world.fastest, make_reviewer(), chair)
    save_entry(
        world.fastest, world.other_submission, data=FASTEST, by=world.other_author
    )

    before = [
        (c.number, c.nomination_count, c.is_entered) for c in shortlist(world.fastest)
    ]
    change_shortlist(world.fastest, world.submission, action="remove", by=chair)
    after_removal = [c.number for c in shortlist(world.fastest)]
    change_shortlist(world.fastest, world.submission, action="add", by=chair)

    assert before == [(1, 2, False), (2, 0, True)]  # #3 is not accepted
    assert after_removal == [2]
    assert [c.number for c in shortlist(world.fastest)] == [1, 2]
    with pytest.raises(ValidationError, match="not eligible"):
        change_shortlist(
            world.fastest, world.rejected_submission, action="add", by=chair
        )


def test_only_chairs_change_shortlists(world):
    with pytest.raises(PermissionDenied):
        change_shortlist(world.best, world.submission, action="add", by=world.juror)


def test_conflicted_juror_neither_sees_nor_scores_the_paper(world, chair):
    for submission in (world.submission, world.other_submission):
        change_shortlist(world.best, submission, action="add", by=chair)

    seen = [c.number for c in jury_shortlist(world.best, world.conflicted_juror)]

    assert seen == [2]
    assert [c.number for c in jury_shortlist(world.best, world.juror)] == [1, 2]
    with pytest.raises(PermissionDenied):
        score_submission(
            world.best, world.submission, score=10, by=world.conflicted_juror
        )
    assert not Judgement.objects.exists()


def test_a_juror_who_is_an_author_is_conflicted(world, chair):
    change_shortlist(world.best, world.submission, action="add", by=chair)
    world.settings["best_paper"].jury.add(world.author)

    assert jury_shortlist(world.best, world.author) == []


def test_only_jurors_judge(world, chair):
    change_shortlist(world.best, world.submission, action="add", by=chair)

    with pytest.raises(PermissionDenied):
        score_submission(world.best, world.submission, score=5, by=world.other_author)


# --- aggregation -------------------------------------------------------------------
A, B, C = 101, 102, 103  # jurors
P1, P2, P3 = 1, 2, 3  # submissions


def judged(juror, submission, *, score=None, rank=None):
    return Judgement(juror_id=juror, submission_id=submission, score=score, rank=rank)


def test_mean_scores_by_hand():
    judgements = [
        judged(A, P1, score=8),
        judged(A, P2, score=6),
        judged(A, P3, score=9),
        judged(B, P1, score=7),
        judged(B, P2, score=9),
        judged(B, P3, score=5),
        judged(C, P1, score=9),
        judged(C, P2, score=6),
        judged(C, P3),  # commented, not scored: does not count
    ]

    tallies = mean_scores(judgements)

    # P1 (8+7+9)/3 = 8, P2 (6+9+6)/3 = 7, P3 (9+5)/2 = 7.
    assert tallies == {P1: Tally(8.0, 3), P2: Tally(7.0, 3), P3: Tally(7.0, 2)}
    assert positions(tallies) == {P1: 1, P2: 2, P3: 2}


def test_borda_count_by_hand_with_a_conflicted_juror():
    judgements = [
        # A: P3 > P1 > P2 -> 2, 1, 0 points
        judged(A, P3, rank=1),
        judged(A, P1, rank=2),
        judged(A, P2, rank=3),
        # B: P2 > P1 > P3 -> 2, 1, 0
        judged(B, P2, rank=1),
        judged(B, P1, rank=2),
        judged(B, P3, rank=3),
        # C is conflicted with P3: P1 > P2 -> 1, 0
        judged(C, P1, rank=1),
        judged(C, P2, rank=2),
    ]

    tallies = borda(judgements)

    # Means over the ballots that ranked the paper: P1 (1+1+1)/3 = 1,
    # P2 (0+2+0)/3 = 2/3, P3 (2+0)/2 = 1. (Summed, P3 would lose a point to the
    # conflict: 2 against P1's 3.)
    assert tallies == {
        P1: Tally(1.0, 3),
        P2: Tally(pytest.approx(2 / 3), 3),
        P3: Tally(1.0, 2),
    }
    assert positions(tallies) == {P1: 1, P3: 1, P2: 3}


def test_borda_count_without_conflicts_orders_as_the_summed_count():
    judgements = [
        judged(A, P1, rank=1),
        judged(A, P2, rank=2),
        judged(A, P3, rank=3),
        judged(B, P2, rank=1),
        judged(B, P1, rank=2),
        judged(B, P3, rank=3),
    ]

    # Sums: P1 2+1 = 3, P2 1+2 = 3, P3 0.
    assert positions(borda(judgements)) == {P1: 1, P2: 1, P3: 3}


def test_chairs_ranking_counts_current_unconflicted_jurors_only(world, chair):
    third_juror = UserFactory(email="third-juror@jury3.example", name="Tess Third")
    found = world.settings["best_paper"]
    found.jury.add(third_juror)
    for submission in (world.submission, world.other_submission):
        change_shortlist(world.best, submission, action="add", by=chair)
    score_submission(world.best, world.submission, score=9, by=world.juror)
    score_submission(world.best, world.other_submission, score=6, by=world.juror)
    score_submission(
        world.best, world.other_submission, score=8, by=world.conflicted_juror
    )
    score_submission(world.best, world.submission, score=7, by=third_juror)
    score_submission(world.best, world.other_submission, score=7, by=third_juror)
    # A judgement the conflicted juror could not have made through the service.
    Judgement.objects.create(
        award=world.best,
        submission=world.submission,
        juror=world.conflicted_juror,
        score=1,
    )

    rows = ranking(world.best, viewer=chair)

    # #1: (9+7)/2 = 8; #2: (6+8+7)/3 = 7.
    assert [(r.candidate.number, r.position, r.tally) for r in rows] == [
        (1, 1, Tally(8.0, 2)),
        (2, 2, Tally(7.0, 3)),
    ]


def test_rank_ballot_must_use_each_rank_once(world, chair):
    change_shortlist(world.best, world.submission, action="add", by=chair)
    change_shortlist(world.best, world.other_submission, action="add", by=chair)
    ids = [world.submission.pk, world.other_submission.pk]

    with pytest.raises(ValidationError, match="each rank used once"):
        rank_submissions(world.best, dict.fromkeys(ids, 1), by=world.juror)
    saved = rank_submissions(
        world.best, {ids[0]: 2, ids[1]: 1}, comments={ids[0]: "Solid."}, by=world.juror
    )

    assert [(j.submission_id, j.rank, j.comment) for j in saved] == [
        (ids[0], 2, "Solid."),
        (ids[1], 1, ""),
    ]


# --- results and announcement ------------------------------------------------------
@pytest.fixture
def decided(world, chair):
    change_shortlist(world.best, world.submission, action="add", by=chair)
    change_shortlist(world.best, world.other_submission, action="add", by=chair)
    set_result(
        world.best,
        world.submission,
        place=AwardResult.Place.WINNER,
        citation="For sparse training that fits on one FPGA.",
        by=chair,
    )
    set_result(
        world.best,
        world.other_submission,
        place=AwardResult.Place.HONOURABLE_MENTION,
        by=chair,
    )
    jury_scores(world.best, world.submission, world.other_submission, juror=world.juror)
    return world


def test_announcing_mails_every_author_once(
    decided, chair, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        announce(decided.best, by=chair)
    with django_capture_on_commit_callbacks(execute=True):
        announce(decided.best, by=chair)

    best = decided.best.pk
    assert sorted(OutboxMail.objects.values_list("dedupe_key", flat=True)) == sorted(
        [
            f"award:{best}:{decided.submission.pk}:author@example.org",
            f"award:{best}:{decided.submission.pk}:{LEAK_EMAIL}",
            f"award:{best}:{decided.other_submission.pk}:other@elsewhere.example",
        ]
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["author@example.org", LEAK_EMAIL, "other@elsewhere.example"]
    )
    winner_mail = next(m for m in mailoutbox if m.to == ["author@example.org"])
    assert winner_mail.subject == (
        "[HAET 2022] Your paper #1 wins the Best paper awards"
    )
    assert "For sparse training that fits on one FPGA." in winner_mail.body


def test_announcing_needs_a_winner(world, chair):
    with pytest.raises(ValidationError, match="at least one winner"):
        announce(world.best, by=chair)
    assert AwardSettings.objects.for_award(world.best).announced_at is None


def test_results_are_final_once_announced(decided, chair):
    announce(decided.best, by=chair)

    with pytest.raises(ValidationError, match="results are final"):
        set_result(decided.best, decided.submission, place=None, by=chair)
    with pytest.raises(ValidationError, match="judging is closed"):
        score_submission(decided.best, decided.submission, score=3, by=decided.juror)


def test_a_conflicted_chair_cannot_decide_the_paper(world, chair):
    dean = UserFactory(email="dean@quixotic-institute.example", role="chair")
    change_shortlist(world.best, world.submission, action="add", by=chair)

    with pytest.raises(PermissionDenied):
        set_result(
            world.best, world.submission, place=AwardResult.Place.WINNER, by=dean
        )


def test_winners_are_marked_only_after_the_announcement(decided, chair):
    assert winners_by_submission() == {}

    announce(decided.best, by=chair)

    marks = winners_by_submission()
    assert [(m.award, m.place) for m in marks[decided.submission.pk]] == [
        ("Best paper awards", "winner")
    ]
    assert award_names_by_submission(decided.conference) == {
        decided.submission.pk: ["Best paper awards"],
        decided.other_submission.pk: ["Best paper awards (honourable mention)"],
    }


def test_the_accepted_papers_list_names_the_awards(decided, chair):
    from proceedings.queries import accepted_submissions

    announce(decided.best, by=chair)

    papers = accepted_submissions(decided.conference, with_awards=True)
    assert {p.number: p.awards for p in papers} == {
        1: ["Best paper awards"],
        2: ["Best paper awards (honourable mention)"],
    }


def test_leaderboard_sorts_on_the_metric_missing_figures_last(world, open_entries):
    save_entry(
        world.energy,
        world.submission,
        data={**ENERGY, "time_value": None},
        by=world.author,
    )
    save_entry(
        world.energy,
        world.other_submission,
        data={**ENERGY, "energy_value": 0.9, "power_value": 45},
        by=world.other_author,
    )

    by_energy = [(r.position, r.number) for r in leaderboard(world.energy)]
    by_time = [(r.position, r.number) for r in leaderboard(world.energy, sort="time")]

    assert by_energy == [(1, 2), (2, 1)]  # 0.9 kWh before 1.2 kWh
    assert by_time == [(1, 2), (2, 1)]  # #1 gave no time


def test_publishing_needs_a_prize_with_entries(world, chair):
    with pytest.raises(ValidationError, match="no leaderboard"):
        publish_leaderboard(world.best, is_published=True, by=chair)

    found = publish_leaderboard(world.fastest, is_published=True, by=chair)

    assert found.leaderboard_published is True


def test_appointed_jurors_get_one_mail_each(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(email="newjuror@jury.example", name="Nina Newjuror")

    with django_capture_on_commit_callbacks(execute=True):
        appoint_jury(world.best, [world.juror, newcomer], by=world.chair)
        appoint_jury(world.best, [world.juror, newcomer], by=world.chair)

    # The juror already on the jury gets nothing; the newcomer one mail, once.
    assert [m.to for m in mailoutbox] == [[newcomer.email]]
    assert world.best.name in mailoutbox[0].subject
    assert "/awards/jury/" in mailoutbox[0].body
    assert LEAK_NAME not in mailoutbox[0].body
