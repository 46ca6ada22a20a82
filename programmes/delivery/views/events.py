"""Event pages: the delivery page of a programme (its lineage's events by year, against one
version's plan), an event's page, scheduling an event of a planned activity, recording an
unplanned one, correcting an event or recording its outcome, and deleting one.

Views validate the input's shape with a form, call ``programmes.delivery.actions`` and
redirect; the actions decide (who records, what an event may say, which version takes records)
and their refusals become form errors, messages or the 403 page that says why
(``programmes.delivery.views.common``). Reads go through ``programmes.delivery.queries``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from pfp.views import PermissionMixin
from programmes.delivery import actions, queries
from programmes.delivery.forms import EventForm, EventScheduleForm, UnplannedEventForm
from programmes.delivery.models import Event
from programmes.delivery.permissions import can_record_for, visible_events
from programmes.delivery.views.common import (
    RecordingOnProgramme,
    add_errors,
    error_messages,
    not_in_force_message,
    refused,
)
from programmes.forms.drafting import programme_goals
from programmes.models import Goal, PlannedActivity, ProgrammeStatus
from programmes.permissions import can_view_programmes
from programmes.workflow import EditConflict, NotPermitted, WorkflowError


def delivery_url(programme, anchor: str = "") -> str:
    return reverse("programmes:programme_delivery", kwargs={"pk": programme.pk}) + anchor


# --- Reading ---------------------------------------------------------------------------------


class DeliveryView(PermissionMixin, TemplateView):
    """The events of a programme's lineage by year, against the plan of the version ``pk``."""

    permission_rule = can_view_programmes
    template_name = "programmes/delivery/delivery_page.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        programme = queries.programme_for_delivery(user, self.kwargs["pk"])
        section = queries.delivery_section(user, programme) or queries.DeliverySection(
            years=queries.lineage_years(programme), in_force=False, may_record=False
        )
        return super().get_context_data(programme=programme, delivery=section, **kwargs)


class EventDetailView(PermissionMixin, TemplateView):
    permission_rule = can_view_programmes
    template_name = "programmes/delivery/event_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        events = visible_events(user).for_lists().select_related("recorded_by")
        event = get_object_or_404(events, pk=self.kwargs["pk"])
        programme = queries.lineage_version(user, event.lineage)
        if programme is None:  # every event was recorded on a version the partner agreed to
            raise Http404
        planned = (
            PlannedActivity.objects.filter(programme=programme, key=event.planned_key)
            .select_related("activity")
            .first()
        )
        goal = Goal.objects.filter(objective__programme=programme, key=event.goal_key).first()
        in_force = programme.status == ProgrammeStatus.AGREED
        if event.planned_key is None:
            plan = queries.UNPLANNED
        else:
            plan = queries.PLANNED if planned else queries.NO_LONGER_PLANNED
        return super().get_context_data(
            event=event,
            programme=programme,
            planned=planned,
            goal=goal,
            plan_label=queries.PLAN_LABELS[plan],
            may_record=in_force and bool(can_record_for(user, event.partner)),
            **kwargs,
        )


# --- Recording on a version in force -----------------------------------------------------------


class _NewEventView(RecordingOnProgramme, FormView):
    template_name = "programmes/delivery/event_form.html"
    heading = ""

    def record(self, form) -> Event:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            event = self.record(form)
        except NotPermitted as error:
            return refused(self.request, error.message, self)
        except (WorkflowError, ValidationError) as error:
            add_errors(form, error)
            return self.form_invalid(form)
        names = {
            "code": event.activity.code,
            "start": date_format(event.start_date),
            "place": event.place or _("online"),
        }
        if event.start_date <= timezone.localdate():
            messages.success(
                self.request,
                _("%(code)s of %(start)s (%(place)s) recorded: now record what happened.") % names,
            )
            return redirect("programmes:event_edit", pk=event.pk)
        messages.success(self.request, _("%(code)s scheduled on %(start)s (%(place)s).") % names)
        return redirect(delivery_url(self.programme, f"#event-{event.pk}"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)


class EventCreateView(_NewEventView):
    """Schedule an event of an activity the version in force plans (``?planned=<pk>`` chooses
    it, and its year, beforehand)."""

    form_class = EventScheduleForm

    @property
    def heading(self):
        return _("Schedule an event")

    def load(self):
        planned = PlannedActivity.objects.select_related("activity").order_by(
            "year", "activity__code"
        )
        prefetch_related_objects([self.programme], Prefetch("planned_activities", planned))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.programme}

    def get_initial(self):
        chosen = self.request.GET.get("planned", "")
        if not chosen.isdigit():
            return {}
        planned = (
            PlannedActivity.objects.filter(programme_id=self.kwargs["pk"], pk=int(chosen))
            .only("pk", "year")
            .first()
        )
        if planned is None:
            return {}
        return {"planned": planned.pk, "year": self.programme.start_year + planned.year - 1}

    def record(self, form):
        return actions.record_event(
            actor=self.request.user,
            programme=self.programme,
            planned=form.cleaned_data["planned"],
            token=form.cleaned_data.get("token"),
            **form.event_fields(),
        )


