"""Audit completeness: every way of writing leaves a history row saying who and when.

The tables below list every write path: the pages (each URL whose view accepts a POST), the
admin site (each registered model's add, change, delete and bulk actions), the management
commands of our apps, and the public functions of the modules that write (the workflow, the
partner actions, the menu, the importer, the partner loader). For each, a function performs it
and names the models whose history must grow. The test then checks that:

- each named model has new history rows, dated between the moment before and after the write;
- every new history row of every model of ours names the actor (a command run without a user
  names nobody, and says so in the table), so that no write slips through unattributed.

The guards at the end fail when a URL, an admin operation, a command or a function appears
that is in none of the tables: a new write path must come with its audit test (or a stated
reason why it writes nothing that needs one).
"""

from __future__ import annotations

import csv
import datetime
import inspect
import io
from dataclasses import dataclass, field
from functools import cached_property
from importlib import import_module

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, get_commands
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from partners import actions
from partners.loading import load_partners
from partners.models import EventKind, Framework, Partner, Representative, StatusEvent
from pfp.mfa import actions as mfa
from pfp.mfa import devices as mfa_devices
from pfp.models import PASSWORD_CHANGED, User
from pfp.roles import Role
from programmes import workflow
from programmes.delivery import actions as delivery
from programmes.delivery import importing as event_importing
from programmes.delivery.models import AnnualReview, Event, EventImport, ObjectiveProgress
from programmes.documents import actions as documents
from programmes.menu import actions as menu
from programmes.menu import importing
from programmes.menu.importing import COLUMNS
from programmes.menu.models import Activity, Area, MenuImport, Provider
from programmes.models import Comment, Document, Goal, Objective, PlannedActivity, Programme
from tests.support.admin_forms import form_data as admin_form_data
from tests.support.factories import (
    TEST_PASSWORD,
    ActivityFactory,
    PartnerFactory,
    ProviderFactory,
    UserFactory,
    assigned_officer,
    draft_programme,
    event_of,
    programme_in_force,
    programme_in_status,
    representative_of,
    signed_agreement_pdf,
)
from tests.support.second_factor import code_of, enrol
from tests.support.snapshots import history_models

S = workflow.ProgrammeStatus


# --- The world a write path needs ----------------------------------------------------------------


@dataclass
class World:
    partner: Partner
    officer: User
    approver: User
    second_approver: User
    menu_manager: User
    administrator: User
    client_as: object

    def draft(self, **options) -> Programme:
        """Two objectives of two goals, four planned activities."""
        options = {"objectives": 2, "goals": 2, "activities": 4, **options}
        return draft_programme(officer=self.officer, partner=self.partner, **options)

    @cached_property
    def representative(self) -> User:
        """A representative of the partner (who accepts and declines for it)."""
        return representative_of(self.partner, "representative-xa")

    def programme(self, status, **options) -> Programme:
        return programme_in_status(
            status, officer=self.officer, approver=self.approver, partner=self.partner, **options
        )

    def empty_objective(self, programme) -> Objective:
        """An objective with one goal and no activity (so that both may be deleted)."""
        objective = workflow.add_objective(actor=self.officer, programme=programme, title="E")
        workflow.add_goal(actor=self.officer, objective=objective, title="Empty goal")
        return objective

    def previewed_import(self, actor) -> MenuImport:
        provider = ProviderFactory(name="NATO School")
        old = ActivityFactory(provider=provider)
        return importing.preview_import(
            file_name="menu.csv", content=menu_csv(provider, old), actor=actor
        )


@pytest.fixture
def w(approver, menu_manager, administrator, client_as):
    # A code the real register (load_partners) does not use.
    partner = PartnerFactory(name="Auditland", code="XA")
    return World(
        partner=partner,
        officer=assigned_officer(partner),
        approver=approver,
        second_approver=UserFactory(username="approver2", role=Role.APPROVER),
        menu_manager=menu_manager,
        administrator=administrator,
        client_as=client_as,
    )


def menu_csv(provider, changed: Activity) -> bytes:
    """A file adding one activity and retitling ``changed``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for code, title in (("AUD-0001", "Added"), (changed.code, "Retitled")):
        writer.writerow(
            [code, title, "", "", "", "cyber", "course", provider.name, "online", 5, 2020, ""]
        )
    return buffer.getvalue().encode()


# --- Checking a write ------------------------------------------------------------------------------


@dataclass
class Write:
    """What a write path did: who acted, and the models whose history must have grown.

    ``logs`` are models that are their own log (a row naming its user and time):
    (model, user field, time field).
    """

    actor: User | None
    histories: list
    logs: list = field(default_factory=list)


def audited(perform, expected: Write, since: datetime.datetime) -> None:
    """Run ``perform`` (after ``since``) and check the history it left."""
    perform()
    until = timezone.now()
    actor_pk = expected.actor.pk if expected.actor else None
    for model in expected.histories:
        rows = model.history.filter(history_date__gte=since)
        assert rows.exists(), f"{model.__name__}: no history row"
    for history in history_models():
        for row in history.objects.filter(history_date__gte=since):
            assert row.history_user_id == actor_pk, (
                f"{history.__name__} row {row.pk} names user {row.history_user_id}, "
                f"not the actor {actor_pk}"
            )
            assert since <= row.history_date <= until
    for model, user_field, time_field in expected.logs:
        rows = model.objects.filter(**{f"{time_field}__gte": since})
        assert rows.exists(), f"{model.__name__}: no log row"
        for row in rows:
            assert getattr(row, f"{user_field}_id") == actor_pk
            assert getattr(row, time_field) <= until


def succeeded(response) -> None:
    """A page's POST that did what it was asked: a redirect, no error or warning message."""
    assert response.status_code == 302, getattr(response, "context", None) and [
        form.errors for form in [response.context.get("form")] if form
    ]
    problems = [
        str(m) for m in get_messages(response.wsgi_request) if m.level >= message_levels.WARNING
    ]
    assert problems == []


# --- Pages -----------------------------------------------------------------------------------------


def activity_form(activity=None, **changes) -> dict:
    area = Area.objects.get(code="cyber")
    provider = activity.provider if activity else ProviderFactory(name="NATO School")
    data = {
        "code": activity.code if activity else "AUD-0042",
        "title_en": activity.title_en if activity else "Audit course",
        "title_fr": "",
        "description_en": "",
        "description_fr": "",
        "area": area.pk,
        "type": "course",
        "provider": provider.pk,
        "delivery_mode": "online",
        "length_days": 5,
        "first_offered": 2020,
    }
    return {**data, **changes}


def page(actor, url_name, data_for, *models, logs=()):
    """A page case: ``data_for(w)`` returns (URL arguments, POST data) once the world is built."""

    def case(w: World):
        user = getattr(w, actor)
        args, data = data_for(w)
        client = w.client_as(user)
        url = reverse(f"programmes:{url_name}", args=args)
        return Write(user, list(models), list(logs)), lambda: succeeded(client.post(url, data))

    return case


def _stamp(programme):
    return {"seen_stamp": programme.edit_stamp}


def _with_programme(make, data=lambda p: {}, extra_args=lambda p: []):
    def data_for(w):
        programme = make(w)
        return [programme.pk, *extra_args(programme)], data(programme)

    return data_for


def _draft(w):
    return w.draft()


def _planned(p):
    return p.planned_activities.order_by("pk").first()


def _goal(p):
    return Goal.objects.filter(objective__programme=p).order_by("pk").first()


