"""A mail relay for the load test's outbox phase (``manage.py outbox_load``), as the workers'
mail backend (``DJANGO_EMAIL_BACKEND=programmes.devtools.relay.FileRelay``): while the file
``down`` exists in ``PFP_RELAY_DIR`` it refuses every message as a relay that has gone away
would; otherwise it accepts and appends the message's ``Message-ID`` to ``accepted``, one line
each (appends of a line are atomic, so several workers may share the file)."""

import os
import smtplib
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class FileRelay(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["PFP_RELAY_DIR"])
        if (folder / "down").exists():
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        with (folder / "accepted").open("a", encoding="utf-8") as accepted:
            for message in email_messages:
                accepted.write(f"{message.extra_headers['Message-ID']}\n")
        return len(email_messages)
