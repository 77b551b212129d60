"""The chairs' retention page: the policy, the preview, the purge (a job)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from exchange.forms import RetentionForm
from exchange.retention import policy_for, preview, purge_date, save_policy, start_purge
from haet import clock
from haet.models import User
from haet.views import ChairRequiredMixin, current_conference


def signed_in(request: HttpRequest) -> User:
    """The chair (ChairRequiredMixin let only a signed-in chair this far)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


class RetentionView(ChairRequiredMixin, View):
    template_name = "exchange/retention.html"

    def _render(
        self,
        request: HttpRequest,
        form: RetentionForm,
        status: int = 200,
        error: str = "",
    ) -> HttpResponse:
        policy = policy_for(current_conference(request))
        when = purge_date(policy)
        context = {
            "form": form,
            "policy": policy,
            "purge_at": when,
            "is_due": when is not None and clock.now() >= when,
            "items": preview(policy, viewer=signed_in(request)),
            "error": error,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        policy = policy_for(current_conference(request))
        return self._render(request, RetentionForm(instance=policy))

    def post(self, request: HttpRequest) -> HttpResponse:
        policy = policy_for(current_conference(request))
        form = RetentionForm(request.POST, instance=policy)
        if not form.is_valid():
            return self._render(request, form, status=400)
        save_policy(
            current_conference(request), by=signed_in(request), **form.cleaned_data
        )
        return redirect("exchange:retention")


class PurgeView(ChairRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        policy = policy_for(current_conference(request))
        try:
            job = start_purge(policy, by=signed_in(request))
        except ValidationError as error:
            return RetentionView()._render(
                request,
                RetentionForm(instance=policy),
                status=400,
                error=" ".join(error.messages),
            )
        return redirect("jobs:detail", pk=job.pk)