PAGES = {
    "programmes:activity_create": page(
        "menu_manager", "activity_create", lambda w: ([], activity_form()), Activity
    ),
    "programmes:activity_edit": page(
        "menu_manager",
        "activity_edit",
        lambda w: (
            [(a := ActivityFactory()).code],
            activity_form(a, title_en="Retitled"),
        ),
        Activity,
    ),
    "programmes:activity_retire": page(
        "menu_manager",
        "activity_retire",
        lambda w: ([ActivityFactory().code], {"year": 2026}),
        Activity,
    ),
    "programmes:import_upload": page(
        "menu_manager",
        "import_upload",
        lambda w: (
            [],
            {
                "file": SimpleUploadedFile(
                    "menu.csv", menu_csv(ProviderFactory(name="P"), ActivityFactory())
                )
            },
        ),
        logs=[(MenuImport, "uploaded_by", "uploaded_at")],
    ),
    "programmes:import_apply": page(
        "menu_manager",
        "import_apply",
        lambda w: ([w.previewed_import(w.menu_manager).pk], {}),
        Activity,
    ),
    "programmes:event_import_upload": page(
        "officer",
        "event_import_upload",
        lambda w: ([], {"file": SimpleUploadedFile("events.csv", _events_file(w))}),
        logs=[(EventImport, "uploaded_by", "uploaded_at")],
    ),
    "programmes:event_import_apply": page(
        "officer",
        "event_import_apply",
        lambda w: ([_event_import(w).pk], {}),
        Event,
        logs=[(EventImport, "applied_by", "applied_at")],
    ),
    "programmes:programme_create": page(
        "officer",
        "programme_create",
        lambda w: ([], {"partner": w.partner.code, "title": "New", "start_year": 2030}),
        Programme,
    ),
    "programmes:programme_edit": page(
        "officer",
        "programme_edit",
        _with_programme(_draft, lambda p: {"title": "Retitled", "start_year": 2026, **_stamp(p)}),
        Programme,
    ),
    "programmes:objective_create": page(
        "officer", "objective_create", _with_programme(_draft, lambda p: {"title": "O"}), Objective
    ),
    "programmes:objective_edit": page(
        "officer",
        "objective_edit",
        _with_programme(
            _draft,
            lambda p: {"title": "Retitled", **_stamp(p)},
            lambda p: [p.objectives.first().pk],
        ),
        Objective,
    ),
    "programmes:objective_delete": page(
        "officer",
        "objective_delete",
        lambda w: (
            [(p := w.draft()).pk, w.empty_objective(p).pk],
            _stamp(Programme.objects.get(pk=p.pk)),
        ),
        Objective,
        Goal,
    ),
    "programmes:objective_move": page(
        "officer",
        "objective_move",
        _with_programme(_draft, lambda p: {"direction": "up"}, lambda p: [p.objectives.last().pk]),
        Objective,
    ),
    "programmes:goal_create": page(
        "officer",
        "goal_create",
        _with_programme(_draft, lambda p: {"title": "G"}, lambda p: [p.objectives.first().pk]),
        Goal,
    ),
    "programmes:goal_edit": page(
        "officer",
        "goal_edit",
        _with_programme(
            _draft,
            lambda p: {"objective": _goal(p).objective_id, "title": "Retitled", **_stamp(p)},
            lambda p: [_goal(p).pk],
        ),
        Goal,
    ),
    "programmes:goal_delete": page(
        "officer",
        "goal_delete",
        lambda w: (
            [(p := w.draft()).pk, w.empty_objective(p).goals.get().pk],
            _stamp(Programme.objects.get(pk=p.pk)),
        ),
        Goal,
    ),
    "programmes:goal_move": page(
        "officer",
        "goal_move",
        _with_programme(_draft, lambda p: {"direction": "down"}, lambda p: [_goal(p).pk]),
        Goal,
    ),
    "programmes:activity_pick": page(
        "officer",
        "activity_pick",
        _with_programme(
            _draft,
            lambda p: {
                "activity": ActivityFactory().pk,
                "year": p.start_year,
                "goal": _goal(p).pk,
                "priority": 1,
            },
        ),
        PlannedActivity,
    ),
    "programmes:planned_edit": page(
        "officer",
        "planned_edit",
        _with_programme(
            _draft,
            lambda p: {
                "year": p.start_year + 3,
                "goal": _planned(p).goal_id,
                "priority": 3,
                "notes": "Later",
                **_stamp(p),
            },
            lambda p: [_planned(p).pk],
        ),
        PlannedActivity,
    ),
    "programmes:planned_remove": page(
        "officer",
        "planned_remove",
        _with_programme(_draft, extra_args=lambda p: [_planned(p).pk]),
        PlannedActivity,
    ),
    "programmes:comment_add": page(
        "approver",
        "comment_add",
        _with_programme(_draft, lambda p: {"text": "Noted", "kind": "review"}),
        Comment,
    ),
    "programmes:programme_submit": page(
        "officer", "programme_submit", _with_programme(_draft, _stamp), Programme
    ),
    "programmes:programme_withdraw": page(
        "officer", "programme_withdraw", _with_programme(_draft, _stamp), Programme
    ),
    "programmes:programme_revise": page(
        "officer",
        "programme_revise",
        _with_programme(lambda w: w.programme(S.AGREED)),
        Programme,
        Objective,
        Goal,
        PlannedActivity,
    ),
    "programmes:programme_successor": page(
        "officer",
        "programme_successor",
        _with_programme(lambda w: w.programme(S.AGREED), lambda p: {"copy_activities": "on"}),
        Programme,
        Objective,
        Goal,
        PlannedActivity,
    ),
    "programmes:programme_approve": page(
        "second_approver",
        "programme_approve",
        _with_programme(lambda w: w.programme(S.SUBMITTED), _stamp),
        Programme,
    ),
    "programmes:programme_return": page(
        "approver",
        "programme_return",
        _with_programme(lambda w: w.programme(S.SUBMITTED), lambda p: {"comment": "Why"}),
        Programme,
        Comment,
    ),
    "programmes:programme_agreement": page(
        "approver",
        "programme_agreement",
        _with_programme(
            lambda w: w.programme(S.APPROVED),
            lambda p: {"agreed_on": "2026-01-05", "signatory": "Minister"},
        ),
        Programme,
    ),
    "programmes:programme_close": page(
        "approver",
        "programme_close",
        _with_programme(lambda w: w.programme(S.AGREED), lambda p: {"reason": "Ended"}),
        Programme,
    ),
    "programmes:document_attach": page(
        "officer",
        "document_attach",
        _with_programme(
            _draft,
            lambda p: {
                "kind": "letter",
                "title": "A letter",
                "file": SimpleUploadedFile("letter.pdf", signed_agreement_pdf()),
            },
        ),
        Document,
    ),
    "programmes:document_supersede": page(
        "approver",
        "document_supersede",
        lambda w: (
            [w.programme(S.APPROVED).documents.get().pk],
            {"title": "Signed again", "file": SimpleUploadedFile("s.pdf", signed_agreement_pdf())},
        ),
        Document,
    ),
    "programmes:programme_share": page(
        "officer", "programme_share", _with_programme(_draft), Programme
    ),
    "programmes:programme_accept": page(
        "representative",
        "programme_accept",
        _with_programme(lambda w: w.programme(S.APPROVED), _stamp),
        Programme,
    ),
    "programmes:programme_decline": page(
        "representative",
        "programme_decline",
        _with_programme(
            lambda w: w.programme(S.APPROVED), lambda p: {"comment": "Not yet", **_stamp(p)}
        ),
        Programme,
        Comment,
    ),
}

# Delivery's pages, as the partner's officer (an approver acknowledges and returns reviews).


def _event_edit_data(event):
    programme = delivery.in_force_version(event.lineage)
    return {
        "status": "delivered",
        "year": programme.start_year + event.year - 1,
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(),
        "place": event.place,
        "participants": 10,
        "women": 4,
        "rating": 5,
        "evaluation": "Useful.",
        "seen_stamp": event.edit_stamp,
    }


def _review_form_data(review):
    programme = delivery.in_force_version(review.lineage)
    data = {"overall": "Steady.", "seen_stamp": review.edit_stamp}
    for objective in programme.objectives.all():
        data[f"progress-{objective.key.hex}"] = "on_track"
    return data


def _schedule_data(p):
    planned = p.planned_activities.filter(year=1).order_by("pk").first()
    day = f"{p.start_year}-06-02"
    return {"planned": planned.pk, "start_date": day, "end_date": day, "place": "Tbilisi"}


def _unplanned_data(p):
    day = f"{p.start_year}-06-02"
    return {
        "activity": ActivityFactory().code,
        "goal": _goal(p).pk,
        "year": p.start_year,
        "start_date": day,
        "end_date": day,
        "online": "on",
    }


