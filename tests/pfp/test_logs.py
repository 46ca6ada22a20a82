"""A refused or missing page is logged by Django's request log in one line, with the reason and
without a traceback (pfp/logs.py); a server error keeps its traceback."""

import logging
import sys

import pytest
from django.urls import reverse

from pfp.logs import ClientErrorsInOneLine


def request_log(caplog):
    return [record for record in caplog.records if record.name == "django.request"]


@pytest.mark.django_db
def test_a_refused_page_is_one_line_with_its_reason(client_as, viewer, caplog):
    path = reverse("programmes:programme_create")
    response = client_as(viewer).get(path)
    assert response.status_code == 403
    [record] = request_log(caplog)
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert record.getMessage().startswith(f"Forbidden (Permission denied): {path} (")
    # The reason the page gives is the one logged.
    reason = record.getMessage().removeprefix(f"Forbidden (Permission denied): {path} (")[:-1]
    assert reason
    assert reason in response.text


@pytest.mark.django_db
def test_a_missing_page_is_one_line(client_as, viewer, caplog):
    response = client_as(viewer).get("/programmes/999999/")
    assert response.status_code == 404
    [record] = request_log(caplog)
    assert record.exc_info is None
    assert record.getMessage().startswith("Not Found: /programmes/999999/")


def logged(status_code, exception):
    try:
        raise exception
    except type(exception):
        record = logging.LogRecord(
            "django.request", logging.WARNING, __file__, 1, "Refused: %s", ("/x",), sys.exc_info()
        )
    record.status_code = status_code
    ClientErrorsInOneLine().filter(record)
    return record


def test_a_server_error_keeps_its_traceback():
    record = logged(500, RuntimeError("broken"))
    assert record.exc_info is not None
    assert record.getMessage() == "Refused: /x"


def test_a_reason_with_a_percent_sign_is_not_read_as_a_format():
    record = logged(403, PermissionError("100% sure: %s"))
    assert record.exc_info is None
    assert record.getMessage() == "Refused: /x (100% sure: %s)"
