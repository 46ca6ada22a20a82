"""Who reaches what: the table the walks of every URL check, and how a walk sends a request and
reads its answer (``tests/security/test_access_matrix.py`` walks every pattern as every role,
``tests/security/test_csrf.py`` posts to every pattern without its CSRF token).

``PAGES`` says, for each URL name of the site and for each role (logged out, no role, viewer,
the programme officer assigned to the partner, an officer of another partner, approver, menu
manager, administrator: ``tests.support.urlwalk.ROLES``), what a GET answers and what a POST
with valid input (``post_data``) does. The admin site's patterns follow one rule (``ADMIN_*``).

``post_and_roll_back`` sends a POST inside a transaction rolled back afterwards, so that every
role starts from the same state, and compares the whole database before and after
(``tests.support.snapshots``): a refusal must leave it as it was, a step that is taken must
change it.
"""

from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import model_to_dict
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.deprecation import RemovedInDjango2028Warning

from programmes.menu.forms import ActivityForm
from programmes.models import Goal, PlannedActivity, Priority, Programme
from tests.support.factories import TEST_PASSWORD
from tests.support.snapshots import changed_tables, database_state, tables_written
from tests.support.urlwalk import ROLES, events_csv, menu_csv

# Outcomes. A number is that status code with nothing changed; the number followed by "+" is
# that status code after the step was taken (the database changed); DONE is "302+", a redirect
# after the step; LOGIN is a redirect to the login page, nothing changed.
LOGIN = "L"
DONE = "302+"

