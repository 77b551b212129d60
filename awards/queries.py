"""Reads of the awards app: eligibility, shortlists, the jury's view,
leaderboards and winners. The jury's aggregate ranking is in awards.ranking.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from awards.entry_links import declared_ids
from awards.models import AwardResult, AwardSettings, Entry, ShortlistChange
from awards.publication import released_accepted_submissions
from decisions.models import Decision
from haet.models import AwardCategory, Conference, User
from reviews.conflicts import conflicted_submission_ids
from reviews.models import ReviewNomination
from submissions.models import Submission


# --- eligibility -------------------------------------------------------------------
def accepted_submissions(conference: Conference | int) -> QuerySet[Submission]:
    """The conference's accepted papers whose decision the authors were told (the
    decisions app's answer): no prize page may reveal an unreleased decision."""
    decided = Decision.objects.accepted().released().values("submission")
    return Submission.objects.filter(conference=conference, pk__in=decided)


def eligible_submissions(award: AwardCategory) -> QuerySet:
    """Papers that may win `award`: accepted ones, or every submitted one when the
    award says so. Withdrawn papers never are."""
    found = AwardSettings.objects.for_award(award)
    if found.eligibility == AwardSettings.Eligibility.SUBMITTED:
        submissions = Submission.objects.filter(conference_id=award.conference_id)
        return submissions.filter(state=Submission.State.SUBMITTED)
    return accepted_submissions(award.conference_id).filter(
        state=Submission.State.SUBMITTED
    )


def is_eligible(award: AwardCategory, submission: Submission) -> bool:
    return eligible_submissions(award).filter(pk=submission.pk).exists()


def declared_without_entry(
    found: AwardSettings, *, hidden: set[int]
) -> QuerySet[Submission]:
    """Papers whose submission-form answer enters the prize but that gave no
    measurements yet, but for those the viewer is conflicted with and those a
    released decision made ineligible (a rejected paper never will)."""
    released = Decision.objects.released().values("submission")
    return (
        Submission.objects.filter(
            pk__in=declared_ids(found), state=Submission.State.SUBMITTED
        )
        .filter(Q(pk__in=eligible_submissions(found.award)) | ~Q(pk__in=released))
        .exclude(pk__in=hidden)
        .exclude(pk__in=Entry.objects.for_award(found.award).values("submission"))
        .only("number", "title")
        .order_by("number")
    )


# --- shortlists --------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """A shortlisted paper as the jury sees it: number, title, abstract, why it is
    on the shortlist, and its prize entry. Never its authors."""

    submission_id: int
    number: int
    title: str
    abstract: str
    nomination_count: int
    is_entered: bool
    is_chair_added: bool
    entry: Entry | None

    @property
    def reasons(self) -> list[str]:
        found = []
        if self.nomination_count:
            plural = "s" if self.nomination_count != 1 else ""
            found.append(f"{self.nomination_count} nomination{plural}")
        if self.is_entered:
            found.append("prize entry")
        if self.is_chair_added:
            found.append("added by a chair")
        return found


def nomination_counts(award: AwardCategory) -> dict[int, int]:
    """Submission id -> nominations from submitted reviews."""
    return {
        row["review__assignment__submission_id"]: row["nomination_count"]
        for row in ReviewNomination.objects.for_award(award).per_award()
    }


def shortlist(award: AwardCategory) -> list[Candidate]:
    """Nominated or entered papers, plus those chairs added, minus those chairs
    removed; only eligible papers. Ordered by paper number. Five queries."""
    nominated = nomination_counts(award)
    entries = {
        e.submission_id: e
        for e in Entry.objects.for_award(award).select_related("verified_by")
    }
    changes = dict(
        ShortlistChange.objects.filter(award=award).values_list(
            "submission_id", "action"
        )
    )
    added = {s for s, a in changes.items() if a == ShortlistChange.Action.ADD}
    removed = {s for s, a in changes.items() if a == ShortlistChange.Action.REMOVE}
    ids = (set(nominated) | set(entries) | added) - removed
    submissions = (
        eligible_submissions(award)
        .filter(pk__in=ids)
        .only("pk", "number", "title", "abstract")
        .order_by("number")
    )
    return [
        Candidate(
            submission_id=s.pk,
            number=s.number,
            title=s.title,
            abstract=s.abstract,
            nomination_count=nominated.get(s.pk, 0),
            is_entered=s.pk in entries,
            is_chair_added=s.pk in added,
            entry=entries.get(s.pk),
        )
        for s in submissions
    ]


def jury_shortlist(award: AwardCategory, juror: User) -> list[Candidate]:
    """The shortlist without the papers the juror is conflicted with (the same
    answer as for reviewing): they neither see nor score them."""
    hidden = conflicted_submission_ids(juror)
    return [c for c in shortlist(award) if c.submission_id not in hidden]


def jury_reach(jury: list[User], submission_ids: set[int]) -> dict[int, set[int]]:
    """For each juror (by pk), the submissions among `submission_ids` they may
    judge: the rule of `jury_shortlist`. The chairs' judging page passes the
    papers it shows, so a conflicted chair learns nothing of a hidden paper from
    a juror's count."""
    return {
        juror.pk: submission_ids - conflicted_submission_ids(juror) for juror in jury
    }


