"""The warm sandbox workers: hostile files end a worker, never the pool.

Each test checks the file as production does (check_pdf with the sandbox),
then checks an ordinary paper to show that the next check still gets a
working sandbox.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from submissions.pdfcheck import ReviewerCopyError, check_pdf, make_reviewer_copy
from submissions.pdfcheck import sandbox as pdf_sandbox
from submissions.pdfcheck.content_size import CONTENT_BUDGET_BYTES
from tests.submissions.pdf_bombs import decompression_bomb
from tests.submissions.pdf_factory import build_paper


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_paper(tmp_path_factory.mktemp("pool") / "paper.pdf")


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Slow enough to interrupt: plots with thousands of paths on every page."""
    folder = tmp_path_factory.mktemp("pool")
    return build_paper(folder / "figures.pdf", pages=4, figure_paths=3000)


def _workers() -> list[int]:
    """Pids of this process's sandbox workers (from /proc, not from the pool)."""
    me, pids = str(os.getpid()), []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = stat.rsplit(")", 1)[1].split()[1]
        if parent == me and b"submissions.pdfcheck\x00serve" in command:
            pids.append(int(entry.name))
    return pids


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _kill_when_busy(pid: int) -> None:
    """SIGKILL the worker as soon as it uses CPU (an idle worker uses none):
    what a segfault in the parser's C code does to it mid-check."""
    idle = _cpu_ticks(pid)
    deadline = time.monotonic() + 30
    while _cpu_ticks(pid) == idle and time.monotonic() < deadline:
        time.sleep(0.002)
    os.kill(pid, signal.SIGKILL)


def _still_serves(paper: Path, tmp_path: Path) -> None:
    report = check_pdf(paper)
    assert (report.ok, report.main_body_pages) == (True, 3)
    make_reviewer_copy(paper, tmp_path / "copy.pdf")
    assert (tmp_path / "copy.pdf").read_bytes().startswith(b"%PDF-")


def test_decompression_bomb_is_refused_quickly_and_the_pool_keeps_serving(
    paper: Path, tmp_path: Path
) -> None:
    bomb = decompression_bomb(tmp_path / "bomb.pdf", size=2 << 30)
    assert bomb.stat().st_size < 10 * 2**20  # under the upload limit

    report = check_pdf(bomb)

    assert [issue.code for issue in report.errors] == ["unreadable"]
    assert f"over {CONTENT_BUDGET_BYTES // 2**20} MB" in report.errors[0].message
    # The copy refuses it too (PDFs in a supplementary ZIP get no check first).
    with pytest.raises(ReviewerCopyError, match="more drawing data"):
        make_reviewer_copy(bomb, tmp_path / "bomb-copy.pdf")
    assert not (tmp_path / "bomb-copy.pdf").exists()
    _still_serves(paper, tmp_path)


def test_worker_that_crashes_mid_check_is_refused_and_replaced(
    paper: Path, figures: Path, tmp_path: Path
) -> None:
    check_pdf(paper)  # a warm, idle worker
    (worker,) = _workers()[:1]
    killer = threading.Thread(target=_kill_when_busy, args=(worker,))
    killer.start()

    report = check_pdf(figures)

    killer.join()
    assert [issue.code for issue in report.errors] == ["unreadable"]
    assert "crashed the parser" in report.errors[0].message
    assert worker not in _workers()
    _still_serves(paper, tmp_path)


def test_worker_over_the_wall_time_is_killed_and_replaced(
    paper: Path, figures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_pdf(paper)
    before = set(_workers())
    monkeypatch.setattr(pdf_sandbox, "WALL_TIMEOUT_SECONDS", 0.05)

    report = check_pdf(figures)

    assert [issue.code for issue in report.errors] == ["unreadable"]
    assert "longer than 0.05 seconds" in report.errors[0].message
    monkeypatch.undo()
    assert len(before - set(_workers())) == 1  # the one that ran it is gone
    _still_serves(paper, tmp_path)


def test_worker_keeps_the_sandbox_limits(paper: Path) -> None:
    check_pdf(paper)  # a worker that has run a job
    limits = {}
    for worker in _workers():
        for line in Path(f"/proc/{worker}/limits").read_text().splitlines():
            if line.startswith(("Max address space", "Max cpu time")):
                name, soft, hard = line[:26].strip(), *line[26:].split()[:2]
                limits[name] = (int(soft), int(hard))

    assert limits["Max address space"] == (pdf_sandbox.MEMORY_LIMIT_BYTES,) * 2
    soft, hard = limits["Max cpu time"]
    # Re-armed per job: CPU_LIMIT_SECONDS beyond what the worker has used.
    assert pdf_sandbox.CPU_LIMIT_SECONDS < soft <= hard
    assert hard == (pdf_sandbox.JOBS_PER_WORKER + 2) * pdf_sandbox.CPU_LIMIT_SECONDS


def test_concurrent_checks_use_at_most_the_pool_size(paper: Path) -> None:
    reports = []

    def check() -> None:
        reports.append(check_pdf(paper))

    threads = [threading.Thread(target=check) for _ in range(pdf_sandbox.POOL_SIZE + 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [r.ok for r in reports] == [True] * len(threads)
    assert 1 <= len(_workers()) <= pdf_sandbox.POOL_SIZE


BIG_PARENT = """
import sys
from pathlib import Path
ballast = bytearray({ballast})
ballast[::4096] = b"x" * len(ballast[::4096])  # resident, not just reserved
from submissions.pdfcheck import check_pdf
from tests.submissions.test_sandbox_pool import _workers
check_pdf(Path(sys.argv[1]))
first = set(_workers())
check_pdf(Path(sys.argv[1]))
print(len(first), len(first & set(_workers())))
"""


def test_workers_of_a_large_process_stay_warm(paper: Path) -> None:
    """Linux carries ru_maxrss from the parent over fork and exec: a worker of a
    web (or test) process larger than half the memory limit looked spent and
    retired after every job, so every check paid a cold start."""
    import subprocess
    import sys

    ballast = pdf_sandbox.MEMORY_LIMIT_BYTES // 2 + 100 * 1024 * 1024
    result = subprocess.run(
        [sys.executable, "-c", BIG_PARENT.format(ballast=ballast), str(paper)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
        check=True,
    )
    # One warm worker after the first check, and the same one after the second.
    assert result.stdout.split() == ["1", "1"]
