"""CSV in and out for the assignment: string ids <-> 0-based indices.

Files are read column-wise by pandas' C parser and checked with numpy (a
3M-row affinity file in seconds, not a Python loop per row). Errors are
``CsvError`` (a ``ValueError``) with the file name and line number, so the
management command can show them as they are. What is merely incomplete is not
an error: a reviewer listed only in the loads file joins with no candidate (and
gets nothing), conflicts naming unknown ids are skipped; ``CsvProblem.warnings``
says so.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from haet.wording import agreeing, counted

from .solver import AssignmentResult, assign

__all__ = ["CsvError", "CsvProblem", "read_problem", "solve_csv", "write_assignment"]


# A load above this is a typo (no conference has a billion papers), and one
# near 2**63 overflowed the solver's integers.
MAX_LOAD = 1_000_000_000
# Scores beyond this in size overflow fair mode's sums and scaling (1.7e308
# did); an affinity is never near it.
MAX_SCORE = 1e300


class CsvError(ValueError):
    """A malformed input file; the message says which file and line."""


@dataclass(frozen=True)
class CsvProblem:
    """The CSV inputs mapped to indices; ``paper_ids[i]`` is paper index ``i``."""

    submission_ids: list[str]
    reviewer_ids: list[str]
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray]
    conflicts: np.ndarray
    max_load: np.ndarray
    warnings: list[str] = field(default_factory=list)


def read_problem(
    affinity: Path | str,
    *,
    max_load: int,
    conflicts: Path | str | None = None,
    loads: Path | str | None = None,
) -> CsvProblem:
    """Read ``paper,reviewer,score`` (+ optional conflicts and loads).

    Papers are those in the affinity file, in order of first appearance;
    reviewers too, then those only the loads file names (no candidates).
    """
    if max_load < 0:
        raise CsvError("--max-load must be >= 0")
    try:
        submission_codes, submission_ids, reviewer_codes, reviewers, score = _affinity(
            affinity, fast=True
        )
    except _Recheck:  # something is off: the checking reader says what and where
        submission_codes, submission_ids, reviewer_codes, reviewers, score = _affinity(
            affinity, fast=False
        )
    warnings: list[str] = []
    if not submission_ids:
        warnings.append(f"{affinity} has no candidate pair: nothing to assign")
    reviewer_index = {name: i for i, name in enumerate(reviewers)}

    load_values = np.zeros(0, dtype=np.int64)
    load_rows = np.zeros(0, dtype=np.int64)
    if loads is not None:
        load_table = _read(loads, ("reviewer", "max_load"))
        load_values = _non_negative(load_table["max_load"], loads, "max_load")
        named = load_table["reviewer"]
        new = ~named.isin(reviewer_index) & ~named.duplicated()
        if new.any():
            added = named[new].tolist()
            reviewer_index.update(
                (name, len(reviewers) + i) for i, name in enumerate(added)
            )
            reviewers += added
            warnings.append(
                f"{counted(len(added), 'reviewer')} in {loads} "
                f"{agreeing(len(added), 'has', 'have')} no candidate in {affinity} "
                f"and {agreeing(len(added), 'gets', 'get')} no assignment: "
                f"{_sample(added)}"
            )
        load_rows = named.map(reviewer_index).to_numpy(np.int64)
        twice = named[named.duplicated()].unique().tolist()
        if twice:
            warnings.append(
                f"{counted(len(twice), 'reviewer')} in {loads} "
                f"{agreeing(len(twice), 'is', 'are')} named more than once: "
                f"the last line counts ({_sample(twice)})"
            )
    load = np.full(len(reviewers), max_load, dtype=np.int64)
    load[load_rows] = load_values  # the last line for a reviewer wins

    conflict_pairs = np.zeros((0, 2), dtype=np.int64)
    if conflicts is not None:
        conflict_table = _read(conflicts, ("paper", "reviewer"))
        submission_index = pd.Index(submission_ids)
        p = submission_index.get_indexer(conflict_table["paper"])
        r = pd.Index(reviewers).get_indexer(conflict_table["reviewer"])
        known = (p >= 0) & (r >= 0)
        if not known.all():
            skipped = int((~known).sum())
            warnings.append(
                f"{counted(skipped, 'conflict')} in {conflicts} "
                f"{agreeing(skipped, 'names', 'name')} a paper or "
                "reviewer without candidates (nothing to avoid): skipped"
            )
        conflict_pairs = np.column_stack([p[known], r[known]]).astype(np.int64)

    return CsvProblem(
        submission_ids=list(submission_ids),
        reviewer_ids=reviewers,
        candidates=(submission_codes, reviewer_codes, score),
        conflicts=conflict_pairs,
        max_load=load,
        warnings=warnings,
    )


class _Recheck(Exception):
    """The fast reader met something the checking reader must report."""


def _affinity(
    path: Path | str, *, fast: bool
) -> tuple[np.ndarray, list[str], np.ndarray, list[str], np.ndarray]:
    """Paper codes and ids, reviewer codes and ids, scores. ``fast`` reads typed
    columns in one pass and raises ``_Recheck`` on any doubt (a bad number, an
    empty or padded id, a duplicate, a short line); the other way checks every
    cell and raises ``CsvError`` with the line."""
    header = ("paper", "reviewer", "score")
    if fast:
        table = _read_typed(path, header)
        score = table["score"].to_numpy(np.float64)
        if not (np.abs(score) <= MAX_SCORE).all():  # also NaN and infinities
            raise _Recheck
    else:
        table = _read(path, header)
        score = pd.to_numeric(table["score"], errors="coerce").to_numpy(np.float64)
        bad = ~np.isfinite(score)
        if bad.any():
            row = int(np.argmax(bad))
            text = table["score"].iloc[row]
            kind = "not finite" if _is_number(text) else "not a number"
            raise CsvError(f"{path}:{table.index[row]}: score {text!r} is {kind}")
        large = np.abs(score) > MAX_SCORE
        if large.any():
            row = int(np.argmax(large))
            raise CsvError(
                f"{path}:{table.index[row]}: score {table['score'].iloc[row]!r} "
                f"is too large (at most {MAX_SCORE:g} in size)"
            )
    submission_codes, submission_ids = pd.factorize(table["paper"])
    reviewer_codes, reviewer_ids = pd.factorize(table["reviewer"])
    if fast and not all(
        # Checked on the distinct ids only: cheap, and exact.
        name and isinstance(name, str) and name == name.strip()
        for name in itertools.chain(submission_ids, reviewer_ids)
    ):
        raise _Recheck
    keys = (
        submission_codes.astype(np.int64) * max(len(reviewer_ids), 1) + reviewer_codes
    )
    duplicated = pd.Series(keys).duplicated().to_numpy()
    if duplicated.any():
        if fast:
            raise _Recheck
        row = int(np.argmax(duplicated))
        raise CsvError(
            f"{path}:{table.index[row]}: duplicate pair paper "
            f"{table['paper'].iloc[row]!r}, reviewer {table['reviewer'].iloc[row]!r}"
        )
    return (
        submission_codes.astype(np.int64),
        list(submission_ids),
        reviewer_codes.astype(np.int64),
        list(reviewer_ids),
        score,
    )


def _read_typed(path: Path | str, header: tuple[str, ...]) -> pd.DataFrame:
    """One typed pass of pandas' C parser (ids as strings, the rest float)."""
    try:
        table = pd.read_csv(
            path,
            dtype={name: str for name in header[:2]} | {header[2]: np.float64},
            keep_default_na=False,
            skipinitialspace=True,
            encoding="utf-8-sig",
            engine="c",
        )
    except OSError as error:
        raise CsvError(f"{path}: cannot read ({error.strerror})") from None
    except (ValueError, pd.errors.ParserError):
        raise _Recheck from None
    if [str(name).strip().lower() for name in table.columns] != list(header):
        raise _Recheck
    if not isinstance(table.index, pd.RangeIndex):
        # Every data line one field longer than the header: pandas takes the
        # first column for an index and shifts the rest (reviewers read as
        # papers, the extra column as the score). The checking reader names
        # the line.
        raise _Recheck
    table.columns = list(header)
    return table


