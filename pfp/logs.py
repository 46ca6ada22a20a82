"""What the product's logs keep (``settings.LOGGING``)."""

import logging


class ClientErrorsInOneLine(logging.Filter):
    """A 4xx answer logged by Django's request log (``django.request``) keeps one line: the
    status's words, the path and the exception's own message, without the exception's
    traceback.

    Django gives each 403 and 404 a warning with the traceback of the exception behind it, a
    dozen lines of its own request handler that say nothing of why: the reason is in the
    exception's message, and the product's own log says who was refused and by which rule
    (``pfp.access``, ``programmes.workflow``). A 5xx keeps its traceback.
    """

    def filter(self, record):
        if getattr(record, "status_code", 500) < 500 and record.exc_info:
            exception = record.exc_info[1]
            reason = str(exception) if exception is not None else ""
            if reason:
                # The message is a %-format: a reason with "%" in it must not be read as one.
                record.msg = f"{record.msg} ({reason.replace('%', '%%')})"
            record.exc_info = None
            record.exc_text = None
        return True
