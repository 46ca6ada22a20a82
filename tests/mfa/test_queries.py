"""What the second factor costs a page: a session verified with a device loads that device (one
query, django-otp's OTPMiddleware); nothing else. Measured on the home page and the partner list
of an approver, against the same pages with the requirement empty and no device."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.mfa.conftest import sign_in_with_password
from tests.support.second_factor import code_of

pytestmark = pytest.mark.django_db
PAGES = ["/", reverse("partners:list"), reverse("mfa:security")]


def queries(client, url) -> int:
    client.get(url)  # a first request settles the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_verified_session_costs_one_query_per_page(enrolled_approver, settings):
    settings.MFA_REQUIRED_ROLES = []
    plain = Client()
    plain.force_login(enrolled_approver)
    without = {url: queries(plain, url) for url in PAGES}

    settings.MFA_REQUIRED_ROLES = ["approver", "administrator"]
    verified = Client()
    sign_in_with_password(verified, enrolled_approver)
    verified.post(reverse("mfa:verify"), {"code": code_of(enrolled_approver.key)})
    with_second_factor = {url: queries(verified, url) for url in PAGES}
    assert {url: with_second_factor[url] - without[url] for url in PAGES} == dict.fromkeys(PAGES, 1)


@pytest.mark.usefixtures("required")
def test_holding_a_user_on_enrolment_reads_a_fixed_number_of_rows(approver):
    client = Client()
    client.force_login(approver)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("partners:list"))
    assert response.status_code == 302
    # The session and the user (authentication), the user's roles, one query per kind of device
    # (app, key, recovery codes: none found), and the session saved with the message: the same
    # whatever the page asked for.
    assert len(captured) == 9, [q["sql"] for q in captured]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("programmes:programme_list")).status_code == 302
    assert len(captured) == 9
