"""The API's views: thin, as the pages' are. Each names its permission rule (a ``Decision``),
starts its queryset from a visibility function, filters with a filterset, orders stably (the
filterset's order, then the id) and reads its page in a fixed number of queries."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from partners.filters import PartnerFilter
from partners.permissions import can_view_register, visible_partners
from programmes.api import serializers, writes
from programmes.api.filters import EventFilter, ProgrammeApiFilter, ReviewFilter
from programmes.delivery.models import Event
from programmes.delivery.permissions import can_record_for, visible_events, visible_reviews
from programmes.menu.filters import ActivityFilter
from programmes.menu.models import Activity, Area, Provider
from programmes.menu.permissions import can_view_menu
from programmes.models import (
    FIRST_PROGRAMME_YEAR,
    LAST_PROGRAMME_YEAR,
    Comment,
    Document,
    Goal,
    Objective,
    PlannedActivity,
)
from programmes.permissions import (
    can_view_programmes,
    visible_comments,
    visible_documents,
    visible_programmes,
)
from programmes.queries import programmes_for_list
from programmes.reports.delivery import year_delivery
from programmes.workflow import NotPermitted, WorkflowError


class RuleMixin:
    """Refuse (403, with the rule's reason) unless ``permission_rule(user)`` allows; after
    authentication (401 without a valid token)."""

    # Set by each view (or the mixin of its queries, listed after this one).
    permission_rule: object
    default_ordering: tuple[str, ...] = ()

    def check_permissions(self, request):
        super().check_permissions(request)
        decision = type(self).permission_rule(request.user)
        if not decision:
            self.permission_denied(request, message=str(decision.reason))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        ordering = tuple(queryset.query.order_by) or self.default_ordering
        return queryset.order_by(*ordering, "pk")


# --- The partner register ----------------------------------------------------------------------


class PartnerQueries:
    permission_rule = can_view_register
    lookup_field = "code"

    def get_queryset(self):
        return (
            visible_partners(self.request.user)
            .with_status()
            .in_name_order()
            .prefetch_related("status_events")
        )


@extend_schema(tags=["Partners"], summary="List partners")
class PartnerList(RuleMixin, PartnerQueries, generics.ListAPIView):
    """The partners the caller may see, with their status today. Without `status`, the active
    partners (as the register's page); `status=all` lists every partner."""

    serializer_class = serializers.PartnerSerializer
    filterset_class = PartnerFilter
    default_ordering = ("name_order",)


@extend_schema(tags=["Partners"], summary="One partner, with its status history")
class PartnerDetail(RuleMixin, PartnerQueries, generics.RetrieveAPIView):
    """A partner by its ISO code, with its French name and the dated events of its
    partnership."""

    serializer_class = serializers.PartnerDetailSerializer


# --- The menu ----------------------------------------------------------------------------------


@extend_schema(tags=["Menu"], summary="List the areas of cooperation")
class AreaList(RuleMixin, generics.ListAPIView):
    """The menu's areas of cooperation, in their order."""

    permission_rule = can_view_menu
    serializer_class = serializers.AreaSerializer
    default_ordering = ("order",)

    def get_queryset(self):
        return Area.objects.all()


@extend_schema(tags=["Menu"], summary="List the providers")
class ProviderList(RuleMixin, generics.ListAPIView):
    """The providers of the menu's activities (NATO bodies, nations, centres)."""

    permission_rule = can_view_menu
    serializer_class = serializers.ProviderSerializer
    default_ordering = ("name",)

    def get_queryset(self):
        return Provider.objects.all()


class ActivityQueries:
    permission_rule = can_view_menu
    serializer_class = serializers.ActivitySerializer
    lookup_field = "code"

    def get_queryset(self):
        return Activity.objects.select_related("area")


@extend_schema(tags=["Menu"], summary="List the menu's activities")
class ActivityList(RuleMixin, ActivityQueries, generics.ListAPIView):
    """The Partnership Cooperation Menu, searched and filtered as on its page: without `state`,
    the active activities."""

    filterset_class = ActivityFilter
    default_ordering = ("code",)


@extend_schema(tags=["Menu"], summary="One activity of the menu")
class ActivityDetail(RuleMixin, ActivityQueries, generics.RetrieveAPIView):
    """An activity by its code."""


# --- Programmes --------------------------------------------------------------------------------


class ProgrammeQueries:
    permission_rule = can_view_programmes

    def get_queryset(self):
        return with_usernames(visible_programmes(self.request.user).select_related("partner"))


def with_usernames(programmes):
    """``programmes`` with the username of each of their people (``serializers.PEOPLE``), each
    read by its own lookup of the user's key: joined, the five users made PostgreSQL spend
    longer planning each request (30 to 45 ms) than running it."""
    return programmes.annotate(
        **{
            f"{person}_username": Subquery(
                get_user_model().objects.filter(pk=OuterRef(person)).values("username")
            )
            for person in serializers.PEOPLE
        }
    )


@extend_schema(tags=["Programmes"], summary="List programme versions")
class ProgrammeList(RuleMixin, ProgrammeQueries, generics.ListAPIView):
    """Every version of every programme the caller may see, filtered as on the programme list.
    The programme in force of a partner: `?partner=GE&status=agreed&year=2026`."""

    serializer_class = serializers.ProgrammeListSerializer
    filterset_class = ProgrammeApiFilter
    default_ordering = ("partner__name", "-start_year", "-version")

    def get_queryset(self):
        # The programme list page's read: its ``last_change``, which ``ordering`` may sort by;
        # its people by username, not joined.
        return with_usernames(
            programmes_for_list(self.request.user).select_related(None).select_related("partner")
        )


@extend_schema(tags=["Programmes"], summary="One programme version, with its contents")
class ProgrammeDetail(RuleMixin, ProgrammeQueries, generics.RetrieveAPIView):
    """A version with its strategic objectives, their partnership goals and the activities
    planned for each goal, and who did what and when on each side."""

    serializer_class = serializers.ProgrammeDetailSerializer

    def get_queryset(self):
        planned = PlannedActivity.objects.select_related("activity", "programme").order_by(
            "year", "activity__code", "pk"
        )
        goals = Goal.objects.order_by("order", "pk").prefetch_related(
            Prefetch("planned_activities", queryset=planned)
        )
        objectives = Objective.objects.order_by("order", "pk").prefetch_related(
            Prefetch("goals", queryset=goals)
        )
        return super().get_queryset().prefetch_related(Prefetch("objectives", queryset=objectives))


@extend_schema(tags=["Programmes"], summary="The comments on a programme version")
class CommentList(RuleMixin, generics.ListAPIView):
    """The comments on one version that the caller may read, oldest first."""

    permission_rule = can_view_programmes
    serializer_class = serializers.CommentSerializer
    default_ordering = ("created_at",)
    queryset = Comment.objects.none()  # for the schema: the model listed

    def get_queryset(self):
        programme = get_object_or_404(visible_programmes(self.request.user), pk=self.kwargs["pk"])
        return (
            visible_comments(self.request.user).filter(programme=programme).select_related("author")
        )


@extend_schema(tags=["Programmes"], summary="The documents attached to a programme version")
class DocumentList(RuleMixin, generics.ListAPIView):
    """The documents of one version that the caller may read (a representative, the shared
    ones), with their metadata and a link to each file."""

    permission_rule = can_view_programmes
    serializer_class = serializers.DocumentSerializer
    default_ordering = ("added_at",)
    queryset = Document.objects.none()  # for the schema: the model listed

    def get_queryset(self):
        programme = get_object_or_404(visible_programmes(self.request.user), pk=self.kwargs["pk"])
        return (
            visible_documents(self.request.user)
            .filter(programme=programme)
            .select_related("added_by", "superseded_by")
        )


@extend_schema(
    tags=["Programmes"],
    summary="A document's file",
    responses={
        (200, "application/octet-stream"): OpenApiResponse(
            response=OpenApiTypes.BINARY,
            description="The file as an attachment, with the type it was checked to have.",
        )
    },
)
class DocumentFile(RuleMixin, generics.GenericAPIView):
    """The file of a document the caller may read, as the programme's page serves it: an
    attachment whose type is not to be guessed, kept by no cache."""

    permission_rule = can_view_programmes

    def get(self, request, pk):
        document = get_object_or_404(visible_documents(request.user), pk=pk)
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type="application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store, private"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


# --- Delivery ----------------------------------------------------------------------------------


class EventQueries:
    permission_rule = can_view_programmes
    serializer_class = serializers.EventSerializer

    def get_queryset(self):
        return visible_events(self.request.user).select_related(
            "partner", "activity", "recorded_by"
        )


@extend_schema(tags=["Delivery"], summary="List delivery events")
class EventList(RuleMixin, EventQueries, generics.ListAPIView):
    """The events of the programmes the caller may see, by first day."""

    filterset_class = EventFilter
    default_ordering = ("start_date", "activity__code")


@extend_schema(tags=["Delivery"], summary="One delivery event")
class EventDetail(RuleMixin, EventQueries, generics.RetrieveAPIView):
    """An event by its id."""


REFERENCE = OpenApiParameter(
    "ref",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The event-management system's reference of the event (unique per partner).",
)
CODE = OpenApiParameter(
    "code",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The partner's ISO code.",
    pattern="^[A-Z]{2}$",
)


@extend_schema_view(
    get=extend_schema(
        tags=["Delivery"],
        summary="One event by its external reference",
        description="The event the event-management system knows as `ref`, for the partner.",
        parameters=[CODE, REFERENCE],
    ),
    put=extend_schema(
        tags=["Delivery"],
        summary="Record or correct an event by its external reference",
        description=(
            "Records the event `ref` of the partner, or corrects it, as a row of an import of "
            "events: a new reference delivers the activity planned in that programme year of the "
            "partner's programme in force whose years hold the first day; a known one corrects "
            "the fields that differ. Sending the same request again changes nothing. The "
            "partner's assigned programme officers (and administrators) only."
        ),
        parameters=[CODE, REFERENCE],
        request=serializers.EventInputSerializer,
        responses={
            200: serializers.EventSerializer,
            201: serializers.EventSerializer,
        },
    ),
)
class PartnerEvent(RuleMixin, generics.GenericAPIView):
    permission_rule = can_view_programmes
    serializer_class = serializers.EventSerializer

    def get_partner(self):
        return get_object_or_404(visible_partners(self.request.user), code=self.kwargs["code"])

    def get(self, request, code, ref):
        partner = self.get_partner()
        writes.check_reference(ref)  # a NUL character is refused here, not by PostgreSQL
        event = get_object_or_404(
            visible_events(request.user).select_related("partner", "activity", "recorded_by"),
            partner=partner,
            external_ref=ref,
        )
        return Response(self.get_serializer(event).data)

    def put(self, request, code, ref):
        partner = self.get_partner()
        decision = can_record_for(request.user, partner)
        if not decision:
            raise PermissionDenied(str(decision.reason))
        given = serializers.EventInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            written = writes.put_event(
                actor=request.user, partner=partner, ref=ref, data=given.validated_data
            )
        except NotPermitted as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        except WorkflowError as refusal:
            raise ValidationError(str(refusal)) from refusal
        event = (
            Event.objects.select_related("partner", "activity", "recorded_by")
            .filter(pk=written.event.pk)
            .get()
        )
        return Response(
            self.get_serializer(event).data,
            status=status.HTTP_201_CREATED if written.created else status.HTTP_200_OK,
        )


class ReviewQueries:
    permission_rule = can_view_programmes
    serializer_class = serializers.AnnualReviewSerializer

    def get_queryset(self):
        return (
            visible_reviews(self.request.user)
            .select_related("partner", "created_by", "submitted_by", "acknowledged_by")
            .prefetch_related("ratings")
        )


@extend_schema(tags=["Delivery"], summary="List annual reviews")
class ReviewList(RuleMixin, ReviewQueries, generics.ListAPIView):
    """The annual reviews of the programmes the caller may see."""

    filterset_class = ReviewFilter
    default_ordering = ("partner__name", "lineage", "year")


@extend_schema(tags=["Delivery"], summary="One annual review")
class ReviewDetail(RuleMixin, ReviewQueries, generics.RetrieveAPIView):
    """An annual review by its id, with its rating per objective."""


@extend_schema(
    tags=["Delivery"],
    summary="The delivery figures of a calendar year",
    parameters=[
        OpenApiParameter(
            "year",
            OpenApiTypes.INT,
            OpenApiParameter.PATH,
            description=f"The calendar year, {FIRST_PROGRAMME_YEAR} to {LAST_PROGRAMME_YEAR}.",
        )
    ],
)
class YearDeliveryView(RuleMixin, generics.GenericAPIView):
    """Planned against delivered in one calendar year, over the programmes in force the caller
    may see: in all, by partner, by area and by provider (the report's figures)."""

    permission_rule = can_view_programmes
    serializer_class = serializers.YearDeliverySerializer
    pagination_class = None

    def get(self, request, year):
        if not FIRST_PROGRAMME_YEAR <= year <= LAST_PROGRAMME_YEAR:
            raise ValidationError(
                {"year": f"{FIRST_PROGRAMME_YEAR}–{LAST_PROGRAMME_YEAR}"}  # noqa: RUF001
            )
        figures = year_delivery(request.user, year)

        def tally(value, **key):
            return {**key, **{f: getattr(value, f) for f in serializers.TallySerializer().fields}}

        data = {
            "year": year,
            "total": tally(figures.total),
            "by_partner": [
                tally(value, partner=code)
                for (_pk, _name, code), value in sorted(figures.by_partner.items(), key=_by_code)
            ],
            "by_area": [
                tally(value, area=area.code)
                for area, value in sorted(figures.by_area.items(), key=lambda i: i[0].order)
            ],
            "by_provider": [
                tally(value, provider=pk)
                for (pk, _name), value in sorted(
                    figures.by_provider.items(), key=lambda i: (i[0][0] is None, i[0][0] or 0)
                )
            ],
        }
        return Response(serializers.YearDeliverySerializer(data).data)


def _by_code(item):
    return item[0][2]


@extend_schema(exclude=True)
class UnknownPath(APIView):
    """Any other path under /api/v1/: 401 without a valid token (as everywhere), then 404 in
    JSON (not the site's redirect to its login page, which a path no view matches gets)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound()


# --- The schema --------------------------------------------------------------------------------


@extend_schema(exclude=True)
class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of the API, in English whatever the caller's language."""

    def get(self, request, *args, **kwargs):
        with translation.override("en"):
            return super().get(request, *args, **kwargs)
