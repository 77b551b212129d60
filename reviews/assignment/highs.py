"""One HiGHS LP solve by a deadline, for the models kept between pricing
rounds (:mod:`.relax`'s restricted LP, :mod:`.columns`' configuration
master)."""

from __future__ import annotations

import math
import time

import highspy

__all__ = ["run_lp"]


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
