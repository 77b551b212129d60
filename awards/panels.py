"""The prizes section of the author's submission page (submissions.panels)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from submissions.models import Submission


def prizes_panel(request: HttpRequest, submission: Submission) -> str | None:
    if submission.is_draft or not request.user.has_perm("awards.enter", submission):
        return None
    from awards.views.entries import prize_statuses

    prizes = prize_statuses(submission, request.user)
    if not prizes:
        return None
    return render_to_string(
        "awards/_submission_prizes.html",
        {"prizes": prizes, "submission": submission},
        request=request,
    )
