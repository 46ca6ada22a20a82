"""Who may create API tokens.

One rule, ``can_create_token``, asked by ``actions.create_token`` (and so by the page): a token
reads what its owner reads, so only a user with a role (or an administrator) has a use for one.
A rule added later (a second factor for some roles) goes here, and every path obeys it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pfp.mfa.permissions import has_verified_second_factor_if_required
from pfp.permissions import Decision, is_administrator, roles_of


def can_create_token(user) -> Decision:
    if not user.is_authenticated or not user.is_active:
        return Decision(False, _("Sign in to create an API token."))
    if not (is_administrator(user) or roles_of(user)):
        return Decision(False, _("Your account has no role: an API token would read nothing."))
    # A role that must sign in with a second factor (pfp.mfa) creates tokens only from a session
    # verified with one: a token must not be a way around it.
    return has_verified_second_factor_if_required(user)
