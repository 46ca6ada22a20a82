"""Failures: a database error in the middle of a step leaves nothing half-written; failed logins
and refused actions leave a trace in the logs.

Each test injects a ``DatabaseError`` at a point where part of the step has already been
written (a status set and saved, a comment saved, some rows of an import created, one of two
programmes closed), then compares every table (``tests.support.snapshots``), and the mail
outbox, with what they were before. ``tests/menu/test_menu_import.py`` and ``tests/programmes/test_workflow.py`` already
cover an error raised between the steps of an import and after a partner event; these go inside
the steps, over HTTP, through the admin and the command line too.
"""

import csv
import datetime
import io
import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse

from partners.actions import record_status_event
from partners.models import EventKind
from pfp.roles import Role
from programmes import workflow
from programmes.menu import actions as menu
from programmes.menu import importing
from programmes.menu.importing import COLUMNS
from programmes.menu.models import MenuImport
from programmes.models import Comment, Objective, Programme, ProgrammeStatus
from tests.support.factories import (
    TEST_PASSWORD,
    ActivityFactory,
    ProviderFactory,
    UserFactory,
    assigned_officer,
    attach_signed_agreement,
    draft_programme,
    programme_in_status,
)
from tests.support.snapshots import changed_tables, database_state

S = ProgrammeStatus
INJECTED = "injected failure: the database went away"


def break_on_call(monkeypatch, owner, name, *, call=1, after_write=True):
    """Make ``owner.name`` raise ``DatabaseError`` on its ``call``-th call; with
    ``after_write``, only after the real function has done its work (the worst moment).
    Returns the list of calls made, to check that the failure was reached."""
    original = getattr(owner, name)
    calls = []

    def broken(*args, **kwargs):
        calls.append((args, kwargs))
        if len(calls) == call:
            if after_write:
                original(*args, **kwargs)
            raise DatabaseError(INJECTED)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, broken)
    return calls


@pytest.fixture
def people(partner, approver):
    return {"officer": assigned_officer(partner), "approver": approver, "partner": partner}


def in_status(people, status, **options):
    return programme_in_status(
        status,
        officer=people["officer"],
        approver=people["approver"],
        partner=people["partner"],
        **options,
    )


class Unchanged:
    """Every table and the outbox, before and after; ``callbacks`` must stay empty (an e-mail
    registered in a rolled-back step must never be sent)."""

    def __init__(self):
        self.before = database_state()
        mail.outbox.clear()

    def check(self, callbacks=()):
        changed = changed_tables(self.before, database_state())
        assert changed == [], f"half-written: {changed}"
        assert list(callbacks) == []
        assert mail.outbox == []


# --- The workflow: each step broken after part of it was written ------------------------------


def _draft(people, **options):
    return draft_programme(
        officer=people["officer"], partner=people["partner"], objectives=2, **options
    )


def _with_empty_objective(people):
    """A draft whose last objective has a goal but no activity (so it may be deleted)."""
    programme = _draft(people)
    objective = workflow.add_objective(actor=people["officer"], programme=programme, title="E")
    workflow.add_goal(actor=people["officer"], objective=objective, title="Empty goal")
    return {"programme": programme, "objective": objective}


