"""The chairs' schedule editor. Every page works without JavaScript; the
drag-and-drop script (static/schedule/editor.js) posts the same move form.

Chairs only (404 for anyone else). A submission the chair is conflicted with is
never named here: its slot reads "a submission you are conflicted with".
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from haet.posted import posted_id
from haet.views import ChairRequiredMixin, current_conference
from haet.wording import counted
from reviews.conflicts import conflicted_submission_ids
from schedule import services
from schedule.forms import FillOralsForm, ItemForm, MoveForm, ScheduleForm, SessionForm
from schedule.models import Item, PosterBoard, Session
from schedule.queries.editor import warnings_for
from schedule.queries.items import sessions_of, title_of


class ScheduleChairMixin(ChairRequiredMixin):
    permission_required = "schedule.edit"

    @property
    def schedule(self):
        if not hasattr(self, "_schedule"):
            self._schedule = services.schedule_of(current_conference(self.request))
        return self._schedule

    def fail(self, error: ValidationError):
        for message in error.messages:
            messages.error(self.request, message)

    def back(self):
        return redirect("schedule:edit")


class EditorView(ScheduleChairMixin, TemplateView):
    template_name = "schedule/editor.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        schedule = self.schedule
        sessions = sessions_of(schedule)
        items = [item for session in sessions for item in session.day_items]
        hidden = conflicted_submission_ids(self.request.user)
        for session in sessions:
            last = session.day_items[-1].ends_at if session.day_items else None
            session.next_start = schedule.local(last or session.starts_at).strftime(
                "%H:%M"
            )
        for item in items:
            item.venue_start = schedule.local(item.starts_at).strftime("%H:%M")
            item.is_hidden = item.submission_id in hidden
            item.label = (
                "A submission you are conflicted with"
                if item.is_hidden
                else (
                    f"#{item.submission.number} {title_of(item.submission)}"
                    if item.submission_id
                    else item.title or "Empty oral slot"
                )
            )
            for board in item.boards.all():
                board.label = (
                    "A submission you are conflicted with"
                    if board.submission_id in hidden
                    else f"#{board.submission.number} {title_of(board.submission)}"
                )
        warnings = warnings_for(schedule, items, viewer=self.request.user)
        flagged = {w.item_code for w in warnings if w.item_code}
        for item in items:
            item.is_flagged = item.code in flagged
        context.update(
            schedule=schedule,
            sessions=sessions,
            warnings=warnings,
            schedule_form=kwargs.get("schedule_form")
            or ScheduleForm(
                initial={
                    "venue_time_zone": schedule.venue_time_zone,
                    "day": schedule.day,
                }
            ),
            fill_form=FillOralsForm(),
        )
        return context


class ScheduleSettingsView(EditorView):
    """The editor's settings form. Refused, it comes back on the editor page with
    what the chair typed and the reason next to the field (a redirect would put
    back the stored zone and say only "enter a time zone")."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ScheduleForm(request.POST)
        if form.is_valid():
            try:
                services.update_schedule(
                    self.schedule, **form.cleaned_data, by=request.user
                )
                messages.success(request, "Schedule settings saved.")
                return self.back()
            except ValidationError as error:  # the model's checks: any field
                form.add_error(None, " ".join(error.messages))
        messages.error(request, "The settings were not saved: see below.")
        return self.render_to_response(self.get_context_data(schedule_form=form))


