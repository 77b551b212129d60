"""The dashboard's summary: totals, the acceptance rate and the score histogram."""

import math
from dataclasses import dataclass

from decisions.models import ACCEPTED, DECISION_LABELS, UNDECIDED, WITHDRAWN
from decisions.queries.dashboard import Row


# --- the summary -------------------------------------------------------------------
@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return self.x + self.width / 2

    @property
    def count_y(self) -> float:
        return self.y - 4


@dataclass(frozen=True)
class Histogram:
    bars: list[Bar]
    width: int
    height: int
    baseline: float
    max_count: int

    @property
    def tick_y(self) -> float:
        return self.baseline + 14


def histogram(
    values: list[float], *, low: float = -3.0, high: float = 3.0, step: float = 0.5
) -> Histogram:
    """Mean scores in bins of `step` from `low` to `high`, laid out for an SVG
    (200 px high, 28 px per bar); the template draws it, no JavaScript."""
    bins = round((high - low) / step) + 1
    counts = [0] * bins
    for value in values:
        # Half-up, so a bin's edge always falls in the upper bin.
        index = math.floor((min(max(value, low), high) - low) / step + 0.5)
        counts[index] += 1
    top = max(counts) or 1
    chart_height, bar_width, pad = 160.0, 28.0, 20.0
    bars = []
    for i, count in enumerate(counts):
        height = chart_height * count / top
        centre = low + i * step
        bars.append(
            Bar(
                label=f"{centre:+g}" if centre else "0",
                count=count,
                x=i * (bar_width + 4) + 4,
                y=pad + chart_height - height,
                width=bar_width,
                height=height,
            )
        )
    return Histogram(
        bars=bars,
        width=int(bins * (bar_width + 4) + 8),
        height=int(chart_height + 2 * pad + 14),
        baseline=pad + chart_height,
        max_count=max(counts),
    )


@dataclass(frozen=True)
class Summary:
    submission_count: int
    reviews_done: int
    reviews_required: int
    fully_reviewed: int
    decided: int
    decision_counts: dict[str, int]
    accepted: int
    acceptance_rate: float | None  # accepted / (decided, withdrawn excluded)
    released: int
    histogram: Histogram

    @property
    def undecided(self) -> int:
        return self.decision_counts.get(UNDECIDED, 0)


def summarize(rows: list[Row]) -> Summary:
    counts = {key: 0 for key in DECISION_LABELS}
    for row in rows:
        counts[row.decision] += 1
    live = [r for r in rows if r.decision != WITHDRAWN]
    decided = sum(counts[o] for o in counts if o not in (UNDECIDED, WITHDRAWN))
    accepted = sum(counts[o] for o in ACCEPTED)
    return Summary(
        submission_count=len(live),
        reviews_done=sum(min(r.reviews_done, r.reviews_required) for r in live),
        reviews_required=sum(r.reviews_required for r in live),
        fully_reviewed=sum(r.review_status == "complete" for r in live),
        decided=decided,
        decision_counts={DECISION_LABELS[key]: count for key, count in counts.items()},
        accepted=accepted,
        acceptance_rate=accepted / decided if decided else None,
        released=sum(r.is_released for r in live),
        histogram=histogram([r.stats.mean for r in live if r.stats.mean is not None]),
    )
