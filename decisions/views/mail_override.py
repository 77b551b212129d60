"""One submission's decision mail, opened from the release preview: the rendered
mail, its subject and text editable before the release (decisions.mail_override)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import TemplateView

from decisions.mail_override import edit_decision_mail, restore_decision_mail
from decisions.mail_templates import mail_templates
from decisions.notification import render_decision_mails
from decisions.rules import decision_of
from decisions.views.submission import SubmissionLookupMixin
from haet.widgets import Textarea


class DecisionMailForm(forms.Form):
    subject = forms.CharField(max_length=300)
    body = forms.CharField(widget=Textarea(attrs={"rows": 22}), label="Text")


class DecisionMailView(SubmissionLookupMixin, TemplateView):
    """GET: the mail as the release would send it, in a form. POST "save": that
    text is sent for this submission; POST "restore": the outcome's template again.
    A conflicted chair gets 404 (decisions.decide), like on the submission's page."""

    permission_required = "decisions.decide"
    template_name = "decisions/mail_override.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.submission
        decision = decision_of(submission)
        editable = decision is not None and not decision.is_released
        mails = (
            render_decision_mails(
                submission,
                decision,
                templates=mail_templates(submission.conference),
                conference=submission.conference,
            )
            if editable
            else []
        )
        if editable and "form" not in kwargs:
            first = mails[0]
            kwargs["form"] = DecisionMailForm(
                initial={"subject": first.subject, "body": first.body}
            )
        context.update(
            submission=submission,
            decision=decision,
            editable=editable,
            mails=mails,
            recipients=[m.recipient for m in mails],
            **kwargs,
        )
        return context

    def post(self, request, number):
        try:
            if "restore" in request.POST:
                restore_decision_mail(self.submission, by=request.user)
                messages.success(request, f"#{number}: the template's mail again.")
                return redirect("decisions:release")
            form = DecisionMailForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form))
            edit_decision_mail(
                self.submission,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                by=request.user,
            )
        except ValidationError as error:
            form = DecisionMailForm(request.POST)
            form.is_valid()
            for message in error.messages:
                form.add_error(None, message)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, f"#{number}: your text will be sent.")
        return redirect("decisions:release")
