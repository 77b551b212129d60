"""The chairs' acceptance table and its score statistics.

`dashboard_rows` builds the whole acceptance table in a fixed number of queries
(about a dozen, whatever the number of submissions and reviews): plain value lists
fetched once and joined in Python, so filtering and sorting are instant.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from decisions.meta_reviews import missing_meta_review_ids
from decisions.models import DECISION_LABELS, UNDECIDED, WITHDRAWN, Decision
from haet.models import Conference, User
from reviews.conflicts import conflicted_submission_ids
from reviews.models import Assignment, Review, ReviewNomination, ReviewSettings
from submissions.models import Author, Submission

# A spread (max - min) this large is strong disagreement: on the -3..3 scale, a weak
# accept next to a reject.
DISAGREEMENT_SPREAD = 3
IDENTITY_WARNINGS = frozenset({"identity_in_text", "metadata_identity"})


# --- statistics --------------------------------------------------------------------
@dataclass(frozen=True)
class ScoreStats:
    count: int
    mean: float | None
    min: int | None
    max: int | None
    weighted_mean: float | None  # by confidence; None if no confidence was given
    spread: int | None  # max - min

    @property
    def is_disputed(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT_SPREAD


def score_stats(reviews: Iterable[tuple[int | None, int | None]]) -> ScoreStats:
    """Statistics of (score, confidence) pairs of submitted reviews; reviews
    without a score are ignored; the weighted mean uses those with a confidence."""
    scored = [(s, c) for s, c in reviews if s is not None]
    if not scored:
        return ScoreStats(0, None, None, None, None, None)
    scores = [s for s, _ in scored]
    weighted = [(s, c) for s, c in scored if c]
    weight = sum(c for _, c in weighted)
    return ScoreStats(
        count=len(scores),
        mean=sum(scores) / len(scores),
        min=min(scores),
        max=max(scores),
        weighted_mean=sum(s * c for s, c in weighted) / weight if weight else None,
        spread=max(scores) - min(scores),
    )


EMPTY_STATS = score_stats([])


# --- the dashboard -----------------------------------------------------------------
@dataclass
class Row:
    """One line of the acceptance table: plain values, nothing lazy."""

    pk: int
    number: int
    title: str
    state: str
    is_late: bool
    authors: list[tuple[str, str]] = field(default_factory=list)  # (name, affil.)
    topics: list[str] = field(default_factory=list)
    topic_ids: set[int] = field(default_factory=set)
    assignment_count: int = 0
    reviews_done: int = 0
    reviews_required: int = 0
    stats: ScoreStats = EMPTY_STATS
    flags: list[str] = field(default_factory=list)
    nominations: dict[str, int] = field(default_factory=dict)
    decision: str = UNDECIDED
    reason: str = ""
    is_released: bool = False
    camera_ready: str = ""  # "", "started", "complete"
    # (name, colour) of the tags the viewer may see; set for the shown page only.
    tags: list[tuple[str, str]] = field(default_factory=list)

    @property
    def decision_label(self) -> str:
        return DECISION_LABELS[self.decision]

    @property
    def nomination_count(self) -> int:
        return sum(self.nominations.values())

    @property
    def review_status(self) -> str:
        if self.reviews_done == 0:
            return "none"
        return "complete" if self.reviews_done >= self.reviews_required else "partial"

    @property
    def author_text(self) -> str:
        return "; ".join(
            f"{name} ({affiliation})" if affiliation else name
            for name, affiliation in self.authors
        )


FLAG_LABELS = {
    "over_length": "over length",
    "identity": "identity warning",
    "late": "late",
    "disputed": "strong disagreement",
}
DEFAULT_SORT = "number"


SORT_VALUES: dict[str, Callable[[Row], Any]] = {  # comparable, or None
    "number": lambda r: r.number,
    "title": lambda r: r.title.lower(),
    "authors": lambda r: r.author_text.lower(),
    "topics": lambda r: ", ".join(r.topics).lower(),
    "reviews": lambda r: (r.reviews_done, r.reviews_required),
    "mean": lambda r: r.stats.mean,
    "min": lambda r: r.stats.min,
    "max": lambda r: r.stats.max,
    "weighted": lambda r: r.stats.weighted_mean,
    "spread": lambda r: r.stats.spread,
    "flags": lambda r: len(r.flags),
    "nominations": lambda r: r.nomination_count,
    "decision": lambda r: r.decision_label,
}


SORT_KEYS = tuple(SORT_VALUES)


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    """`sort` is a key of SORT_KEYS, "-key" for descending. Rows without a value
    (no reviews yet) go last either way; ties keep number order."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        key, descending = DEFAULT_SORT, False
    value = SORT_VALUES[key]
    keyed = [(value(r), r) for r in sorted(rows, key=lambda r: r.number)]
    present = [pair for pair in keyed if pair[0] is not None]
    missing = [r for v, r in keyed if v is None]
    present.sort(key=lambda pair: pair[0], reverse=descending)
    return [r for _, r in present] + missing


