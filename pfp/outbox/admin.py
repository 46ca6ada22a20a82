"""The outbox for administrators: every e-mail with its status, tries and last error; failed
ones can be given a new series of tries (``sending.retry``), each recorded in the admin's log
(the outbox is itself a record: it has no history table of its own)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pfp.admin import ReadOnly
from pfp.permissions import is_administrator

from . import sending
from .models import Message, ScheduledRun


@admin.register(Message)
class MessageAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["subject", "address", "kind", "status", "tries", "created_at", "sent_at"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["address", "subject", "key"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    list_select_related = False

    def has_retry_permission(self, request):
        return is_administrator(request.user)

    @admin.action(description=_("Retry the selected failed e-mails"), permissions=["retry"])
    def retry(self, request, queryset):
        failed = list(queryset.filter(status=Message.Status.FAILED))
        count = sending.retry(queryset)
        for message in failed:  # the admin's log names who retried what, and when
            self.log_change(request, message, [{"changed": {"fields": ["status"]}}])
        self.message_user(
            request,
            ngettext(
                "%(count)d failed e-mail will be sent again.",
                "%(count)d failed e-mails will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "occasion", "enqueued_at"]
    list_filter = ["name"]