PAGES |= {
    "programmes:event_create": page(
        "officer", "event_create", _with_programme(lambda w: _in_force(w), _schedule_data), Event
    ),
    "programmes:event_create_unplanned": page(
        "officer",
        "event_create_unplanned",
        _with_programme(lambda w: _in_force(w), _unplanned_data),
        Event,
    ),
    "programmes:event_edit": page(
        "officer",
        "event_edit",
        lambda w: ([(e := _event(w)).pk], _event_edit_data(e)),
        Event,
    ),
    "programmes:event_delete": page(
        "officer", "event_delete", lambda w: ([_event(w).pk], {}), Event
    ),
    "programmes:annual_review_start": page(
        "officer",
        "annual_review_start",
        _with_programme(lambda w: _in_force(w), lambda p: {"year": 1}),
        AnnualReview,
    ),
    "programmes:annual_review_edit": page(
        "officer",
        "annual_review_edit",
        lambda w: ([(r := _review(w)).pk], _review_form_data(r)),
        AnnualReview,
        ObjectiveProgress,
    ),
    "programmes:annual_review_submit": page(
        "officer",
        "annual_review_submit",
        lambda w: ([_review(w, filled=True).pk], {}),
        AnnualReview,
    ),
    "programmes:annual_review_acknowledge": page(
        "approver",
        "annual_review_acknowledge",
        lambda w: ([_review(w, submitted=True).pk], {}),
        AnnualReview,
    ),
    "programmes:annual_review_return": page(
        "approver",
        "annual_review_return",
        lambda w: ([_review(w, submitted=True).pk], {"comment": "Say more."}),
        AnnualReview,
    ),
}


NEW_PASSWORD = "a-much-longer-passphrase-for-the-audit"


def account_page(url_name, data):
    """A page of one's own account, as the officer: the user's history must grow."""

    def case(w: World):
        client = w.client_as(w.officer)
        url = reverse(url_name)
        return Write(w.officer, [User]), lambda: succeeded(client.post(url, data))

    return case


PAGES |= {
    "password_change": account_page(
        "password_change",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    ),
    # Signed in, the choice is saved on the account.
    "set_language": account_page("set_language", {"language": "fr", "next": "/"}),
}


def _api_token(user) -> str:
    from pfp.tokens import actions as tokens

    expires = timezone.now() + datetime.timedelta(days=30)
    return tokens.create_token(actor=user, name="Audit", expires_at=expires).secret


def api_token_create(w: World):
    """The API tokens page creates a token: shown on the answer (200), its history row."""
    from pfp.tokens.models import ApiToken

    client = w.client_as(w.officer)
    url = reverse("tokens:list")

    def perform():
        response = client.post(url, {"name": "Audit", "lifetime": 30})
        assert response.status_code == 200
        assert response.context["secret"]

    return Write(w.officer, [ApiToken]), perform


def api_token_revoke(w: World):
    from pfp.tokens import actions as tokens
    from pfp.tokens.models import ApiToken

    expires = timezone.now() + datetime.timedelta(days=30)
    token = tokens.create_token(actor=w.officer, name="Audit", expires_at=expires).token
    client = w.client_as(w.officer)
    url = reverse("tokens:revoke", args=[token.pk])
    return Write(w.officer, [ApiToken]), lambda: succeeded(client.post(url))


def api_event_put(w: World):
    """The API records an event by its external reference, with the token's owner as actor."""
    from django.test import Client

    programme = _in_force(w)
    planned = programme.planned_activities.filter(year=1).order_by("pk").first()
    client = Client(headers={"Authorization": f"Bearer {_api_token(w.officer)}"})
    url = reverse("api:partner-event", kwargs={"code": w.partner.code, "ref": "AUDIT-API-1"})
    body = {
        "programme_year": 1,
        "activity_code": planned.activity.code,
        "first_day": f"{programme.start_year}-06-01",
        "last_day": f"{programme.start_year}-06-02",
        "place": "Skopje",
        "status": "scheduled",
    }

    def perform():
        response = client.put(url, body, content_type="application/json")
        assert response.status_code == 201, response.content

    return Write(w.officer, [Event]), perform


PAGES |= {
    "tokens:list": api_token_create,
    "tokens:revoke": api_token_revoke,
    "api:partner-event": api_event_put,
}


def second_factor_page(url_name, data_of, *, enrolled=True, verified=True):
    """A page of the second factor (pfp.mfa), as the officer: the account's history grows (its
    devices are not in the row; the reason says what changed)."""

    def case(w: World):
        key = enrol(w.officer) if enrolled else None
        client = w.client_as(w.officer)
        if verified and key:
            client.logout()
            client.post(
                reverse("login"), {"username": w.officer.username, "password": TEST_PASSWORD}
            )
            client.post(reverse("mfa:verify"), {"code": code_of(key)})
        url, data = data_of(w, client, key)
        return Write(w.officer, [User]), lambda: succeeded(client.post(url, data))

    return case


def _authenticator_add(w, client, key):
    client.get(reverse("mfa:authenticator_add"))
    new_key = client.session["mfa_new_key"]
    return reverse("mfa:authenticator_add"), {"name": "Phone", "code": code_of(new_key)}


def _authenticator_remove(w, client, key):
    device = TOTPDevice.objects.get(user=w.officer)
    url = reverse("mfa:authenticator_remove", args=[device.pk])
    return url, {"password": TEST_PASSWORD, "code": code_of(key, 1)}


def _key_remove(w, client, key):
    device = WebAuthnCredential.objects.create(
        user=w.officer, name="Key", credential_id=b"audit", public_key=b"audit", confirmed=True
    )
    url = reverse("mfa:key_remove", args=[device.pk])
    return url, {"password": TEST_PASSWORD, "code": code_of(key, 1)}


PAGES |= {
    "mfa:authenticator_add": second_factor_page(
        "mfa:authenticator_add", _authenticator_add, enrolled=False
    ),
    "mfa:recovery_codes": second_factor_page(
        "mfa:recovery_codes", lambda w, client, key: (reverse("mfa:recovery_codes"), {})
    ),
    "mfa:authenticator_remove": second_factor_page(
        "mfa:authenticator_remove", _authenticator_remove
    ),
    "mfa:key_remove": second_factor_page("mfa:key_remove", _key_remove),
}

# URLs that accept a POST but write no content of ours, and why.
PAGES_WITHOUT_HISTORY = {
    "login": (
        "signs in: django-axes logs the attempt (AccessLog, AccessAttempt, AccessFailureLog); "
        "the user's last_login is left out of the user's history (no row per login)"
    ),
    "logout": "signs out: django-axes logs it (AccessLog.logout_time)",
    "favicon": "writes nothing: GET and HEAD only, a redirect to the icon in static",
    "programmes:partner_report_prepare": (
        "asks the worker for the partner's PDF: a PreparedFile of one's own, deleted by the "
        "cleanup within a day, not a record of the work"
    ),
    "programmes:cross_report_prepare": (
        "asks the worker for a report's Excel file: a PreparedFile of one's own, deleted by "
        "the cleanup within a day, not a record of the work"
    ),
    "outbox:preferences": (
        "one's own choice of how e-mails come (outbox.Preference), like the page language: "
        "a setting of the user's, not a record of the work"
    ),
    "mfa:verify": (
        "the second step of signing in: django-axes logs a failed code (AccessFailureLog, "
        "AccessAttempt) and the sign-in (AccessLog); the device's last time step is its own"
    ),
    "otp_webauthn:credential-registration-begin": (
        "starts registering a security key: a random handle for the user (WebAuthnUserHandle, "
        "no content of ours), the challenge in the session"
    ),
    "otp_webauthn:credential-registration-complete": (
        "needs a browser's attestation: tests/browser/test_security_key_journey.py registers a "
        "key through Chromium's virtual authenticator and checks the account's history row"
    ),
    "otp_webauthn:credential-authentication-begin": "the challenge of a key's sign-in, in the session",
    "otp_webauthn:credential-authentication-complete": (
        "signs in with a key: django-axes logs the sign-in (AccessLog); the key's counter is its own"
    ),
}


class TestPages:
    @pytest.mark.parametrize("name", PAGES)
    def test_history_names_the_user_and_the_moment(self, name, w):
        expected, perform = PAGES[name](w)
        audited(perform, expected, timezone.now())


# --- The admin site --------------------------------------------------------------------------------


def _admin_post(w, url, data):
    client = w.client_as(w.administrator)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    problems = [m for m in get_messages(response.wsgi_request) if m.level >= message_levels.ERROR]
    assert problems == []


def _admin_change(w, url_name, obj, **changes):
    """Post back the admin change page of ``obj`` with ``changes``."""
    url = reverse(f"admin:{url_name}", args=[obj.pk])
    page = w.client_as(w.administrator).get(url)
    data = admin_form_data(page, **changes)
    return lambda: _admin_post(w, url, data)


