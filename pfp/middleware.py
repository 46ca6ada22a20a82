"""Session lifetime: an absolute limit on top of the idle timeout.

The idle timeout is the session cookie's age, renewed on every request
(``SESSION_COOKIE_AGE`` with ``SESSION_SAVE_EVERY_REQUEST``). This middleware adds the absolute
limit: a session older than ``SESSION_ABSOLUTE_TIMEOUT`` since login is ended, however busy it
has been. It must come after ``AuthenticationMiddleware`` and ``MessageMiddleware``.
"""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "pfp_authenticated_at"

logger = logging.getLogger(__name__)


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                # Login cycles the session key, so the first request of a new session lands here.
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
                logger.info("Session of user %s ended: absolute timeout", request.user.pk)
                logout(request)
                messages.info(request, _("Your session has expired. Please sign in again."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
