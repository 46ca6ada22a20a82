"""A mail relay for the outbox's tests, used as the ``default`` mailer's backend.

In the test's process it keeps what it accepts in ``Relay.accepted`` and refuses while
``Relay.refusals`` is above zero. In a worker started as a subprocess (``DJANGO_EMAIL_BACKEND``
names this class) it appends each accepted message, as a JSON line, to the file named by
``PFP_TEST_RELAY``; ``PFP_TEST_RELAY_DIE_AT=n`` kills the worker's process outright
(``os._exit``, no cleanup, as ``kill -9`` would) when the n-th message is handed over, before
the relay has accepted it; ``PFP_TEST_RELAY_DELAY`` (seconds) makes each message slow.
"""

import json
import os
import smtplib
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class Relay(BaseEmailBackend):
    accepted: list[dict] = []
    refusals = 0
    handed = 0

    def send_messages(self, email_messages):
        for message in email_messages:
            Relay.handed += 1
            if Relay.refusals > 0:
                Relay.refusals -= 1
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            if os.environ.get("PFP_TEST_RELAY_DIE_AT") == str(Relay.handed):
                os._exit(9)
            time.sleep(float(os.environ.get("PFP_TEST_RELAY_DELAY", "0")))
            record = {
                "to": message.to,
                "subject": message.subject,
                "message_id": message.extra_headers.get("Message-ID"),
            }
            if path := os.environ.get("PFP_TEST_RELAY"):
                with Path(path).open("a") as file:
                    file.write(json.dumps(record) + "\n")
            else:
                Relay.accepted.append(record)
        return len(email_messages)


def read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]
