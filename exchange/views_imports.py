"""The chairs' import pages: upload → dry-run report → confirm (a job).

The uploaded files are staged (exchange.imports.staging) under a token kept in
the chair's session, so the report can be run again with a topic map and the
confirmation imports exactly those files."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from exchange.forms import ImportForm, ReviewerImportForm
from exchange.imports.decision_plan import parse_decision_map
from exchange.imports.planning import parse_topic_map, plan, read_files
from exchange.imports.records import ImportFileError
from exchange.imports.reviewers import apply_reviewers, plan_reviewers
from exchange.imports.staging import has_pdfs, stage, staged_data, staged_pdfs, unstage
from exchange.jobs import start_import
from haet.models import User
from haet.rules import conflicted_submission_ids
from haet.views import ChairRequiredMixin, current_conference

SESSION_KEY = "exchange_import_tokens"


def signed_in(request: HttpRequest) -> User:
    """The chair (ChairRequiredMixin let only a signed-in chair this far)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _remember(request: HttpRequest, token: str) -> None:
    tokens = request.session.get(SESSION_KEY, [])[-9:]
    request.session[SESSION_KEY] = [*tokens, token]


def _is_mine(request: HttpRequest, token: str) -> bool:
    return bool(token) and token in request.session.get(SESSION_KEY, [])


def _read(upload: UploadedFile) -> tuple[str, bytes]:
    assert upload.name is not None  # noqa: S101  # a posted file has a name
    return upload.name, upload.read()


class ImportView(ChairRequiredMixin, View):
    template_name = "exchange/imports/import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": ImportForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        context: dict = {"form": form}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        data = form.cleaned_data
        token = data["token"]
        if data["files"]:
            token = stage(
                [_read(f) for f in data["files"]],
                [_read(f) for f in data["pdfs"]],
                by=signed_in(request),
            )
            _remember(request, token)
        elif not _is_mine(request, token):
            form.add_error("files", "Choose the export file(s) to import again.")
            return render(request, self.template_name, context, status=400)
        mapping, _bad = parse_topic_map(data["topic_map"])
        try:
            parsed = read_files(data["source"], staged_data(token))
        except ImportFileError as error:
            unstage(token)
            form.add_error("files", str(error))
            return render(request, self.template_name, context, status=400)
        with staged_pdfs(token) as folder:
            context["plan"] = plan(
                parsed,
                source=data["source"],
                conference=current_conference(request),
                topic_map=mapping,
                decision_map=parse_decision_map(data["decision_map"])[0],
                pdfs=folder,
                hidden_ids=frozenset(conflicted_submission_ids(signed_in(request))),
            )
        suggested = "\n".join(f"{name} = " for name in context["plan"].unknown_topics)
        context.update(
            token=token,
            has_pdfs=has_pdfs(token),
            form=ImportForm(
                initial={
                    "source": data["source"],
                    "topic_map": data["topic_map"],
                    "decision_map": data["decision_map"],
                    "token": token,
                }
            ),
            suggested_map=suggested,
        )
        return render(request, self.template_name, context)


class ImportConfirmView(ChairRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        token = request.POST.get("token", "")
        form = ImportForm(request.POST)
        if not _is_mine(request, token) or not form.is_valid():
            return redirect("exchange:import")
        job = start_import(
            token=token,
            source=form.cleaned_data["source"],
            topic_map=form.cleaned_data["topic_map"],
            decision_map=form.cleaned_data["decision_map"],
            by=signed_in(request),
        )
        return redirect("jobs:detail", pk=job.pk)


class ReviewerImportView(ChairRequiredMixin, View):
    template_name = "exchange/imports/reviewers.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": ReviewerImportForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ReviewerImportForm(request.POST, request.FILES)
        context: dict = {"form": form}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        token = form.cleaned_data["token"]
        confirm = "confirm" in request.POST
        if form.cleaned_data["file"]:
            token = stage([_read(form.cleaned_data["file"])], [], by=signed_in(request))
            _remember(request, token)
            confirm = False
        elif not _is_mine(request, token):
            form.add_error("file", "Choose the reviewer list again.")
            return render(request, self.template_name, context, status=400)
        files = staged_data(token)
        try:
            reviewer_plan = plan_reviewers(
                files[0][1] if files else b"",
                conference=current_conference(request),
                role=form.cleaned_data["role"] or None,
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
            return render(request, self.template_name, context, status=400)
        if confirm:
            try:
                sent = apply_reviewers(reviewer_plan, by=signed_in(request))
            except ValidationError as error:
                form.add_error("file", " ".join(error.messages))
                return render(request, self.template_name, context, status=400)
            unstage(token)
            context.update(done=True, sent=sent)
            return render(request, self.template_name, context)
        context.update(
            plan=reviewer_plan,
            token=token,
            form=ReviewerImportForm(
                initial={"token": token, "role": reviewer_plan.role}
            ),
        )
        return render(request, self.template_name, context)
