"""django-tasks-db's app (the task queue in the database), named in the reader's language."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks_db.apps import TasksAppConfig

# The package's model names (wrapped in gettext by the package, which ships no French), for the
# catalogue of this project to translate.
TASK_RESULT_NAMES = (gettext_noop("Task Result"), gettext_noop("Task Results"))


class TaskQueueConfig(TasksAppConfig):
    """The package's app config, its name translated (the package's own is an English string)."""

    verbose_name = _("Task queue")
