import pytest

from tests.support.factories import TEST_PASSWORD
from tests.support.second_factor import enrol


@pytest.fixture
def required(settings):
    """The production default: approvers and administrators must have a second factor."""
    settings.MFA_REQUIRED_ROLES = ["approver", "administrator"]


@pytest.fixture
def enrolled_approver(approver):
    approver.key = enrol(approver)
    return approver


def sign_in_with_password(client, user, next_url=""):
    data = {"username": user.username, "password": TEST_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)
