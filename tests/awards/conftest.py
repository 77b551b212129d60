"""Awards fixtures: HAET's three awards set up, accepted papers, jurors.

`AwardsWorld`: #1 by `author` (with a co-author at quixotic-institute.example) and
#2 by `other_author` are accepted and released; #3 is submitted but not accepted.
`juror` judges every award; `conflicted_juror` shares #1's co-author's domain.
"""

from datetime import UTC, datetime

import pytest

from awards.models import AwardSettings, Judgement, Kind
from decisions.models import Decision, Outcome
from submissions.models import Author
from tests.factories import SubmissionFactory, UserFactory

DECIDED_AT = datetime(2022, 6, 12, tzinfo=UTC)
ENTRY_DEADLINE = datetime(2022, 7, 8, 23, 59, tzinfo=UTC)
BEFORE_DEADLINE = "2022-07-01T12:00:00Z"
AFTER_DEADLINE = "2022-07-09T00:00:00Z"
LEAK_NAME = "Zebulon Quixotic-Farnsworth"
LEAK_EMAIL = "zebulon@quixotic-institute.example"


def accept(submission, chair, *, released: bool = True, outcome=Outcome.ACCEPT_POSTER):
    return Decision.objects.create(
        submission=submission,
        outcome=outcome,
        set_by=chair,
        set_at=DECIDED_AT,
        released_at=DECIDED_AT if released else None,
        released_by=chair if released else None,
    )


FASTEST = {
    "task": "image classification",
    "dataset": "ImageNet-1k",
    "target_metric": "top-1 accuracy (%)",
    "target_value": 75.9,
    "time_value": 2.5,
    "time_unit": "h",
    "node_count": 16,
    "accelerators_per_node": 8,
    "accelerator_model": "NVIDIA A100-SXM4-40GB",
    "interconnect": "InfiniBand HDR 200 Gb/s",
    "software_stack": "PyTorch 1.11, NCCL 2.12",
    "code_url": "https://github.com/example/fast-resnet",
    "code_commit": "0123abcd",
    "logs_url": "https://example.org/logs/run-7.txt",
}
ENERGY = {
    "task": "image classification",
    "dataset": "CIFAR-10",
    "target_metric": "top-1 accuracy (%)",
    "target_value": 93.0,
    "hardware_kind": "fpga",
    "hardware_model": "Xilinx Alveo U280",
    "energy_value": 1.2,
    "energy_unit": "kWh",
    "power_value": 60,
    "power_unit": "W",
    "time_value": 20,
    "time_unit": "h",
    "throughput": 5000.0,
    "measurement": "wall_plug",
    "artifact_url": "https://example.org/artifact",
    "logs_url": "https://example.org/logs",
}


class AwardsWorld:
    def __init__(self, conference, author, chair):
        self.conference = conference
        self.author = author
        self.chair = chair
        self.other_author = UserFactory(
            email="other@elsewhere.example", name="Olga Other"
        )
        self.juror = UserFactory(email="juror@jury.example", name="Judith Juror")
        self.conflicted_juror = UserFactory(
            email="colleague@quixotic-institute.example", name="Carl Colleague"
        )
        self.submission = SubmissionFactory(
            conference=conference,
            number=1,
            contact=author,
            authors=[(LEAK_NAME, LEAK_EMAIL, "Quixotic Institute")],
            title="Sparse training of transformers on FPGAs",
        )
        self.other_submission = SubmissionFactory(
            conference=conference,
            number=2,
            contact=self.other_author,
            title="Energy models of training on GPUs",
        )
        self.rejected_submission = SubmissionFactory(
            conference=conference,
            number=3,
            contact=UserFactory(email="third@third.example", name="Theo Third"),
            title="A paper that was not accepted",
        )
        accept(self.submission, chair)
        accept(self.other_submission, chair)
        self.settings = {
            s.kind: s for s in AwardSettings.objects.for_conference(conference)
        }
        for found in self.settings.values():
            if found.accepts_entries:
                found.entry_deadline = ENTRY_DEADLINE
                found.save()
            found.jury.set([self.juror, self.conflicted_juror])
        self.best = self.settings[Kind.BEST_SUBMISSION].award
        self.energy = self.settings[Kind.ENERGY_HARDWARE].award
        self.fastest = self.settings[Kind.FASTEST_TRAINING].award


@pytest.fixture
def world(conference, author, chair):
    return AwardsWorld(conference, author, chair)


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def make_reviewer(db):
    counter = iter(range(1, 10_000))

    def make():
        n = next(counter)
        return UserFactory(email=f"reviewer{n}@rev{n}.example.net", role="reviewer")

    return make


def jury_scores(award, *submissions, juror, score: int = 8) -> None:
    """A jury score for each submission, written directly: results are announced
    only once the jury has judged them (issue 14, item 8)."""
    for submission in submissions:
        Judgement.objects.update_or_create(
            award=award, submission=submission, juror=juror, defaults={"score": score}
        )


@pytest.fixture
def entered(world, frozen):
    """#1 entered the fastest-training prize; both papers on the best-paper list."""
    from awards.entering import save_entry
    from awards.judging import change_shortlist

    frozen(BEFORE_DEADLINE)
    save_entry(world.fastest, world.submission, data=FASTEST, by=world.author)
    for submission in (world.submission, world.other_submission):
        change_shortlist(world.best, submission, action="add", by=world.chair)
    return world


@pytest.fixture
def author_chair(world):
    """A co-chair who is one of #1's authors (common at workshops)."""
    co_chair = UserFactory(email="cleo@haet.example", name="Cleo Cochair", role="chair")
    Author.objects.create(
        submission=world.submission,
        order=9,
        name=co_chair.name,
        email=co_chair.email,
        user=co_chair,
    )
    return co_chair
