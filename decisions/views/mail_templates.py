"""The chairs' decision mail templates, one per outcome, and the meta-review
update mail's."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView

from decisions.forms import MailTemplateForm
from decisions.mail_templates import (
    DEFAULT_TEMPLATES,
    PLACEHOLDERS,
    mail_templates,
    save_mail_template,
)
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
        context.setdefault("forms", self.get_forms())
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
