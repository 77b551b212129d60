"""CSV in and out for the assignment: string ids <-> 0-based indices.

Errors are ``CsvError`` (a ``ValueError``) with the file name and line number, so
the management command can show them as they are.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .solver import AssignmentResult, assign

__all__ = ["CsvError", "CsvProblem", "read_problem", "solve_csv", "write_assignment"]


class CsvError(ValueError):
    """A malformed input file; the message says which file and line."""


@dataclass(frozen=True)
class CsvProblem:
    """The CSV inputs mapped to indices; ``paper_ids[i]`` is paper index ``i``."""

    paper_ids: list[str]
    reviewer_ids: list[str]
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray]
    conflicts: np.ndarray
    max_load: np.ndarray


def read_problem(
    affinity: Path | str,
    *,
    max_load: int,
    conflicts: Path | str | None = None,
    loads: Path | str | None = None,
) -> CsvProblem:
    """Read ``paper,reviewer,score`` (+ optional conflicts and loads).

    Papers and reviewers are exactly those in the affinity file, in order of first
    appearance. Conflicts naming an unknown paper or reviewer are ignored (they
    cannot be assigned anyway); a load for an unknown reviewer is an error, as it
    is almost certainly a typo.
    """
    if max_load < 0:
        raise CsvError("--max-load must be >= 0")
    paper_index: dict[str, int] = {}
    reviewer_index: dict[str, int] = {}
    cand_p, cand_r, cand_s = [], [], []
    seen: set[tuple[int, int]] = set()
    for line, (paper, reviewer, score_text) in _rows(
        affinity, ("paper", "reviewer", "score")
    ):
        try:
            score = float(score_text)
        except ValueError:
            raise CsvError(
                f"{affinity}:{line}: score {score_text!r} is not a number"
            ) from None
        if not math.isfinite(score):
            raise CsvError(f"{affinity}:{line}: score {score_text!r} is not finite")
        p = paper_index.setdefault(paper, len(paper_index))
        r = reviewer_index.setdefault(reviewer, len(reviewer_index))
        if (p, r) in seen:
            raise CsvError(
                f"{affinity}:{line}: duplicate pair paper {paper!r}, "
                f"reviewer {reviewer!r}"
            )
        seen.add((p, r))
        cand_p.append(p)
        cand_r.append(r)
        cand_s.append(score)

    conflict_pairs = []
    if conflicts is not None:
        for _line, (paper, reviewer) in _rows(conflicts, ("paper", "reviewer")):
            if paper in paper_index and reviewer in reviewer_index:
                conflict_pairs.append((paper_index[paper], reviewer_index[reviewer]))

    load = np.full(len(reviewer_index), max_load, dtype=np.int64)
    if loads is not None:
        for line, (reviewer, value) in _rows(loads, ("reviewer", "max_load")):
            if reviewer not in reviewer_index:
                raise CsvError(
                    f"{loads}:{line}: unknown reviewer {reviewer!r} "
                    "(not in the affinity file)"
                )
            try:
                load[reviewer_index[reviewer]] = _non_negative_int(value)
            except ValueError:
                raise CsvError(
                    f"{loads}:{line}: max_load {value!r} is not an integer >= 0"
                ) from None

    return CsvProblem(
        paper_ids=list(paper_index),
        reviewer_ids=list(reviewer_index),
        candidates=(
            np.asarray(cand_p, dtype=np.int64),
            np.asarray(cand_r, dtype=np.int64),
            np.asarray(cand_s, dtype=np.float64),
        ),
        conflicts=np.asarray(conflict_pairs, dtype=np.int64).reshape(-1, 2),
        max_load=load,
    )


def solve_csv(
    problem: CsvProblem, *, per_paper: int, fair: bool = False
) -> AssignmentResult:
    if per_paper < 0:
        raise CsvError("--per-paper must be >= 0")
    return assign(
        len(problem.paper_ids),
        len(problem.reviewer_ids),
        problem.candidates,
        per_paper=per_paper,
        max_load=problem.max_load,
        conflicts=problem.conflicts,
        fair=fair,
    )


def write_assignment(
    path: Path | str, problem: CsvProblem, result: AssignmentResult
) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["paper", "reviewer", "score"])
        for p, r, s in zip(result.papers, result.reviewers, result.scores, strict=True):
            writer.writerow(
                [problem.paper_ids[p], problem.reviewer_ids[r], repr(float(s))]
            )


def summary(problem: CsvProblem, result: AssignmentResult) -> dict[str, object]:
    """The command's last stdout line, as a dict."""
    return {
        "assigned": int(result.papers.size),
        "total_score": result.total_score,
        "min_paper_score": None
        if math.isnan(result.min_paper_score)
        else result.min_paper_score,
        "unfilled": [problem.paper_ids[p] for p in sorted(result.unfilled)],
        "seconds": round(result.seconds, 3),
    }


def _rows(path: Path | str, header: tuple[str, ...]) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line number, cells)``; checks the header and the column count."""
    try:
        # Opened here, closed by the ``with`` below: a missing file must be a
        # CsvError, not an OSError escaping from inside the generator body.
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115
    except OSError as error:
        raise CsvError(f"{path}: cannot read ({error.strerror})") from None
    with handle:
        reader = csv.reader(handle)
        first = next(reader, None)
        if first is None or [cell.strip().lower() for cell in first] != list(header):
            raise CsvError(
                f"{path}:1: expected header {','.join(header)!r}, "
                f"got {','.join(first or [])!r}"
            )
        for cells in reader:
            if not cells or all(not cell.strip() for cell in cells):
                continue  # blank lines are harmless
            if len(cells) != len(header):
                raise CsvError(
                    f"{path}:{reader.line_num}: expected {len(header)} columns, "
                    f"got {len(cells)}"
                )
            values = [cell.strip() for cell in cells]
            if not all(values):
                raise CsvError(f"{path}:{reader.line_num}: empty value")
            yield reader.line_num, values


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value
