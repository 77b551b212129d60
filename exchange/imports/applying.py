"""Carry out an import plan: create or update the submissions, their authors
(ORCID iDs included), topics, declared conflicts and PDFs, and invite the authors.

Idempotent: the key is source + source id (`ImportedSubmission`); a second run
of the same file finds everything unchanged and writes nothing. PDFs go through
the same checks and reviewer copy as an author's upload; a PDF that fails them is
reported and left out, never blocking the rest. Authors without an account get
one invitation mail each (outbox, one dedupe key per person and source), never a
password: the contact author's account is made without one, "Forgot password"
sets it.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse

from exchange.imports.decision_plan import DecisionResult, apply_decisions
from exchange.imports.meta_reviews import MetaReviewResult, apply_meta_reviews
from exchange.imports.planning import CREATE, UPDATE, Plan, Step
from exchange.imports.review_apply import ReviewResult, apply_reviews
from exchange.models import ImportedSubmission
from haet import audit, clock
from haet.models import Conference, User
from haet.outbox.services import queue_mail
from reviews.conflicts import ConflictIndex
from submissions.models import Author, DeclaredConflict, Submission
from submissions.submitting import _create_numbered
from submissions.supplementary import remove_stored
from submissions.versions import UploadRejected, check_upload, discard, store_version

Progress = Callable[[int, str], None]


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)  # submission numbers
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    pdf_findings: dict[int, list[str]] = field(default_factory=dict)
    invited: list[str] = field(default_factory=list)
    conflict_count: int = 0
    reviews: ReviewResult | None = None  # EasyChair's reviews, when given
    meta_reviews: MetaReviewResult | None = None  # and its meta-reviews
    decisions: DecisionResult | None = None  # the file's decisions

    def summary(self) -> list[str]:
        lines = [
            f"Created {len(self.created)}, updated {len(self.updated)}, unchanged "
            f"{self.unchanged}, skipped {self.skipped}.",
            f"Invitations queued: {len(self.invited)}.",
            f"Conflicts recomputed: {self.conflict_count} reviewer or chair "
            "conflicts with the imported submissions.",
        ]
        for number, findings in sorted(self.pdf_findings.items()):
            lines.append(f"#{number} PDF: {' '.join(findings)}")
        if self.reviews is not None:
            lines.append(self.reviews.summary())
            lines += [f"Review {why}" for why in self.reviews.skipped]
        if self.meta_reviews is not None:
            lines.append(self.meta_reviews.summary())
            lines += [f"Meta-review {why}" for why in self.meta_reviews.skipped]
        if self.decisions is not None:
            lines.append(self.decisions.summary())
            lines += [f"Decision of {why}" for why in self.decisions.skipped]
        return lines


def _contact(step: Step, accounts: dict[str, User]) -> User:
    chosen = next((a for a in step.authors if a.is_contact), step.authors[0])
    user = accounts.get(chosen.email)
    if user is None:
        user = User.objects.create_user(chosen.email, password=None, name=chosen.name)
        accounts[chosen.email] = user
    return user


def _save_authors(submission: Submission, step: Step) -> None:
    existing = {a.email.lower(): a for a in submission.authors.all()}
    wanted = {a.email for a in step.authors}
    Author.objects.filter(
        pk__in=[a.pk for email, a in existing.items() if email not in wanted]
    ).delete()
    for order, data in enumerate(step.authors):
        author = existing.get(data.email) or Author(
            submission=submission, email=data.email
        )
        author.order = order
        author.name = data.name
        author.affiliation = data.affiliation
        author.orcid = data.orcid
        author.save()


def _save_conflicts(submission: Submission, step: Step, *, by: User) -> None:
    existing = {(c.kind, c.value): c.pk for c in submission.conflicts.all()}
    wanted = set(step.conflicts)
    DeclaredConflict.objects.filter(
        pk__in=[pk for key, pk in existing.items() if key not in wanted]
    ).delete()
    now = clock.now()
    DeclaredConflict.objects.bulk_create(
        DeclaredConflict(
            submission=submission,
            kind=kind,
            value=value,
            declared_by=by,
            declared_at=now,
        )
        for kind, value in sorted(wanted - set(existing))
    )


def _store_pdf(
    submission: Submission, step: Step, *, by: User, stored: list[str]
) -> list[str]:
    """Check and store the PDF like an upload; the findings, for the report."""
    if step.pdf_path is None:
        return []
    current = submission.current_version
    if current is not None and current.sha256 == step.pdf_sha256:
        return []
    authors = [
        {"name": a.name, "email": a.email, "affiliation": a.affiliation}
        for a in step.authors
    ]
    with open(step.pdf_path, "rb") as handle:
        try:
            checked = check_upload(
                UploadedFile(
                    handle,
                    name=step.pdf_path.name,
                    content_type="application/pdf",
                    size=step.pdf_path.stat().st_size,
                ),
                authors=authors,
                conference=submission.conference,
            )
        except UploadRejected as rejected:
            return ["not stored:", *rejected.messages]
    try:
        store_version(
            submission, checked, by=by, at=clock.now(), is_late=False, stored=stored
        )
    finally:
        discard(checked)
    return [w.message for w in checked.report.warnings]


def _apply_step(
    step: Step,
    *,
    plan: Plan,
    conference: Conference,
    by: User,
    accounts: dict[str, User],
    stored: list[str],
    result: ImportResult,
) -> Submission:
    record = step.record
    now = clock.now()
    fields = {
        "title": record.title.strip(),  # cut to the field by planning._fit
        "abstract": record.abstract.strip(),
        "keywords": record.keywords.strip(),
    }
    if step.action == CREATE:
        submission = _create_numbered(
            conference=conference,
            contact=_contact(step, accounts),
            created_by=by,
            not_accepted_at_main=True,
            **fields,
        )
        ImportedSubmission.objects.create(
            source=plan.source,
            source_id=record.source_id,
            submission=submission,
            imported_at=now,
            imported_by=by,
        )
    else:
        submission = Submission.objects.select_for_update().get(number=step.number or 0)
        for name, value in fields.items():
            setattr(submission, name, value)
    if record.is_withdrawn:
        submission.state = Submission.State.WITHDRAWN
        submission.withdrawn_at = submission.withdrawn_at or now
    else:
        submission.state = Submission.State.SUBMITTED
        submission.withdrawn_at = None
    submission.submitted_at = submission.submitted_at or now
    submission.topics.set(step.topic_ids)
    _save_authors(submission, step)
    _save_conflicts(submission, step, by=by)
    if step.pdf_path is not None:
        findings = _store_pdf(submission, step, by=by, stored=stored)
        if findings:
            result.pdf_findings[submission.number] = findings
    submission.save()
    return submission


def _invite(plan: Plan, invitations: dict[str, list[Submission]]) -> list[str]:
    sent = []
    for email, submissions in sorted(invitations.items()):
        mail = queue_mail(
            to=email,
            template="exchange_import_invitation",
            context={
                "email": email,
                "source": dict(ImportedSubmission.Source.choices)[plan.source],
                "submissions": [f"#{s.number} {s.title}" for s in submissions],
                "path": reverse("account_reset_password"),
            },
            dedupe_key=f"import-invitation:{plan.source}:{email}",
            submissions=submissions,
        )
        if mail is not None:
            sent.append(email)
    return sent


@transaction.atomic
def apply_plan(
    plan: Plan, *, conference: Conference, by: User, progress: Progress | None = None
) -> ImportResult:
    """Write what the plan says. Side effects: submissions, authors, conflicts,
    versions (files in private storage; removed again if this rolls back), one
    `ImportedSubmission` per new submission, invitation mails (outbox)."""
    result = ImportResult(unchanged=plan.count("unchanged"), skipped=plan.count("skip"))
    emails = {a.email for step in plan.steps for a in step.authors}
    accounts: dict[str, User] = {
        u.email.lower(): u
        for u in User.objects.annotate(address=Lower("email")).filter(
            address__in=emails
        )
    }
    invitations: dict[str, list[Submission]] = defaultdict(list)
    touched: list[Submission] = []
    stored: list[str] = []
    todo = [s for s in plan.steps if s.action in (CREATE, UPDATE)]
    try:
        # Every row written inside is logged as part of this named action.
        with audit.action("submissions.imported"):
            for index, step in enumerate(todo):
                if progress is not None and index % 10 == 0:
                    progress(
                        5 + 85 * index // len(todo),
                        f"Importing {index + 1} of {len(todo)}",
                    )
                submission = _apply_step(
                    step,
                    plan=plan,
                    conference=conference,
                    by=by,
                    accounts=accounts,
                    stored=stored,
                    result=result,
                )
                touched.append(submission)
                (result.created if step.action == CREATE else result.updated).append(
                    submission.number
                )
                for email in step.invited:
                    invitations[email].append(submission)
            result.invited = _invite(plan, invitations)
            if plan.reviews:
                result.reviews = apply_reviews(
                    plan.reviews, source=plan.source, conference=conference, by=by
                )
            if plan.meta_reviews:
                result.meta_reviews = apply_meta_reviews(
                    plan.meta_reviews, source=plan.source, by=by
                )
            if plan.decisions:
                result.decisions = apply_decisions(
                    plan.decisions, source=plan.source, by=by
                )
    except BaseException:
        remove_stored(stored)
        raise
    if touched:
        result.conflict_count = len(ConflictIndex.build(submissions=touched).pairs())
    return result
