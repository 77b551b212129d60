"""The CSV layer (pure) and the ``assign_csv`` management command."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reviews.assignment.csvio import CsvError, read_problem

AFFINITY = """paper,reviewer,score
p1,alice,0.9
p1,bob,0.4
p2,alice,0.8
p2,carol,0.3
p3,bob,0.7
"""


@pytest.fixture
def affinity(tmp_path):
    path = tmp_path / "affinity.csv"
    path.write_text(AFFINITY)
    return path


def run(*args: str) -> tuple[dict, str]:
    out, err = StringIO(), StringIO()
    call_command("assign_csv", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue().strip().splitlines()[-1]), err.getvalue()


def read_rows(path) -> list[list[str]]:
    with open(path, newline="") as handle:
        return list(csv.reader(handle))


def test_assign_csv_writes_the_optimal_assignment_and_a_json_summary(
    affinity, tmp_path
):
    out = tmp_path / "out.csv"

    summary, _ = run(
        "--affinity", str(affinity), "--per-paper", "1", "--max-load", "1",
        "--out", str(out),
    )  # fmt: skip

    assert read_rows(out) == [
        ["paper", "reviewer", "score"],
        ["p1", "alice", "0.9"],
        ["p2", "carol", "0.3"],
        ["p3", "bob", "0.7"],
    ]
    assert summary["assigned"] == 3
    assert summary["total_score"] == pytest.approx(1.9)
    assert summary["min_paper_score"] == pytest.approx(0.3)
    assert summary["unfilled"] == []


def test_assign_csv_applies_conflicts_loads_and_reports_unfilled(affinity, tmp_path):
    conflicts = tmp_path / "conflicts.csv"
    conflicts.write_text("paper,reviewer\np1,alice\nunknown,alice\n")
    loads = tmp_path / "loads.csv"
    loads.write_text("reviewer,max_load\nbob,1\n")
    out = tmp_path / "out.csv"

    summary, err = run(
        "--affinity", str(affinity), "--conflicts", str(conflicts),
        "--loads", str(loads), "--per-paper", "1", "--max-load", "2",
        "--out", str(out),
    )  # fmt: skip

    # bob (load 1) goes to p3 (0.7) rather than p1 (0.4); alice is conflicted on p1.
    assert read_rows(out)[1:] == [["p2", "alice", "0.8"], ["p3", "bob", "0.7"]]
    assert summary["unfilled"] == ["p1"]
    assert "unfilled p1: 1 short" in err


def test_assign_csv_fair_raises_the_weakest_paper(tmp_path):
    affinity = tmp_path / "a.csv"
    affinity.write_text(
        "paper,reviewer,score\np1,expert,0.9\np1,other,0.5\n"
        "p2,expert,0.8\np2,weak,0.45\n"
    )
    out = tmp_path / "out.csv"

    summary, _ = run(
        "--affinity", str(affinity), "--per-paper", "1", "--max-load", "1",
        "--fair", "--out", str(out),
    )  # fmt: skip

    assert read_rows(out)[1:] == [["p1", "other", "0.5"], ["p2", "expert", "0.8"]]
    assert summary["min_paper_score"] == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("paper,score\np1,0.5\n", "1: expected header 'paper,reviewer,score'"),
        ("paper,reviewer,score\np1,alice,high\n", "2: score 'high' is not a number"),
        ("paper,reviewer,score\np1,alice,0.5\np1,alice,0.6\n", "3: duplicate pair"),
        ("paper,reviewer,score\np1,alice\n", "2: expected 3 columns, got 2"),
        # Every line one number longer: pandas would shift the columns.
        (
            "paper,reviewer,score\np1,alice,0.5,7\np2,bob,0.7,7\n",
            "a.csv:2: expected 3 columns, got 4",
        ),
        (
            "# exported\npaper,reviewer,score\np1,alice,1\n",
            "a.csv:1: expected header 'paper,reviewer,score', got '# exported'",
        ),
        (
            "paper,reviewer,score,\np1,alice,1,\n",
            "1: expected header 'paper,reviewer,score', got 'paper,reviewer,score,'",
        ),
        ("paper,reviewer,score\np1,alice,1_000\n", "2: score '1_000' is not a number"),
        ("paper,reviewer,score\np1,alice,1.7e308\n", "2: score '1.7e308' is too large"),
    ],
)
def test_assign_csv_rejects_bad_affinity_files_with_the_line(
    tmp_path, content, message
):
    affinity = tmp_path / "a.csv"
    affinity.write_text(content)

    with pytest.raises(CommandError, match=message):
        run(
            "--affinity", str(affinity), "--max-load", "1",
            "--out", str(tmp_path / "out.csv"),
        )  # fmt: skip


def test_assign_csv_gives_nothing_to_a_reviewer_without_candidates_and_says_so(
    affinity, tmp_path
):
    loads = tmp_path / "loads.csv"
    loads.write_text("reviewer,max_load\nalice,2\nzoe,1\n")
    conflicts = tmp_path / "conflicts.csv"
    conflicts.write_text("paper,reviewer\np9,alice\np1,zoe\np1,nobody\n")
    out = tmp_path / "out.csv"

    summary, err = run(
        "--affinity", str(affinity), "--loads", str(loads),
        "--conflicts", str(conflicts), "--per-paper", "1", "--max-load", "1",
        "--min-load", "1", "--out", str(out),
    )  # fmt: skip

    assert summary["assigned"] == 3
    assert "zoe" not in {row[1] for row in read_rows(out)}
    assert summary["below_min_load"] == ["zoe"]
    assert "below minimum load zoe: 0 of 1 new pairs: only 0 eligible" in err
    assert "1 reviewer in" in err
    assert "has no candidate" in err
    assert "gets no assignment" in err
    assert "zoe" in err
    # p9 and nobody appear nowhere else; zoe does (loads), so p1/zoe is kept.
    assert "2 conflicts in" in err
    assert " name a paper" in err
    assert len(summary["warnings"]) == 2


def test_assign_csv_min_load_spreads_the_pairs_and_reports_lp_bound(tmp_path):
    affinity = tmp_path / "affinity.csv"
    affinity.write_text(
        "paper,reviewer,score\np1,alice,0.9\np1,bob,0.2\np2,alice,0.8\np2,bob,0.3\n"
    )
    out = tmp_path / "out.csv"
    args = ["--affinity", str(affinity), "--per-paper", "1", "--max-load", "2"]

    plain, _ = run(*args, "--out", str(out), "--lp-bound")
    spread, err = run(*args, "--min-load", "1", "--out", str(out))

    assert plain["total_score"] == pytest.approx(1.7)  # alice takes both
    assert plain["lp_bound"] == pytest.approx(0.8)
    assert spread["total_score"] == pytest.approx(1.2)  # alice p1, bob p2
    assert spread["below_min_load"] == []
    assert err == ""


def test_assign_csv_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run(
            "--affinity", str(tmp_path / "nope.csv"), "--max-load", "1",
            "--out", str(tmp_path / "out.csv"),
        )  # fmt: skip


def test_read_problem_maps_ids_in_order_of_first_appearance(affinity):
    problem = read_problem(affinity, max_load=2)

    assert problem.submission_ids == ["p1", "p2", "p3"]
    assert problem.reviewer_ids == ["alice", "bob", "carol"]
    assert problem.candidates[0].tolist() == [0, 0, 1, 1, 2]
    assert problem.max_load.tolist() == [2, 2, 2]


def test_read_problem_rejects_a_negative_load(affinity, tmp_path):
    loads = tmp_path / "loads.csv"
    loads.write_text("reviewer,max_load\nalice,-1\n")

    with pytest.raises(CsvError, match="2: max_load '-1' is not an integer >= 0"):
        read_problem(affinity, max_load=1, loads=loads)


def test_read_problem_strips_padded_cells_like_clean_ones(affinity, tmp_path):
    padded = tmp_path / "padded.csv"
    padded.write_text(
        "paper, reviewer ,score\n"
        + "".join(
            f" {p} ,{r} , {s}\n" if i % 2 else f"{p},{r},{s}\n\n"
            for i, (p, r, s) in enumerate(
                line.split(",") for line in AFFINITY.splitlines()[1:]
            )
        )
    )

    clean, padded_problem = (
        read_problem(affinity, max_load=2),
        read_problem(padded, max_load=2),
    )

    assert padded_problem.submission_ids == clean.submission_ids
    assert padded_problem.reviewer_ids == clean.reviewer_ids
    for mine, theirs in zip(padded_problem.candidates, clean.candidates, strict=True):
        assert mine.tolist() == theirs.tolist()


def test_the_bench_times_the_command_from_files_to_file_on_the_same_instance(
    bench_script,
):
    """``bench/assignment.py --large`` reports assign_csv's figures; on a small
    family they must be the command's solution of the very same instance."""
    bench = bench_script("assignment")
    family = bench.FAMILIES["small"]
    candidates, conflicts, load = bench.generate(family, 1)
    assert len(conflicts)  # the conflicts file has rows too

    figures = bench.csv_to_csv(candidates, conflicts, load, family.per_submission)

    plain = bench.assign(
        family.papers,
        family.reviewers,
        candidates,
        per_submission=family.per_submission,
        max_load=load,
        conflicts=conflicts,
    )
    assert figures["csv_rows"] == plain.filled_slots
    assert figures["csv_total"] == round(plain.total_score, 4)
    assert figures["csv_seconds"] > 0
    assert figures["csv_peak_mb"] > 0