# name -> (prepare: people -> what the step needs, the injection, the step)
STEPS = {
    "create_programme (draft saved, editors not yet)": (
        lambda people: {},
        lambda mp: break_on_call(mp, workflow, "_save"),
        lambda c, people: workflow.create_programme(
            actor=people["officer"], partner=people["partner"], title="New", start_year=2030
        ),
    ),
    "update_programme (saved, stamp not raised)": (
        lambda people: {"programme": _draft(people)},
        lambda mp: break_on_call(mp, workflow, "_edited", after_write=False),
        lambda c, people: workflow.update_programme(
            actor=people["officer"],
            programme=c["programme"],
            seen_stamp=c["programme"].edit_stamp,
            title="Changed",
            summary="",
            start_year=2027,
        ),
    ),
    "add_objective (saved, stamp raised)": (
        lambda people: {"programme": _draft(people)},
        lambda mp: break_on_call(mp, workflow, "_edited"),
        lambda c, people: workflow.add_objective(
            actor=people["officer"], programme=c["programme"], title="O"
        ),
    ),
    "delete_objective (its goal deleted, the objective not)": (
        _with_empty_objective,
        lambda mp: break_on_call(mp, Objective, "delete", after_write=False),
        lambda c, people: workflow.delete_objective(
            actor=people["officer"], objective=c["objective"]
        ),
    ),
    "move_objective (first of two renumbered)": (
        lambda people: {"programme": _draft(people)},
        lambda mp: break_on_call(mp, Objective, "save", call=2, after_write=False),
        lambda c, people: workflow.move_objective(
            actor=people["officer"], objective=c["programme"].objectives.last(), direction=-1
        ),
    ),
    "plan_activity (saved, stamp raised)": (
        lambda people: {"programme": _draft(people), "activity": ActivityFactory()},
        lambda mp: break_on_call(mp, workflow, "_edited"),
        lambda c, people: workflow.plan_activity(
            actor=people["officer"],
            programme=c["programme"],
            activity=c["activity"],
            year=2,
            goal=c["programme"].objectives.first().goals.first(),
        ),
    ),
    "add_comment (saved)": (
        lambda people: {"programme": in_status(people, S.APPROVED)},
        lambda mp: break_on_call(mp, workflow, "_save"),
        lambda c, people: workflow.add_comment(
            actor=people["approver"], programme=c["programme"], text="Hm"
        ),
    ),
    "submit (status saved, e-mail not yet registered)": (
        lambda people: {"programme": _draft(people)},
        lambda mp: break_on_call(mp, workflow, "_on_commit", after_write=False),
        lambda c, people: workflow.submit(actor=people["officer"], programme=c["programme"]),
    ),
    "return_programme (comment saved, status not)": (
        lambda people: {"programme": in_status(people, S.SUBMITTED)},
        lambda mp: break_on_call(mp, Programme, "save", after_write=False),
        lambda c, people: workflow.return_programme(
            actor=people["approver"], programme=c["programme"], comment="Add a goal."
        ),
    ),
    "approve (status saved, e-mail registered)": (
        lambda people: {"programme": in_status(people, S.SUBMITTED)},
        lambda mp: break_on_call(mp, workflow, "_on_commit"),
        lambda c, people: workflow.approve(actor=people["approver"], programme=c["programme"]),
    ),
    "record_agreement (saved, e-mail not yet registered)": (
        lambda people: {"programme": in_status(people, S.APPROVED)},
        lambda mp: break_on_call(mp, workflow, "_save"),
        lambda c, people: workflow.record_agreement(
            actor=people["approver"],
            programme=c["programme"],
            agreed_on=datetime.date(2026, 1, 2),
            signatory="Minister",
        ),
    ),
    "revise (objectives and goals copied, activities too)": (
        lambda people: {"programme": in_status(people, S.AGREED, objectives=2)},
        lambda mp: break_on_call(mp, workflow, "bulk_create_with_history", call=3),
        lambda c, people: workflow.revise(actor=people["officer"], programme=c["programme"]),
    ),
    "close (saved)": (
        lambda people: {"programme": in_status(people, S.AGREED)},
        lambda mp: break_on_call(mp, workflow, "_save"),
        lambda c, people: workflow.close(
            actor=people["approver"], programme=c["programme"], reason="Ended"
        ),
    ),
    "withdraw (saved)": (
        lambda people: {"programme": _draft(people)},
        lambda mp: break_on_call(mp, workflow, "_save"),
        lambda c, people: workflow.withdraw(actor=people["officer"], programme=c["programme"]),
    ),
}