class UnplannedEventCreateView(_NewEventView):
    """Record an event of a menu activity the programme did not plan, serving one of its
    partnership goals."""

    form_class = UnplannedEventForm

    @property
    def heading(self):
        return _("Record an unplanned event")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "programme": self.programme,
            "goals": programme_goals(self.programme),
        }

    def record(self, form):
        return actions.record_event(
            actor=self.request.user,
            programme=self.programme,
            activity=form.cleaned_data["activity"],
            goal=form.cleaned_data["goal"],
            token=form.cleaned_data.get("token"),
            **form.event_fields(),
        )


# --- Changing one event ----------------------------------------------------------------------


class _LoadsEventInForce:
    """Loads the visible event ``pk`` (404 otherwise); refuses (403, saying why) a user who may
    not record for its partner; sends to the event's page, with a message, when its programme
    has no version in force any more."""

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        events = visible_events(request.user).select_related("partner", "activity")
        self.event = get_object_or_404(events, pk=kwargs["pk"])
        decision = can_record_for(request.user, self.event.partner)
        if not decision:
            return refused(request, decision.reason, self)
        self.programme = actions.in_force_version(self.event.lineage)
        if self.programme is None:
            messages.error(request, not_in_force_message())
            return redirect("programmes:event_detail", pk=self.event.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, programme=self.programme, **kwargs)


class RecordingOnEvent(PermissionMixin, _LoadsEventInForce):
    permission_rule = can_view_programmes


class EventUpdateView(RecordingOnEvent, FormView):
    """Correct an event or record its outcome. The form carries the event's edit stamp: a save
    over a change made since is refused (409) with the user's input kept and the stamp of now,
    so that saving again, once the user has looked, goes through."""

    form_class = EventForm
    template_name = "programmes/delivery/event_form.html"
    conflict = False

    def get_initial(self):
        return EventForm.initial_for(self.event, self.programme)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.programme}

    def get_context_data(self, **kwargs):
        heading = _("%(code)s of %(start)s") % {
            "code": self.event.activity.code,
            "start": date_format(self.event.start_date),
        }
        return super().get_context_data(heading=heading, editing=True, **kwargs)

    def form_valid(self, form):
        try:
            event = actions.update_event(
                actor=self.request.user,
                event=self.event,
                seen_stamp=form.cleaned_data["seen_stamp"],
                **form.event_fields(),
            )
        except NotPermitted as error:
            return refused(self.request, error.message, self)
        except EditConflict as error:
            self.conflict = True
            form.add_error(None, error.message)
            data = form.data.copy()
            data["seen_stamp"] = (
                Event.objects.filter(pk=self.event.pk).values_list("edit_stamp", flat=True).first()
            )
            form.data = data
            return self.form_invalid(form)
        except (WorkflowError, ValidationError) as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(code)s of %(start)s saved: %(status)s.")
            % {
                "code": event.activity.code,
                "start": date_format(event.start_date),
                "status": event.get_status_display().lower(),
            },
        )
        return redirect(delivery_url(self.programme, f"#event-{event.pk}"))

    def form_invalid(self, form):
        if "seen_stamp" in form.errors:
            form.add_error(None, _("The form was not understood: open it again from the event."))
        response = super().form_invalid(form)
        if self.conflict:
            response.status_code = 409
        return response


class EventDeleteView(RecordingOnEvent, View):
    """GET: the confirmation; POST: the event is deleted (its history keeps it)."""

    def get(self, request, *args, **kwargs):
        context = {"event": self.event, "programme": self.programme}
        return render(request, "programmes/delivery/event_confirm_delete.html", context)

    def post(self, request, *args, **kwargs):
        try:
            actions.delete_event(actor=request.user, event=self.event)
        except NotPermitted as error:
            return refused(request, error.message, self)
        except (WorkflowError, ValidationError) as error:
            error_messages(request, error)
            return redirect(delivery_url(self.programme))
        messages.success(
            request,
            _("The event %(code)s of %(start)s was deleted.")
            % {"code": self.event.activity.code, "start": date_format(self.event.start_date)},
        )
        return redirect(delivery_url(self.programme, f"#year-{self.event.year}"))
