"""Reads for the proceedings: the accepted papers as exports, the public page and
the home page show them, with the awards the awards app registers."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from decisions.models import Decision
from haet.models import Conference
from proceedings.models import CameraReady
from submissions.models import Submission


# --- accepted papers ---------------------------------------------------------------
@dataclass
class AcceptedSubmission:
    """An accepted, released submission as exports and the public page show it:
    the camera-ready details when confirmed, else the submission's."""

    pk: int
    number: int
    title: str
    authors: list[dict]
    outcome: str
    include_in_proceedings: bool
    arxiv_url: str
    has_pdf: bool
    file_stem: str
    camera_ready: CameraReady | None
    awards: list[str] = field(default_factory=list)
    is_released: bool = True  # False only with accepted_papers(released_only=False)

    @property
    def is_oral(self) -> bool:
        return self.outcome == "accept_oral"

    @property
    def presentation(self) -> str:
        return "oral" if self.is_oral else "poster"

    @property
    def author_names(self) -> list[str]:
        return [a.get("name", "") for a in self.authors]

    @property
    def affiliations(self) -> list[str]:
        return list(
            dict.fromkeys(
                a["affiliation"] for a in self.authors if a.get("affiliation")
            )
        )


# Callables (conference) -> {submission pk: [award name, ...]} once awards are
# announced; the awards app registers one. Empty until then.
AWARD_SOURCES: list[Callable[[Conference], dict[int, list[str]]]] = []


def register_award_source(
    source: Callable[[Conference], dict[int, list[str]]],
) -> None:
    if source not in AWARD_SOURCES:
        AWARD_SOURCES.append(source)


def accepted_submissions(
    conference: Conference, *, released_only: bool = True, with_awards: bool = False
) -> list[AcceptedSubmission]:
    """Accepted (and not withdrawn) submissions, orals first, then by number."""
    decisions = (
        Decision.objects.accepted()
        .filter(submission__conference=conference)
        .exclude(submission__state=Submission.State.WITHDRAWN)
        .select_related("submission", "submission__camera_ready__current_version")
        .prefetch_related("submission__authors")
    )
    if released_only:
        decisions = decisions.released()
    awards: dict[int, list[str]] = defaultdict(list)
    if with_awards:
        for source in AWARD_SOURCES:
            for pk, names in source(conference).items():
                awards[pk].extend(names)
    accepted = []
    for decision in decisions:
        submission = decision.submission
        submission.conference = conference
        try:
            camera = submission.camera_ready
        except CameraReady.DoesNotExist:
            camera = None
        # ORCID iDs are kept per author line of the submission (by email).
        orcids = {a.email.lower(): a.orcid for a in submission.authors.all()}
        if camera is not None and camera.authors:
            authors = [
                {**a, "orcid": orcids.get((a.get("email") or "").lower(), "")}
                for a in camera.authors
            ]
        else:
            authors = [
                {
                    "name": a.name,
                    "email": a.email,
                    "affiliation": a.affiliation,
                    "orcid": a.orcid,
                }
                for a in sorted(submission.authors.all(), key=lambda a: (a.order, a.pk))
            ]
        include = camera.include_in_proceedings if camera else False
        accepted.append(
            AcceptedSubmission(
                pk=submission.pk,
                number=submission.number,
                title=camera.title if camera and camera.title else submission.title,
                authors=authors,
                outcome=decision.outcome,
                include_in_proceedings=include,
                arxiv_url=(camera.arxiv_url if camera else "") or submission.arxiv_url,
                has_pdf=bool(camera and camera.current_version_id),
                file_stem=submission.file_stem,
                camera_ready=camera,
                awards=awards.get(submission.pk, []),
                is_released=decision.released_at is not None,
            )
        )
    accepted.sort(key=lambda p: (not p.is_oral, p.number))
    return accepted
