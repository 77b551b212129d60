"""The account page for API tokens: create one (its key shown once), revoke one."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from api.forms import TokenForm
from api.models import ApiToken
from api.tokens import create_token, revoke_token


class TokenListView(LoginRequiredMixin, View):
    template_name = "api/token_list.html"

    def page(self, request, form, *, new_key: str = "", status: int = 200):
        tokens = ApiToken.objects.filter(user=request.user)
        context = {"form": form, "tokens": tokens, "new_key": new_key}
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self.page(request, TokenForm(user=request.user))

    def post(self, request):
        form = TokenForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.page(request, form, status=400)
        try:
            token, key = create_token(
                request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "messages", [str(error)])[0])
            return self.page(request, form, status=400)
        messages.success(request, f"Token “{token.name}” created.")
        # Shown on this response only: the key is not stored.
        return self.page(request, TokenForm(user=request.user), new_key=key)


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        revoke_token(token, by=request.user)
        messages.success(request, f"Token “{token.name}” revoked.")
        return redirect("api:tokens")