def solve_csv(
    problem: CsvProblem,
    *,
    per_submission: int,
    fair: bool = False,
    min_load: int = 0,
    lp_bound: bool = False,
) -> AssignmentResult:
    if per_submission < 0:
        raise CsvError("--per-paper must be >= 0")
    if min_load < 0:
        raise CsvError("--min-load must be >= 0")
    return assign(
        len(problem.submission_ids),
        len(problem.reviewer_ids),
        problem.candidates,
        per_submission=per_submission,
        max_load=problem.max_load,
        min_load=min_load,
        conflicts=problem.conflicts,
        fair=fair,
        lp_bound=lp_bound,
    )


def write_assignment(
    path: Path | str, problem: CsvProblem, result: AssignmentResult
) -> None:
    submissions = np.asarray(problem.submission_ids, dtype=object)[result.submissions]
    reviewers = np.asarray(problem.reviewer_ids, dtype=object)[result.reviewers]
    frame = pd.DataFrame({"paper": submissions, "reviewer": reviewers})
    frame["score"] = [repr(float(s)) for s in result.scores]
    frame.to_csv(path, index=False, lineterminator="\r\n")


def summary(problem: CsvProblem, result: AssignmentResult) -> dict[str, object]:
    """The command's last stdout line, as a dict."""
    figures = {
        "assigned": int(result.submissions.size),
        "total_score": result.total_score,
        "min_paper_score": None
        if math.isnan(result.min_submission_score)
        else result.min_submission_score,
        "unfilled": [problem.submission_ids[p] for p in sorted(result.unfilled)],
        "below_min_load": [
            problem.reviewer_ids[r] for r in sorted(result.below_min_load)
        ],
        "warnings": problem.warnings,
        "seconds": round(result.seconds, 3),
    }
    if "lp_bound" in result.stats:
        figures["lp_bound"] = result.stats["lp_bound"]
    return figures