class TestWorkflowStepsFailHalfWay:
    @pytest.mark.parametrize("name", STEPS)
    def test_nothing_half_written(
        self, name, people, monkeypatch, django_capture_on_commit_callbacks
    ):
        prepare, inject, step = STEPS[name]
        context = prepare(people)
        unchanged = Unchanged()
        calls = inject(monkeypatch)
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(DatabaseError, match=INJECTED),
        ):
            step(context, people)
        assert calls, "the failure was not reached"
        unchanged.check(callbacks)

    def test_the_revision_superseding_its_predecessor_fails_whole(
        self, people, monkeypatch, django_capture_on_commit_callbacks
    ):
        """The agreement of a revision writes two versions: the old one superseded first."""
        agreed = in_status(people, S.AGREED)
        revision = workflow.revise(actor=people["officer"], programme=agreed)
        workflow.submit(actor=people["officer"], programme=revision)
        second = UserFactory(username="approver2", role=Role.APPROVER)
        workflow.approve(actor=second, programme=revision)
        attach_signed_agreement(revision, actor=people["approver"])
        unchanged = Unchanged()
        calls = break_on_call(monkeypatch, workflow, "_save", call=2)
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(DatabaseError),
        ):
            workflow.record_agreement(
                actor=people["approver"],
                programme=revision,
                agreed_on=datetime.date(2026, 3, 1),
                signatory="Minister",
            )
        assert [c[0][2] for c in calls] == [workflow.SUPERSEDED_REASON, "agree"]
        unchanged.check(callbacks)
        assert Programme.objects.get(pk=agreed.pk).status == S.AGREED

    def test_over_http_the_user_gets_the_error_page_and_nothing_changes(
        self, people, client_as, monkeypatch
    ):
        programme = in_status(people, S.SUBMITTED)
        client = client_as(people["approver"])
        client.raise_request_exception = False
        unchanged = Unchanged()
        break_on_call(monkeypatch, Programme, "save", after_write=False)
        response = client.post(
            reverse("programmes:programme_return", args=[programme.pk]), {"comment": "Why"}
        )
        assert response.status_code == 500
        assert "Something went wrong" in response.text
        assert INJECTED not in response.text
        unchanged.check()
        assert not Comment.objects.filter(programme=programme).exists()


# --- A partner event that closes programmes, broken in the second closure ----------------------


@pytest.fixture
def two_agreed(people):
    """The partner's agreed programmes 2026-2029 and 2030-2033."""
    return [in_status(people, S.AGREED), in_status(people, S.AGREED, start_year=2030)]


class TestPartnerEventFailsInTheClosure:
    def test_action(self, people, administrator, two_agreed, monkeypatch):
        unchanged = Unchanged()
        calls = break_on_call(monkeypatch, workflow, "_save", call=2)
        with pytest.raises(DatabaseError):
            record_status_event(
                partner=people["partner"],
                kind=EventKind.SUSPENDED,
                on=datetime.date(2026, 9, 1),
                actor=administrator,
            )
        assert len(calls) == 2  # the first programme was closed when the second failed
        unchanged.check()
        assert set(Programme.objects.values_list("status", flat=True)) == {S.AGREED}

    def test_admin(self, people, administrator, two_agreed, client_as, monkeypatch):
        partner = people["partner"]
        event = partner.status_events.get()
        data = {
            "name": partner.name,
            "code": partner.code,
            "framework": partner.framework,
            "notes": partner.notes,
            "officers": [people["officer"].pk],
            "status_events-TOTAL_FORMS": "2",
            "status_events-INITIAL_FORMS": "1",
            "status_events-MIN_NUM_FORMS": "0",
            "status_events-MAX_NUM_FORMS": "1000",
            "status_events-0-id": str(event.pk),
            "status_events-0-partner": str(partner.pk),
            "status_events-0-kind": event.kind,
            "status_events-0-on": event.on.isoformat(),
            "status_events-1-partner": str(partner.pk),
            "status_events-1-kind": EventKind.SUSPENDED,
            "status_events-1-on": "2026-09-01",
        }
        client = client_as(administrator)
        client.raise_request_exception = False
        unchanged = Unchanged()
        calls = break_on_call(monkeypatch, workflow, "_save", call=2)
        response = client.post(reverse("admin:partners_partner_change", args=[partner.pk]), data)
        assert response.status_code == 500
        assert len(calls) == 2
        unchanged.check()


# --- A menu import broken on its N-th row --------------------------------------------------------