def juries_of(user: User) -> list[AwardSettings]:
    """The awards the user is a juror of."""
    if not user.is_authenticated:
        return []
    return list(
        AwardSettings.objects.filter(jury=user)
        .select_related("award")
        .order_by("award__order", "award__pk")
    )


def is_on_a_jury(user: User) -> bool:
    """Is the user a juror of any award? One query (the navigation asks)."""
    if not user.is_authenticated:
        return False
    return AwardSettings.jury.through.objects.filter(user_id=user.pk).exists()


# --- leaderboards ------------------------------------------------------------------
SORTS = {
    "energy": ("energy_j", "Energy to target"),
    "time": ("time_s", "Time to target"),
    "accelerator_hours": ("accelerator_hours", "Accelerator-hours"),
    "paper": ("submission.number", "Paper"),
}


def default_sort(found: AwardSettings) -> str:
    if found.metric in SORTS:
        return found.metric
    if found.kind == "energy_hardware":
        return "energy"
    return "time"


@dataclass(frozen=True)
class LeaderboardRow:
    position: int
    entry: Entry
    number: int
    title: str
    result: AwardResult | None


def _value(entry: Entry, attribute: str) -> object:
    obj = entry
    for part in attribute.split("."):
        obj = getattr(obj, part)
    return obj


def leaderboard(award: AwardCategory, *, sort: str = "") -> list[LeaderboardRow]:
    """Entries of eligible papers that are accepted and released, best first by
    `sort` (default: the award's metric); entries missing the sorted figure come
    last. Three queries."""
    found = AwardSettings.objects.for_award(award)
    sort = sort if sort in SORTS else default_sort(found)
    attribute = SORTS[sort][0]
    entries = list(
        Entry.objects.for_award(award)
        .filter(submission__in=eligible_submissions(award))
        # Never a paper under review, even for a prize open to every submitted
        # paper and even for chairs and jurors (see awards.publication).
        .filter(submission__in=released_accepted_submissions(award.conference_id))
        .select_related("submission")
    )
    entries.sort(
        key=lambda e: (
            _value(e, attribute) is None,
            _value(e, attribute) or 0,
            e.submission.number,
        )
    )
    results = {r.submission_id: r for r in AwardResult.objects.filter(award=award)}
    return [
        LeaderboardRow(
            position=position,
            entry=entry,
            number=entry.submission.number,
            title=entry.submission.title,
            result=results.get(entry.submission_id) if found.is_announced else None,
        )
        for position, entry in enumerate(entries, start=1)
    ]


# --- announcements -----------------------------------------------------------------
@dataclass(frozen=True)
class WinnerMark:
    award: str
    place: str  # AwardResult.Place
    place_label: str
    citation: str
    url: str

    @property
    def is_winner(self) -> bool:
        return self.place == AwardResult.Place.WINNER


def winners_by_submission(
    conference: Conference | None = None,
) -> dict[int, list[WinnerMark]]:
    """Submission id -> the announced awards it won or got a mention in, winners
    first. One query; what the accepted-papers page marks winners with."""
    found: dict[int, list[WinnerMark]] = defaultdict(list)
    results = AwardResult.objects.announced().filter(
        submission__decision__released_at__isnull=False  # awards.publication
    )
    if conference is not None:
        results = results.filter(award__conference=conference)
    results = results.select_related("award__award_settings").order_by(
        "award__order", "award__pk", "-place"
    )
    for result in results:
        found[result.submission_id].append(
            WinnerMark(
                award=result.award.name,
                place=result.place,
                place_label=result.get_place_display(),
                citation=result.citation,
                url=reverse("awards:index") + f"#{result.award.award_settings.slug}",
            )
        )
    return dict(found)


@dataclass
class PublicAward:
    settings: AwardSettings
    results: list[AwardResult]

    @property
    def award(self) -> AwardCategory:
        return self.settings.award


def public_awards(conference: Conference) -> list[PublicAward]:
    """The awards page: every category; results only once announced, and only of
    papers whose decision is released (awards.publication)."""
    all_settings = AwardSettings.objects.for_conference(conference)
    announced = [s.award_id for s in all_settings if s.is_announced]
    results: dict[int, list[AwardResult]] = defaultdict(list)
    for result in (
        AwardResult.objects.filter(
            award_id__in=announced, submission__decision__released_at__isnull=False
        )
        .select_related("submission")
        .prefetch_related(Prefetch("submission__authors", to_attr="ordered_authors"))
    ):
        results[result.award_id].append(result)
    return [PublicAward(s, results.get(s.award_id, [])) for s in all_settings]


def award_names_by_submission(conference: Conference) -> dict[int, list[str]]:
    """Submission id -> "Best paper award", "… (honourable mention)": the award
    source the decisions app's accepted-papers list reads (registered in
    awards.apps)."""
    return {
        submission_id: [
            m.award if m.is_winner else f"{m.award} ({m.place_label.lower()})"
            for m in marks
        ]
        for submission_id, marks in winners_by_submission(conference).items()
    }
