"""Demo submissions for `manage.py seed_haet2022 --papers N --stage ...`.

Deterministic (the command's rng), realistic enough to click through, and fast: one
PDF is drawn with reportlab and checked once; every version stores its bytes.
"""

import hashlib
import io
import os
import tempfile
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from haet.clock import parse_instant
from haet.models import Conference, Topic, User
from haet.seed import STAGE_NOW
from submissions.models import (
    Author,
    Receipt,
    Submission,
    SubmissionSettings,
    SubmissionVersion,
)
from submissions.pdfcheck import check_pdf, make_reviewer_copy

METHODS = [
    "Low-Precision",
    "Sparse",
    "Structured-Pruning",
    "Quantization-Aware",
    "Memory-Efficient",
    "Energy-Aware",
    "Gradient-Checkpointed",
    "Federated",
    "Local-Learning",
    "Event-Driven",
]
OBJECTS = [
    "Training of Transformers",
    "Backpropagation on Edge Devices",
    "Convolutional Networks on FPGAs",
    "Training with 8-bit Floating Point",
    "Few-Shot Learning on Microcontrollers",
    "Equilibrium Propagation in Analog Hardware",
    "Optimizers for Compute Clusters",
    "Fine-Tuning of Language Models",
]
SUFFIXES = ["", " at Scale", ": A Benchmark", " Without Accuracy Loss", " Revisited"]
FIRST = ["Ana", "Bo", "Chen", "Dana", "Emil", "Fatima", "Goran", "Hiro", "Ines", "Jia"]
LAST = ["Garcia", "Müller", "Nakamura", "Okafor", "Petrov", "Rossi", "Singh", "Wang"]
PLACES = [
    ("Example University", "uni.example.org"),
    ("Institute of Efficient Computing", "iec.example.org"),
    ("Northern Polytechnic", "poly.example.org"),
    ("Edge AI Lab", "edgelab.example.org"),
]


def demo_pdf(title: str = "Efficient Training, a Demo Paper") -> bytes:
    """A 5-page anonymous paper: 4 body pages, References on page 5."""
    buffer = io.BytesIO()
    # invariant: no creation date or random document id, so every seed stores the
    # same bytes (and the same sha256 in versions and receipts).
    canvas = Canvas(buffer, pagesize=letter, invariant=True)
    canvas.setTitle(title)
    sentence = "We train networks with less energy, memory and time on modest hardware."
    for page in range(1, 6):
        y = 720
        if page == 1:
            canvas.setFont("Times-Bold", 14)
            canvas.drawString(72, y, title)
            canvas.setFont("Times-Roman", 10)
            canvas.drawString(72, y - 20, "Anonymous Authors")
            y -= 60
        canvas.setFont("Times-Roman", 10)
        if page == 5:
            canvas.setFont("Times-Bold", 11)
            canvas.drawString(72, y, "References")
            canvas.setFont("Times-Roman", 10)
            y -= 16
            for _ in range(10):
                canvas.drawString(72, y, "Lovelace, A. Notes on the engine. 1843.")
                y -= 12
        else:
            while y > 80:
                canvas.drawString(72, y, sentence)
                y -= 12
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _checked_demo_files(conference: Conference) -> tuple[bytes, bytes, dict]:
    pdf = demo_pdf()
    with tempfile.TemporaryDirectory() as folder:
        original = os.path.join(folder, "paper.pdf")
        copy = os.path.join(folder, "copy.pdf")
        with open(original, "wb") as f:
            f.write(pdf)
        report = check_pdf(original, page_limit=conference.page_limit)
        make_reviewer_copy(original, copy)
        with open(copy, "rb") as f:
            reviewer_copy = f.read()
    return pdf, reviewer_copy, report.to_dict()


