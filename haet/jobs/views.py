"""A job's page: its progress while it runs (static/haet/job.js follows it; without
script, a refresh link), then its summary, or its error and "Try again" where safe."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from haet.jobs.models import Job
from haet.jobs.services import job_kind, retry_job
from haet.views import NotFoundOnDeny


class JobDetailView(NotFoundOnDeny, TemplateView):
    permission_required = "jobs.view_job"
    template_name = "jobs/detail.html"

    def get_permission_object(self):
        if not hasattr(self, "job"):
            self.job = get_object_or_404(
                Job.objects.select_related("created_by"), pk=self.kwargs["pk"]
            )
        return self.job

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.job
        kind = job_kind(job.kind)
        back = kind.back(job) if kind and kind.back else None
        context.update(
            job=job,
            title=kind.title if kind else job.kind,
            back=back,
            link=(job.result or {}).get("link"),
            summary=(job.result or {}).get("summary", []),
        )
        return context

    def post(self, request, pk):
        try:
            again = retry_job(self.job, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("jobs:detail", pk=pk)
        return redirect("jobs:detail", pk=again.pk)
