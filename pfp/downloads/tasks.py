"""The downloads' scheduled cleanup (``PFP_SCHEDULE``), run by the worker."""

from django.tasks import task

from . import storage


@task
def delete_old_files() -> dict:
    return {"stale": storage.give_up_on_stale(), **storage.delete_old_files()}