def _admin_action(w, model_name, action, obj, **extra):
    url = reverse(f"admin:programmes_{model_name}_changelist")
    data = {"action": action, "_selected_action": [obj.pk], **extra}
    return lambda: _admin_post(w, url, data)


def _events_inline(partner, rows, initial=0):
    data = {
        "status_events-TOTAL_FORMS": str(len(rows)),
        "status_events-INITIAL_FORMS": str(initial),
        "status_events-MIN_NUM_FORMS": "0",
        "status_events-MAX_NUM_FORMS": "1000",
    }
    for index, (pk, kind, on) in enumerate(rows):
        if pk:
            data[f"status_events-{index}-id"] = str(pk)
        if partner:
            data[f"status_events-{index}-partner"] = str(partner.pk)
        data[f"status_events-{index}-kind"] = kind
        data[f"status_events-{index}-on"] = on
    return data


def admin_representative_add(w):
    user = UserFactory(username="envoy-xa")
    data = {"user": user.pk, "partner": w.partner.pk, "position": "Head of Mission"}
    return Write(w.administrator, [Representative]), lambda: _admin_post(
        w, reverse("admin:partners_representative_add"), data
    )


def admin_representative_change(w):
    representative = Representative.objects.get(user=w.representative)
    return Write(w.administrator, [Representative]), _admin_change(
        w, "partners_representative_change", representative, position="Defence Adviser"
    )


def admin_partner_add(w):
    data = {
        "name": "Newland",
        "code": "XB",
        "framework": Framework.EAPC_PFP,
        **_events_inline(None, [(None, EventKind.JOINED, "1995-01-01")]),
    }
    return Write(w.administrator, [Partner, StatusEvent]), lambda: _admin_post(
        w, reverse("admin:partners_partner_add"), data
    )


def admin_partner_change(w):
    partner = w.partner
    event = partner.status_events.get()
    data = {
        "name": "Auditland renamed",
        "code": partner.code,
        "framework": partner.framework,
        "notes": "",
        "officers": [w.officer.pk],
        **_events_inline(
            partner,
            [
                (event.pk, event.kind, event.on.isoformat()),
                (None, EventKind.SUSPENDED, "2026-09-01"),
            ],
            initial=1,
        ),
    }
    return Write(w.administrator, [Partner, StatusEvent]), lambda: _admin_post(
        w, reverse("admin:partners_partner_change", args=[partner.pk]), data
    )


def admin_partner_delete(w):
    partner = PartnerFactory(name="Gone", code="GN")
    return Write(w.administrator, [Partner, StatusEvent]), lambda: _admin_post(
        w, reverse("admin:partners_partner_delete", args=[partner.pk]), {"post": "yes"}
    )


def admin_partner_delete_selected(w):
    partner = PartnerFactory(name="Gone", code="GN")
    data = {"action": "delete_selected", "_selected_action": [partner.pk], "post": "yes"}
    return Write(w.administrator, [Partner, StatusEvent]), lambda: _admin_post(
        w, reverse("admin:partners_partner_changelist"), data
    )


def admin_activity_add(w):
    data = activity_form()
    return Write(w.administrator, [Activity]), lambda: _admin_post(
        w, reverse("admin:programmes_activity_add"), data
    )


def admin_activity_change(w):
    activity = ActivityFactory()
    data = activity_form(activity, title_en="Retitled")
    return Write(w.administrator, [Activity]), lambda: _admin_post(
        w, reverse("admin:programmes_activity_change", args=[activity.pk]), data
    )


def admin_programme_add(w):
    data = {"partner": w.partner.pk, "title": "New", "summary": "", "start_year": 2030}
    return Write(w.administrator, [Programme]), lambda: _admin_post(
        w, reverse("admin:programmes_programme_add"), data
    )


def admin_programme_change(w):
    programme = w.draft()
    changes = {"title": "Retitled", "objectives-1-title": "Resilience"}
    return Write(w.administrator, [Programme, Objective]), _admin_change(
        w, "programmes_programme_change", programme, **changes
    )


def admin_objective_change(w):
    objective = w.draft().objectives.first()
    changes = {"title": "Retitled", "goals-2-title": "New goal", "goals-2-objective": objective.pk}
    return Write(w.administrator, [Objective, Goal]), _admin_change(
        w, "programmes_objective_change", objective, **changes
    )


def admin_planned_change(w):
    planned = _planned(w.draft())
    return Write(w.administrator, [PlannedActivity]), _admin_change(
        w, "programmes_plannedactivity_change", planned, notes="Changed", year=4
    )


def programme_action(action, status, *histories, **extra):
    def case(w):
        programme = w.draft() if status == S.DRAFT else w.programme(status)
        return Write(w.administrator, list(histories)), _admin_action(
            w, "programme", action, programme, **extra
        )

    return case


def admin_retire_selected(w):
    return Write(w.administrator, [Activity]), _admin_action(
        w, "activity", "retire_selected", ActivityFactory()
    )


def _role(name) -> Group:
    return Group.objects.get(name=name)


def admin_user_add(w):
    data = {
        "username": "newcomer",
        "usable_password": "true",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return Write(w.administrator, [User]), lambda: _admin_post(
        w, reverse("admin:pfp_user_add"), data
    )


def admin_user_change(w):
    """A new name and another role."""
    user = UserFactory(username="changed", role=Role.VIEWER)
    data = {
        "username": user.username,
        "first_name": "Renamed",
        "last_name": "",
        "email": "",
        "language": "",
        "is_active": "on",
        "groups": [_role(Role.APPROVER).pk],
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
    }
    return Write(w.administrator, [User]), lambda: _admin_post(
        w, reverse("admin:pfp_user_change", args=[user.pk]), data
    )


def admin_user_password(w):
    user = UserFactory(username="forgetful")
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return Write(w.administrator, [User]), lambda: _admin_post(
        w, reverse("admin:auth_user_password_change", args=[user.pk]), data
    )


def admin_user_delete(w):
    user = UserFactory(username="leaver")
    return Write(w.administrator, [User]), lambda: _admin_post(
        w, reverse("admin:pfp_user_delete", args=[user.pk]), {"post": "yes"}
    )


def admin_user_delete_selected(w):
    user = UserFactory(username="leaver")
    data = {"action": "delete_selected", "_selected_action": [user.pk], "post": "yes"}
    return Write(w.administrator, [User]), lambda: _admin_post(
        w, reverse("admin:pfp_user_changelist"), data
    )


def _permission(codename) -> Permission:
    return Permission.objects.get(codename=codename)


def admin_group_add(w):
    data = {"name": "Auditors", "permissions": [_permission("view_programme").pk]}
    return Write(w.administrator, [Group]), lambda: _admin_post(
        w, reverse("admin:auth_group_add"), data
    )


def admin_group_change(w):
    group = Group.objects.create(name="Auditors")
    data = {"name": "Auditors of programmes", "permissions": [_permission("view_programme").pk]}
    return Write(w.administrator, [Group]), lambda: _admin_post(
        w, reverse("admin:auth_group_change", args=[group.pk]), data
    )


def admin_group_delete(w):
    group = Group.objects.create(name="Auditors")
    return Write(w.administrator, [Group]), lambda: _admin_post(
        w, reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}
    )


def admin_group_delete_selected(w):
    group = Group.objects.create(name="Auditors")
    data = {"action": "delete_selected", "_selected_action": [group.pk], "post": "yes"}
    return Write(w.administrator, [Group]), lambda: _admin_post(
        w, reverse("admin:auth_group_changelist"), data
    )


def admin_area_add(w):
    data = {"code": "aud", "name_en": "Audit", "name_fr": "Audit", "order": 99}
    return Write(w.administrator, [Area]), lambda: _admin_post(
        w, reverse("admin:programmes_area_add"), data
    )


def admin_area_change(w):
    area = Area.objects.get(code="cyber")
    data = {"code": "cyber", "name_en": "Cyber", "name_fr": "Cyber", "order": 1}
    return Write(w.administrator, [Area]), lambda: _admin_post(
        w, reverse("admin:programmes_area_change", args=[area.pk]), data
    )


def admin_area_delete(w):
    area = Area.objects.create(code="aud", name_en="Audit", name_fr="Audit")
    return Write(w.administrator, [Area]), lambda: _admin_post(
        w, reverse("admin:programmes_area_delete", args=[area.pk]), {"post": "yes"}
    )


