"""Ease of reviewing: the review draft's autosave and the Markdown preview.

The "my assignments" overview itself is the reviewer's dashboard
(`reviews.views.dashboard`), whose progress summary comes from
`reviews.templatetags.review_quality.assignment_progress`."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.views import View

from haet import clock, deadlines
from haet.views import current_conference
from reviews.forms.reviewing import ReviewAnswersForm
from reviews.markdown import render
from reviews.reviewing import ReviewDeadlinePassed, save_review
from reviews.views.reviewing import AssignmentView

MAX_PREVIEW_CHARACTERS = 30_000


class AutosaveView(AssignmentView):
    """POST the review form as it is: saved as a draft with the same service as
    "Save draft", answered in JSON ({"saved_at": "14:05"}), for
    static/haet/autosave.js. A submitted review is never autosaved (its changes
    must be complete: the reviewer presses "Update review")."""

    http_method_names = ["post"]

    def post(self, request, number):
        assignment = self.own_assignment
        review = getattr(assignment, "review", None)
        if review is not None and review.is_submitted:
            return JsonResponse(
                {"error": "A submitted review is saved with “Update review”."},
                status=409,
            )
        _, questions = self.review_form()
        conference = current_conference(request)
        awards = list(conference.award_categories.all())
        form = ReviewAnswersForm(request.POST, questions=questions, awards=awards)
        if not form.is_valid():
            return JsonResponse({"error": "Not saved: check the form."}, status=400)
        try:
            review = save_review(assignment, form.answers(), by=request.user)
        except ReviewDeadlinePassed as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=409)
        except PermissionDenied:
            return JsonResponse({"error": "Not saved."}, status=404)
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        now = clock.now()
        local = deadlines.in_zone(now, conference)
        return JsonResponse(
            {
                "state": review.state,
                "saved_at": f"{local:%H:%M} {deadlines.label_of(conference, now)}",
            }
        )


class MarkdownPreviewView(LoginRequiredMixin, View):
    """POST text, get back its sanitised HTML: what the page will show once saved.
    It reads nothing but the posted text, so any signed-in person may use it."""

    def post(self, request):
        text = request.POST.get("text", "")[:MAX_PREVIEW_CHARACTERS]
        response = HttpResponse(render(text), content_type="text/html; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return response
