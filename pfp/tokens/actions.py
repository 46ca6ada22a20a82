"""Every change of an API token: created (the secret returned once) or revoked.

As the apps' actions modules: keyword-only arguments with the acting user explicit, one
transaction, the row locked where it changes, the permission rule asked, a history row naming
the actor. A token is only ever revoked by its owner (an administrator deactivates the user).
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pfp.tokens.models import PREFIX, SHOWN_CHARS, ApiToken, digest_of
from pfp.tokens.permissions import can_create_token

# A token lives at most this long; the form offers shorter ones.
MAX_LIFETIME = datetime.timedelta(days=366)
# A user keeps at most this many usable tokens (bounded work, and a reason to revoke old ones).
MAX_USABLE_TOKENS = 20


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def create_token(*, actor, name: str, expires_at: datetime.datetime) -> NewToken:
    """Create a token for ``actor`` named ``name``, usable until ``expires_at``."""
    decision = can_create_token(actor)
    if not decision:
        raise PermissionDenied(decision.reason)
    name = (name or "").strip()
    now = timezone.now()
    errors = {}
    if not name:
        errors["name"] = _("Name the token: what is it for?")
    if expires_at <= now:
        errors["expires_at"] = _("Choose an expiry in the future.")
    elif expires_at > now + MAX_LIFETIME:
        errors["expires_at"] = _("A token lives a year at most.")
    if errors:
        raise ValidationError(errors)
    secret = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        # The user's row locked: two creations at once count each other.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        if ApiToken.objects.usable(now).filter(user=actor).count() >= MAX_USABLE_TOKENS:
            raise ValidationError(
                _("You have %(count)s tokens in use: revoke one you no longer need first.")
                % {"count": MAX_USABLE_TOKENS}
            )
        token = ApiToken(
            user=actor,
            name=name,
            digest=digest_of(secret),
            shown=secret[: len(PREFIX) + SHOWN_CHARS],
            created_at=now,
            expires_at=expires_at,
        )
        token._history_user = actor
        token._change_reason = "create token"
        token.full_clean()
        token.save()
    return NewToken(token, secret)


def revoke_token(*, actor, token: ApiToken | int) -> ApiToken:
    """Revoke one of ``actor``'s tokens: it no longer authenticates anything. Revoking a revoked
    token changes nothing."""
    pk = token.pk if isinstance(token, ApiToken) else token
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=pk, user=actor).first()
        if token is None:
            raise PermissionDenied(_("This is not one of your tokens."))
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token._history_user = actor
            token._change_reason = "revoke token"
            token.save()
    return token
