"""OpenReview's expertise file format, read and scored by :mod:`reviews.expertise`.

- Archives: a folder of ``~<reviewer id>.jsonl`` files, one JSON object a line
  for each of the reviewer's own papers, ``{"id": ..., "content": {"title": ...,
  "abstract": ...}}``; the reviewer is the file's stem (``~1737249``).
- Submissions: a JSON object ``{"<id>": {"id": ..., "content": {...}}}``, or
  JSONL with one such object a line (its ``id``), or a JSON list of them.

Content values may be plain strings or OpenReview API 2's ``{"value": ...}``.
Only the title and abstract are read: author names and ids are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from reviews.expertise import document_text, expertise
from reviews.expertise_candidates import top_reviewers

WRITE_BLOCK = 100_000  # CSV rows joined into one write


class ExpertiseInputError(ValueError):
    """An input file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class ExpertiseInput:
    submission_ids: list[str]
    submission_texts: list[str]
    reviewer_ids: list[str]
    profiles: list[list[str]]  # per reviewer, their papers' texts


def _field(content: dict[str, Any], name: str) -> str:
    value = content.get(name) or ""
    if isinstance(value, dict):  # OpenReview API 2: {"value": ...}
        value = value.get("value") or ""
    return value if isinstance(value, str) else ""


def record_text(record: Any, where: str) -> str:
    """Title and abstract of one record (a paper or a submission)."""
    if not isinstance(record, dict):
        raise ExpertiseInputError(f"{where}: expected a JSON object")
    content = record.get("content", record)
    if not isinstance(content, dict):
        raise ExpertiseInputError(f"{where}: 'content' is not an object")
    return document_text(_field(content, "title"), _field(content, "abstract"))


def _is_record(data: dict[str, Any]) -> bool:
    """One submission ({"id": ..., "content": ...} or flat {"id", "title"}),
    not an object of submissions by id (whose values are all objects)."""
    return "content" in data or not all(isinstance(v, dict) for v in data.values())


def _json_lines(path: Path) -> Iterator[tuple[str, Any]]:
    with path.open(encoding="utf-8-sig") as lines:  # a BOM is not an error
        for number, line in enumerate(lines, start=1):
            if line.strip():
                where = f"{path}:{number}"
                try:
                    yield where, json.loads(line)
                except json.JSONDecodeError as error:
                    raise ExpertiseInputError(f"{where}: {error.msg}") from error


def read_submissions(path: Path) -> tuple[list[str], list[str]]:
    """Ids and texts of the submissions, in file order."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ExpertiseInputError(f"{path}: cannot read ({error})") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as whole:
        try:
            items = [(where, None, value) for where, value in _json_lines(path)]
        except ExpertiseInputError:
            if len(text.strip().splitlines()) > 1 and text.lstrip()[:1] in "{[":
                # One JSON document over many lines: its own error, where it is
                # (not JSONL's complaint about the first line).
                raise ExpertiseInputError(
                    f"{path}:{whole.lineno}:{whole.colno}: {whole.msg}"
                ) from whole
            raise
    else:
        items = (
            [(f"{path}: {key}", key, value) for key, value in data.items()]
            if isinstance(data, dict) and not _is_record(data)
            else [
                (f"{path}: item {n}", None, value)
                for n, value in enumerate(data if isinstance(data, list) else [data])
            ]
        )
    if not items:
        raise ExpertiseInputError(f"{path}: no submission in it")
    ids, texts = [], []
    for where, key, record in items:
        submission_id = record.get("id") if isinstance(record, dict) else None
        if submission_id is None or submission_id == "":
            submission_id = key  # an id of 0 is an id
        if submission_id is None:
            raise ExpertiseInputError(f"{where}: no 'id'")
        ids.append(str(submission_id))
        texts.append(record_text(record, where))
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise ExpertiseInputError(f"{path}: submission {duplicate!r} appears twice")
    return ids, texts


def read_archives(folder: Path) -> tuple[list[str], list[list[str]]]:
    """Reviewer ids (file stems, sorted) and their papers' texts."""
    if not folder.is_dir():
        raise ExpertiseInputError(f"{folder}: not a folder")
    reviewer_ids, profiles = [], []
    # ~1737249.JSONL too: the extension's case is the file system's business.
    archives = sorted(
        path for path in folder.iterdir() if path.suffix.lower() == ".jsonl"
    )
    for path in archives:
        try:
            texts = [record_text(record, where) for where, record in _json_lines(path)]
        except (OSError, UnicodeDecodeError) as error:
            raise ExpertiseInputError(f"{path}: cannot read ({error})") from error
        reviewer_ids.append(path.stem)
        profiles.append(texts)
    if not reviewer_ids:
        raise ExpertiseInputError(f"{folder}: no .jsonl archive")
    return reviewer_ids, profiles


def read_input(archives: Path, submissions: Path) -> ExpertiseInput:
    submission_ids, submission_texts = read_submissions(submissions)
    reviewer_ids, profiles = read_archives(archives)
    return ExpertiseInput(submission_ids, submission_texts, reviewer_ids, profiles)


def write_scores(data: ExpertiseInput, out: TextIO, *, top: int | None = None) -> int:
    """Write ``submission,reviewer,score`` for every pair, or with ``top`` for
    each submission's ``top`` best reviewers only (best first, equal scores in
    reviewer order); returns the row count."""
    if top is None:
        scores = expertise(data.submission_texts, data.profiles)
        count, reviewers = scores.shape
        rows = np.repeat(np.arange(count), reviewers)
        cols = np.tile(np.arange(reviewers), count)
        values = scores.ravel()
    else:
        best = top_reviewers(data.submission_texts, data.profiles, k=top)
        # Every row holds the same number of reviewers (zeros kept), in
        # reviewer order: a stable sort of each row by score, best first, is
        # the order (np.lexsort over the 3 million took 2 s).
        count, kept = best.shape[0], min(top, best.shape[1])
        order = np.argsort(-best.data.reshape(count, kept), axis=1, kind="stable")
        order += best.indptr[:-1, None]
        rows = np.repeat(np.arange(count), kept)
        cols, values = best.indices[order.ravel()], best.data[order.ravel()]
    out.write("submission,reviewer,score\n")
    submission_cells = list(map(csv_cell, data.submission_ids))
    reviewer_cells = list(map(csv_cell, data.reviewer_ids))
    # Whole lines joined in blocks: csv.writer's row by row took 4.2 s for
    # the 3 million rows of the top 200 at 15,000 x 15,000, this 1-2 s.
    for start in range(0, len(values), WRITE_BLOCK):
        block = slice(start, start + WRITE_BLOCK)
        out.write(
            "".join(
                f"{submission_cells[i]},{reviewer_cells[j]},{score:.8f}\n"
                for i, j, score in zip(
                    rows[block].tolist(),
                    cols[block].tolist(),
                    values[block].tolist(),
                    strict=True,
                )
            )
        )
    return len(values)


def csv_cell(value: str) -> str:
    """One CSV field as ``csv.writer`` writes it in a row of several
    (``QUOTE_MINIMAL``): quoted when it holds a comma, a quote or a line
    break, its quotes doubled."""
    if any(character in value for character in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value
