"""The second factor: authenticator apps (TOTP) and single-use recovery codes, through django-otp.

Who must have one (``permissions.second_factor_required``: the roles of ``MFA_REQUIRED_ROLES``),
what a user's devices are and how a code is checked (``devices``), every change of a user's
devices (``actions``), the second step of signing in and the security page (``views``), and the
middleware that keeps a user who must have a second factor on the enrolment pages until they have
one, and on the code page until this session was verified (``middleware``).

It stands on ``pfp`` (users, roles, ``Decision``) and imports no app above it.
"""