def test_a_quoted_id_after_a_space_is_the_same_id_in_every_file(tmp_path):
    """`p1, "r1"`: the conflict names the pair the affinity file lists, so it
    is avoided (before, one reader kept the quotes and the pair was assigned),
    and the id is written back without quotes whichever reader ran."""
    affinity, conflicts = tmp_path / "a.csv", tmp_path / "c.csv"
    affinity.write_text('paper,reviewer,score\np1, "r1",0.9\np1,r2,0.1\np2 ,r1,0.5\n')
    conflicts.write_text('paper,reviewer\np1, "r1"\n')
    out = tmp_path / "out.csv"

    summary, _ = run(
        "--affinity", str(affinity), "--conflicts", str(conflicts),
        "--per-paper", "1", "--max-load", "1", "--out", str(out),
    )  # fmt: skip

    assert read_rows(out)[1:] == [["p1", "r2", "0.1"], ["p2", "r1", "0.5"]]
    assert summary["warnings"] == []


def test_loads_too_large_or_named_twice_are_said(affinity, tmp_path):
    loads = tmp_path / "loads.csv"
    loads.write_text("reviewer,max_load\nalice,1e30\n")
    with pytest.raises(CommandError, match=re.escape("loads.csv:2: max_load '1e30'")):
        run(
            "--affinity", str(affinity), "--loads", str(loads), "--max-load", "1",
            "--out", str(tmp_path / "out.csv"),
        )  # fmt: skip

    loads.write_text("reviewer,max_load\nalice,0\nalice,2\n")
    _, err = run(
        "--affinity", str(affinity), "--loads", str(loads), "--max-load", "1",
        "--out", str(tmp_path / "out.csv"),
    )  # fmt: skip
    assert "1 reviewer in" in err
    assert "is named more than once: the last line counts (alice)" in err
    rows = read_rows(tmp_path / "out.csv")[1:]
    assert sum(1 for row in rows if row[1] == "alice") == 2  # the last line: 2


