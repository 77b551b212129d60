"""Automatic assignment of area chairs: the reviewers' solver
(`reviews.assignment.assign`, min-cost flow) with k = 1, the area chairs' own
load (`AreaChairSettings.max_load`), the same affinity and the same conflict
rules. Existing area-chair assignments are kept and count toward the loads.
Small enough (area chairs are few) to run in the request."""

from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from haet.models import Conference, User
from reviews import conflicts
from reviews.affinity import compute_affinity
from reviews.area_chairs import (
    area_chair_settings,
    area_chairs,
    assign_area_chair,
    queue_area_chair_mail,
)
from reviews.assignment import assign as solve
from reviews.bidding import biddable
from reviews.models import AreaChairAssignment, ReviewSettings
from submissions.models import Submission


@dataclass(frozen=True)
class AreaChairRun:
    assigned: int  # new assignments made
    unfilled: list[int]  # numbers of submissions left without an area chair


@transaction.atomic
def assign_area_chairs_automatically(
    conference: Conference, *, by: User, notify: bool = True
) -> AreaChairRun:
    """Give every live submission without an area chair one, optimally.
    The chair's own conflicts are left out (they cannot shape those).
    Side effects: AreaChairAssignment rows (source "automatic"); one mail per
    area chair listing their new submissions (`notify`)."""
    hidden = conflicts.conflicted_submission_ids(by)
    live = biddable(Submission.objects.filter(conference=conference))
    submissions = list(
        live.exclude(pk__in=hidden)
        .filter(area_chair_assignment__isnull=True)
        .prefetch_related("topics")
        .order_by("number")
    )
    people = area_chairs()
    if not submissions or not people:
        return AreaChairRun(0, [s.number for s in submissions])
    load = area_chair_settings(conference).max_load
    # Submissions they already oversee (any, even hidden ones) use up their loads.
    used = Counter(
        AreaChairAssignment.objects.filter(area_chair__in=people).values_list(
            "area_chair_id", flat=True
        )
    )
    affinity = compute_affinity(
        submissions,
        people,
        review_settings=ReviewSettings.objects.for_conference(conference),
    )
    row = {pk: i for i, pk in enumerate(affinity.submission_ids)}
    col = {pk: j for j, pk in enumerate(affinity.reviewer_ids)}
    index = conflicts.ConflictIndex.build(users=people, submissions=submissions)
    conflict_pairs = np.array(
        [(row[s], col[u]) for (u, s) in index.pairs() if s in row and u in col],
        dtype=np.int64,
    ).reshape(-1, 2)
    n_sub, n_people = affinity.total.shape
    grid_p, grid_r = np.meshgrid(np.arange(n_sub), np.arange(n_people), indexing="ij")
    result = solve(
        n_sub,
        n_people,
        (grid_p.ravel(), grid_r.ravel(), affinity.total.ravel()),
        per_submission=1,
        max_load=np.array(
            [max(load - used[pk], 0) for pk in affinity.reviewer_ids], dtype=np.int64
        ),
        conflicts=conflict_pairs,
    )
    by_pk = {s.pk: s for s in submissions}
    people_by_pk = {p.pk: p for p in people}
    made: dict[int, list[AreaChairAssignment]] = defaultdict(list)
    for p, r, new in zip(
        result.submissions, result.reviewers, result.is_new, strict=True
    ):
        if not new:
            continue
        area_chair = people_by_pk[affinity.reviewer_ids[r]]
        made[area_chair.pk].append(
            assign_area_chair(
                by_pk[affinity.submission_ids[p]],
                area_chair,
                by=by,
                source=AreaChairAssignment.Source.AUTOMATIC,
                notify=False,
            )
        )
    if notify:
        for pk, assignments in made.items():
            queue_area_chair_mail(people_by_pk[pk], assignments)
    assigned = sum(len(found) for found in made.values())
    filled = set(
        AreaChairAssignment.objects.filter(submission__in=submissions).values_list(
            "submission_id", flat=True
        )
    )
    return AreaChairRun(assigned, [s.number for s in submissions if s.pk not in filled])