@dataclass(frozen=True)
class Filters:
    q: str = ""
    topic: int | None = None
    decision: str = ""
    reviews: str = ""  # none / partial / complete
    flag: str = ""

    def apply(self, rows: list[Row]) -> list[Row]:
        q = self.q.strip().lower()
        return [
            row
            for row in rows
            if (not q or q in row.title.lower() or q == str(row.number).lstrip("#"))
            and (self.topic is None or self.topic in row.topic_ids)
            and (not self.decision or row.decision == self.decision)
            and (not self.reviews or row.review_status == self.reviews)
            and (
                not self.flag
                or (self.flag == "nominated" and row.nomination_count)
                or self.flag in row.flags
            )
        ]


# Not decided: no meta-review is expected (decisions.meta_reviews).
UNDONE = (UNDECIDED, WITHDRAWN)


def dashboard_rows(
    conference: Conference, *, user: User, with_authors: bool = True
) -> list[Row]:
    """Every submitted or withdrawn submission the user may decide (a chair never
    sees one they are conflicted with), as rows in number order."""
    hidden = conflicted_submission_ids(user)
    required = ReviewSettings.objects.for_conference(
        conference
    ).reviewers_per_submission
    page_limit = conference.page_limit
    rows: dict[int, Row] = {}
    submissions = (
        Submission.objects.filter(conference=conference)
        .exclude(state=Submission.State.DRAFT)
        .order_by("number")
        .values_list(
            "pk",
            "number",
            "title",
            "state",
            "is_late",
            "main_body_pages",
            "current_version__main_body_pages",
            "current_version__check_report__warnings",
        )
    )
    for pk, number, title, state, is_late, declared, body, warnings in submissions:
        if pk in hidden:
            continue
        flags = []
        pages = declared or body
        if pages is not None and pages > page_limit:
            flags.append("over_length")
        codes = {w.get("code") for w in warnings or () if isinstance(w, dict)}
        if codes & IDENTITY_WARNINGS:
            flags.append("identity")
        if is_late:
            flags.append("late")
        rows[pk] = Row(
            pk=pk,
            number=number,
            title=title,
            state=state,
            is_late=is_late,
            reviews_required=required,
            flags=flags,
        )
    # Each read below covers the conference (a join, not a list of a thousand ids);
    # rows of drafts and hidden submissions are skipped here.
    mine = {"submission__conference_id": conference.pk}
    if with_authors:
        for sub_id, name, affiliation in (
            Author.objects.filter(**mine)
            .order_by("submission_id", "order", "pk")
            .values_list("submission_id", "name", "affiliation")
        ):
            if row := rows.get(sub_id):
                row.authors.append((name, affiliation))
    for sub_id, topic_id, name in (
        Submission.topics.through.objects.filter(**mine)
        .order_by("submission_id", "topic__order", "topic_id")
        .values_list("submission_id", "topic_id", "topic__name")
    ):
        if row := rows.get(sub_id):
            row.topics.append(name)
            row.topic_ids.add(topic_id)
    scores: dict[int, list[tuple[int | None, int | None]]] = defaultdict(list)
    assigned: dict[int, int] = defaultdict(int)
    for sub_id, state, score, confidence in Assignment.objects.filter(
        **mine
    ).values_list(
        "submission_id", "review__state", "review__score", "review__confidence"
    ):
        assigned[sub_id] += 1
        if state == Review.State.SUBMITTED:
            scores[sub_id].append((score, confidence))
    for sub_id, count in assigned.items():
        if row := rows.get(sub_id):
            row.assignment_count = count
            row.reviews_required = max(required, count)
    for sub_id, pairs in scores.items():
        if row := rows.get(sub_id):
            row.reviews_done = len(pairs)
            row.stats = score_stats(pairs)
            if row.stats.is_disputed:
                row.flags.append("disputed")
    for sub_id, award, count in (
        ReviewNomination.objects.submitted()
        .filter(review__assignment__submission__conference_id=conference.pk)
        .values("review__assignment__submission_id", "award__name")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("review__assignment__submission_id", "award__name", "n")
    ):
        if row := rows.get(sub_id):
            row.nominations[award] = count
    for sub_id, outcome, reason, released_at in Decision.objects.filter(
        **mine
    ).values_list("submission_id", "outcome", "reason", "released_at"):
        if row := rows.get(sub_id):
            row.decision = outcome
            row.reason = reason
            row.is_released = released_at is not None
    # The camera-ready column (the proceedings app's model), read through the
    # submission's relation: one query, no import of a later layer.
    for sub_id, submitted_at in Submission.objects.filter(
        conference_id=conference.pk, camera_ready__isnull=False
    ).values_list("pk", "camera_ready__submitted_at"):
        if row := rows.get(sub_id):
            row.camera_ready = "complete" if submitted_at else "started"
    for row in rows.values():
        if row.state == WITHDRAWN:
            row.decision = WITHDRAWN
    decided = [pk for pk, row in rows.items() if row.decision not in UNDONE]
    for sub_id in missing_meta_review_ids(conference, decided):
        rows[sub_id].flags.append("no_meta_review")
    return list(rows.values())
