"""What the partner register tells the apps above it.

``partners`` knows nothing of programmes; an app that must act on a partner's status connects a
receiver in its ``AppConfig.ready`` (``programmes`` closes the agreed programmes of a partner that
is suspended or becomes a NATO member).
"""

from django.dispatch import Signal

# Sent by ``partners.actions.record_status_event`` inside the transaction that records the
# event, with ``partner``, ``kind``, ``on`` and ``actor``. It is sent with ``send``, not
# ``send_robust``: a receiver's exception rolls the event back, so the event and its
# consequences are recorded together or not at all.
status_event_recorded = Signal()
