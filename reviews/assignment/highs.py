"""One HiGHS LP solve by a deadline, for the models kept between pricing
rounds (:mod:`.relax`'s restricted LP, :mod:`.columns`' configuration
master)."""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time

import highspy

__all__ = ["run_lp"]


def _swallow_banner() -> None:
    """HiGHS prints its banner ("Running HiGHS 1.16.0 ...") on the process's
    standard output when the first model of the process is made, before any
    option can turn output off: `assign_csv`'s last stdout line is its JSON
    summary, and a script reading stdout as JSON broke on it. Make that first
    model here, at import (before any thread), with standard output pointed
    at the null device for the moment."""
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)


_swallow_banner()


def run_lp(highs: highspy.Highs, deadline: float | None, what: str) -> bool:
    """Solve the LP as it is; False if ``deadline`` (``time.perf_counter()``)
    came first, RuntimeError (naming ``what``) if HiGHS failed otherwise."""
    left = math.inf if deadline is None else deadline - time.perf_counter()
    # An LP's time limit counts every run of this model so far (a MIP's only
    # its own run: branching.best_integral); measured with HiGHS 1.16.
    highs.setOptionValue("time_limit", highs.getRunTime() + max(left, 0.01))
    highs.run()
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kTimeLimit:
        return False
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"{what}: {status}")
    return True
