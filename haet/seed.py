"""The HAET 2022 conference as data: what `seed_haet2022` loads."""

from datetime import UTC, datetime, timedelta, timezone

# HAET's deadlines are 23:59 UTC-11 (not "AoE": Anywhere on Earth is UTC-12).
HAET_ZONE = timezone(timedelta(hours=-11), "UTC-11")

# In the workshop's own words: ../shared/seed/haet2022-call-for-papers.md, with
# "Jully" corrected and CMT replaced by this site. Nothing here is invented: the call
# has no tagline or introduction, so those stay empty for chairs to fill.
CONFERENCE = {
    "name": "Hardware Aware Efficient Training",
    "acronym": "HAET 2022",
    "host_venue": "ICML 2022",
    "tagline": "",
    "about": "",
    "website": "https://haet2022.github.io/",
    "contact_email": "haet2022@haet.example",
    "time_zone": "UTC-11",
    "page_limit": 4,
    "template_name": "ICML 2022 LaTeX template",
    "template_url": "https://media.icml.cc/Conferences/ICML2022/Styles/icml2022.zip",
    "instructions": "\n".join(
        [
            "The authors have to follow the instructions listed below when submitting "
            "their contributions:",
            "- Use the ICML LaTeX [template](https://media.icml.cc/Conferences/ICML2022"
            "/Styles/icml2022.zip) to prepare the manuscript.",
            "- Papers should not be longer than 4 pages, including figures and tables, "
            "and excluding references and appendix.",
            "- Do not report author names since the review is double-blind.",
            "- Papers that have been accepted in the main ICML conference cannot be "
            "submitted to the workshop.",
            "- Manuscripts should be submitted using this site.",
            "We encourage all authors to also submit their work to arXiv. The workshop "
            "will have proceedings with copyright attributed to the authors. However, "
            "the inclusion of accepted papers in the workshop proceedings is optional.",
        ]
    ),
    "scope": (
        "The workshop welcomes contributions that seek to reduce the cost of the "
        "training process based on high-level complexity metrics (number of "
        "operations, memory usage) or by taking into account the details of the "
        "computing hardware (CPU, GPU, IPU, NPU, or any other custom accelerator "
        "implemented as an ASIC or on FPGA). Topics of interest include (but are not "
        "limited to):"
    ),
    "awards_text": (
        "Thanks to our sponsors, in addition to best paper awards we will also award "
        "a prize for the most energy-efficient hardware architecture and a prize for "
        "the fastest training method on compute clusters (details coming soon)."
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
ORIGINAL_SUBMISSION_DEADLINE = datetime(2022, 5, 20, 23, 59, tzinfo=HAET_ZONE)
EXTENDED_AT = datetime(2022, 5, 15, 12, 0, tzinfo=UTC)

TOPICS = [
    "compression methods to reduce memory usage and/or complexity of deep learning "
    "during training",
    "hardware architectures and implementations for deep learning training",
    "energy reduction techniques for deep learning training",
    "open-source designs, implementations, and code related to efficient "
    "deep-learning implementations",
    "energy models or energy-efficiency benchmarks for deep learning training "
    "implementations",
    "applications of low-energy deep learning training",
    "equilibrium-propagation-based techniques and/or their hardware implementations",
    "few-shot/few-labels and semi-supervised learning methods for training on-chip",
    "other related contributions are welcome such as compression techniques for "
    "inference with deep learning architectures",
]

# The call names the three kinds of award and gives no more detail about them.
AWARDS = [
    {"name": "Best paper awards", "description": ""},
    {
        "name": "Most energy-efficient hardware architecture",
        "description": "",
    },
    {
        "name": "Fastest training method on compute clusters",
        "description": "",
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
        return datetime(year, month, day, tzinfo=HAET_ZONE), False
    return datetime(year, month, day, hour, minute, tzinfo=HAET_ZONE), True
