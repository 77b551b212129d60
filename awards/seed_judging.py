"""The HAET 2022 demo's awards under way, at `make run STAGE=over`.

After the camera-ready deadline the awards are where a chair finds them on the
day: the accepted papers whose prize answer says they enter a prize have their
entry (figures drawn for each paper, checked by `entering.clean_entry` as an
author's are), the demo juror has checked the first entry of each prize and
judged the shortlist they are not conflicted with, scores or a ranking by the
award's judging (where they may judge none of it, the chair has added papers
they may), the chair has made the prizes' leaderboards public, and the
places are left to the chairs, who set them and announce. Every other stage
seeds none of it.

Receiver of haet.signals.seed_demo, after `awards.seed.seed_awards` (jury and
entry links) and the decisions (eligibility). Idempotent: an award whose
entries or ballots exist is left alone, and every figure is drawn from the
paper's number, so two fresh demos are the same.
"""

import random
from typing import Any

from awards.entering import clean_entry, verify_entry
from awards.entry_links import declared_ids
from awards.judging import change_shortlist, rank_submissions, score_submission
from awards.models import AwardSettings, Entry, Judgement, Kind, ShortlistChange
from awards.queries import eligible_submissions, jury_shortlist
from awards.results import publish_leaderboard
from haet.models import Conference, User
from haet.rules import conflicted_submission_ids
from reviews.queries import with_review_stats
from submissions.models import Submission

ENERGY_TASKS = [
    ("Image classification", "CIFAR-10", "Top-1 accuracy (%)", 94.0),
    ("Keyword spotting", "Google Speech Commands", "Accuracy (%)", 91.0),
    ("Language-model fine-tuning", "GLUE SST-2", "Accuracy (%)", 92.0),
]
HARDWARE = [
    (Entry.HardwareKind.FPGA, "Xilinx Alveo U250"),
    (Entry.HardwareKind.ASIC, "28 nm test chip"),
    (Entry.HardwareKind.GPU, "NVIDIA Jetson AGX Xavier"),
]
CLUSTER = {
    "task": "Image classification",
    "dataset": "ImageNet-1k",
    "target_metric": "Top-1 accuracy (%)",
    "accelerator_model": "NVIDIA A100 40GB",
    "interconnect": "InfiniBand HDR 200 Gb/s",
    "software_stack": "PyTorch 1.11, CUDA 11.5, NCCL 2.12",
}


def energy_figures(rng: random.Random) -> dict[str, Any]:
    task, dataset, metric, target = rng.choice(ENERGY_TASKS)
    kind, model = rng.choice(HARDWARE)
    power = round(rng.uniform(8, 250), 1)  # W
    hours = round(rng.uniform(0.5, 12), 2)
    return {
        "task": task,
        "dataset": dataset,
        "target_metric": metric,
        "target_value": round(target + rng.uniform(0, 1.5), 1),
        "hardware_kind": kind,
        "hardware_model": model,
        "power_value": power,
        "power_unit": "W",
        "time_value": hours,
        "time_unit": "h",
        "energy_value": round(power * hours / 1000, 3),  # kWh, as measured
        "energy_unit": "kWh",
        "throughput": round(rng.uniform(200, 6000)),
        "measurement": rng.choice(Entry.Measurement.values),
    }


def cluster_figures(rng: random.Random, number: int) -> dict[str, Any]:
    commit = "".join(rng.choice("0123456789abcdef") for _ in range(12))
    return {
        **CLUSTER,
        "target_value": round(75.9 + rng.uniform(0, 0.8), 2),
        "time_value": round(rng.uniform(15, 240)),
        "time_unit": "min",
        "node_count": rng.choice([2, 4, 8, 16, 32]),
        "accelerators_per_node": 8,
        "code_url": f"https://example.org/haet2022/submission-{number}",
        "code_commit": commit,
        "logs_url": f"https://example.org/haet2022/submission-{number}/logs",
    }


