"""The decision section of the author's submission page (submissions.panels)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from decisions.models import Decision
from submissions.models import Submission


def decision_panel(request: HttpRequest, submission: Submission) -> str | None:
    if submission.is_draft or not request.user.has_perm(
        "decisions.view_outcome", submission
    ):
        return None
    decision = Decision.objects.filter(
        submission=submission, released_at__isnull=False
    ).first()
    return render_to_string(
        "decisions/_submission_panel.html",
        {"submission": submission, "decision": decision},
        request=request,
    )


def released_decision_cells(
    request: HttpRequest, submissions: list[Submission]
) -> dict[int, str]:
    """The "Decision" column of the author's list (submissions.panels): the released
    decision of each submission that has one, nothing for the others (undecided,
    decided but not released). One query for the whole list."""
    released = Decision.objects.filter(
        submission__in=[s.pk for s in submissions if not s.is_draft],
        released_at__isnull=False,
    ).only("submission_id", "outcome")
    return {
        decision.submission_id: render_to_string(
            "decisions/_list_cell.html",
            {"decision": decision, "number": number_of[decision.submission_id]},
            request=request,
        )
        for number_of in [{s.pk: s.number for s in submissions}]
        for decision in released
    }
