"""Session lifetime, the signed-in user's language, no caching of what a signed-in user sees, the
login page for any URL before login, and security headers on every answer.

``SessionLifetimeMiddleware`` puts an absolute limit on top of the idle timeout. The idle
timeout is the session cookie's age, renewed on every request (``SESSION_COOKIE_AGE`` with
``SESSION_SAVE_EVERY_REQUEST``); a session older than ``SESSION_ABSOLUTE_TIMEOUT`` since login is
ended, however busy it has been. It must come after ``AuthenticationMiddleware`` and
``MessageMiddleware``.

``SecurityHeadersMiddleware`` puts Django's security headers on answers made before Django's
``SecurityMiddleware`` could (the 400 for a bad Host header).

``UserLanguageMiddleware`` applies the language a user saved in the footer (see its docstring).

``PrivateCacheMiddleware`` marks every answer to a signed-in user ``Cache-Control: private,
no-store``.

``LoginRequiredEverywhereMiddleware`` sends anonymous users to the login page from URLs that match
no view too, so that the answers do not tell which URLs exist.
"""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.middleware import security
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "pfp_authenticated_at"

logger = logging.getLogger(__name__)


class SecurityHeadersMiddleware(security.SecurityMiddleware):
    """The headers of Django's ``SecurityMiddleware`` (``X-Content-Type-Options``, the referrer
    and opener policies, HSTS), without its HTTPS redirect, first in ``MIDDLEWARE``.

    With ``SECURE_SSL_REDIRECT`` on, Django's asks a plain-HTTP request for its host to build the
    redirect; a host outside ``ALLOWED_HOSTS`` raises there, and the 400 made of it never passes
    through Django's ``process_response``. It passes through this one. Django's stays in
    ``MIDDLEWARE`` (``check --deploy`` looks for it by name) and does the redirect; the headers
    are only ever set where missing, so a response that passes both gets them once.
    """

    def process_request(self, request):
        return None  # the HTTPS redirect is Django's SecurityMiddleware's, further in


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


class PrivateCacheMiddleware:
    """Nothing shown to a signed-in user is kept by a shared proxy or the browser's cache.

    Pages, report downloads (PDF, CSV, Excel), menu exports, the admin and error pages all show
    data that is not public, so every answer to a signed-in user says ``Cache-Control: private,
    no-store``, whatever view made it. Answers to anonymous users (the login page, the redirect to
    it, static files) are left as their views set them. It must come after
    ``AuthenticationMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Read after the view: signing out ends with an anonymous user, and LogoutView already
        # forbids caching its answer.
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class LoginRequiredEverywhereMiddleware(LoginRequiredMiddleware):
    """Django's ``LoginRequiredMiddleware``, for URLs that match no view as well.

    Django's sends an anonymous user to the login page from every view not marked
    ``login_not_required``, but a URL that matches no view has none to look at: it answered 404
    where a real one redirected, and anyone could learn which URLs exist. Here any 404 for an
    anonymous user becomes the same redirect to the login page, except for static files (served
    or not by WhiteNoise, they are public) and the login page itself. Signed-in users still get
    the 404 page. It takes the place of Django's in ``MIDDLEWARE``.
    """

    def process_response(self, request, response):
        if (
            response.status_code == 404
            and not request.user.is_authenticated
            and not request.path.startswith(settings.STATIC_URL)
            and request.path != resolve_url(settings.LOGIN_URL)
        ):
            return self.handle_no_permission(request, view_func=None)
        return response


def saved_language(user) -> str:
    """The language a signed-in user chose (``User.language``), or "" to follow the browser."""
    if not user.is_authenticated:
        return ""
    language = getattr(user, "language", "")
    return language if language in dict(settings.LANGUAGES) else ""


class UserLanguageMiddleware:
    """The signed-in user's saved language wins over the language cookie and the browser's.

    ``LocaleMiddleware`` has already chosen a language from the cookie or ``Accept-Language``; a
    signed-in user who chose one in the footer (``pfp.views.set_language``) gets that one instead,
    on any browser. The language cookie is then brought in line, so that the pages seen after
    signing out stay in that language. It must come after ``AuthenticationMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = saved_language(request.user)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # Read again: the view may have signed the user in or out, or saved a new choice.
        language = saved_language(request.user)
        cookie = settings.LANGUAGE_COOKIE_NAME
        if language and cookie not in response.cookies and request.COOKIES.get(cookie) != language:
            response.set_cookie(
                cookie,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
