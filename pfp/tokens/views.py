"""The page of one's API tokens (linked from the account page): create one (shown once, on the
answer to the form), see them with their expiry and last use, revoke one."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, View

from pfp.tokens import actions
from pfp.tokens.forms import TokenForm
from pfp.tokens.models import ApiToken
from pfp.tokens.permissions import can_create_token


class TokenListView(FormView):
    template_name = "tokens/token_list.html"
    form_class = TokenForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tokens"] = ApiToken.objects.filter(user=self.request.user)
        context["may_create"] = can_create_token(self.request.user)
        context["now"] = timezone.now()
        return context

    def post(self, request, *args, **kwargs):
        decision = can_create_token(request.user)
        if not decision:
            raise PermissionDenied(decision.reason)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        expires_at = timezone.now() + datetime.timedelta(days=form.cleaned_data["lifetime"])
        try:
            new = actions.create_token(
                actor=self.request.user, name=form.cleaned_data["name"], expires_at=expires_at
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        # Shown on this answer only: the page says so, and nothing keeps the secret.
        return self.render_to_response(
            self.get_context_data(form=TokenForm(), new_token=new.token, secret=new.secret)
        )


class TokenRevokeView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        actions.revoke_token(actor=request.user, token=token)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("tokens:list")