def _read(path: Path | str, header: tuple[str, ...]) -> pd.DataFrame:
    """All cells as stripped strings, indexed by file line number; checks the
    header, the column count and empty values."""
    try:
        table = pd.read_csv(
            path,
            header=None,
            dtype=str,
            keep_default_na=False,
            # As the fast reader: `p1, "r1"` is the id r1 in every file, so a
            # conflict written so still matches its affinity pair.
            skipinitialspace=True,
            skip_blank_lines=False,
            encoding="utf-8-sig",
            on_bad_lines="error",
            engine="c",
        )
    except OSError as error:
        raise CsvError(f"{path}: cannot read ({error.strerror})") from None
    except pd.errors.EmptyDataError:
        expected = ",".join(header)
        raise CsvError(f"{path}:1: expected header {expected!r}, got ''") from None
    except pd.errors.ParserError as error:
        raise CsvError(f"{path}:{_parser_message(error, path, header)}") from None
    first = table.iloc[0].fillna("").str.strip()
    if table.shape[1] != len(header) or [c.lower() for c in first] != list(header):
        # Every cell of the line, empty ones too: a trailing comma shows.
        written = ",".join(first)
        raise CsvError(
            f"{path}:1: expected header {','.join(header)!r}, got {written!r}"
        )
    table.index = np.arange(1, len(table) + 1)  # file line numbers
    table = table.iloc[1:]
    missing = table.isna()  # a short line: pandas pads it
    table = table.fillna("").apply(lambda column: column.str.strip())
    empty = table == ""
    kept = ~empty.all(axis=1)  # blank lines are harmless
    table, missing, empty = table[kept], missing[kept], empty[kept]
    short = missing.any(axis=1)
    if short.any():
        line = short.idxmax()
        got = len(header) - int(missing.loc[line].sum())
        raise CsvError(f"{path}:{line}: expected {len(header)} columns, got {got}")
    if empty.any(axis=None):
        line = empty.any(axis=1).idxmax()
        # pandas pads a short line with empty cells: count the line's own.
        got = len(_raw_line(path, line))
        if got != len(header):
            raise CsvError(f"{path}:{line}: expected {len(header)} columns, got {got}")
        raise CsvError(f"{path}:{line}: empty value")
    table.columns = list(header)
    return table


def _parser_message(error: Exception, path: Path | str, header: tuple[str, ...]) -> str:
    """ "line: what" for pandas' "Expected 1 fields in line 2, saw 3". pandas
    counts the fields of the first line: when that is not the header's count
    (a comment line above the header), the header is what is wrong."""
    text = str(error)
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if found is None:
        return f" {text}"
    expected, line, saw = (int(n) for n in found.groups())
    if expected != len(header):
        first = ",".join(_raw_line(path, 1))
        return f"1: expected header {','.join(header)!r}, got {first!r}"
    return f"{line}: expected {len(header)} columns, got {saw}"


def _raw_line(path: Path | str, line: int) -> list[str]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return next(csv.reader(itertools.islice(handle, line - 1, line)), [])


def _non_negative(column: pd.Series, path: Path | str, name: str) -> np.ndarray:
    values = pd.to_numeric(column, errors="coerce").to_numpy(np.float64)
    bad = ~(np.isfinite(values) & (values >= 0) & (values == np.round(values)))
    if bad.any():
        row = int(np.argmax(bad))
        raise CsvError(
            f"{path}:{column.index[row]}: {name} {column.iloc[row]!r} "
            "is not an integer >= 0"
        )
    large = values > MAX_LOAD
    if large.any():
        row = int(np.argmax(large))
        raise CsvError(
            f"{path}:{column.index[row]}: {name} {column.iloc[row]!r} is too "
            f"large (at most {MAX_LOAD:,})"
        )
    return values.astype(np.int64)


def _is_number(text: str) -> bool:
    if "_" in text:  # Python reads "1_000"; CSV readers do not
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


def _sample(names: list[str], count: int = 5) -> str:
    shown = ", ".join(names[:count])
    return shown + (f" and {len(names) - count} more" if len(names) > count else "")
