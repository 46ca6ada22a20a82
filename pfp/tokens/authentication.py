"""The API's side of tokens: Django REST framework's authentication class and the throttle.

``TokenAuthentication`` reads ``Authorization: Bearer <token>``, finds the token by its digest,
refuses a revoked or expired one or an inactive user (401), and notes the last use (at most once
a minute per token, without a history row). ``TokenRateThrottle`` counts requests per token
(per user for the browsable API's session).
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, throttling

from pfp.tokens.models import ApiToken, digest_of

KEYWORD = "Bearer"
# The last use is written at most this often per token (one UPDATE, not one per request).
LAST_USE_PRECISION = datetime.timedelta(minutes=1)
MAX_TOKEN_CHARS = 200


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = KEYWORD

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # another scheme, or none: the session may authenticate
        if len(header) != 2 or len(header[1]) > MAX_TOKEN_CHARS:
            raise exceptions.AuthenticationFailed(_("Send the header as: Bearer <token>."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from None
        now = timezone.now()
        token = ApiToken.objects.select_related("user").filter(digest=digest_of(secret)).first()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token is not valid."))
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This token's account is deactivated."))
        if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Requests per token (``DEFAULT_THROTTLE_RATES["token"]``); per user on a session."""

    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
