"""The chairs' decision mail templates, one per outcome, and the meta-review
update mail's."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView

from decisions.forms import MailTemplateForm
from decisions.mail_templates import (
    DEFAULT_TEMPLATES,
    PLACEHOLDER_RE,
    PLACEHOLDERS,
    mail_templates,
    save_mail_template,
)
from decisions.models import META_REVIEW_EDITED
from decisions.queries.release_preview import AUTHOR_CONTENT
from haet.views import ChairRequiredMixin, current_conference


class MailTemplatesView(ChairRequiredMixin, TemplateView):
    permission_required = "decisions.manage"
    template_name = "decisions/mail_templates.html"

    def get_forms(self, data=None):
        templates = mail_templates(current_conference(self.request))
        return [
            (
                templates[outcome],
                MailTemplateForm(
                    data,
                    prefix=outcome,
                    initial={
                        "subject": templates[outcome].subject,
                        "body": templates[outcome].body,
                    },
                ),
            )
            for outcome in DEFAULT_TEMPLATES
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = context.pop("forms", None) or self.get_forms()
        # Per decision text, what of the authors' reviews and meta-review it
        # leaves out (a text saved before meta-reviews existed has no
        # {{ meta_review }}); the release page names the submissions it affects.
        context["forms"] = [
            (template, form, _left_out(template)) for template, form in forms
        ]
        context["placeholders"] = PLACEHOLDERS
        return context

    def post(self, request):
        forms = self.get_forms(request.POST)
        if not all(form.is_valid() for _, form in forms):
            return self.render_to_response(self.get_context_data(forms=forms))
        for template, form in forms:
            save_mail_template(
                template,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                by=request.user,
            )
        messages.success(request, "Decision mails saved.")
        return redirect("decisions:templates")


def _left_out(template) -> list[str]:
    if template.outcome == META_REVIEW_EDITED:  # it links to them instead
        return []
    used = set(PLACEHOLDER_RE.findall(template.subject + template.body))
    return [name for name in AUTHOR_CONTENT if name not in used]
