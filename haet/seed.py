"""The HAET 2022 conference as data: what `seed_haet2022` loads."""

from datetime import UTC, datetime, timedelta, timezone

AOE = timezone(timedelta(hours=-11), "UTC-11")

CONFERENCE = {
    "name": "Hardware Aware Efficient Training",
    "acronym": "HAET 2022",
    "host_venue": "ICML 2022, Baltimore, Maryland",
    "tagline": "Training deep networks with less energy, memory and time.",
    "about": (
        "Training deep networks costs energy, memory and time on every kind of "
        "hardware. This workshop gathers work on compression, hardware architectures, "
        "energy models and algorithms that make training efficient, from compute "
        "clusters to edge devices."
    ),
    "website": "https://haet2022.github.io/",
    "contact_email": "haet2022@haet.example",
    "time_zone": "UTC-11",
    "page_limit": 4,
    "template_name": "ICML 2022 LaTeX template",
    "template_url": "https://media.icml.cc/Conferences/ICML2022/Styles/icml2022.zip",
    "instructions": "\n".join(
        [
            "Papers are at most 4 pages including figures and tables, excluding "
            "references and appendix.",
            "Reviewing is double-blind: the paper must not name its authors.",
            "Papers accepted at the main ICML 2022 conference cannot be submitted.",
            "Posting the paper on arXiv is encouraged.",
            "Inclusion in the workshop proceedings is optional, and copyright stays "
            "with the authors.",
        ]
    ),
    "booktitle": "Hardware Aware Efficient Training (HAET) workshop at ICML 2022",
}

# (kind, label, local date and time in UTC-11 or None for a whole day, public)
DATES = [
    ("submission", "Paper submission deadline", (2022, 5, 27, 23, 59), True),
    ("notification", "Acceptance notification", (2022, 6, 13, None, None), True),
    ("camera_ready", "Camera-ready deadline", (2022, 6, 30, 23, 59), True),
    ("workshop", "Workshop", (2022, 7, 23, None, None), True),
    ("bidding", "Bidding deadline", (2022, 6, 1, 23, 59), False),
    ("review", "Review deadline", (2022, 6, 8, 23, 59), False),
]
# The deadline as first announced; the extension is recorded as its history.
ORIGINAL_SUBMISSION_DEADLINE = datetime(2022, 5, 20, 23, 59, tzinfo=AOE)
EXTENDED_AT = datetime(2022, 5, 15, 12, 0, tzinfo=UTC)

TOPICS = [
    "Compression methods for memory and complexity reduction during training",
    "Energy efficient hardware architectures for training",
    "Energy efficient training algorithms and methods to reduce energy consumption",
    "Open-source efficient implementations of training methods",
    "Energy models and benchmarks of training",
    "Applications of low-energy training",
    "Equilibrium propagation and other alternatives to backpropagation",
    "Few-shot, few-label and semi-supervised learning for on-chip training",
    "Other topics related to efficient training, including compression for inference",
]

AWARDS = [
    {
        "name": "Best paper awards",
        "description": "For the best papers of the workshop, chosen by the programme "
        "committee from the reviewers' nominations.",
    },
    {
        "name": "Most energy-efficient hardware architecture",
        "description": "A prize for the hardware architecture that trains with the "
        "least energy to a target quality.",
    },
    {
        "name": "Fastest training method on compute clusters",
        "description": "A sponsored prize for the fastest training to a target "
        "quality on compute clusters.",
    },
]

# A moment a week before the extended deadline: submissions open, countdown running.
STAGE_NOW = {
    "cfp": "2022-05-20T12:00:00-11:00",
    "review": "2022-06-03T12:00:00-11:00",
    "decision": "2022-06-12T12:00:00-11:00",
    "over": "2022-07-24T12:00:00-11:00",
}

DEMO_ACCOUNTS = [
    # role, email, name, affiliation
    ("chair", "chair@haet.example", "Casey Chair", "HAET organizing committee"),
    ("reviewer", "reviewer@haet.example", "Robin Reviewer", "Example University"),
    ("author", "author@haet.example", "Alex Author", "Example Institute"),
]
DEMO_PASSWORD = "haet-demo-2022"  # noqa: S105 - printed on purpose, demo data only


def local(parts: tuple) -> tuple[datetime, bool]:
    year, month, day, hour, minute = parts
    if hour is None:
        return datetime(year, month, day, tzinfo=AOE), False
    return datetime(year, month, day, hour, minute, tzinfo=AOE), True
