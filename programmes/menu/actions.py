"""Every change to a single menu activity goes through these functions.

Pages, admin actions, the importer and management commands call them. Each is atomic, takes the
acting user explicitly (``None`` for the command line), checks the actor's permission, locks the
row it changes, validates the model and leaves a history row naming the actor.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from programmes.menu.models import Activity
from programmes.menu.permissions import can_edit_menu

EDITABLE_FIELDS = [
    "title_en",
    "title_fr",
    "description_en",
    "description_fr",
    "area",
    "type",
    "provider",
    "delivery_mode",
    "length_days",
    "first_offered",
    "retired_in",
]


def _check_actor(actor) -> None:
    if actor is not None:
        decision = can_edit_menu(actor)
        if not decision:
            raise PermissionDenied(decision.reason)


def create_activity(*, actor, code: str, **fields) -> Activity:
    _check_actor(actor)
    with transaction.atomic():
        activity = Activity(code=code, **fields)
        activity.full_clean()
        activity._history_user = actor
        try:
            with transaction.atomic():
                activity.save()
        except IntegrityError:
            # Another request saved the same code between the check above and this save.
            raise ValidationError(
                {"code": _("An activity with this code already exists.")}
            ) from None
    return activity


def update_activity(*, activity: Activity, actor, **changes) -> Activity:
    """Change an activity's fields (never its code); saves only when something changed."""
    _check_actor(actor)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        changed = [name for name, value in changes.items() if getattr(activity, name) != value]
        if not changed:
            return activity
        for name in changed:
            setattr(activity, name, changes[name])
        activity.full_clean()
        activity._history_user = actor
        activity.save(update_fields=[Activity._meta.get_field(n).attname for n in changed])
    return activity


def retire_activity(*, activity: Activity, year: int, actor) -> Activity:
    """Withdraw an activity from the menu from ``year`` on; programmes that chose it keep it."""
    _check_actor(actor)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.retired_in is not None:
            raise ValidationError(
                _("%(code)s was already retired in %(year)s.")
                % {"code": activity.code, "year": activity.retired_in}
            )
        activity.retired_in = year
        activity.full_clean()
        activity._history_user = actor
        activity.save(update_fields=["retired_in"])
    return activity
