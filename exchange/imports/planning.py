"""The dry run: what an import would create, update, leave or skip, and why.

`plan` reads the deployment (a fixed number of queries, whatever the size of
the file) and writes nothing; `applying.apply_plan` follows the plan it returns.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Prefetch
from django.db.models.functions import Lower

from exchange.imports import cmt, easychair, hotcrp, openreview
from exchange.imports.decision_plan import DecisionStep, plan_decisions
from exchange.imports.meta_reviews import MetaReviewStep, plan_meta_reviews
from exchange.imports.records import ImportedAuthor, ImportFileError, Parsed, Record
from exchange.imports.review_plan import ReviewStep, plan_reviews
from exchange.models import ImportedSubmission
from haet.models import Conference, Topic, User
from submissions.models import Author, Submission
from submissions.orcid import normalize_orcid, validate_orcid

READERS: dict[str, Callable[[list[tuple[str, bytes]]], Parsed]] = {
    "cmt": cmt.parse,
    "easychair": easychair.parse,
    "hotcrp": hotcrp.parse,
    "openreview": openreview.parse,
}
CREATE, UPDATE, UNCHANGED, SKIP = "create", "update", "unchanged", "skip"


@dataclass
class Step:
    """What happens to one record, and why."""

    record: Record
    action: str = CREATE
    reasons: list[str] = field(default_factory=list)
    number: int | None = None  # the existing submission, for update/unchanged
    # The existing submission is one the viewing chair is conflicted with: the
    # report does not show its number.
    is_hidden: bool = False
    topic_ids: list[int] = field(default_factory=list)
    authors: list[ImportedAuthor] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (kind, value)
    pdf_path: Path | None = None
    pdf_sha256: str = ""
    invited: list[str] = field(default_factory=list)  # emails without an account


@dataclass
class Plan:
    source: str
    steps: list[Step] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unknown_topics: dict[str, list[str]] = field(default_factory=dict)
    reviews: list[ReviewStep] = field(default_factory=list)  # imported reviews
    review_fields: list[str] = field(default_factory=list)  # where each field goes
    meta_reviews: list[MetaReviewStep] = field(default_factory=list)  # and these
    decisions: list[DecisionStep] = field(default_factory=list)  # and decisions

    def count(self, action: str) -> int:
        return sum(1 for step in self.steps if step.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {a: self.count(a) for a in (CREATE, UPDATE, UNCHANGED, SKIP)}

    @property
    def review_count(self) -> int:
        """Reviews to create."""
        return sum(1 for review in self.reviews if review.action == CREATE)

    @property
    def meta_review_count(self) -> int:
        """Meta-reviews to create or update."""
        return sum(1 for m in self.meta_reviews if m.action in (CREATE, UPDATE))

    @property
    def decision_count(self) -> int:
        """Decisions to set."""
        return sum(1 for d in self.decisions if d.action == "set")

    @property
    def invitation_count(self) -> int:
        return len({email for step in self.steps for email in step.invited})


def parse_topic_map(text: str) -> tuple[dict[str, str], list[str]]:
    """ "Their topic = our topic" lines (or "their,our", tab-separated): the map in
    lower case, and the lines that are not a pair."""
    mapping, bad = {}, []
    for line in (text or "").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        for separator in ("=", "\t", ","):
            if separator in line:
                theirs, _, ours = line.partition(separator)
                if theirs.strip() and ours.strip():
                    mapping[theirs.strip().lower()] = ours.strip()
                    break
        else:
            bad.append(line.strip())
    return mapping, bad


def read_files(source: str, files: list[tuple[str, bytes]]) -> Parsed:
    if source not in READERS:
        raise ImportFileError(
            f"Unknown format “{source}”: choose one of {', '.join(READERS)}."
        )
    if not files:
        raise ImportFileError("Give at least one file to import.")
    return READERS[source](files)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _find_pdf(source: str, record: Record, folder: Path) -> Path | None:
    names = [record.pdf_name] if record.pdf_name else []
    names += [
        f"{record.source_id}.pdf",
        f"paper{record.source_id}.pdf",
        f"{source}-{record.source_id}.pdf",
    ]
    for name in names:
        candidate = folder / Path(name).name  # never leaves the folder
        if candidate.is_file():
            return candidate
    return None


def _clean_authors(step: Step) -> None:
    seen: set[str] = set()
    for author in step.record.authors:
        email = author.email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            step.reasons.append(
                f"Author “{author.name}”: “{email}” is no email address, left out."
            )
            continue
        if email in seen:
            step.reasons.append(f"Duplicate email {email}: the author is listed once.")
            continue
        seen.add(email)
        orcid = normalize_orcid(author.orcid)
        try:
            validate_orcid(orcid)
        except ValidationError as error:
            step.reasons.append(f"{email}: {error.messages[0]} Left out.")
            orcid = ""
        step.authors.append(
            ImportedAuthor(
                name=author.name.strip()[:200] or email,
                email=email,
                affiliation=author.affiliation.strip()[:200],
                orcid=orcid,
                is_contact=author.is_contact,
            )
        )


def _conflicts(record: Record) -> list[tuple[str, str]]:
    found = set()
    for value in record.conflicts:
        value = value.strip().lower().lstrip("@")
        if value:
            found.add(("person" if "@" in value else "domain", value))
    return sorted(found)


def _current(submission: Submission) -> tuple:
    authors = tuple(
        (a.name, a.email.lower(), a.affiliation, a.orcid)
        for a in submission.authors.all()
    )
    version = submission.current_version
    return (
        submission.title,
        submission.abstract,
        submission.keywords,
        sorted(t.pk for t in submission.topics.all()),
        authors,
        sorted((c.kind, c.value) for c in submission.conflicts.all()),
        submission.is_withdrawn,
        version.sha256 if version else "",
    )


def _wanted(step: Step, *, current_sha: str) -> tuple:
    record = step.record
    return (
        record.title.strip(),
        record.abstract.strip(),
        record.keywords.strip(),
        sorted(step.topic_ids),
        tuple((a.name, a.email, a.affiliation, a.orcid) for a in step.authors),
        step.conflicts,
        record.is_withdrawn,
        step.pdf_sha256 or current_sha,
    )


def _fit(record: Record, reasons: list[str]) -> None:
    """Cut a title or keywords longer than their field here, and say so. Cut
    only when written, the plan compared the whole text with the cut one, and
    every import of the same file said "update"."""
    for name in ("title", "keywords"):
        limit = getattr(Submission._meta.get_field(name), "max_length", None)
        value = getattr(record, name).strip()
        if limit and len(value) > limit:
            setattr(record, name, value[:limit].rstrip())
            verb = "have" if name == "keywords" else "has"
            reasons.append(
                f"The {name} {verb} {len(value):,} characters: cut to the {limit} "
                "allowed here."
            )


def plan(
    parsed: Parsed,
    *,
    source: str,
    conference: Conference,
    topic_map: dict[str, str] | None = None,
    decision_map: dict[str, str | None] | None = None,
    pdfs: Path | None = None,
    hidden_ids: frozenset[int] = frozenset(),
) -> Plan:
    """Compare the parsed records with the deployment. Writes nothing.
    `hidden_ids`: submissions the viewing chair is conflicted with."""
    result = Plan(source=source, problems=list(parsed.problems))
    topics = {t.name.lower(): t for t in Topic.objects.filter(conference=conference)}
    mapping = {}
    for theirs, ours in (topic_map or {}).items():
        if ours.lower() in topics:
            mapping[theirs.lower()] = topics[ours.lower()]
        else:
            result.problems.append(
                f"The topic map names “{ours}”, which is not a topic of this "
                "conference: that line is ignored."
            )
    if pdfs is not None and not pdfs.is_dir():
        result.problems.append(f"The PDF folder {pdfs} does not exist.")
        pdfs = None
    existing = {
        imported.source_id: imported.submission
        for imported in ImportedSubmission.objects.filter(source=source)
        .select_related("submission__current_version")
        .prefetch_related(
            Prefetch("submission__authors", queryset=Author.objects.order_by("order")),
            "submission__topics",
            "submission__conflicts",
        )
    }
    emails = {a.email.strip().lower() for r in parsed.records for a in r.authors}
    with_accounts = set(
        User.objects.annotate(address=Lower("email"))
        .filter(address__in=emails)
        .values_list("address", flat=True)
    )
    seen_ids: set[str] = set()
    for record in parsed.records:
        step = Step(record=record, reasons=list(record.notes))
        _fit(record, step.reasons)
        result.steps.append(step)
        if not record.source_id:
            step.action = SKIP
            step.reasons.append("No submission id in the file.")
            continue
        if record.source_id in seen_ids:
            step.action = SKIP
            step.reasons.append("The id appears twice in the file: the first is used.")
            continue
        seen_ids.add(record.source_id)
        if not record.title.strip():
            step.action = SKIP
            step.reasons.append("No title.")
        _clean_authors(step)
        if not step.authors:
            step.action = SKIP
            step.reasons.append("No author with an email address.")
        for name in record.topics:
            topic = mapping.get(name.lower()) or topics.get(name.lower())
            if topic is None:
                result.unknown_topics.setdefault(name, []).append(record.source_id)
                step.reasons.append(f"Unknown topic “{name}”: not set (map it).")
            elif topic.pk not in step.topic_ids:
                step.topic_ids.append(topic.pk)
        step.conflicts = _conflicts(record)
        if pdfs is not None:
            step.pdf_path = _find_pdf(source, record, pdfs)
            if step.pdf_path is None:
                step.reasons.append("Missing PDF: none found in the PDF folder.")
            else:
                step.pdf_sha256 = sha256_file(step.pdf_path)
        if step.action == SKIP:
            continue
        step.invited = sorted({a.email for a in step.authors} - with_accounts)
        if record.is_withdrawn and step.invited:
            step.invited = []
            step.reasons.append("Withdrawn: its authors are not invited.")
        submission = existing.get(record.source_id)
        if submission is not None:
            step.number = submission.number
            step.is_hidden = submission.pk in hidden_ids
            current = _current(submission)
            same = current == _wanted(step, current_sha=current[-1])
            step.action = UNCHANGED if same else UPDATE
            step.invited = []  # invited when it was first imported
    kept = {
        step.record.source_id: (
            existing.get(step.record.source_id) if step.action != CREATE else None,
            [a.email for a in step.authors],
            step.conflicts,
            step.record.is_withdrawn,
        )
        for step in result.steps
        if step.action != SKIP
    }
    if parsed.reviews:
        result.reviews, result.review_fields = plan_reviews(
            parsed.reviews,
            conference=conference,
            submissions=kept,
            hidden_ids=hidden_ids,
        )
    if parsed.meta_reviews:
        result.meta_reviews = plan_meta_reviews(
            parsed.meta_reviews,
            source=source,
            submissions={k: (v[0], v[3]) for k, v in kept.items()},
            hidden_ids=hidden_ids,
        )
    result.decisions = plan_decisions(
        [step.record for step in result.steps],
        mapping=decision_map,
        submissions={k: v[0] for k, v in kept.items()},
        hidden_ids=hidden_ids,
    )
    if pdfs is None and parsed.records:
        result.problems.append(
            "No PDF folder was given: the submissions are imported without PDFs."
        )
    return result
