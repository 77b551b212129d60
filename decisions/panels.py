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
