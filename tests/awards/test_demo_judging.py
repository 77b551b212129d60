"""The demo at `make run STAGE=over` shows the awards under way
(awards.seed_judging): prize entries for the papers that declared them, the
demo juror's checked entry and ballots, the places left to the chairs."""

import pytest
from django.urls import reverse

from awards.entering import ENTRY_FIELDS, clean_entry
from awards.entry_links import declared_ids
from awards.models import (
    AwardResult,
    AwardSettings,
    Entry,
    Judgement,
    ShortlistChange,
)
from awards.queries import eligible_submissions, jury_shortlist, shortlist
from haet.models import Conference, User
from haet.rules import is_conflicted
from tests.haet.test_seed_idempotent import seed  # `make seed STAGE=…`

pytestmark = pytest.mark.django_db

# What an author types: the entry's fields, and each quantity's value and unit.
ENTRY_DATA = [
    *ENTRY_FIELDS,
    *(
        f"{kind}_{part}"
        for kind in ("energy", "time", "power")
        for part in ("value", "unit")
    ),
]


def judged() -> list[tuple]:
    return sorted(
        Judgement.objects.values_list("award_id", "submission_id", "score", "rank")
    )


def test_the_demo_over_has_entries_checked_evidence_and_ballots(settings, client):
    output = seed(settings, "over")
    entries = list(Entry.objects.values_list("pk", "award_id", "submission_id"))
    ballots = judged()
    seed(settings, "over")  # a second run adds nothing

    conference = Conference.objects.get()
    juror = User.objects.get(email="reviewer@haet.example")
    settings_of = AwardSettings.objects.for_conference(conference)
    prizes = [found for found in settings_of if found.accepts_entries]
    assert "prize entries" in output
    assert sorted(Entry.objects.values_list("pk", "award_id", "submission_id")) == (
        sorted(entries)
    )
    assert judged() == ballots
    assert Entry.objects.count() >= 4
    for found in prizes:
        award = found.award
        # Exactly the eligible papers whose prize answer enters this prize.
        assert set(
            Entry.objects.filter(award=award).values_list("submission_id", flat=True)
        ) == set(
            eligible_submissions(award)
            .filter(pk__in=declared_ids(found))
            .values_list("pk", flat=True)
        )
        for entry in Entry.objects.filter(award=award):
            # Figures an author could have typed: the entry form's checks pass.
            data = {name: getattr(entry, name) for name in ENTRY_DATA}
            assert clean_entry(found.kind, data)["energy_j"] == pytest.approx(
                entry.energy_j
            )
            entry.full_clean()
        visible = {c.submission_id for c in jury_shortlist(award, juror)}
        checked = Entry.objects.filter(award=award, verified_at__isnull=False)
        assert checked.count() == (
            1
            if visible & {e.submission_id for e in Entry.objects.filter(award=award)}
            else 0
        )
        assert all(e.verified_by == juror for e in checked)
    for found in settings_of:
        award = found.award
        visible = {c.submission_id for c in jury_shortlist(award, juror)}
        mine = Judgement.objects.filter(award=award, juror=juror)
        # The juror judged every paper they may see on the shortlist, no other.
        assert set(mine.values_list("submission_id", flat=True)) == visible
        # Every ballot of the demo juror has papers on it: where the reviewers
        # nominated only papers the juror is conflicted with, the chair added
        # papers free of both of them.
        assert visible
        chair = User.objects.get(email="chair@haet.example")
        for change in ShortlistChange.objects.filter(award=award):
            assert change.action == ShortlistChange.Action.ADD
            assert change.changed_by == chair
            assert not is_conflicted(juror, change.submission)
            assert not is_conflicted(chair, change.submission)
        if found.judging == AwardSettings.Judging.RANK:
            assert sorted(mine.values_list("rank", flat=True)) == list(
                range(1, len(visible) + 1)
            )
        else:
            assert all(5 <= j.score <= 9 for j in mine)
    assert sum(len(shortlist(f.award)) for f in settings_of) > len(ballots) > 0
    assert not AwardResult.objects.exists()  # the places are the chairs' to set
    assert not any(found.is_announced for found in settings_of)

    # The chairs see the ballots; the public sees the prizes' leaderboards.
    client.force_login(User.objects.get(email="chair@haet.example"))
    found_rank = next(f for f in settings_of if f.judging == "rank")
    page = client.get(reverse("awards:chair-judging", args=[found_rank.slug]))
    assert page.status_code == 200
    assert "Borda" in page.content.decode()
    # The best paper's nominees are all papers the demo juror is conflicted
    # with: the page marks them, and the juror judges the papers the chair added.
    found_best = next(f for f in settings_of if f.kind == "best_paper")
    html = client.get(
        reverse("awards:chair-judging", args=[found_best.slug])
    ).content.decode()
    assert "every juror is conflicted with it" in html
    assert 'id="idle-jurors"' not in html
    assert ShortlistChange.objects.filter(award=found_best.award).count() == 2
    client.logout()
    for found in prizes:
        board = client.get(reverse("awards:leaderboard", args=[found.slug]))
        entry = Entry.objects.filter(award=found.award).first()
        assert entry is not None
        assert entry.submission.title in board.content.decode()


@pytest.mark.parametrize("stage", ["review", "decision"])
def test_other_stages_seed_no_entries_or_ballots(settings, stage):
    seed(settings, stage)

    assert not Entry.objects.exists()
    assert not Judgement.objects.exists()
