"""Demo data for a fresh machine: one user per role, officers assigned to some partners.

Called by ``manage.py seed_demo``, which also seeds the demo menu (``programmes.demo``).
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

DEMO_USERS: list[tuple[str, str | None, str, str]] = [
    # username, role (None: administrator), first name, last name
    ("viewer", Role.VIEWER, "Vera", "Viewer"),
    ("officer", Role.PROGRAMME_OFFICER, "Oscar", "Officer"),
    ("approver", Role.APPROVER, "Anna", "Approver"),
    ("menumanager", Role.MENU_MANAGER, "Max", "Menu-Manager"),
    ("admin", None, "Ada", "Administrator"),
]
# The demo officer looks after these partners (ISO codes), when they are in the register.
OFFICER_PARTNERS = ["AM", "GE", "JO", "MD", "UA"]


@dataclass
class DemoUser:
    username: str
    role: str
    password: str


def seed_demo_users(
    users: Sequence[tuple[str, str | None, str, str]] | None = None,
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
            created.append(DemoUser(username, str(role or "Administrator"), password))
    return created
