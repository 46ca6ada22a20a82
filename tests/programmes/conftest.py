"""Fixtures of the programme tests."""

import pytest
from django.contrib.auth.models import Group

from pfp.roles import Role
from tests.support.factories import UserFactory


@pytest.fixture
def drafting_approver(partner):
    """An approver who is also the partner's programme officer."""
    user = UserFactory(username="twohats", role=Role.APPROVER)
    user.groups.add(Group.objects.get(name=Role.PROGRAMME_OFFICER))
    partner.officers.add(user)
    return user
