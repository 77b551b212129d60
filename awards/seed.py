"""Award settings for every category, and the HAET 2022 demo's award settings.

`create_settings` gives a category created one at a time (the chairs' awards page)
its settings row; `seed_awards` (receiver of haet.signals.seed_demo) covers
categories loaded in bulk and sets HAET's three awards up: kinds, metrics, rules,
the entry deadline (the camera-ready deadline) and the demo reviewer as juror.
Idempotent: what a chair already changed is left alone.
"""

from awards.models import AwardSettings, Kind
from haet.models import ImportantDate

RULES = {
    Kind.BEST_SUBMISSION: "Every accepted paper is eligible. Reviewers nominate "
    "papers in their reviews; the jury scores the shortlist and the chairs confirm "
    "the winners.",
    Kind.ENERGY_HARDWARE: "Enter from your submission page: the hardware, the task "
    "and dataset, the quality reached, and the energy one training run takes to "
    "reach it, with how it was measured and the evidence. The jury checks the "
    "evidence and ranks the entries.",
    Kind.FASTEST_TRAINING: "Enter from your submission page: the task and dataset, "
    "the quality reached, the wall-clock time to reach it, the cluster (nodes, "
    "accelerators, interconnect), the software stack, and the code and training "
    "logs. The jury checks the evidence and scores the entries.",
}
METRICS = {
    Kind.BEST_SUBMISSION: AwardSettings.Metric.JURY,
    Kind.ENERGY_HARDWARE: AwardSettings.Metric.ENERGY,
    Kind.FASTEST_TRAINING: AwardSettings.Metric.TIME,
}
JUDGING = {Kind.ENERGY_HARDWARE: AwardSettings.Judging.RANK}


def create_settings(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save receiver of haet.AwardCategory."""
    if created and not raw:
        AwardSettings.objects.for_award(instance)


def seed_awards(sender, *, conference, accounts, stdout, **_) -> None:
    """Receiver of haet.signals.seed_demo."""
    camera_ready = conference.date(ImportantDate.Kind.CAMERA_READY_DEADLINE)
    juror = accounts.get("reviewer")
    for found in AwardSettings.objects.for_conference(conference):
        if found.rules:
            continue  # set up before, or by a chair
        found.rules = RULES.get(found.kind, "")
        found.metric = METRICS.get(found.kind, found.metric)
        found.judging = JUDGING.get(found.kind, found.judging)
        if found.accepts_entries and camera_ready is not None:
            found.entry_deadline = camera_ready.at
        found.save()
        if juror is not None:
            found.jury.add(juror)
    stdout.write("Awards: settings for every category.")
