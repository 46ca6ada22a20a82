"""Fixtures of the programme tests."""

import pytest

from tests.support.factories import drafting_approver_of


@pytest.fixture
def drafting_approver(partner):
    """An approver who is also the partner's programme officer."""
    return drafting_approver_of(partner)
