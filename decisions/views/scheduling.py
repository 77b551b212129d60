"""Scheduling and cancelling the release of decisions (chairs only; the preview
and the release by hand are `views.release.ReleaseView`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views import View

from decisions import scheduling
from decisions.forms import ScheduleReleaseForm
from haet import clock
from haet.deadlines import describe_moment
from haet.views import ChairRequiredMixin, current_conference


def schedule_context(conference, user, form=None) -> dict:
    """What the release page and the dashboard show about scheduled releases."""
    latest = scheduling.latest_release(conference)  # the waiting one, if any
    context = {
        "scheduled": latest,
        "schedule_form": form
        or ScheduleReleaseForm(
            conference=conference,
            initial_at=scheduling.default_release_at(conference),
        ),
    }
    if latest is not None:
        context.update(
            scheduled_text=describe_moment(latest.release_at, conference),
            scheduled_count=scheduling.count_visible(latest, user=user),
            scheduled_now=clock.now(),
            scheduled_changed=scheduling.changed_numbers(latest, user=user),
        )
    return context


class ScheduleReleaseView(ChairRequiredMixin, View):
    """POST from the release page: release the previewed set at a later time."""

    permission_required = "decisions.manage"

    def post(self, request):
        conference = current_conference(request)
        form = ScheduleReleaseForm(request.POST, conference=conference)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect("decisions:release")
        try:
            release = scheduling.schedule_release(
                conference,
                tokens=request.POST.getlist("token"),
                release_at=form.cleaned_data["release_at"],
                by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("decisions:release")
        messages.success(
            request,
            "The release is scheduled for "
            f"{describe_moment(release.release_at, conference)}; "
            "nothing is sent before then.",
        )
        return redirect("decisions:dashboard")


class CancelReleaseView(ChairRequiredMixin, View):
    permission_required = "decisions.manage"

    def post(self, request):
        try:
            scheduling.cancel_release(current_conference(request), by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "The scheduled release is cancelled.")
        return redirect("decisions:release")
