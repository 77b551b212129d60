"""Everyone's own data page: download it, or delete the account."""

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View

from exchange.deletion import DELETED, delete_account, plan_for
from haet.models import User


class ConfirmDeletionForm(forms.Form):
    confirm_email = forms.CharField(
        label="Type your email address to confirm",
        help_text="Deleting cannot be undone.",
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_confirm_email(self) -> str:
        typed = self.cleaned_data["confirm_email"].strip()
        if typed.lower() != self.email.lower():
            raise forms.ValidationError(
                f"This is not your address ({self.email}): nothing was deleted."
            )
        return typed


def account_page(request, form, *, status: int = 200):
    context = {"form": form, "plan": plan_for(request.user)}
    return render(request, "exchange/my_account.html", context, status=status)


class MyAccountView(LoginRequiredMixin, View):
    def get(self, request):
        return account_page(request, ConfirmDeletionForm(email=request.user.email))


@method_decorator(reauthentication_required, name="post")
class DeleteAccountView(LoginRequiredMixin, View):
    """POST only; asks for the password again (allauth) when the last sign-in is
    not recent, and for the email address typed out."""

    def get(self, request):
        return redirect("exchange:my-account")

    def post(self, request):
        user = User.objects.get(pk=request.user.pk)  # the row, not the lazy proxy
        form = ConfirmDeletionForm(request.POST, email=user.email)
        if not form.is_valid():
            return account_page(request, form, status=400)
        outcome = delete_account(user, by=user)
        logout(request)
        if outcome == DELETED:
            messages.success(request, "Your account and its data are deleted.")
        else:
            messages.success(
                request,
                "Your account is anonymised: it can no longer sign in, your name "
                "and address are gone, and the chairs have been told.",
            )
        return redirect("home")
