"""Demo users for a fresh machine: one user per role, officers assigned to some partners.

Called by ``manage.py seed_demo`` (which also seeds the demo menu and programmes,
``programmes.devtools.demo``) and by ``loadtest``. Who the users are is data
(``data/users.json``); this module creates them.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from partners.actions import assign_officer
from partners.models import Partner, PartnerStatus
from pfp.roles import Role
from programmes.devtools.datafiles import read

# A user as ``seed_demo_users`` takes it: username, role (None: administrator), first name,
# last name.
UserRow = tuple[str, Role | None, str, str]


def _users(key: str) -> list[UserRow]:
    return [
        (
            user["username"],
            None if user["role"] is None else Role(user["role"]),
            user["first_name"],
            user["last_name"],
        )
        for user in read("users")[key]
    ]


DEMO_USERS: list[UserRow] = _users("users")
# The demo officer looks after these partners (ISO codes), when they are in the register.
OFFICER_PARTNERS: list[str] = read("users")["officer_partners"]
# Users the demo programmes need besides ``DEMO_USERS``: an officer for the partners the demo
# officer does not look after, and a second approver, so that no one approves what they
# drafted and the history shows more than one name.
PROGRAMME_DEMO_USERS: list[UserRow] = _users("programme_users")


@dataclass
class DemoUser:
    username: str
    role: str
    password: str
    # The authenticator app's secret (base32), for a role that needs a second factor
    # (programmes.devtools.second_factor); empty otherwise.
    secret: str = ""


def seed_demo_users(
    users: Sequence[UserRow] | None = None,
    officer_partners: Sequence[str] | None = None,
) -> list[DemoUser]:
    """Create the demo users (``DEMO_USERS`` unless ``users`` is given) that do not exist yet;
    return them with their new passwords. A programme officer created here looks after the
    active partners among ``officer_partners`` (``OFFICER_PARTNERS`` by default)."""
    users = DEMO_USERS if users is None else users
    officer_partners = OFFICER_PARTNERS if officer_partners is None else officer_partners
    User = get_user_model()
    created: list[DemoUser] = []
    with transaction.atomic():
        for username, role, first_name, last_name in users:
            if User.objects.filter(username=username).exists():
                continue
            password = secrets.token_urlsafe(12)
            is_admin = role is None
            user = User.objects.create_user(
                username=username,
                password=password,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@example.org",
                is_staff=is_admin,
                is_superuser=is_admin,
            )
            if role:
                user.groups.add(Group.objects.get(name=role))
            if role == Role.PROGRAMME_OFFICER:
                partners = Partner.objects.with_status().filter(
                    code__in=officer_partners, status=PartnerStatus.ACTIVE
                )
                for partner in partners:
                    assign_officer(partner=partner, officer=user, actor=None)
            created.append(DemoUser(username, _role_label(role), password))
    return created


def _role_label(role: Role | None) -> str:
    return str(role or "Administrator")


def demo_usernames() -> list[str]:
    """The usernames of every demo user: ``DEMO_USERS`` and ``PROGRAMME_DEMO_USERS``."""
    return [username for username, _, _, _ in [*DEMO_USERS, *PROGRAMME_DEMO_USERS]]


def reset_demo_passwords(*, actor=None) -> list[DemoUser]:
    """Give every demo user that exists (``DEMO_USERS`` and ``PROGRAMME_DEMO_USERS``) a new
    random password; return them with it. No other account is touched. Each save writes the
    account's history row marked ``PASSWORD_CHANGED`` (``pfp.models.User.save``), by ``actor``
    (None from a command, as for the users the demo creates)."""
    User = get_user_model()
    roles = {username: role for username, role, _, _ in [*DEMO_USERS, *PROGRAMME_DEMO_USERS]}
    reset: list[DemoUser] = []
    with transaction.atomic():
        for user in User.objects.filter(username__in=roles).order_by("pk"):
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user._history_user = actor
            user.save()
            reset.append(DemoUser(user.username, _role_label(roles[user.username]), password))
    return reset