def test_an_affinity_file_without_pairs_is_said(tmp_path):
    affinity = tmp_path / "a.csv"
    affinity.write_text("paper,reviewer,score\n")

    summary, err = run(
        "--affinity", str(affinity), "--max-load", "1",
        "--out", str(tmp_path / "out.csv"),
    )  # fmt: skip

    assert summary["assigned"] == 0
    assert "has no candidate pair: nothing to assign" in err


def test_the_summary_is_the_only_stdout_and_progress_waits_for_verbosity(tmp_path):
    """Scripts read stdout as JSON: HiGHS's banner (printed by HiGHS itself on
    the process's first model, so a process of its own) and the fair phases'
    progress lines stay out of it; -v 2 shows the progress."""
    affinity = tmp_path / "a.csv"
    affinity.write_text(
        "paper,reviewer,score\n"
        + "".join(
            f"p{p},r{r},{(p * 7 + r * 3) % 10 / 10}\n"
            for p in range(6)
            for r in range(4)
        )
    )
    command = [
        sys.executable, "manage.py", "assign_csv", "--affinity", str(affinity),
        "--per-paper", "2", "--max-load", "3", "--fair", "--lp-bound",
        "--out", str(tmp_path / "o.csv"),
    ]  # fmt: skip
    root = Path(__file__).resolve().parents[2]

    quiet = subprocess.run(
        command, cwd=root, capture_output=True, text=True, check=True
    )
    loud = subprocess.run(
        [*command, "-v", "2"], cwd=root, capture_output=True, text=True, check=True
    )

    assert json.loads(quiet.stdout)["assigned"] == 12  # one JSON object, alone
    assert "Running HiGHS" not in quiet.stdout + quiet.stderr
    assert "raise_floor" not in quiet.stderr
    assert json.loads(loud.stdout.splitlines()[-1])["assigned"] == 12
    assert "merge_total" in loud.stderr or "raise_floor" in loud.stderr
