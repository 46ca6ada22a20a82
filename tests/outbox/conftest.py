"""The outbox's tests run the real queue (``tests.outbox.worker``) with the test relay
(``tests.outbox.relay``) as the mail server."""

import pytest

from tests.outbox.relay import Relay


@pytest.fixture
def queue_and_relay(settings):
    """The database queue, and the test relay as the mail server."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "tests.outbox.relay.Relay"}}
    Relay.accepted, Relay.refusals, Relay.handed = [], 0, 0
    yield Relay
    Relay.accepted, Relay.refusals, Relay.handed = [], 0, 0
