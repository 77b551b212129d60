"""Award settings for every category, and the HAET 2022 demo's award settings.

`create_settings` gives a category created one at a time (the chairs' awards page)
its settings row; `seed_awards` (receiver of haet.signals.seed_demo) covers
categories loaded in bulk and sets HAET's three awards up: kinds, metrics, rules,
the entry deadline (the camera-ready deadline) and the demo reviewer as juror.
Idempotent: what a chair already changed is left alone. The two prizes are linked
to the options of the seed's "Enters the energy-efficiency or fastest-training
prize" field (awards.entry_links), so its demo answers enter them.
"""

from awards.models import AwardSettings, Kind
from haet.models import ImportantDate
from submissions.fields.seed import PRIZES
from submissions.models import SubmissionField

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
PRIZE_FIELD = "prize"
PRIZE_OPTIONS = {Kind.ENERGY_HARDWARE: PRIZES[0], Kind.FASTEST_TRAINING: PRIZES[1]}


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
    link_prize_field(conference)
    stdout.write("Awards: settings for every category.")


def link_prize_field(conference) -> None:
    """Link each prize to its option of the seed's prize field, unless linked."""
    field = SubmissionField.objects.filter(
        conference=conference, slug=PRIZE_FIELD
    ).first()
    if field is None:
        return
    taken = set(
        AwardSettings.objects.filter(entry_field=field).values_list(
            "entry_choice", flat=True
        )
    )
    for found in AwardSettings.objects.for_conference(conference):
        choice = PRIZE_OPTIONS.get(found.kind)
        if found.entry_field_id is None and choice in field.choices:
            if choice in taken:
                continue
            taken.add(choice)
            found.entry_field, found.entry_choice = field, choice
            found.save(update_fields=["entry_field", "entry_choice", "updated_at"])