# fmt: off
# One row per URL name: (GET, POST), each an outcome per role, in this order:
#                                  anon   none  viewer offcr other apprv menu  admin rep   orep
# (rep: a representative of the partner; orep: a representative of the other partner, the
# attacker of every object of the partner: 404 wherever an object of the partner is named.)
PAGES = {
    "home":                        ("L     200   200   200   200   200   200   200   200   200",
                                    "L     405   405   405   405   405   405   405   405   405"),
    "partners:list":               ("L     403   200   200   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "partners:detail":             ("L     403   200   200   200   200   200   200   200   404",
                                    "L     403   405   405   405   405   405   405   405   405"),
    # The cooperation menu: everyone reads it, menu managers (and administrators) change it.
    "programmes:activity_list":    ("L     403   200   200   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "programmes:activity_export":  ("L     403   200   200   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "programmes:activity_detail":  ("L     403   200   200   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "programmes:activity_create":  ("L     403   403   403   403   403   200   200   403   403",
                                    "L     403   403   403   403   403   DONE  DONE   403   403"),
    "programmes:activity_edit":    ("L     403   403   403   403   403   200   200   403   403",
                                    "L     403   403   403   403   403   DONE  DONE   403   403"),
    "programmes:activity_retire":  ("L     403   403   403   403   403   405   405   403   403",
                                    "L     403   403   403   403   403   DONE  DONE   403   403"),
    "programmes:import_list":      ("L     403   200   200   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "programmes:import_detail":    ("L     403   200   200   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "programmes:import_upload":    ("L     403   403   403   403   403   200   200   403   403",
                                    "L     403   403   403   403   403   DONE  DONE   403   403"),
    # Only the person who uploaded a file applies it: the administrator is told so.
    "programmes:import_apply":     ("L     403   403   403   403   403   405   405   403   403",
                                    "L     403   403   403   403   403   DONE  302   403   403"),
    # The import of events: read as programmes are; officers (each row then checked against
    # their partners: the other officer's file is logged as rejected) and administrators upload;
    # only the uploader applies, the others are told so.
    "programmes:event_import_list":("L     403   200   200   200   200   200   200   403   403",
                                    "L     403   405   405   405   405   405   405   403   403"),
    "programmes:event_import_detail":("L   403   200   200   200   200   200   200   403   403",
                                    "L     403   405   405   405   405   405   405   403   403"),
    "programmes:event_import_upload":("L   403   403   200   200   403   403   200   403   403",
                                    "L     403   403   DONE  DONE  403   403   DONE   403   403"),
    "programmes:event_import_apply":("L    403   403   405   405   403   403   405   403   403",
                                    "L     403   403   DONE  302   403   403   302   403   403"),
    # Programmes: every staff role reads them.
    "programmes:programme_list":   ("L     403   200   200   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "programmes:programme_detail": ("L     403   200   200   200   200   200   200   404   404",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "programmes:programme_compare":("L     403   200   200   200   200   200   200   200   404",
                                    "L     403   405   405   405   405   405   405   405   405"),
    # Officers start programmes for their own partners only (the other officer's form refuses
    # the partner, 200 with the error).
    "programmes:programme_create": ("L     403   403   200   200   403   403   200   403   403",
                                    "L     403   403   DONE  200   403   403   DONE   403   403"),
    "programmes:review_queue":     ("L     403   403   403   403   200   403   200   403   403",
                                    "L     403   403   403   403   405   403   405   403   403"),
    # Drafting, on the partner's complete draft (deletions on a second draft with an empty
    # objective and an empty goal): its officer and administrators only.
    "programmes:programme_edit":   ("L     403   403   200   403   403   403   200   404   404",
                                    "L     403   403   DONE  403   403   403   DONE   404   404"),
    "programmes:objective_create": ("L     403   403   200   403   403   403   200   404   404",
                                    "L     403   403   DONE  403   403   403   DONE   404   404"),
    "programmes:objective_edit":   ("L     403   403   200   403   403   403   200   404   404",
                                    "L     403   403   DONE  403   403   403   DONE   404   404"),
    "programmes:objective_delete": ("L     403   403   200   403   403   403   200   404   404",
                                    "L     403   403   DONE  403   403   403   DONE   404   404"),
    "programmes:objective_move":   ("L     403   405   405   405   405   405   405   405   405",
                                    "L     403   403   DONE  403   403   403   DONE   404   404"),
    "programmes:goal_create":      ("L     403   403   200   403   403   403   200   404   404",
                                    "L     403   403   DONE  403   403   403   DONE   404   404"),
    "programmes:goal_edit":        ("L     403   403   200   403   403   403   200   404   404",
                                    "L     403   403   DONE  403   403   403   DONE   404   404"),
    "programmes:goal_delete":      ("L     403   403   200   403   403   403   200   404   404",
                                    "L     403   403   DONE  403   403   403   DONE   404   404"),
    "programmes:goal_move":        ("L     403   405   405   405   405   405   405   405   405",
                                    "L     403   403   DONE  403   403   403   DONE   404   404"),
    "programmes:activity_pick":    ("L     403   403   200   403   403   403   200   404   404",
                                    "L     403   403   DONE  403   403   403   DONE   404   404"),
    "programmes:planned_edit":     ("L     403   403   200   403   403   403   200   404   404",
                                    "L     403   403   DONE  403   403   403   DONE   404   404"),
    "programmes:planned_remove":   ("L     403   405   405   405   405   405   405   405   405",
                                    "L     403   403   DONE  403   403   403   DONE   404   404"),
    "programmes:programme_submit": ("L     403   403   200   403   403   403   200   404   404",
                                    "L     403   403   DONE  403   403   403   DONE   404   404"),
    "programmes:programme_withdraw":("L    403   403   200   403   403   403   200   404   404",
                                    "L     403   403   DONE  403   403   403   DONE   404   404"),
    # Comments: the partner's officers and approvers.
    "programmes:comment_add":      ("L     403   405   405   405   405   405   405   405   405",
                                    "L     403   403   DONE  403   DONE  403   DONE   404   404"),
    # Revising, on the agreed version.
    "programmes:programme_revise": ("L     403   405   405   405   405   405   405   405   405",
                                    "L     403   403   DONE  403   403   403   DONE   403   404"),
    # The successor of the agreed programme (for the four years after it): its drafters.
    "programmes:programme_successor":("L   403   403   200   403   403   403   200   403   404",
                                    "L     403   403   DONE  403   403   403   DONE   403   404"),
    # Review steps, each on a version in the status it starts from: approvers.
    "programmes:programme_approve":("L     403   403   403   403   200   403   200   403   403",
                                    "L     403   403   403   403   DONE  403   DONE   403   403"),
    "programmes:programme_return": ("L     403   403   403   403   200   403   200   403   403",
                                    "L     403   403   403   403   DONE  403   DONE   403   403"),
    "programmes:programme_agreement":("L   403   403   403   403   200   403   200   403   403",
                                    "L     403   403   403   403   DONE  403   DONE   403   403"),
    # The partner's side. Officers share a draft with the partner (the world's draft is not
    # shared: its representatives do not see it, 404); the partner's representatives accept or
    # decline the version NATO approved; no one else, not even an administrator.
    "programmes:programme_share":  ("L     403   403   200   403   403   403   200   404   404",
                                    "L     403   403   DONE  403   403   403   DONE  404   404"),
    "programmes:programme_accept": ("L     403   403   403   403   403   403   403   200   404",
                                    "L     403   403   403   403   403   403   403   DONE  404"),
    "programmes:programme_decline":("L     403   403   403   403   403   403   403   200   404",
                                    "L     403   403   403   403   403   403   403   DONE  404"),
    # Documents: attached by the partner's officers, approvers and administrators (on the draft,
    # which the representatives do not see); the signed agreement of the approved version is
    # internal: staff download it, the representatives are not shown it (404).
    "programmes:document_attach":  ("L     403   403   200   403   200   403   200   404   404",
                                    "L     403   403   DONE  403   DONE  403   DONE  404   404"),
    "programmes:document_download":("L     403   200   200   200   200   200   200   404   404",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "programmes:document_supersede":("L    403   403   200   403   200   403   200   404   404",
                                    "L     403   403   DONE  403   DONE  403   DONE  404   404"),
    "programmes:programme_close":  ("L     403   403   403   403   200   403   200   403   403",
                                    "L     403   403   403   403   DONE  403   DONE   403   403"),
    # Delivery, on the agreed programme: every staff role reads it; the partner's officers (and
    # administrators) record events and write annual reviews; approvers who did not write a
    # review acknowledge or return it.
    "programmes:programme_delivery":("L    403   200   200   200   200   200   200   200   404",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "programmes:event_detail":     ("L     403   200   200   200   200   200   200   200   404",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "programmes:event_create":     ("L     403   403   200   403   403   403   200   403   404",
                                    "L     403   403   DONE  403   403   403   DONE   403   404"),
    "programmes:event_create_unplanned":
                                   ("L     403   403   200   403   403   403   200   403   404",
                                    "L     403   403   DONE  403   403   403   DONE   403   404"),
    "programmes:event_edit":       ("L     403   403   200   403   403   403   200   403   404",
                                    "L     403   403   DONE  403   403   403   DONE   403   404"),
    "programmes:event_delete":     ("L     403   403   200   403   403   403   200   403   404",
                                    "L     403   403   DONE  403   403   403   DONE   403   404"),
    "programmes:annual_review":    ("L     403   200   200   200   200   200   200   200   404",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "programmes:annual_review_start":
                                   ("L     403   405   405   405   405   405   405   405   405",
                                    "L     403   403   DONE  403   403   403   DONE   403   404"),
    "programmes:annual_review_edit":("L    403   403   200   403   403   403   200   403   404",
                                    "L     403   403   DONE  403   403   403   DONE   403   404"),
    "programmes:annual_review_submit":
                                   ("L     403   405   405   405   405   405   405   405   405",
                                    "L     403   403   DONE  403   403   403   DONE   403   404"),
    "programmes:annual_review_acknowledge":
                                   ("L     403   405   405   405   405   405   405   405   405",
                                    "L     403   403   403   403   DONE  403   DONE   403   404"),
    "programmes:annual_review_return":
                                   ("L     403   405   405   405   405   405   405   405   405",
                                    "L     403   403   403   403   DONE  403   DONE   403   404"),
    # Reports: every staff role reads them; nothing to post.
    "programmes:report_index":     ("L     403   200   200   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "programmes:partner_report":   ("L     403   200   200   200   200   200   200   200   404",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "programmes:partner_report_download":
                                   ("L     403   200   200   200   200   200   200   200   404",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "programmes:partner_events_calendar":
                                   ("L     403   200   200   200   200   200   200   200   404",
                                    "L     403   405   405   405   405   405   405   405   405"),
    # A download built by the worker: asked for with a POST (a row of one's own); its page and
    # file are the requester's alone (the walk asks for none: 404), programmes.reports.prepared.
    "programmes:partner_report_prepare":
                                   ("L     403   405   405   405   405   405   405   405   405",
                                    "L     403   DONE  DONE  DONE  DONE  DONE  DONE   DONE  404"),
    "programmes:cross_report_prepare":
                                   ("L     403   405   405   405   405   405   405   403   403",
                                    "L     403   DONE  DONE  DONE  DONE  DONE  DONE   403   403"),
    "programmes:prepared_file":    ("L     403   404   404   404   404   404   404   404   404",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "programmes:prepared_file_download":
                                   ("L     403   404   404   404   404   404   404   404   404",
                                    "L     403   405   405   405   405   405   405   405   405"),
    "programmes:cross_report":     ("L     403   200   200   200   200   200   200   403   403",
                                    "L     403   405   405   405   405   405   405   403   403"),
    "programmes:cross_report_export":
                                   ("L     403   200   200   200   200   200   200   403   403",
                                    "L     403   405   405   405   405   405   405   403   403"),
    # Accounts. A signed-in user is sent on from the login page; an empty login form is
    # refused; logging out ends the session and goes to the login page; the language choice is a
    # cookie before login, and saved on the account after.
    "login":                       ("200   302   302   302   302   302   302   302   302   302",
                                    "200   302   302   302   302   302   302   302   302   302"),
    "logout":                      ("L     405   405   405   405   405   405   405   405   405",
                                    "L     302+  302+  302+  302+  302+  302+  302+   DONE  DONE"),
    "account":                     ("L     200   200   200   200   200   200   200   200   200",
                                    "L     405   405   405   405   405   405   405   405   405"),
    "password_change":             ("L     200   200   200   200   200   200   200   200   200",
                                    "L     DONE  DONE  DONE  DONE  DONE  DONE  DONE   DONE  DONE"),
    "password_change_done":        ("L     200   200   200   200   200   200   200   200   200",
                                    "L     405   405   405   405   405   405   405   405   405"),
    "set_language":                ("302   302   302   302   302   302   302   302   302   302",
                                    "302   302+  302+  302+  302+  302+  302+  302+   DONE  DONE"),
    # The API (/api/v1/), walked with the session (the browsable API): a caller without
    # credentials gets 401 (a token is the API's login), a user without a role 403, the others
    # what the visibility functions let them see; a representative, their own partner's shared
    # versions only (the walked draft is not shared). POSTs: 405 once the rule allows.
    # Every method with a token of each role: tests/api/test_access.py.
    #                                anon   none  viewer offcr other apprv menu  admin  rep   orep
    "api:partner-list":            ("401   403   200   200   200   200   200   200   200   200",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:partner-detail":          ("401   403   200   200   200   200   200   200   200   404",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:partner-event":           ("401   403   404   404   404   404   404   404   404   404",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:area-list":               ("401   403   200   200   200   200   200   200   200   200",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:provider-list":           ("401   403   200   200   200   200   200   200   200   200",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:activity-list":           ("401   403   200   200   200   200   200   200   200   200",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:activity-detail":         ("401   403   200   200   200   200   200   200   200   200",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:programme-list":          ("401   403   200   200   200   200   200   200   200   200",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:programme-detail":        ("401   403   200   200   200   200   200   200   404   404",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:comment-list":            ("401   403   200   200   200   200   200   200   404   404",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:document-list":           ("401   403   200   200   200   200   200   200   404   404",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:document-file":           ("401   403   200   200   200   200   200   200   404   404",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:event-list":              ("401   403   200   200   200   200   200   200   200   200",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:event-detail":            ("401   403   200   200   200   200   200   200   200   404",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:review-list":             ("401   403   200   200   200   200   200   200   200   200",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:review-detail":           ("401   403   200   200   200   200   200   200   200   404",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:year-delivery":           ("401   403   200   200   200   200   200   200   200   200",
                                    "401   403   405   405   405   405   405   405   405   405"),
    "api:schema":                  ("401   200   200   200   200   200   200   200   200   200",
                                    "401   405   405   405   405   405   405   405   405   405"),
    "api:docs":                    ("401   200   200   200   200   200   200   200   200   200",
                                    "401   405   405   405   405   405   405   405   405   405"),
    # Personal API tokens: anyone signed in sees their own; a user with a role creates one
    # (shown once, on the answer: 200 and a row); revoking takes one's own token (the walked
    # id is nobody's: 404; tests/api/test_tokens.py revokes).
    "tokens:list":                 ("L     200   200   200   200   200   200   200   200   200",
                                    "L     403   200+  200+  200+  200+  200+  200+  200+  200+"),
    # How one receives each kind of e-mail: for oneself; the choices offered are those of one's
    # roles (none for a viewer, the menu manager or a representative: saved, nothing changes).
    "outbox:preferences":          ("L     200   200   200   200   200   200   200   200   200",
                                    "L     302   302   302+  302+  302+  302   302   302   302"),
    "tokens:revoke":               ("L     405   405   405   405   405   405   405   405   405",
                                    "L     404   404   404   404   404   404   404   404   404"),
    # The second factor (pfp.mfa), as the suite runs (MFA_REQUIRED_ROLES empty; with it on,
    # tests/mfa/test_access.py walks every URL). The code page without a password first: back
    # to the login page; signed in without a device: on home. The security page is everyone's;
    # adding an app with no code is refused on the form; recovery codes: none to show (GET),
    # refused without an app (POST); the walked id is nobody's app (404).
    "mfa:verify":                  ("L     302   302   302   302   302   302   302   302   302",
                                    "L     302   302   302   302   302   302   302   302   302"),
    "mfa:security":                ("L     200   200   200   200   200   200   200   200   200",
                                    "L     405   405   405   405   405   405   405   405   405"),
    "mfa:authenticator_add":       ("L     200   200   200   200   200   200   200   200   200",
                                    "L     200   200   200   200   200   200   200   200   200"),
    "mfa:recovery_codes":          ("L     302   302   302   302   302   302   302   302   302",
                                    "L     302   302   302   302   302   302   302   302   302"),
    "mfa:authenticator_remove":    ("L     404   404   404   404   404   404   404   404   404",
                                    "L     404   404   404   404   404   404   404   404   404"),
    "mfa:key_remove":              ("L     404   404   404   404   404   404   404   404   404",
                                    "L     404   404   404   404   404   404   404   404   404"),
    # Security keys (django-otp-webauthn's JSON views, POST only): registering starts for anyone
    # signed in (a handle for the user: a row) and cannot complete without the browser's
    # answer (400); the sign-in ceremony serves a signed-in user or the one on the code page
    # (anyone else: 403, passwordless sign-in is off); its scripts' messages are public.
    "otp_webauthn:credential-registration-begin":
                                   ("L     405   405   405   405   405   405   405   405   405",
                                    "L     200+  200+  200+  200+  200+  200+  200+  200+  200+"),
    "otp_webauthn:credential-registration-complete":
                                   ("L     405   405   405   405   405   405   405   405   405",
                                    "L     400   400   400   400   400   400   400   400   400"),
    "otp_webauthn:credential-authentication-begin":
                                   ("403   405   405   405   405   405   405   405   405   405",
                                    "403   200   200   200   200   200   200   200   200   200"),
    "otp_webauthn:credential-authentication-complete":
                                   ("403   405   405   405   405   405   405   405   405   405",
                                    "403   400   400   400   400   400   400   400   400   400"),
    "otp_webauthn:js-i18n-catalog":("200   200   200   200   200   200   200   200   200   200",
                                    "405   405   405   405   405   405   405   405   405   405"),
    # /favicon.ico: on to the icon in static, for anyone; nothing to post.
    "favicon":                     ("302   302   302   302   302   302   302   302   302   302",
                                    "405   405   405   405   405   405   405   405   405   405"),
}
# fmt: on


def outcomes(row: str) -> dict[str, str]:
    cells = [DONE if cell == "DONE" else cell for cell in row.split()]
    assert len(cells) == len(ROLES), row
    return dict(zip(ROLES, cells, strict=True))


# The admin site, one rule: administrators are served (200, or a redirect within the admin),
# anonymous users are sent to the product's login page, everyone else gets its 403 page (never
# the admin's own login form: pfp.sites.AdminSite). Exceptions for administrators, by URL name:
# what the admin classes refuse by design (nothing is deleted, imports and workflow contents are
# not added by hand, the login log is read-only) and what needs a query the walk does not send.
ADMIN_REFUSED = {
    "admin:partners_representative_delete": 403,
    "admin:programmes_activity_delete": 403,
    "admin:programmes_menuimport_add": 403,
    "admin:programmes_menuimport_delete": 403,
    "admin:programmes_programme_delete": 403,
    "admin:programmes_objective_add": 403,
    "admin:programmes_objective_delete": 403,
    "admin:programmes_plannedactivity_add": 403,
    "admin:programmes_plannedactivity_delete": 403,
    # Events are recorded and deleted on delivery's pages, reviews started there.
    "admin:programmes_event_add": 403,
    "admin:programmes_event_delete": 403,
    "admin:programmes_annualreview_add": 403,
    "admin:programmes_annualreview_delete": 403,
    # The outbox, the scheduled runs and the task queue are records: written by the worker.
    "admin:outbox_message_add": 403,
    "admin:outbox_message_delete": 403,
    "admin:outbox_scheduledrun_add": 403,
    "admin:outbox_scheduledrun_delete": 403,
    "admin:django_tasks_database_dbtaskresult_add": 403,
    "admin:django_tasks_database_dbtaskresult_delete": 403,
    "admin:axes_accessattempt_add": 403,
    "admin:axes_accesslog_add": 403,
    "admin:axes_accessfailurelog_add": 403,
    "admin:autocomplete": 403,  # asked without its app, model and field
    "admin:logout": 405,  # GET; logging out is a POST
    "admin/(?P<url>.*)$": 404,  # the catch-all, for a page that does not exist
}

# An administrator's POST without input changes nothing, except: logging out ends the session
# (and goes to the login page), and saving a read-only login record unchanged writes the admin's log.
ADMIN_POSTS = {
    "admin:logout": "302+",
    "admin:axes_accesslog_change": "302+",
}

# Known warnings, by URL name, that the walk lets pass (``filterwarnings = error`` would turn
# them into server errors): django-simple-history's history page calls ``select_related()``
# without arguments for a model without foreign keys (Partner), which Django 6.1 deprecates.
# Reported; the page serves normally in production, where warnings are not errors.
KNOWN_WARNINGS = {
    "admin:partners_partner_history": (
        RemovedInDjango2028Warning,
        r"Calling select_related\(\) with no arguments",
    ),
}


def is_admin_pattern(name: str) -> bool:
    return name.startswith(("admin:", "admin/"))


def expected_get(name: str, role: str) -> str:
    if not is_admin_pattern(name):
        return outcomes(PAGES[name][0])[role]
    if role != "administrator":
        return LOGIN if role == "anonymous" else "403"
    return str(ADMIN_REFUSED.get(name, "200|302"))


def expected_post(name: str, role: str) -> str:
    if not is_admin_pattern(name):
        return outcomes(PAGES[name][1])[role]
    if role != "administrator":
        return LOGIN if role == "anonymous" else "403"
    return ADMIN_POSTS.get(name, "kept")


# --- Walking --------------------------------------------------------------------------------


@dataclass
class Observed:
    status: int
    location: str
    changed: list[str]
    templates: set[str] = field(default_factory=set)  # the names of those rendered


def login_page(location: str) -> str:
    """The login page a redirect leads to ("login", "admin:login"), or ""."""
    try:
        match = resolve(urlsplit(location).path)
    except Resolver404:
        return ""
    return match.view_name if match.view_name in ("login", "admin:login") else ""


def matches(expected: str, seen: Observed, name: str) -> bool:
    if seen.status >= 500:
        return False
    if expected == LOGIN:
        return seen.status == 302 and login_page(seen.location) == "login" and not seen.changed
    if expected.endswith("+"):
        return str(seen.status) == expected[:-1] and bool(seen.changed)
    if expected == "kept":
        return not seen.changed
    return str(seen.status) in expected.split("|") and not seen.changed


def request(client: Client, method: str, url: str, name: str, data=None):
    with warnings.catch_warnings():
        if name in KNOWN_WARNINGS:
            category, message = KNOWN_WARNINGS[name]
            warnings.filterwarnings("ignore", message=message, category=category)
        if method == "get":
            return client.get(url)
        return client.post(url, data or {})


def post_and_roll_back(
    client: Client, url: str, name: str, data: dict, *, before: dict | None = None
) -> Observed:
    """POST, see what changed, then undo it all (the client's cookies included).

    ``before``: the database as the POST finds it (``database_state()``), when the caller knows
    it: a run of POSTs, each rolled back, finds it the same every time. On PostgreSQL only the
    tables the POST wrote to are read (``tables_written``), before and after: before, once the
    POST is rolled back.
    """
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        with tables_written() as written:
            if written is None and before is None:
                before = database_state()
            response = request(client, "post", url, name, data)
        # Every table (``written`` is None), or those written: none (``[]``) or some.
        after = {} if written == [] else database_state(written)
        transaction.set_rollback(True)
    if written is not None:
        # The same tables as the POST found them, now that it is rolled back.
        before = {} if written == [] else database_state(written)
    changed = changed_tables(before, after)
    client.cookies = cookies
    templates = {template.name for template in response.templates}
    return Observed(response.status_code, response.get("Location", ""), changed, templates)


# --- Valid input for each state-changing URL -------------------------------------------------


def activity_form_data(activity=None, **changes) -> dict:
    from programmes.menu.models import Area, Provider

    if activity is None:
        data = {
            "code": "WALK-0200",
            "title_en": "Walked workshop",
            "title_fr": "Atelier parcouru",
            "description_en": "",
            "description_fr": "",
            "area": Area.objects.order_by("order").first().pk,
            "type": "workshop",
            "provider": Provider.objects.order_by("pk").first().pk,
            "delivery_mode": "online",
            "length_days": 3,
            "first_offered": 2026,
        }
    else:
        fields = [name for name in ActivityForm.Meta.fields if name != "retired_in"]
        data = {
            key: ("" if value is None else value)
            for key, value in model_to_dict(activity, fields=fields).items()
        }
    return {**data, **changes}


def delivery_post_data(name: str, kwargs: dict, world) -> dict | None:
    """Valid input for delivery's pages (their ``pk`` is an event's or a review's, or the agreed
    programme's), or None for a page of another kind."""
    from programmes.delivery.models import AnnualReview, Event

    programme = world.programmes["agreed"]
    first_day = f"{programme.start_year}-05-04"
    if name == "programmes:event_create":
        planned = programme.planned_activities.order_by("pk").first()
        return {
            "planned": planned.pk,
            "start_date": first_day,
            "end_date": first_day,
            "place": "Chisinau",
        }
    if name == "programmes:event_create_unplanned":
        goal = Goal.objects.filter(objective__programme=programme).order_by("pk").first()
        return {
            "activity": world.activity.code,
            "goal": goal.pk,
            "year": programme.start_year,
            "start_date": first_day,
            "end_date": first_day,
            "online": "on",
        }
    if name == "programmes:event_edit":
        event = Event.objects.get(pk=kwargs["pk"])
        return {
            "status": "delivered",
            "year": programme.start_year + event.year - 1,
            "start_date": event.start_date.isoformat(),
            "end_date": event.end_date.isoformat(),
            "place": event.place,
            "participants": 12,
            "women": 5,
            "rating": 4,
            "evaluation": "Well run.",
            "seen_stamp": event.edit_stamp,
        }
    if name == "programmes:annual_review_start":
        return {"year": 3}
    if name in ("programmes:annual_review_edit", "programmes:annual_review_submit"):
        review = AnnualReview.objects.get(pk=kwargs["pk"])
        objective = programme.objectives.get()
        return {
            "overall": "Revised by the walk.",
            f"progress-{objective.key.hex}": "at_risk",
            f"narrative-{objective.key.hex}": "Slower.",
            "seen_stamp": review.edit_stamp,
        }
    if name == "programmes:annual_review_return":
        return {"comment": "Say more about the second objective."}
    if name.startswith(("programmes:event_", "programmes:annual_review")):
        return {}
    return None


def post_data(name: str, url: str, world) -> dict:
    """What a user allowed to take the step would send (fresh objects each time: uploads)."""
    kwargs = resolve(urlsplit(url).path).kwargs
    if name == "programmes:event_import_upload":
        return {
            "file": SimpleUploadedFile("events.csv", events_csv(world, "WALK-EV-2"), "text/csv")
        }
    delivery = delivery_post_data(name, kwargs, world)
    if delivery is not None:
        return delivery
    if name in ("programmes:document_attach", "programmes:document_supersede"):
        from tests.support.factories import signed_agreement_pdf

        upload = SimpleUploadedFile("letter.pdf", signed_agreement_pdf(), "application/pdf")
        return {"kind": "letter", "title": "A letter from the walk", "file": upload}
    if name == "programmes:document_download":
        return {}
    programme = None
    if "pk" in kwargs and name.startswith("programmes:") and "import" not in name:
        programme = Programme.objects.get(pk=kwargs["pk"])
    stamp = {"seen_stamp": programme.edit_stamp} if programme else {}
    if name == "programmes:programme_create":
        return {"partner": world.partner.code, "title": "A second programme", "start_year": 2050}
    if name == "programmes:programme_edit":
        return {"title": "Renamed", "summary": "", "start_year": programme.start_year, **stamp}
    if name in ("programmes:objective_create", "programmes:goal_create"):
        return {"title": "Added by the walk", "description": ""}
    if name == "programmes:objective_edit":
        return {"title": "Renamed objective", "description": "", **stamp}
    if name in ("programmes:objective_move", "programmes:goal_move"):
        return {"direction": "down"}
    if name == "programmes:goal_edit":
        goal = Goal.objects.get(pk=kwargs["goal_pk"])
        return {"objective": goal.objective_id, "title": "Renamed goal", **stamp}
    if name == "programmes:activity_pick":
        goal = Goal.objects.filter(objective__programme=programme).order_by("pk").first()
        return {
            "activity": world.activity.pk,
            "year": programme.start_year + 1,
            "goal": goal.pk if goal else "",
            "priority": Priority.HIGH,
        }
    if name == "programmes:planned_edit":
        planned = PlannedActivity.objects.get(pk=kwargs["planned_pk"])
        return {
            "year": programme.start_year + planned.year - 1,
            "goal": planned.goal_id,
            "priority": planned.priority,
            "notes": "Changed by the walk",
            **stamp,
        }
    if name == "programmes:comment_add":
        # Approvers choose the kind of comment (a note or a review remark); officers cannot.
        return {"text": "A comment from the walk.", "kind": "note"}
    if name == "programmes:programme_return":
        return {"comment": "Please add a goal on cyber defence."}
    if name == "programmes:programme_decline":
        return {"comment": "The partner asks for a goal on cyber defence.", **stamp}
    if name == "programmes:programme_agreement":
        return {"agreed_on": timezone.localdate().isoformat(), "signatory": "Minister of Defence"}
    if name == "programmes:programme_close":
        return {"reason": "The partner asked."}
    if name == "programmes:activity_create":
        return activity_form_data()
    if name == "programmes:activity_edit":
        return activity_form_data(world.activity, length_days=9)
    if name == "programmes:activity_retire":
        return {"year": 2026}
    if name == "programmes:import_upload":
        return {"file": SimpleUploadedFile("menu.csv", menu_csv("WALK-0300"), "text/csv")}
    if name == "password_change":
        new = "a-much-longer-passphrase-for-the-walk"
        return {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new}
    if name == "set_language":
        return {"language": "fr", "next": "/"}
    if name == "tokens:list":
        return {"name": "Walked token", "lifetime": 30}
    if name == "outbox:preferences":
        from pfp.outbox.preferences import KINDS

        return dict.fromkeys(KINDS, "daily")
    return stamp
