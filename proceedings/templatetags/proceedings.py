"""The camera-ready block of the chairs' page of one submission.

`templates/decisions/submission.html` asks for it with
`{% load proceedings %}{% chair_camera_ready submission decision %}`: a template may
name a later app's tag (as `base.html` links later apps' pages), while the decisions
code never imports proceedings (tests/test_layering.py)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from decisions.models import Decision
from proceedings.camera_ready import camera_ready_window
from submissions.forms import ExtensionForm
from submissions.models import Submission

register = template.Library()


@register.simple_tag(takes_context=True)
def chair_camera_ready(
    context: template.Context, submission: Submission, decision: Decision | None
) -> SafeString | str:
    """For an acceptance: whether the camera-ready arrived, its deadline, and the
    form extending it for this submission; nothing otherwise."""
    if decision is None or not decision.is_accepted:
        return ""
    conference = submission.conference
    return render_to_string(
        "proceedings/_chair_camera_ready.html",
        {
            "submission": submission,
            "conference": conference,
            "window": camera_ready_window(submission, conference=conference),
            "extension_form": ExtensionForm(conference=conference),
        },
        request=context.get("request"),
    )