def _person(rng) -> tuple[str, str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    place, domain = rng.choice(PLACES)
    local = f"{first}.{last}".lower().replace("ü", "ue")
    return f"{first} {last}", f"{local}@{domain}", place


def seed_submissions(
    sender, *, conference, stage, submissions, rng, accounts, stdout, **_
):
    """Receiver of haet.signals.seed_demo: `submissions` demo submissions, the demo
    author on the first three; drafts among them only at the cfp stage."""
    if submissions <= 0 or Submission.objects.exists():
        return
    SubmissionSettings.objects.for_conference(conference)
    now = parse_instant(STAGE_NOW[stage])
    deadline = conference.date("submission")
    last_instant = deadline.closes_at if deadline else now
    pdf, reviewer_copy, report = _checked_demo_files(conference)
    sha256 = hashlib.sha256(pdf).hexdigest()
    topics = list(Topic.objects.filter(conference=conference))
    demo_author: User = accounts["author"]
    for number in range(1, submissions + 1):
        is_draft = stage == "cfp" and rng.random() < 0.3
        title = f"{rng.choice(METHODS)} {rng.choice(OBJECTS)}{rng.choice(SUFFIXES)}"
        people = list({p[1]: p for p in (_person(rng) for _ in range(4))}.values())
        people = people[: rng.randint(1, len(people))]
        mine = number <= 3
        if mine:
            people = [p for p in people if p[1] != demo_author.email]
            people.insert(
                rng.randint(0, len(people)),
                (demo_author.name, demo_author.email, demo_author.affiliation),
            )
        contact = demo_author if mine else _contact(*people[0])
        created_at = min(now, last_instant) - timedelta(days=rng.randint(1, 20))
        uploaded_at = created_at + timedelta(hours=rng.randint(1, 48))
        submission = Submission.objects.create(
            conference=conference,
            number=number,
            title=title,
            abstract=_abstract(rng, title),
            keywords=", ".join(
                rng.sample(
                    ["sparsity", "FPGA", "quantization", "energy", "edge", "pruning"], 3
                )
            ),
            state=Submission.State.DRAFT if is_draft else Submission.State.SUBMITTED,
            submitted_at=None if is_draft else uploaded_at,
            contact=contact,
            created_by=contact,
            not_accepted_at_main=not is_draft,
            include_in_proceedings=rng.random() < 0.6,
            arxiv_url=f"https://arxiv.org/abs/2205.{rng.randint(10000, 19999)}"
            if rng.random() < 0.3
            else "",
        )
        submission.topics.set(rng.sample(topics, rng.randint(1, 2)))
        Author.objects.bulk_create(
            Author(
                submission=submission,
                order=order,
                name=name,
                email=email,
                affiliation=affiliation,
                user=demo_author if email == demo_author.email else None,
            )
            for order, (name, email, affiliation) in enumerate(people)
        )
        if is_draft and rng.random() < 0.5:
            continue  # a draft without a PDF yet
        version = SubmissionVersion(
            submission=submission,
            original_filename="paper.pdf",
            sha256=sha256,
            size=len(pdf),
            page_count=report["pages"],
            main_body_pages=report["main_body_pages"],
            check_report=report,
            uploaded_by=contact,
            uploaded_at=uploaded_at,
        )
        version.original.save("paper.pdf", ContentFile(pdf), save=False)
        version.reviewer_copy.save("paper.pdf", ContentFile(reviewer_copy), save=False)
        version.save()
        submission.current_version = version
        submission.save(update_fields=["current_version"])
        if not is_draft:
            Receipt.objects.create(
                submission=submission,
                version=version,
                received_at=uploaded_at,
                sha256=sha256,
                sent_to=contact.email,
            )
    stdout.write(f"{submissions} demo submissions.")


def _contact(name: str, email: str, affiliation: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, name=name, affiliation=affiliation)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _abstract(rng, title: str) -> str:
    gain = rng.randint(2, 9)
    return (
        f"We present {title.lower()}. Training deep networks costs energy, memory "
        f"and time; our method reduces the memory footprint by {gain}x while keeping "
        f"accuracy within {rng.randint(1, 9) / 10:.1f} points of full-precision "
        "training. Experiments on three benchmarks and two hardware platforms show "
        "consistent savings, and we release our implementation."
    )
