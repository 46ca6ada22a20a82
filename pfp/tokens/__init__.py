"""Personal API tokens: a user creates and revokes them on the account page; other systems send
one with each API request (``Authorization: Bearer <token>``).

A token is shown once, when it is created; only its SHA-256 digest is kept (a token is 256
random bits, so a fast digest is as good as a slow one against guessing). Each token has a name,
an expiry and the time of its last use. ``actions`` creates and revokes them (with a history row
naming the actor); ``permissions`` says who may; ``authentication`` is the API's side (the
authentication class and the throttle per token). This app knows nothing above ``pfp``.
"""
