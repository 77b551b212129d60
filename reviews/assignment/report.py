"""Human-readable reasons for what the solver could not do."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .solver import Instance, IntArray

__all__ = ["below_min_load", "unfilled_reasons"]


def unfilled_reasons(
    instance: Instance, assigned_count: IntArray, new_p: IntArray
) -> dict[int, str]:
    short = np.flatnonzero(assigned_count < instance.per_submission)
    got = np.bincount(new_p, minlength=instance.submission_count)
    reasons = {}
    for p in short.tolist():
        missing = int(instance.per_submission[p] - assigned_count[p])
        eligible = int(instance.eligible_count[p])
        if eligible < instance.need[p]:
            listed = int(instance.candidate_count[p])
            reason = (
                f"only {eligible} eligible reviewer{'s' if eligible != 1 else ''} "
                f"with free load (k={int(instance.per_submission[p])}, "
                f"{listed} non-conflicted candidates)"
            )
        else:
            # Enough candidates on paper, but a maximum flow proves that their
            # spare load cannot cover this paper and the others that need them.
            reason = (
                f"{eligible} eligible reviewers, but their free load is used up "
                f"by other papers (got {int(got[p])} of {int(instance.need[p])} "
                "open slots; the filled count is maximal)"
            )
        reasons[p] = f"{missing} short: {reason}"
    return reasons


def below_min_load(instance: Instance, new_r: IntArray) -> dict[int, str]:
    """Reviewers given fewer new pairs than their open minimum load."""
    got = np.bincount(new_r, minlength=instance.reviewer_count)
    eligible = np.bincount(instance.arc_reviewer, minlength=instance.reviewer_count)
    reasons = {}
    for r in np.flatnonzero(got < instance.want).tolist():
        wanted, have = int(instance.want[r]), int(eligible[r])
        if have < wanted:
            why = f"only {have} eligible candidate pair{'s' if have != 1 else ''}"
        else:
            why = (
                f"{have} eligible candidate pairs, but their papers' slots are "
                "taken (the number of pairs toward minimum loads is maximal)"
            )
        reasons[r] = f"{int(got[r])} of {wanted} new pairs: {why}"
    return reasons