def _enter(found: AwardSettings) -> int:
    """Entries for the eligible papers whose answer enters the prize."""
    award = found.award
    if Entry.objects.filter(award=award).exists():
        return 0
    entered = 0
    declared = declared_ids(found)
    for submission in (
        eligible_submissions(award).filter(pk__in=declared).order_by("number")
    ):
        rng = random.Random(f"haet-entry-{found.kind}-{submission.number}")  # noqa: S311 - demo data
        if found.kind == Kind.ENERGY_HARDWARE:
            data = energy_figures(rng)
        else:
            data = cluster_figures(rng, submission.number)
        entry = Entry(
            award=award,
            submission=submission,
            entered_by=submission.contact,
            **clean_entry(found.kind, data),
        )
        entry.full_clean()
        entry.save()
        entered += 1
    return entered


def _add_for_juror(found: AwardSettings, juror: User, chair: User) -> None:
    """Where the juror may judge none of the shortlist (the demo reviewer shares
    "Example University" with the authors the reviewers nominated), the chair
    has added the two best-reviewed eligible papers the juror and the chair are
    free of, as a chair does on the judging page (`change_shortlist`)."""
    award = found.award
    if found.accepts_entries or jury_shortlist(award, juror):
        return
    if ShortlistChange.objects.filter(award=award).exists():
        return  # the chairs have shaped this shortlist already
    hidden = conflicted_submission_ids(juror) | conflicted_submission_ids(chair)
    best = (
        with_review_stats(eligible_submissions(award).exclude(pk__in=hidden))
        .filter(mean_score__isnull=False)
        .order_by("-mean_score", "number")[:2]
    )
    for submission in best:
        change_shortlist(award, submission, action=ShortlistChange.Action.ADD, by=chair)


def _judge(found: AwardSettings, juror: User) -> int:
    """The juror's ballot on the shortlist they may see; 0 if they cast one."""
    award = found.award
    if Judgement.objects.filter(award=award, juror=juror).exists():
        return 0
    candidates = jury_shortlist(award, juror)
    rng = random.Random(f"haet-ballot-{award.name}")  # noqa: S311 - demo data
    if found.judging == AwardSettings.Judging.RANK:
        order = [c.submission_id for c in candidates]
        rng.shuffle(order)
        ranks: dict[int, int | None] = {pk: i + 1 for i, pk in enumerate(order)}
        return len(rank_submissions(award, ranks, by=juror))
    shown = Submission.objects.filter(pk__in=[c.submission_id for c in candidates])
    for submission in shown.order_by("number"):
        score_submission(award, submission, score=rng.randint(5, 9), by=juror)
    return len(candidates)


def _verify_first(found: AwardSettings, juror: User) -> None:
    """The juror has checked the evidence of the first entry they may see."""
    entries = Entry.objects.filter(award=found.award).order_by("submission__number")
    if entries.filter(verified_at__isnull=False).exists():
        return
    shown = {c.submission_id for c in jury_shortlist(found.award, juror)}
    first = next((e for e in entries if e.submission_id in shown), None)
    if first is not None:
        verify_entry(first, is_verified=True, by=juror)


def seed_judging(
    sender: object, *, conference: Conference, stage: str, **seed: Any
) -> None:
    """Receiver of haet.signals.seed_demo."""
    accounts, stdout = seed["accounts"], seed["stdout"]
    juror, chair = accounts.get("reviewer"), accounts.get("chair")
    if stage != "over" or juror is None or chair is None:
        return
    entries = ballots = 0
    for found in AwardSettings.objects.for_conference(conference):  # the call's order
        if found.accepts_entries:
            entries += _enter(found)
            _verify_first(found, juror)
            if not found.leaderboard_published:
                publish_leaderboard(found.award, is_published=True, by=chair)
        if juror in found.jury.all():
            _add_for_juror(found, juror, chair)
            ballots += _judge(found, juror)
    stdout.write(
        f"Awards: {entries} prize entries; {ballots} papers judged by "
        f"{juror.email}; leaderboards public; the places are left to the chairs."
    )