def menu_file(provider, new=5, changed=(), retired=()) -> bytes:
    """``new`` activities to add, existing ``changed`` ones retitled, ``retired`` ones retired."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)

    def row(code, title, retired_in=""):
        writer.writerow(
            [
                code,
                title,
                "",
                "",
                "",
                "cyber",
                "course",
                provider.name,
                "online",
                5,
                2020,
                retired_in,
            ]
        )

    for n in range(1, new + 1):
        row(f"NEW-{n:04d}", f"New {n}")
    for activity in changed:
        row(activity.code, f"{activity.title_en} (changed)")
    for activity in retired:
        row(activity.code, activity.title_en, 2026)
    return buffer.getvalue().encode()


@pytest.fixture
def import_case(menu_manager):
    provider = ProviderFactory(name="NATO School")
    olds = [ActivityFactory(provider=provider, first_offered=2020) for _ in range(4)]
    content = menu_file(provider, new=5, changed=olds[:2], retired=olds[2:])
    menu_import = importing.preview_import(
        file_name="menu.csv", content=content, actor=menu_manager
    )
    assert menu_import.status == MenuImport.Status.PREVIEWED
    return menu_import, content


# (function of programmes.menu or the import log, which call fails)
IMPORT_BREAKS = {
    "third new activity": (menu, "create_activity", 3),
    "second changed activity": (menu, "update_activity", 2),
    "last retirement": (menu, "retire_activity", 2),
    "marking the import applied, everything else written": (MenuImport, "save", 1),
}


class TestMenuImportFailsOnTheNthRow:
    @pytest.mark.parametrize("where", IMPORT_BREAKS)
    def test_apply(self, where, import_case, menu_manager, monkeypatch):
        menu_import, _content = import_case
        owner, name, call = IMPORT_BREAKS[where]
        unchanged = Unchanged()
        calls = break_on_call(monkeypatch, owner, name, call=call)
        with pytest.raises(DatabaseError):
            importing.apply_import(menu_import=menu_import, actor=menu_manager)
        assert len(calls) == call
        unchanged.check()

    def test_apply_over_http(self, import_case, menu_manager, client_as, monkeypatch):
        menu_import, _content = import_case
        client = client_as(menu_manager)
        client.raise_request_exception = False
        unchanged = Unchanged()
        break_on_call(monkeypatch, menu, "create_activity", call=4)
        response = client.post(reverse("programmes:import_apply", args=[menu_import.pk]))
        assert response.status_code == 500
        unchanged.check()

    def test_command(self, import_case, menu_manager, monkeypatch, tmp_path):
        _menu_import, content = import_case
        path = tmp_path / "menu.csv"
        path.write_bytes(content)
        before = database_state()
        break_on_call(monkeypatch, menu, "retire_activity", call=2)
        with pytest.raises(DatabaseError):
            call_command(
                "import_menu", str(path), "--user", menu_manager.username, stdout=io.StringIO()
            )
        changed = changed_tables(before, database_state())
        # The menu is untouched; the command's preview (a separate step) stays in the log as
        # "previewed", never applied, like a file previewed on the pages and left.
        assert changed == ["programmes.MenuImport"]
        assert MenuImport.objects.latest("pk").status == MenuImport.Status.PREVIEWED


# --- What is logged -----------------------------------------------------------------------------


@pytest.mark.django_db
class TestLogged:
    def test_failed_logins_and_the_lockout_are_logged(self, client, viewer, caplog):
        caplog.set_level(logging.INFO, logger="axes")
        for _attempt in range(5):
            client.post(
                reverse("login"),
                {"username": viewer.username, "password": "not-the-password"},
                REMOTE_ADDR="10.9.8.7",
            )
        failures = [
            r
            for r in caplog.records
            if r.name.startswith("axes") and "login failure by" in r.message
        ]
        assert len(failures) == 5
        assert all(r.levelno == logging.WARNING for r in failures)
        assert any("Locking out" in r.message for r in caplog.records)
        # The log masks the username and address (django-axes' default); the attempt's row
        # names them.
        attempt = AccessAttempt.objects.get()
        assert (attempt.username, attempt.ip_address) == (viewer.username, "10.9.8.7")
        assert attempt.failures_since_start == 5
        # A success elsewhere is no failure.
        caplog.clear()
        client.post(
            reverse("login"),
            {"username": viewer.username, "password": TEST_PASSWORD},
            REMOTE_ADDR="10.9.8.8",
        )
        assert not any("login failure by" in r.message for r in caplog.records)
        assert any("Successful login" in r.message for r in caplog.records)

    def test_every_failed_login_stays_in_the_failure_log(self, client, viewer):
        """A success resets the attempt counter (and so does the cool-off); each failure stays
        in the failure log: the name tried, the address, the page, and whether it locked."""

        def sign_in(username, password, ip):
            return client.post(
                reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
            )

        for _attempt in range(4):
            sign_in(viewer.username, "not-the-password", "10.9.8.7")
        assert sign_in(viewer.username, TEST_PASSWORD, "10.9.8.7").status_code == 302
        assert not AccessAttempt.objects.exists()
        client.logout()
        for _attempt in range(5):
            sign_in("nobody", "not-the-password", "10.9.8.6")
        logged = AccessFailureLog.objects.order_by("attempt_time", "pk").values_list(
            "username", "ip_address", "path_info", "locked_out"
        )
        login = reverse("login")
        assert list(logged) == [
            *[(viewer.username, "10.9.8.7", login, False)] * 4,
            *[("nobody", "10.9.8.6", login, False)] * 4,
            ("nobody", "10.9.8.6", login, True),  # the fifth locks
        ]

    def refusals(self, caplog):
        return [
            r
            for r in caplog.records
            if r.name == "programmes.workflow" and r.getMessage().startswith("Refused")
        ]

    def test_an_action_refused_to_the_actor_is_logged(self, people, client_as, caplog):
        caplog.set_level(logging.INFO, logger="programmes.workflow")
        programme = draft_programme(officer=people["officer"], partner=people["partner"])
        stranger = UserFactory(username="stranger", role=Role.PROGRAMME_OFFICER)
        response = client_as(stranger).post(
            reverse("programmes:programme_submit", args=[programme.pk]),
            {"seen_stamp": programme.edit_stamp},
        )
        assert response.status_code == 403
        [record] = self.refusals(caplog)
        assert record.levelno == logging.INFO
        assert record.args[:4] == ("submit", programme.pk, stranger.pk, "NotPermitted")
        assert "assigned" in record.getMessage()

    def test_a_page_refused_to_the_role_is_logged(self, people, client_as, viewer, caplog):
        """Refused before the workflow is asked (the role may not review at all), by
        ``pfp.views.PermissionMixin``: its log says who, which rule of which view, and where
        (Django's request log has the bare 403 too)."""
        programme = in_status(people, S.SUBMITTED)
        path = reverse("programmes:programme_approve", args=[programme.pk])
        response = client_as(viewer).post(path, {"seen_stamp": programme.edit_stamp})
        assert response.status_code == 403
        [record] = [r for r in caplog.records if r.name == "pfp.access"]
        assert record.levelno == logging.WARNING
        assert record.getMessage() == (
            f"Refused POST {path!r} to user {viewer.pk} (viewer): "
            "can_review of ProgrammeApproveView"
        )
        [django_record] = [r for r in caplog.records if r.name == "django.request"]
        assert "Forbidden" in django_record.getMessage()

    def test_an_allowed_page_logs_no_refusal(self, client_as, viewer, caplog):
        assert client_as(viewer).get(reverse("partners:list")).status_code == 200
        assert [r for r in caplog.records if r.name == "pfp.access"] == []

    def test_an_action_refused_for_the_status_is_logged(self, people, client_as, caplog):
        caplog.set_level(logging.INFO, logger="programmes.workflow")
        programme = in_status(people, S.APPROVED)
        response = client_as(people["officer"]).post(
            reverse("programmes:programme_withdraw", args=[programme.pk]),
            {"seen_stamp": programme.edit_stamp},
        )
        assert response.status_code == 302
        [record] = self.refusals(caplog)
        assert record.args[:4] == ("withdraw", programme.pk, people["officer"].pk, "WrongStatus")
        assert "Approved" in record.getMessage()

    def test_a_refusal_inside_the_workflow_is_logged_too(self, people, viewer, caplog):
        caplog.set_level(logging.INFO, logger="programmes.workflow")
        programme = draft_programme(officer=people["officer"], partner=people["partner"])
        with pytest.raises(workflow.NotPermitted):
            workflow.submit(actor=viewer, programme=programme)
        [record] = self.refusals(caplog)
        assert record.args[:2] == ("submit", programme.pk)

    def test_an_allowed_action_logs_no_refusal(self, people, client_as, caplog):
        caplog.set_level(logging.INFO, logger="programmes.workflow")
        programme = in_status(people, S.SUBMITTED)
        response = client_as(people["approver"]).post(
            reverse("programmes:programme_approve", args=[programme.pk]),
            {"seen_stamp": programme.edit_stamp},
        )
        assert response.status_code == 302
        assert self.refusals(caplog) == []