class SessionEditView(ScheduleChairMixin, TemplateView):
    template_name = "schedule/session_edit.html"

    def session(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(Session, pk=self.kwargs["pk"], schedule=self.schedule)

    def get(self, request, *args, **kwargs):
        session = self.session()
        form = (
            SessionForm.for_session(session, self.schedule)
            if session
            else SessionForm(schedule=self.schedule)
        )
        return self.render_to_response(
            self.get_context_data(form=form, session=session, schedule=self.schedule)
        )

    def post(self, request, *args, **kwargs):
        session = self.session()
        form = SessionForm(request.POST, schedule=self.schedule)
        if form.is_valid():
            try:
                services.save_session(
                    self.schedule,
                    session=session,
                    **form.service_arguments(),
                    by=request.user,
                )
                messages.success(request, "Session saved.")
                return self.back()
            except ValidationError as error:
                form.add_error(None, error)
        return self.render_to_response(
            self.get_context_data(form=form, session=session, schedule=self.schedule)
        )


class SessionDeleteView(ScheduleChairMixin, View):
    def post(self, request, pk):
        session = get_object_or_404(Session, pk=pk, schedule=self.schedule)
        services.delete_session(session, by=request.user)
        messages.success(request, f"Session “{session.title}” deleted.")
        return self.back()


class ItemEditView(ScheduleChairMixin, TemplateView):
    template_name = "schedule/item_edit.html"

    def objects(self):
        if "code" in self.kwargs:
            item = get_object_or_404(
                Item.objects.select_related("session", "submission"),
                code=self.kwargs["code"],
                session__schedule=self.schedule,
            )
            if item.submission_id in conflicted_submission_ids(self.request.user):
                # Its title and presenter would name the submission.
                raise Http404
            return item, item.session
        session = get_object_or_404(
            Session, pk=self.kwargs["pk"], schedule=self.schedule
        )
        return None, session

    def get(self, request, *args, **kwargs):
        item, session = self.objects()
        form = (
            ItemForm.for_item(item, self.schedule, request.user)
            if item
            else ItemForm(
                schedule=self.schedule,
                viewer=request.user,
                initial={
                    "start": self.schedule.local(session.starts_at).time(),
                    "kind": Item.Kind.ORAL,
                },
            )
        )
        return self.render(form, item, session)

    def render(self, form, item, session):
        return self.render_to_response(
            self.get_context_data(
                form=form, item=item, session=session, schedule=self.schedule
            )
        )

    def post(self, request, *args, **kwargs):
        item, session = self.objects()
        form = ItemForm(
            request.POST, request.FILES, schedule=self.schedule, viewer=request.user
        )
        if form.is_valid():
            try:
                services.save_item(
                    session, item=item, **form.service_arguments(), by=request.user
                )
                messages.success(request, "Item saved.")
                return self.back()
            except ValidationError as error:
                form.add_error(None, error)
        return self.render(form, item, session)


class ItemDeleteView(ScheduleChairMixin, View):
    def post(self, request, code):
        item = get_object_or_404(Item, code=code, session__schedule=self.schedule)
        if item.submission_id in conflicted_submission_ids(request.user):
            raise Http404
        services.delete_item(item, by=request.user)
        messages.success(request, "Item deleted.")
        return self.back()


class ItemMoveView(ScheduleChairMixin, View):
    """POST session + start: the no-JS move form, and what drag and drop posts."""

    def post(self, request, code):
        item = get_object_or_404(
            Item.objects.select_related("session__schedule"),
            code=code,
            session__schedule=self.schedule,
        )
        form = MoveForm(request.POST, schedule=self.schedule)
        if not form.is_valid():
            messages.error(request, "Choose a session and a start time.")
            return self.back()
        old = self.schedule.local(item.starts_at)
        services.move_item(
            item,
            session=form.cleaned_data["session"],
            starts_at=form.cleaned_data["starts_at"],
            by=request.user,
        )
        messages.success(
            request,
            f"Moved from {old:%H:%M} to {self.schedule.local(item.starts_at):%H:%M}.",
        )
        return self.back()


class FillOralsView(ScheduleChairMixin, View):
    def post(self, request):
        form = FillOralsForm(request.POST)
        order = form.cleaned_data["order"] if form.is_valid() else "number"
        filled = services.fill_orals(self.schedule, order=order, by=request.user)
        messages.success(request, f"{counted(len(filled), 'oral slot')} filled.")
        return self.back()


class PosterBoardsView(ScheduleChairMixin, View):
    def post(self, request):
        if "remove" in request.POST:
            board = get_object_or_404(
                PosterBoard,
                pk=posted_id(request, "remove"),
                item__session__schedule=self.schedule,
            )
            try:
                services.remove_poster_board(board, by=request.user)
            except PermissionDenied:
                raise Http404 from None
            messages.success(request, "Board removed.")
            return self.back()
        created = services.assign_poster_boards(self.schedule, by=request.user)
        messages.success(request, f"{counted(len(created), 'poster board')} assigned.")
        return self.back()


class PublishView(ScheduleChairMixin, View):
    def post(self, request):
        try:
            if request.POST.get("action") == "unpublish":
                services.unpublish_schedule(self.schedule, by=request.user)
                messages.success(request, "The schedule is hidden again.")
            else:
                services.publish_schedule(self.schedule, by=request.user)
                messages.success(request, "The schedule is public.")
        except ValidationError as error:
            self.fail(error)
        return self.back()