def admin_area_delete_selected(w):
    area = Area.objects.create(code="aud", name_en="Audit", name_fr="Audit")
    data = {"action": "delete_selected", "_selected_action": [area.pk], "post": "yes"}
    return Write(w.administrator, [Area]), lambda: _admin_post(
        w, reverse("admin:programmes_area_changelist"), data
    )


def admin_provider_add(w):
    data = {"name": "Audit body", "kind": "nato_body"}
    return Write(w.administrator, [Provider]), lambda: _admin_post(
        w, reverse("admin:programmes_provider_add"), data
    )


def admin_provider_change(w):
    provider = Provider.objects.create(name="Audit body", kind="nato_body")
    data = {"name": "Audit office", "kind": "nato_body"}
    return Write(w.administrator, [Provider]), lambda: _admin_post(
        w, reverse("admin:programmes_provider_change", args=[provider.pk]), data
    )


def admin_provider_delete(w):
    provider = Provider.objects.create(name="Audit body", kind="nato_body")
    return Write(w.administrator, [Provider]), lambda: _admin_post(
        w, reverse("admin:programmes_provider_delete", args=[provider.pk]), {"post": "yes"}
    )


def admin_provider_delete_selected(w):
    provider = Provider.objects.create(name="Audit body", kind="nato_body")
    data = {"action": "delete_selected", "_selected_action": [provider.pk], "post": "yes"}
    return Write(w.administrator, [Provider]), lambda: _admin_post(
        w, reverse("admin:programmes_provider_changelist"), data
    )


# "<app>.<model>:<operation>": add, change, delete, or action:<name>
ADMIN = {
    "programmes.area:add": admin_area_add,
    "programmes.area:change": admin_area_change,
    "programmes.area:delete": admin_area_delete,
    "programmes.area:action:delete_selected": admin_area_delete_selected,
    "programmes.provider:add": admin_provider_add,
    "programmes.provider:change": admin_provider_change,
    "programmes.provider:delete": admin_provider_delete,
    "programmes.provider:action:delete_selected": admin_provider_delete_selected,
    "pfp.user:add": admin_user_add,
    "pfp.user:change": admin_user_change,
    "pfp.user:change password": admin_user_password,
    "pfp.user:delete": admin_user_delete,
    "pfp.user:action:delete_selected": admin_user_delete_selected,
    "auth.group:add": admin_group_add,
    "auth.group:change": admin_group_change,
    "auth.group:delete": admin_group_delete,
    "auth.group:action:delete_selected": admin_group_delete_selected,
    "partners.representative:add": admin_representative_add,
    "partners.representative:change": admin_representative_change,
    "partners.partner:add": admin_partner_add,
    "partners.partner:change": admin_partner_change,
    "partners.partner:delete": admin_partner_delete,
    "partners.partner:action:delete_selected": admin_partner_delete_selected,
    "programmes.activity:add": admin_activity_add,
    "programmes.activity:change": admin_activity_change,
    "programmes.activity:action:retire_selected": admin_retire_selected,
    "programmes.programme:add": admin_programme_add,
    "programmes.programme:change": admin_programme_change,
    "programmes.programme:action:submit_selected": programme_action(
        "submit_selected", S.DRAFT, Programme
    ),
    "programmes.programme:action:approve_selected": programme_action(
        "approve_selected", S.SUBMITTED, Programme
    ),
    "programmes.programme:action:return_selected": programme_action(
        "return_selected", S.SUBMITTED, Programme, Comment, confirm="yes", comment="Why"
    ),
    "programmes.programme:action:record_agreement_selected": programme_action(
        "record_agreement_selected",
        S.APPROVED,
        Programme,
        confirm="yes",
        agreed_on="2026-01-05",
        signatory="Minister",
    ),
    "programmes.programme:action:close_selected": programme_action(
        "close_selected", S.AGREED, Programme, confirm="yes", reason="Ended"
    ),
    "programmes.programme:action:withdraw_selected": programme_action(
        "withdraw_selected", S.DRAFT, Programme
    ),
    "programmes.programme:action:revise_selected": programme_action(
        "revise_selected", S.AGREED, Programme, Objective, Goal, PlannedActivity
    ),
    "programmes.objective:change": admin_objective_change,
    "programmes.plannedactivity:change": admin_planned_change,
}


def admin_event_change(w):
    event = _event(w)
    return Write(w.administrator, [Event]), _admin_change(
        w, "programmes_event_change", event, status="cancelled", cancellation_reason="Storm."
    )


def admin_review_change(w):
    review = _review(w)
    return Write(w.administrator, [AnnualReview]), _admin_change(
        w, "programmes_annualreview_change", review, overall="Corrected."
    )


def admin_review_acknowledge_selected(w):
    return Write(w.administrator, [AnnualReview]), _admin_action(
        w, "annualreview", "acknowledge_selected", _review(w, submitted=True)
    )


def admin_reset_second_factor(w):
    enrol(w.approver)
    data = {"action": "reset_second_factor", "_selected_action": [w.approver.pk]}
    return Write(w.administrator, [User]), lambda: _admin_post(
        w, reverse("admin:pfp_user_changelist"), data
    )


ADMIN |= {
    "pfp.user:action:reset_second_factor": admin_reset_second_factor,
    "programmes.event:change": admin_event_change,
    "programmes.annualreview:change": admin_review_change,
    "programmes.annualreview:action:acknowledge_selected": admin_review_acknowledge_selected,
}

# Operations the guard below does not find by the admin's permissions: the user admin's own
# password page.
ADMIN_EXTRA = {"pfp.user:change password"}

# Registered models without a history of their own: django-axes' records of sign-in attempts,
# which are themselves a log (the admin's LogEntry records who removed one, and when).
ADMIN_LOGENTRY_ONLY = {
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    # The outbox is a record of e-mails; retrying failed ones is logged in the admin's LogEntry
    # (tests/outbox/test_admin.py).
    "outbox.message",
}


class TestAdmin:
    @pytest.mark.parametrize("operation", ADMIN)
    def test_history_names_the_administrator_and_the_moment(self, operation, w):
        expected, perform = ADMIN[operation](w)
        audited(perform, expected, timezone.now())


class TestAccounts:
    """What the history of users and groups holds, and what it leaves out."""

    @pytest.mark.parametrize("path", ["admin", "own page"])
    def test_a_password_change_says_so(self, w, path):
        if path == "admin":
            user, client = w.officer, w.client_as(w.administrator)
            url = reverse("admin:auth_user_password_change", args=[user.pk])
            data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        else:
            user, client = w.officer, w.client_as(w.officer)
            url = reverse("password_change")
            data = {
                "old_password": TEST_PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            }
        since = timezone.now()
        assert client.post(url, data).status_code == 302
        row = user.history.get(history_date__gte=since)
        assert row.history_change_reason == PASSWORD_CHANGED
        assert row.history_user == (w.administrator if path == "admin" else user)

    def test_other_changes_give_no_password_reason(self, w):
        since = timezone.now()
        w.officer.first_name = "Renamed"
        w.officer.save()
        assert w.officer.history.get(history_date__gte=since).history_change_reason is None

    def test_no_password_hash_and_no_row_per_login(self, w, client):
        fields = {field.name for field in User.history.model._meta.fields}
        assert {"password", "last_login"} & fields == set()
        assert {"username", "is_superuser", "is_active", "language"} <= fields
        since = timezone.now()
        assert (
            client.post(
                reverse("login"), {"username": w.officer.username, "password": TEST_PASSWORD}
            ).status_code
            == 302
        )
        w.officer.refresh_from_db()
        assert w.officer.last_login >= since  # the login happened...
        assert not User.history.filter(history_date__gte=since).exists()  # ...and left no row

    def test_a_role_change_is_in_the_row(self, w):
        """Roles are groups: the row records them as they were."""
        w.officer.groups.set([_role(Role.APPROVER)])
        row = w.officer.history.latest()
        assert [group.group.name for group in row.groups.all()] == [Role.APPROVER]
        assert w.officer.history.count() >= 2

    def test_history_pages_read_only(self, w):
        client = w.client_as(w.administrator)
        row = w.officer.history.latest()
        page = reverse("admin:pfp_user_simple_history", args=[w.officer.pk, row.history_id])
        assert client.get(reverse("admin:pfp_user_history", args=[w.officer.pk])).status_code == 200
        assert client.get(page).status_code == 200
        before = w.officer.history.count()
        assert client.post(page, {"username": "reverted"}).status_code == 403
        assert w.officer.history.count() == before


# --- Management commands ---------------------------------------------------------------------------


