"""The reviewer pool's pages: answering an invitation, the profile, and the chairs'
invitation list."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from haet.listing import Listing, Sort
from haet.views import ChairRequiredMixin, NotFoundOnDeny, current_conference
from reviews.forms.pool import DeclineForm, InviteForm, ProfileForm
from reviews.jobs import start_invite
from reviews.models import (
    Invitation,
    ReviewerProfile,
    ReviewSettings,
)
from reviews.pool import (
    accept_invitation,
    decline_invitation,
    invite_reviewer,
    save_profile,
)


# --- invitations ---------------------------------------------------------------------
class InvitationView(TemplateView):
    """The invitation link: anyone holding it may answer; accepting needs an
    account (the login and signup pages come back here)."""

    template_name = "reviews/invitation_answer.html"

    def get_invitation(self) -> Invitation:
        return get_object_or_404(Invitation, token=self.kwargs["token"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitation = self.get_invitation()
        here = self.request.get_full_path()
        context.update(
            invitation=invitation,
            decline_form=kwargs.get("decline_form") or DeclineForm(),
            login_url=f"{reverse('account_login')}?{urlencode({'next': here})}",
            signup_url=f"{reverse('account_signup')}?{urlencode({'next': here})}",
        )
        return context

    def post(self, request, token):
        invitation = self.get_invitation()
        if request.POST.get("action") == "accept":
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                accept_invitation(invitation, user=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("reviews:invitation", token=token)
            messages.success(
                request, "Welcome to the programme committee! Please fill your profile."
            )
            return redirect("reviews:profile")
        form = DeclineForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(decline_form=form))
        decline_invitation(
            invitation, reason=form.cleaned_data["reason"], user=request.user
        )
        messages.success(request, "Thank you for letting us know.")
        return redirect("reviews:invitation", token=token)


# --- profile -------------------------------------------------------------------------
class ProfileView(NotFoundOnDeny, TemplateView):
    permission_required = "reviews.edit_profile"
    template_name = "reviews/profile_form.html"

    def get_permission_object(self):
        return None

    def get_form(self, data=None):
        profile = ReviewerProfile.objects.filter(user=self.request.user).first()
        return ProfileForm(
            data, instance=profile, conference=current_conference(self.request)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context["settings"] = ReviewSettings.objects.for_conference(
            current_conference(self.request)
        )
        return context

    def post(self, request):
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        save_profile(request.user, **form.cleaned_data)
        messages.success(request, "Profile saved.")
        return redirect("reviews:dashboard")


INVITATION_SORTS = [
    Sort("email", "Email", ["email"]),
    Sort("name", "Name", ["name"]),
    Sort("status", "Status", ["status"]),
    Sort("sent", "Sent", ["sent_at"]),
    Sort("answered", "Answered", ["answered_at"]),
]


class InvitationListView(ChairRequiredMixin, TemplateView):
    template_name = "reviews/invitation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        invitations = Invitation.objects.select_related("user", "invited_by")
        if status in Invitation.Status.values:
            invitations = invitations.filter(status=status)
        counts = dict(Invitation.objects.values_list("status").annotate(n=Count("pk")))
        listing = Listing(self.request, INVITATION_SORTS, default="-sent")
        page = listing.page_queryset(
            invitations,
            ["email", "name", "user__email"],
            total=counts.get(status, 0) if status else sum(counts.values()),
        )
        context.update(
            form=kwargs.get("form") or InviteForm(),
            listing=listing,
            invitations=page.object_list,
            status=status,
            statuses=[
                (value, label, counts.get(value, 0))
                for value, label in Invitation.Status.choices
            ],
            total=sum(counts.values()),
        )
        return context

    def post(self, request):
        form = InviteForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        if data["pasted"].strip():
            # A background job (issue 14, item 10): a list of a thousand people
            # takes seconds. Its page says whom it invited, skipped or could not read.
            job = start_invite(
                email=data["email"],
                name=data["name"],
                pasted=data["pasted"],
                by=request.user,
            )
            return redirect("jobs:detail", pk=job.pk)
        invited, skipped = [], []
        invitation, is_new = invite_reviewer(
            data["email"], name=data["name"], by=request.user
        )
        (invited if is_new else skipped).append(invitation)
        if invited:
            messages.success(request, f"Invited {len(invited)}.")
        if skipped:
            emails = ", ".join(i.email for i in skipped)
            messages.warning(request, f"Already invited: {emails}.")
        return redirect("reviews:invitations")
