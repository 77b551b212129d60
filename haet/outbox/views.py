"""Chairs' outbox pages and everyone's mail preferences. Views parse, call a
service, redirect; haet.outbox.moderation and .preferences do the writing."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from haet.listing import Listing, Sort
from haet.outbox.erasure import CANCELLED_REASON
from haet.outbox.forms import (
    EditMailForm,
    MailPreferencesForm,
    OutboxFilterForm,
    ReminderSettingForm,
)
from haet.outbox.models import MailPreference, OutboxMail, ReminderSetting
from haet.outbox.models import format_offsets as fmt
from haet.outbox.moderation import edit_mail, hold_mail, release_mail, retry_mail
from haet.outbox.preferences import (
    PREFERENCES,
    save_reminder_setting,
    set_mail_preferences,
)
from haet.outbox.reminders import REGISTRY, settings_for
from haet.views import ChairRequiredMixin

Status = OutboxMail.Status


OUTBOX_SORTS = [
    Sort("created", "Created", ["created_at"]),
    Sort("to", "To", ["to_email"]),
    Sort("subject", "Subject", ["subject"]),
    Sort("status", "Status", ["status"]),
    Sort("attempts", "Attempts", ["attempts"]),
    Sort("sent", "Sent", ["sent_at"]),
]


class OutboxListView(ChairRequiredMixin, TemplateView):
    template_name = "outbox/outbox_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filter_form = OutboxFilterForm(self.request.GET or None)
        visible = OutboxMail.objects.visible_to(self.request.user)
        mails = visible.defer("body_text", "body_html")
        if filter_form.is_valid() and filter_form.cleaned_data["status"]:
            mails = mails.filter(status=filter_form.cleaned_data["status"])
        listing = Listing(self.request, OUTBOX_SORTS, default="-created")
        page = listing.page_queryset(mails, lambda queryset, q: queryset.search(q))
        # Over the visible mails only: a count that includes hidden ones tells a
        # conflicted chair that mails about their submission exist.
        counts = visible.status_counts()
        context.update(
            listing=listing,
            mails=page.object_list,
            filter_form=filter_form,
            status_tabs=[
                (value, label, counts.get(value, 0)) for value, label in Status.choices
            ],
            total_count=sum(counts.values()),
            current_status=self.request.GET.get("status", ""),
            query=listing.q,
        )
        return context


def chair_mail(request, pk: int) -> OutboxMail:
    """A mail this chair may see, or 404 (a hidden mail does not exist for them).
    The texts are not loaded: only a view that may show them asks for them."""
    return get_object_or_404(
        OutboxMail.objects.visible_to(request.user)
        .select_related("recipient", "held_by", "edited_by")
        .defer("body_text", "body_html"),
        pk=pk,
    )


def mail_texts(mail: OutboxMail) -> dict[str, str] | None:
    """{"text", "html"} of a mail a chair may read; None for a mail that carries a
    credential, so no template is ever handed its reset or invitation link."""
    if mail.is_sensitive:
        return None
    body_text, body_html = OutboxMail.objects.filter(pk=mail.pk).values_list(
        "body_text", "body_html"
    )[0]
    return {"text": body_text, "html": body_html}


class OutboxDetailView(ChairRequiredMixin, TemplateView):
    template_name = "outbox/outbox_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mail = chair_mail(self.request, self.kwargs["pk"])
        context.update(
            mail=mail,
            texts=mail_texts(mail),
            can_hold=mail.status == Status.QUEUED and not mail.is_sensitive,
            can_release=mail.status == Status.HELD,
            can_edit=mail.is_editable,
            can_retry=mail.status == Status.FAILED
            and mail.last_error != CANCELLED_REASON,
        )
        return context


class OutboxActionView(ChairRequiredMixin, View):
    """POST-only hold / release / retry buttons."""

    action = ""
    services_by_action = {
        "hold": (hold_mail, "Held: it will not go out until released."),
        "release": (release_mail, "Released: it goes out now."),
        "retry": (retry_mail, "Queued again."),
    }
    too_late = "That mail has moved on meanwhile; nothing was changed."

    def post(self, request, pk: int):
        mail = chair_mail(request, pk)
        service, done = self.services_by_action[self.action]
        try:
            moved = service(mail, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("outbox:detail", pk=mail.pk)
        if moved:
            messages.success(request, done)
        else:
            messages.warning(request, self.too_late)
        return redirect("outbox:detail", pk=mail.pk)


class OutboxEditView(ChairRequiredMixin, TemplateView):
    template_name = "outbox/outbox_edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mail = context.get("mail") or chair_mail(self.request, self.kwargs["pk"])
        context["mail"] = mail
        if "form" not in context:
            texts = mail_texts(mail) or {"text": ""}
            context["form"] = EditMailForm(
                initial={"subject": mail.subject, "body_text": texts["text"]}
            )
        return context

    def get(self, request, pk: int):
        mail = chair_mail(request, pk)
        if mail.is_sensitive:
            messages.error(request, "A mail carrying a credential cannot be edited.")
            return redirect("outbox:detail", pk=pk)
        if not mail.is_editable:
            messages.warning(request, "Hold a mail before editing it.")
            return redirect("outbox:detail", pk=pk)
        return self.render_to_response(self.get_context_data(mail=mail))

    def post(self, request, pk: int):
        mail = chair_mail(request, pk)
        if mail.is_sensitive:
            messages.error(request, "A mail carrying a credential cannot be edited.")
            return redirect("outbox:detail", pk=pk)
        form = EditMailForm(request.POST)
        if form.is_valid():
            try:
                edit_mail(mail, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Saved. The mail is still held.")
                return redirect("outbox:detail", pk=pk)
        return self.render_to_response(self.get_context_data(mail=mail, form=form))


class ReminderSettingsView(ChairRequiredMixin, TemplateView):
    template_name = "outbox/reminder_settings.html"

    def rows(self, bound: tuple[str, ReminderSettingForm] | None = None):
        overrides = {s.key: s for s in ReminderSetting.objects.all()}
        rows = []
        for key, registered in sorted(REGISTRY.items()):
            enabled, offsets = settings_for(
                key, registered.reminder, overrides.get(key)
            )
            if bound and bound[0] == key:
                form = bound[1]
            else:
                override = overrides.get(key)
                form = ReminderSettingForm(
                    prefix=key,
                    initial={
                        "enabled": enabled,
                        "offsets": override.offsets if override else "",
                    },
                )
            rows.append(
                {
                    "key": key,
                    "reminder": registered.reminder,
                    "enabled": enabled,
                    "offsets": fmt(offsets),
                    "default_offsets": fmt(registered.reminder.offsets),
                    "repeats": registered.reminder.every,
                    "form": form,
                }
            )
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = self.rows(kwargs.get("bound"))
        return context

    def post(self, request):
        key = request.POST.get("key", "")
        if key not in REGISTRY:
            messages.warning(request, "That reminder no longer exists.")
            return redirect("outbox:reminders")
        form = ReminderSettingForm(request.POST, prefix=key)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(bound=(key, form)))
        save_reminder_setting(
            key,
            enabled=form.cleaned_data["enabled"],
            offsets=form.cleaned_data["offsets"],
            by=request.user,
        )
        messages.success(request, f"Saved “{REGISTRY[key].reminder.label}”.")
        return redirect("outbox:reminders")


class MailPreferencesView(LoginRequiredMixin, TemplateView):
    """Which non-essential mails a signed-in user receives."""

    template_name = "outbox/mail_preferences.html"

    def form(self, data=None) -> MailPreferencesForm:
        current = dict(
            MailPreference.objects.filter(user=self.request.user).values_list(
                "key", "enabled"
            )
        )
        return MailPreferencesForm(data, preferences=PREFERENCES, current=current)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.form())
        return context

    def post(self, request):
        form = self.form(request.POST)
        if not form.is_valid():  # pragma: no cover - checkboxes are always valid
            return self.render_to_response(self.get_context_data(form=form))
        set_mail_preferences(request.user, form.cleaned_data)
        messages.success(request, "Your mail preferences are saved.")
        return redirect("mail-preferences")