def command_import_menu(w, tmp_path):
    provider = ProviderFactory(name="NATO School")
    path = tmp_path / "menu.csv"
    path.write_bytes(menu_csv(provider, ActivityFactory(provider=provider)))
    return Write(
        w.menu_manager, [Activity], [(MenuImport, "uploaded_by", "uploaded_at")]
    ), lambda: call_command(
        "import_menu", str(path), "--user", w.menu_manager.username, stdout=io.StringIO()
    )


def command_load_partners(w, tmp_path):
    # The command line names nobody: the history rows say so (history_user empty).
    return Write(None, [Partner, StatusEvent]), lambda: call_command(
        "load_partners", stdout=io.StringIO()
    )


def command_import_events(w, tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(_events_file(w))
    return Write(
        w.officer, [Event], [(EventImport, "uploaded_by", "uploaded_at")]
    ), lambda: call_command(
        "import_events", str(path), "--user", w.officer.username, "--apply", stdout=io.StringIO()
    )


COMMANDS = {
    "import_menu": command_import_menu,
    "import_events": command_import_events,
    "load_partners": command_load_partners,
}

# seed_demo is checked on its own (its history is dated by the demo clock, in the past).
COMMANDS_WITHOUT_THE_TABLE = {
    "seed_demo": "TestCommands.test_seed_demo",
    "bench": "a benchmark on databases of its own (seed_demo there); never the main database",
    "loadtest": "a load test on a database of its own (seed_demo there); never the main database",
    "outbox_load": (
        "the load test's outbox phase, run by loadtest on its database: steps through the "
        "workflow, whose history rows name the demo's officer and approver"
    ),
}


class TestCommands:
    @pytest.mark.parametrize("name", COMMANDS)
    def test_history_names_the_user_given_or_nobody(self, name, w, tmp_path):
        expected, perform = COMMANDS[name](w, tmp_path)
        audited(perform, expected, timezone.now())

    def test_seed_demo(self, db):
        """Two partners and a small menu for speed, at scale 2 (so that the earlier programmes,
        bulk-created, are checked too); every programme row names the demo user who took the
        step, at a moment of the demo's past; the demo menu and assignments name nobody."""
        for code in ("GE", "UA"):
            PartnerFactory(code=code, name=f"Demo {code}")
        since = timezone.now()
        call_command("seed_demo", "--scale", "2", "--menu-size", "150", stdout=io.StringIO())
        assert Programme.objects.count() >= 4  # one current and one earlier per partner
        for model in (Programme, Objective, Goal, PlannedActivity):
            rows = model.history.all()
            assert rows.exists()
            assert not rows.filter(history_user__isnull=True).exists()
            assert not rows.filter(history_date__gt=timezone.now()).exists()
        assert not Activity.history.filter(history_date__lt=since).exists()
        assert not Activity.history.filter(history_user__isnull=False).exists()


# --- The functions that write ---------------------------------------------------------------------


def fn(actor, prepare, call, *models, logs=()):
    """A function case: ``prepare(w)`` builds what ``call(w, prepared)`` writes with."""

    def case(w):
        prepared = prepare(w)
        return Write(getattr(w, actor), list(models), list(logs)), lambda: call(w, prepared)

    return case


def _nothing(w):
    return None


def _draft_objective(w):
    return w.draft().objectives.first()


def _empty_objective(w):
    return w.empty_objective(w.draft())


def _draft_goal(w):
    return _goal(w.draft())


def _draft_planned(w):
    return _planned(w.draft())


def _in_status(status):
    return lambda w: w.programme(status)


def _suspend(w, _programme):
    return actions.record_status_event(
        partner=w.partner,
        kind=EventKind.SUSPENDED,
        on=datetime.date(2026, 9, 1),
        actor=w.administrator,
    )


def _menu_file(w):
    provider = ProviderFactory(name="NATO School")
    return menu_csv(provider, ActivityFactory(provider=provider))


def _preview(w, content):
    return importing.preview_import(file_name="menu.csv", content=content, actor=w.menu_manager)


FUNCTIONS = {
    "programmes.workflow.create_programme": fn(
        "officer",
        _nothing,
        lambda w, _: workflow.create_programme(
            actor=w.officer, partner=w.partner, title="T", start_year=2030
        ),
        Programme,
    ),
    "programmes.workflow.update_programme": fn(
        "officer",
        _draft,
        lambda w, p: workflow.update_programme(
            actor=w.officer, programme=p, seen_stamp=None, title="New", summary="", start_year=2026
        ),
        Programme,
    ),
    "programmes.workflow.add_objective": fn(
        "officer",
        _draft,
        lambda w, p: workflow.add_objective(actor=w.officer, programme=p, title="O"),
        Objective,
    ),
    "programmes.workflow.update_objective": fn(
        "officer",
        _draft_objective,
        lambda w, o: workflow.update_objective(
            actor=w.officer, objective=o, seen_stamp=None, title="Retitled"
        ),
        Objective,
    ),
    "programmes.workflow.delete_objective": fn(
        "officer",
        _empty_objective,
        lambda w, o: workflow.delete_objective(actor=w.officer, objective=o),
        Objective,
        Goal,
    ),
    "programmes.workflow.move_objective": fn(
        "officer",
        lambda w: w.draft().objectives.last(),
        lambda w, o: workflow.move_objective(actor=w.officer, objective=o, direction=-1),
        Objective,
    ),
    "programmes.workflow.add_goal": fn(
        "officer",
        _draft_objective,
        lambda w, o: workflow.add_goal(actor=w.officer, objective=o, title="G"),
        Goal,
    ),
    "programmes.workflow.update_goal": fn(
        "officer",
        _draft_goal,
        lambda w, g: workflow.update_goal(
            actor=w.officer, goal=g, seen_stamp=None, title="Retitled", objective=g.objective
        ),
        Goal,
    ),
    "programmes.workflow.delete_goal": fn(
        "officer",
        lambda w: _empty_objective(w).goals.get(),
        lambda w, g: workflow.delete_goal(actor=w.officer, goal=g),
        Goal,
    ),
    "programmes.workflow.move_goal": fn(
        "officer",
        _draft_goal,
        lambda w, g: workflow.move_goal(actor=w.officer, goal=g, direction=1),
        Goal,
    ),
    "programmes.workflow.plan_activity": fn(
        "officer",
        lambda w: (w.draft(), ActivityFactory()),
        lambda w, pa: workflow.plan_activity(
            actor=w.officer, programme=pa[0], activity=pa[1], year=1, goal=_goal(pa[0])
        ),
        PlannedActivity,
    ),
    "programmes.workflow.plan_activities": fn(
        "officer",
        lambda w: (w.draft(), ActivityFactory.create_batch(2)),
        lambda w, pa: workflow.plan_activities(
            actor=w.officer,
            programme=pa[0],
            goal=_goal(pa[0]),
            plans=[workflow.ActivityPlan(activity=a, year=2) for a in pa[1]],
        ),
        PlannedActivity,
    ),
    "programmes.workflow.update_planned_activity": fn(
        "officer",
        _draft_planned,
        lambda w, pa: workflow.update_planned_activity(
            actor=w.officer,
            planned=pa,
            seen_stamp=None,
            year=4,
            goal=pa.goal,
            priority=1,
            notes="Later",
        ),
        PlannedActivity,
    ),
    "programmes.workflow.remove_planned_activity": fn(
        "officer",
        _draft_planned,
        lambda w, pa: workflow.remove_planned_activity(actor=w.officer, planned=pa),
        PlannedActivity,
    ),
    "programmes.workflow.add_comment": fn(
        "approver",
        _draft,
        lambda w, p: workflow.add_comment(actor=w.approver, programme=p, text="Hm"),
        Comment,
    ),
    "programmes.workflow.submit": fn(
        "officer",
        _draft,
        lambda w, p: workflow.submit(actor=w.officer, programme=p),
        Programme,
    ),
    "programmes.workflow.return_programme": fn(
        "approver",
        _in_status(S.SUBMITTED),
        lambda w, p: workflow.return_programme(actor=w.approver, programme=p, comment="Why"),
        Programme,
        Comment,
    ),
    "programmes.workflow.approve": fn(
        "second_approver",
        _in_status(S.SUBMITTED),
        lambda w, p: workflow.approve(actor=w.second_approver, programme=p),
        Programme,
    ),
    "programmes.workflow.record_agreement": fn(
        "approver",
        _in_status(S.APPROVED),
        lambda w, p: workflow.record_agreement(
            actor=w.approver, programme=p, agreed_on=datetime.date(2026, 1, 5), signatory="M"
        ),
        Programme,
    ),
    "programmes.workflow.revise": fn(
        "officer",
        _in_status(S.AGREED),
        lambda w, p: workflow.revise(actor=w.officer, programme=p),
        Programme,
        Objective,
        Goal,
        PlannedActivity,
    ),
    "programmes.workflow.draft_successor": fn(
        "officer",
        _in_status(S.AGREED),
        lambda w, p: workflow.draft_successor(
            actor=w.officer, programme=p, title="Next", copy_activities=True
        ),
        Programme,
        Objective,
        Goal,
        PlannedActivity,
    ),
    "programmes.workflow.close": fn(
        "approver",
        _in_status(S.AGREED),
        lambda w, p: workflow.close(actor=w.approver, programme=p, reason="Ended"),
        Programme,
    ),
    "programmes.documents.actions.attach": fn(
        "officer",
        _draft,
        lambda w, p: documents.attach(
            actor=w.officer,
            programme=p,
            kind="letter",
            title="A letter",
            name="letter.pdf",
            content=signed_agreement_pdf(),
        ),
        Document,
    ),
    "programmes.documents.actions.supersede": fn(
        "approver",
        lambda w: w.programme(S.APPROVED).documents.get(),
        lambda w, d: documents.supersede(
            actor=w.approver, document=d, title="", name="s.pdf", content=signed_agreement_pdf()
        ),
        Document,
    ),
    "programmes.workflow.share": fn(
        "officer", _draft, lambda w, p: workflow.share(actor=w.officer, programme=p), Programme
    ),
    "programmes.workflow.accept": fn(
        "representative",
        _in_status(S.APPROVED),
        lambda w, p: workflow.accept(actor=w.representative, programme=p),
        Programme,
    ),
    "programmes.workflow.decline": fn(
        "representative",
        _in_status(S.APPROVED),
        lambda w, p: workflow.decline(actor=w.representative, programme=p, comment="No"),
        Programme,
        Comment,
    ),
    "programmes.workflow.withdraw": fn(
        "officer",
        _draft,
        lambda w, p: workflow.withdraw(actor=w.officer, programme=p),
        Programme,
    ),
    "programmes.workflow.close_for_partner_event": fn(
        "administrator",
        _in_status(S.AGREED),
        lambda w, p: workflow.close_for_partner_event(
            partner=w.partner,
            kind=EventKind.SUSPENDED,
            on=datetime.date(2026, 9, 1),
            actor=w.administrator,
        ),
        Programme,
    ),
    "programmes.workflow.partner_status_recorded": fn(
        "administrator",
        _in_status(S.AGREED),
        lambda w, p: workflow.partner_status_recorded(
            None,
            partner=w.partner,
            kind=EventKind.SUSPENDED,
            on=datetime.date(2026, 9, 1),
            actor=w.administrator,
        ),
        Programme,
    ),
    "partners.actions.record_status_event": fn(
        "administrator", _in_status(S.AGREED), _suspend, StatusEvent, Programme
    ),
    "partners.actions.appoint_representative": fn(
        "administrator",
        lambda w: UserFactory(username="envoy-xb"),
        lambda w, user: actions.appoint_representative(
            actor=w.administrator, user=user, partner=w.partner
        ),
        Representative,
    ),
    "partners.actions.create_partner": fn(
        "administrator",
        _nothing,
        lambda w, _: actions.create_partner(
            name="Newland", code="XB", framework=Framework.EAPC_PFP, actor=w.administrator
        ),
        Partner,
    ),
    "partners.actions.update_partner": fn(
        "administrator",
        _nothing,
        lambda w, _: actions.update_partner(partner=w.partner, actor=w.administrator, name="New"),
        Partner,
    ),
    "partners.actions.assign_officer": fn(
        "administrator",
        lambda w: UserFactory(role=Role.PROGRAMME_OFFICER),
        lambda w, o: actions.assign_officer(partner=w.partner, officer=o, actor=w.administrator),
        Partner,
    ),
    "partners.loading.load_partners": fn(
        "administrator",
        _nothing,
        lambda w, _: load_partners(actor=w.administrator),
        Partner,
        StatusEvent,
    ),
    "programmes.menu.actions.create_activity": fn(
        "menu_manager",
        lambda w: {
            **activity_form(),
            "area": Area.objects.get(code="cyber"),
            "provider": ProviderFactory(),
        },
        lambda w, fields: menu.create_activity(actor=w.menu_manager, **fields),
        Activity,
    ),
    "programmes.menu.actions.update_activity": fn(
        "menu_manager",
        lambda w: ActivityFactory(),
        lambda w, a: menu.update_activity(activity=a, actor=w.menu_manager, title_en="New"),
        Activity,
    ),
    "programmes.menu.actions.retire_activity": fn(
        "menu_manager",
        lambda w: ActivityFactory(),
        lambda w, a: menu.retire_activity(activity=a, year=2026, actor=w.menu_manager),
        Activity,
    ),
    "programmes.menu.importing.preview_import": fn(
        "menu_manager",
        _menu_file,
        _preview,
        logs=[(MenuImport, "uploaded_by", "uploaded_at")],
    ),
    "programmes.menu.importing.apply_import": fn(
        "menu_manager",
        lambda w: w.previewed_import(w.menu_manager),
        lambda w, m: importing.apply_import(menu_import=m, actor=w.menu_manager),
        Activity,
    ),
}


def _in_force(w):
    return programme_in_force(officer=w.officer, approver=w.approver, partner=w.partner)


def _event(w):
    return event_of(_in_force(w), officer=w.officer)


def _events_file(w) -> bytes:
    """A file of events recording one event of the first activity planned in year 1."""
    programme = _in_force(w)
    planned = programme.planned_activities.filter(year=1).order_by("pk").first()
    values = {
        "partner_code": w.partner.code,
        "programme_year": 1,
        "activity_code": planned.activity.code,
        "external_ref": "AUD-1",
        "first_day": f"{programme.start_year}-04-01",
        "last_day": f"{programme.start_year}-04-02",
        "online": "yes",
        "status": "delivered",
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(event_importing.COLUMNS)
    writer.writerow([values.get(name, "") for name in event_importing.COLUMNS])
    return buffer.getvalue().encode()


def _event_import(w) -> EventImport:
    return event_importing.preview_import(
        file_name="events.csv", content=_events_file(w), actor=w.officer
    )


def _review(w, *, filled=False, submitted=False):
    programme = _in_force(w)
    review = delivery.start_review(actor=w.officer, programme=programme, year=1)
    if filled or submitted:
        review = delivery.save_review(
            actor=w.officer,
            review=review,
            seen_stamp=None,
            overall="Good.",
            progress={o.key: ("on_track", "") for o in programme.objectives.all()},
        )
    if submitted:
        review = delivery.submit_review(actor=w.officer, review=review)
    return review


def _written_review(w):
    review = _review(w)
    programme = delivery.in_force_version(review.lineage)
    return review, {o.key: ("at_risk", "Late.") for o in programme.objectives.all()}


FUNCTIONS.update(
    {
        "programmes.delivery.actions.record_event": fn(
            "officer",
            _in_force,
            lambda w, p: delivery.record_event(
                actor=w.officer,
                programme=p,
                planned=p.planned_activities.filter(year=1).first(),
                start_date=datetime.date(p.start_year, 4, 1),
                end_date=datetime.date(p.start_year, 4, 2),
                online=True,
            ),
            Event,
        ),
        "programmes.delivery.actions.record_events": fn(
            "officer",
            _in_force,
            lambda w, p: delivery.record_events(
                actor=w.officer,
                programme=p,
                records=[
                    delivery.EventRecord(
                        p.planned_activities.filter(year=1).first(),
                        {
                            "start_date": datetime.date(p.start_year, 4, 1),
                            "end_date": datetime.date(p.start_year, 4, 2),
                            "online": True,
                        },
                    )
                ],
            ),
            Event,
        ),
        "programmes.delivery.actions.update_event": fn(
            "officer",
            _event,
            lambda w, e: delivery.update_event(
                actor=w.officer, event=e, seen_stamp=None, place="Mons"
            ),
            Event,
        ),
        "programmes.delivery.actions.delete_event": fn(
            "officer", _event, lambda w, e: delivery.delete_event(actor=w.officer, event=e), Event
        ),
        "programmes.delivery.actions.start_review": fn(
            "officer",
            _in_force,
            lambda w, p: delivery.start_review(actor=w.officer, programme=p, year=1),
            AnnualReview,
        ),
        "programmes.delivery.actions.save_review": fn(
            "officer",
            _written_review,
            lambda w, rp: delivery.save_review(
                actor=w.officer, review=rp[0], seen_stamp=None, overall="Late.", progress=rp[1]
            ),
            AnnualReview,
            ObjectiveProgress,
        ),
        "programmes.delivery.actions.submit_review": fn(
            "officer",
            lambda w: _review(w, filled=True),
            lambda w, r: delivery.submit_review(actor=w.officer, review=r),
            AnnualReview,
        ),
        "programmes.delivery.actions.acknowledge_review": fn(
            "approver",
            lambda w: _review(w, submitted=True),
            lambda w, r: delivery.acknowledge_review(actor=w.approver, review=r),
            AnnualReview,
        ),
        "programmes.delivery.actions.record_reviews": fn(
            "officer",
            _in_force,
            lambda w, p: delivery.record_reviews(
                actor=w.officer,
                programme=p,
                records=[
                    delivery.ReviewRecord(
                        1, "Good.", {o.key: ("on_track", "") for o in p.objectives.all()}
                    )
                ],
            ),
            AnnualReview,
            ObjectiveProgress,
        ),
        "programmes.delivery.actions.acknowledge_reviews": fn(
            "approver",
            lambda w: [_review(w, submitted=True)],
            lambda w, reviews: delivery.acknowledge_reviews(actor=w.approver, reviews=reviews),
            AnnualReview,
        ),
        "programmes.delivery.actions.return_review": fn(
            "approver",
            lambda w: _review(w, submitted=True),
            lambda w, r: delivery.return_review(actor=w.approver, review=r, comment="Why?"),
            AnnualReview,
        ),
        "programmes.delivery.importing.preview_import": fn(
            "officer",
            _events_file,
            lambda w, content: event_importing.preview_import(
                file_name="events.csv", content=content, actor=w.officer
            ),
            logs=[(EventImport, "uploaded_by", "uploaded_at")],
        ),
        "programmes.delivery.importing.apply_import": fn(
            "officer",
            _event_import,
            lambda w, i: event_importing.apply_import(event_import=i, actor=w.officer),
            Event,
            logs=[(EventImport, "applied_by", "applied_at")],
        ),
    }
)


def _enrolled_officer(w):
    key = enrol(w.officer)
    return key, TOTPDevice.objects.get(user=w.officer)


# The second factor (pfp.mfa.actions): each change of a user's devices is a row of the account.
FUNCTIONS.update(
    {
        "pfp.mfa.actions.add_authenticator": fn(
            "officer",
            lambda w: mfa_devices.new_key(),
            lambda w, key: mfa.add_authenticator(
                actor=w.officer, name="Phone", key=key, code=code_of(key)
            ),
            User,
        ),
        "pfp.mfa.actions.generate_recovery_codes": fn(
            "officer",
            _enrolled_officer,
            lambda w, _enrolled: mfa.generate_recovery_codes(actor=w.officer),
            User,
        ),
        "pfp.mfa.actions.remove_device": fn(
            "officer",
            _enrolled_officer,
            lambda w, enrolled: mfa.remove_device(
                actor=w.officer,
                device=enrolled[1],
                password=TEST_PASSWORD,
                code=code_of(enrolled[0], 1),
            ),
            User,
        ),
        "pfp.mfa.actions.key_added": fn(
            "officer", _nothing, lambda w, _none: mfa.key_added(actor=w.officer), User
        ),
        "pfp.mfa.actions.reset_devices": fn(
            "administrator",
            lambda w: enrol(w.approver),
            lambda w, _key: mfa.reset_devices(actor=w.administrator, user=w.approver),
            User,
        ),
        "pfp.mfa.actions.provision_authenticator": fn(
            "administrator",
            _nothing,
            lambda w, _none: mfa.provision_authenticator(
                actor=w.administrator, user=w.approver, key=mfa_devices.new_key(), name="Demo"
            ),
            User,
        ),
    }
)

WRITING_MODULES = [
    "pfp.mfa.actions",
    "programmes.workflow",
    "partners.actions",
    "partners.loading",
    "programmes.menu.actions",
    "programmes.menu.importing",
    "programmes.delivery.actions",
    "programmes.delivery.importing",
    "programmes.documents.actions",
]
FUNCTIONS_THAT_READ = {
    "partners.actions.representative_problems",
    "programmes.delivery.actions.calendar_year",
    "programmes.delivery.actions.find_by_reference",
    "programmes.delivery.actions.in_force_version",
    "programmes.delivery.actions.missing_for_review_submission",
    "programmes.delivery.actions.review_can_start",
    "programmes.delivery.importing.can_import_events",
    "programmes.delivery.importing.check_file",
    "programmes.delivery.importing.plan_import",
    "programmes.delivery.importing.read_rows",
    "programmes.delivery.importing.stored_preview",
    "programmes.workflow.permission",
    "programmes.workflow.check",
    "programmes.workflow.available_actions",
    "programmes.workflow.missing_for_submission",
    "programmes.workflow.missing_for_approval",
    "programmes.workflow.conflicting_versions",
    "programmes.workflow.period_problems",
    "programmes.workflow.successor_of",
    "programmes.workflow.check_successor",
    "programmes.workflow.retired_planned",
    "programmes.menu.importing.activity_to_row",
    "programmes.menu.importing.check_file",
    "programmes.menu.importing.history_reason",
    "programmes.menu.importing.import_history",
    "programmes.menu.importing.menu_state",
    "programmes.menu.importing.stored_preview",
    "programmes.menu.importing.plan_import",
    "programmes.menu.importing.read_rows",
}


class TestFunctions:
    """Called without a request, as commands and the demo do: the actor must be passed on."""

    @pytest.mark.parametrize("name", FUNCTIONS)
    def test_history_names_the_actor_and_the_moment(self, name, w):
        expected, perform = FUNCTIONS[name](w)
        audited(perform, expected, timezone.now())


# --- Guards: a new write path must be in a table -------------------------------------------------


def _url_patterns(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin site: by registered model, below
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry.callback


def _may_write(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return True  # a function view: it must be listed, whatever it does
    methods = {"post", "put", "patch", "delete"} & set(view_class.http_method_names)
    return any(hasattr(view_class, method) for method in methods)


def _admin_operations() -> set[str]:
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    operations = set()
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label in ADMIN_LOGENTRY_ONLY:
            continue
        if model_admin.has_add_permission(request):
            operations.add(f"{label}:add")
        if model_admin.has_change_permission(request):
            operations.add(f"{label}:change")
        if model_admin.has_delete_permission(request):
            operations.add(f"{label}:delete")
        operations |= {f"{label}:action:{name}" for name in model_admin.get_actions(request)}
    return operations


class TestEveryWritePathIsListed:
    def test_pages(self):
        writers = {name for name, callback in _url_patterns() if _may_write(callback)}
        listed = set(PAGES) | set(PAGES_WITHOUT_HISTORY)
        assert writers - listed == set(), "a page that writes is missing from PAGES"
        assert listed - writers == set(), "PAGES lists a page that no longer writes"

    def test_admin(self):
        operations = _admin_operations() | ADMIN_EXTRA
        assert operations - set(ADMIN) == set(), "an admin operation is missing from ADMIN"
        assert set(ADMIN) - operations == set(), "ADMIN lists an operation that is gone"
        registered = {model._meta.label_lower for model in admin.site._registry}
        assert registered >= ADMIN_LOGENTRY_ONLY

    def test_commands(self):
        ours = {
            name
            for name, app in get_commands().items()
            if app in {"pfp", "partners", "programmes", "programmes.devtools"}
        }
        assert ours == set(COMMANDS) | set(COMMANDS_WITHOUT_THE_TABLE)

    def test_functions(self):
        public = {
            f"{module}.{name}"
            for module in WRITING_MODULES
            for name, function in inspect.getmembers(import_module(module), inspect.isfunction)
            if function.__module__ == module and not name.startswith("_")
        }
        assert public - set(FUNCTIONS) - FUNCTIONS_THAT_READ == set()
        assert (set(FUNCTIONS) | FUNCTIONS_THAT_READ) - public == set()
