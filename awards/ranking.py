"""The chairs' ranking of a shortlist: the jury's aggregate (mean score or
Borda count) over the papers the viewing chair may see. Pure aggregation is in
plain functions over judgements so tests can check them against hand computation.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from awards.models import AwardResult, AwardSettings, Judgement
from awards.queries import Candidate, shortlist
from haet.models import AwardCategory, User
from reviews.conflicts import ConflictIndex, conflicted_submission_ids


@dataclass(frozen=True)
class Tally:
    value: float  # mean score, or mean Borda points
    ballot_count: int


def mean_scores(judgements: Iterable[Judgement]) -> dict[int, Tally]:
    """Submission id -> mean of the jurors' scores (unscored ones do not count)."""
    scores: dict[int, list[int]] = defaultdict(list)
    for judgement in judgements:
        if judgement.score is not None:
            scores[judgement.submission_id].append(judgement.score)
    return {s: Tally(sum(v) / len(v), len(v)) for s, v in scores.items()}


def ballots(judgements: Iterable[Judgement]) -> list[list[Judgement]]:
    """Each juror's ranked judgements of an award, best first."""
    found: dict[tuple[int, int], list[Judgement]] = defaultdict(list)
    for judgement in judgements:
        if judgement.rank is not None:
            found[(judgement.award_id, judgement.juror_id)].append(judgement)
    return [sorted(b, key=lambda j: (j.rank, j.submission_id)) for b in found.values()]


def borda(judgements: Iterable[Judgement]) -> dict[int, Tally]:
    """Borda count: a juror who ranked m papers gives m-1 points to their first,
    m-2 to their second ... 0 to their last. A paper's value is its mean over the
    ballots that ranked it, so a juror who could not rank it (a conflict) neither
    helps nor hurts it; with no conflicts this orders papers as the summed count."""
    points: dict[int, list[int]] = defaultdict(list)
    for ordered in ballots(judgements):
        m = len(ordered)
        for index, judgement in enumerate(ordered):
            points[judgement.submission_id].append(m - 1 - index)
    return {s: Tally(sum(v) / len(v), len(v)) for s, v in points.items()}


def positions(tallies: dict[int, Tally]) -> dict[int, int]:
    """Competition ranking, highest value first: 1, 2, 2, 4."""
    ordered = sorted(tallies.items(), key=lambda item: -item[1].value)
    found: dict[int, int] = {}
    previous, position = None, 0
    for index, (submission_id, tally) in enumerate(ordered, start=1):
        if tally.value != previous:
            position, previous = index, tally.value
        found[submission_id] = position
    return found


@dataclass
class RankingRow:
    candidate: Candidate
    position: int | None
    tally: Tally | None
    judgements: list[Judgement] = field(default_factory=list)
    result: AwardResult | None = None
    # How many jurors may judge the paper (set by the chairs' judging page).
    juror_count: int | None = None


def renumber_ranks(judgements: Iterable[Judgement]) -> None:
    """Each juror's ranks of an award counted among the `judgements` given (in
    memory, never saved): a juror's "rank 2" on the first paper a conflicted
    chair sees would tell them a paper of theirs came first."""
    for ordered in ballots(judgements):
        for rank, judgement in enumerate(ordered, start=1):
            judgement.rank = rank


def ranking(award: AwardCategory, *, viewer: User | None = None) -> list[RankingRow]:
    """The chairs' table: every shortlisted paper with the jury's aggregate (mean
    score or Borda count, per the award), best first, unjudged papers last.

    Only judgements of current jurors who are not conflicted with the paper count.
    Papers the viewing chair is conflicted with are left out, as on every chair
    page: a row, even without its scores, would tell an author-chair that
    reviewers nominated their paper, or that a chair put it on the shortlist."""
    found = AwardSettings.objects.for_award(award)
    hidden = conflicted_submission_ids(viewer) if viewer is not None else set()
    candidates = [c for c in shortlist(award) if c.submission_id not in hidden]
    jury = list(found.jury.all())
    index = ConflictIndex.build(
        users=jury, submissions=[c.submission_id for c in candidates]
    )
    judgements = [
        j
        for j in Judgement.objects.filter(
            award=award,
            juror__in=jury,
            submission_id__in=[c.submission_id for c in candidates],
        ).select_related("juror")
        if not index.is_conflicted(j.juror_id, j.submission_id)
    ]
    if viewer is not None:
        renumber_ranks(judgements)
    if found.judging == AwardSettings.Judging.RANK:
        tallies = borda(judgements)
    else:
        tallies = mean_scores(judgements)
    places = positions(tallies)
    results = {r.submission_id: r for r in AwardResult.objects.filter(award=award)}
    by_submission: dict[int, list[Judgement]] = defaultdict(list)
    for judgement in judgements:
        by_submission[judgement.submission_id].append(judgement)
    rows = [
        RankingRow(
            candidate=c,
            position=places.get(c.submission_id),
            tally=tallies.get(c.submission_id),
            judgements=sorted(
                by_submission[c.submission_id], key=lambda j: j.juror.email
            ),
            result=results.get(c.submission_id),
        )
        for c in candidates
    ]
    rows.sort(key=lambda r: (r.position is None, r.position or 0, r.candidate.number))
    return rows
