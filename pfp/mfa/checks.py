"""``MFA_REQUIRED_ROLES`` names only roles that exist: a misspelt name would silently require
nothing of the role meant."""

from django.conf import settings
from django.core import checks

from pfp.mfa.permissions import ROLE_NAMES


@checks.register(checks.Tags.security)
def required_roles_are_known(app_configs, **kwargs):
    unknown = [name for name in settings.MFA_REQUIRED_ROLES if name not in ROLE_NAMES]
    if not unknown:
        return []
    return [
        checks.Error(
            f"DJANGO_MFA_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"Use some of: {', '.join(ROLE_NAMES)} (comma-separated), or nothing.",
            id="mfa.E001",
        )
    ]
