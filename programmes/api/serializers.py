"""The shapes the API answers with, all read-only: no serializer here saves a model (the one
write, ``writes``, goes through ``programmes.delivery.actions``).

Every field is typed and described in the OpenAPI schema: a field without its own help text is
described by its model field's name (``Described``).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import capfirst
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.models import EventKind, Partner, PartnerStatus, StatusEvent
from programmes.delivery.models import AnnualReview, Event, EventStatus, ObjectiveProgress
from programmes.menu.models import Activity, Area, Provider
from programmes.models import Comment, Document, Goal, Objective, PlannedActivity, Programme


class Described(serializers.ModelSerializer):
    """A model serializer whose every field carries a description (its help text, else its
    model field's name), all read-only."""

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            field.read_only = True
            if not field.help_text:
                field.help_text = capfirst(str(field.label or name.replace("_", " ")))
        return fields


class UserName(serializers.SlugRelatedField):
    """A user by username (null where nobody did it yet)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", read_only=True, **kwargs)


class ProgrammePerson(serializers.CharField):
    """One of a programme version's people (``PEOPLE``) by username, null where nobody did it
    yet: read from the ``<person>_username`` annotation of the API's programme queries
    (``views.with_usernames``), not from the user."""

    def __init__(self, person: str, **kwargs):
        super().__init__(source=f"{person}_username", read_only=True, allow_null=True, **kwargs)


# The people of a programme version: the fields of ``ProgrammeSerializer`` that name a user.
PEOPLE = (
    "created_by",
    "submitted_by",
    "approved_by",
    "agreement_recorded_by",
    "partner_accepted_by",
)


# --- The partner register ----------------------------------------------------------------------


class StatusEventSerializer(Described):
    kind = serializers.ChoiceField(choices=EventKind.choices, help_text="What happened.")
    on = serializers.DateField(
        allow_null=True, help_text="The date (null when only the order of events is known)."
    )

    class Meta:
        model = StatusEvent
        fields = ["kind", "on", "year_only", "note"]


class PartnerSerializer(Described):
    status = serializers.ChoiceField(
        choices=PartnerStatus.choices, help_text="The partner's status today."
    )
    url = serializers.SerializerMethodField(help_text="This partner in the API.")

    class Meta:
        model = Partner
        fields = ["code", "name", "name_fr", "framework", "status", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, partner) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:partner-detail", kwargs={"code": partner.code})
        )


class PartnerDetailSerializer(PartnerSerializer):
    status_history = StatusEventSerializer(
        source="timeline", many=True, help_text="The dated events of the partnership, oldest first."
    )

    class Meta(PartnerSerializer.Meta):
        fields = [*PartnerSerializer.Meta.fields, "status_history"]


# --- The menu ----------------------------------------------------------------------------------


class AreaSerializer(Described):
    class Meta:
        model = Area
        fields = ["code", "name_en", "name_fr", "order"]


class ProviderSerializer(Described):
    class Meta:
        model = Provider
        fields = ["id", "name", "kind"]


class ActivitySerializer(Described):
    area = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The area of cooperation's code."
    )
    provider = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The provider's id (see /api/v1/menu/providers/).",
    )
    retired_in = serializers.IntegerField(
        allow_null=True, help_text="The year from which it can no longer be chosen (null: active)."
    )

    class Meta:
        model = Activity
        fields = [
            "code",
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


# --- Programmes --------------------------------------------------------------------------------


class ProgrammeSerializer(Described):
    partner = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The partner's ISO code."
    )
    lineage = serializers.UUIDField(
        help_text="Shared by every version of one programme (delivery belongs to it)."
    )
    revises = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The id of the version this one revises."
    )
    created_by = ProgrammePerson("created_by", help_text="NATO side: who created this version.")
    submitted_by = ProgrammePerson("submitted_by", help_text="NATO side: who submitted it.")
    approved_by = ProgrammePerson("approved_by", help_text="NATO side: who approved it.")
    agreement_recorded_by = ProgrammePerson(
        "agreement_recorded_by", help_text="Who recorded the partner's agreement."
    )
    agreed_on = serializers.DateField(
        allow_null=True, help_text="Partner side: the date the partner agreed to it."
    )
    partner_signatory = serializers.CharField(
        help_text="Partner side: who signed for the partner (empty until agreed)."
    )
    in_force = serializers.SerializerMethodField(
        help_text="Whether this version is in force today (agreed, and today in its years)."
    )
    shared_with_partner = serializers.BooleanField(
        help_text="Partner side: whether the partner's representatives see this version."
    )
    partner_accepted_by = ProgrammePerson(
        "partner_accepted_by",
        help_text="Partner side: the representative who accepted it in the product.",
    )
    partner_accepted_at = serializers.DateTimeField(
        allow_null=True, help_text="Partner side: when the representative accepted it."
    )
    url = serializers.SerializerMethodField(help_text="This version, with its contents.")

    class Meta:
        model = Programme
        fields = [
            "id",
            "partner",
            "title",
            "summary",
            "start_year",
            "end_year",
            "status",
            "in_force",
            "lineage",
            "version",
            "revises",
            "created_by",
            "created_at",
            "submitted_by",
            "submitted_at",
            "approved_by",
            "approved_at",
            "shared_with_partner",
            "partner_accepted_by",
            "partner_accepted_at",
            "agreed_on",
            "partner_signatory",
            "agreement_recorded_by",
            "closed_at",
            "closed_reason",
            "url",
        ]

    def get_in_force(self, programme) -> bool:
        return programme.is_in_force()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, programme) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:programme-detail", kwargs={"pk": programme.pk})
        )


class ProgrammeListSerializer(ProgrammeSerializer):
    last_change = serializers.DateTimeField(
        help_text="The latest change to the version or its contents."
    )

    class Meta(ProgrammeSerializer.Meta):
        fields = [*ProgrammeSerializer.Meta.fields, "last_change"]


class PlannedActivitySerializer(Described):
    activity = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The menu activity's code."
    )
    title = serializers.CharField(source="activity.title_en", help_text="The activity's title.")
    calendar_year = serializers.IntegerField(help_text="The calendar year it is planned in.")

    class Meta:
        model = PlannedActivity
        fields = ["id", "key", "activity", "title", "year", "calendar_year", "priority", "notes"]


class GoalSerializer(Described):
    planned_activities = PlannedActivitySerializer(
        many=True, help_text="The menu activities planned to serve this goal."
    )

    class Meta:
        model = Goal
        fields = ["id", "key", "order", "title", "description", "planned_activities"]


class ObjectiveSerializer(Described):
    goals = GoalSerializer(many=True, help_text="The partnership goals under this objective.")

    class Meta:
        model = Objective
        fields = ["id", "key", "order", "title", "description", "goals"]


class ProgrammeDetailSerializer(ProgrammeSerializer):
    objectives = ObjectiveSerializer(
        many=True, help_text="The strategic objectives, in order, with their goals and activities."
    )

    class Meta(ProgrammeSerializer.Meta):
        fields = [*ProgrammeSerializer.Meta.fields, "objectives"]


class CommentSerializer(Described):
    author = UserName(help_text="Who wrote it.")

    class Meta:
        model = Comment
        fields = ["id", "kind", "text", "author", "created_at"]


class DocumentSerializer(Described):
    added_by = UserName(help_text="Who attached it.")
    supersedes = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The id of the document this one replaces."
    )
    current = serializers.SerializerMethodField(
        help_text="Whether no newer document supersedes it."
    )
    download_url = serializers.SerializerMethodField(
        help_text="The file, with the same token (an attachment)."
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "title",
            "audience",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "supersedes",
            "current",
            "added_by",
            "added_at",
            "download_url",
        ]

    def get_current(self, document) -> bool:
        return not hasattr(document, "superseded_by")

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:document-file", kwargs={"pk": document.pk})
        )


# --- Delivery ----------------------------------------------------------------------------------


class EventSerializer(Described):
    partner = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The partner's ISO code."
    )
    lineage = serializers.UUIDField(help_text="The programme (every version of it) delivered.")
    activity = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The menu activity's code."
    )
    planned = serializers.BooleanField(
        source="is_planned", help_text="Whether the event delivers a planned activity."
    )
    planned_key = serializers.UUIDField(
        allow_null=True, help_text="The key of the planned activity it delivers (null: unplanned)."
    )
    goal_key = serializers.UUIDField(help_text="The key of the partnership goal it serves.")
    provider = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The provider's id."
    )
    recorded_by = UserName(help_text="Who recorded it.")
    status = serializers.ChoiceField(choices=EventStatus.choices, help_text="What happened.")

    class Meta:
        model = Event
        fields = [
            "id",
            "partner",
            "lineage",
            "activity",
            "planned",
            "planned_key",
            "goal_key",
            "year",
            "start_date",
            "end_date",
            "place",
            "online",
            "provider",
            "status",
            "cancellation_reason",
            "postponed_to",
            "participants",
            "women",
            "rating",
            "evaluation",
            "external_ref",
            "recorded_by",
            "recorded_at",
        ]


class ObjectiveProgressSerializer(Described):
    objective_key = serializers.UUIDField(help_text="The key of the strategic objective rated.")

    class Meta:
        model = ObjectiveProgress
        fields = ["objective_key", "progress", "narrative"]


class AnnualReviewSerializer(Described):
    partner = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The partner's ISO code."
    )
    lineage = serializers.UUIDField(help_text="The programme (every version of it) reviewed.")
    created_by = UserName(help_text="Who started it.")
    submitted_by = UserName(allow_null=True, help_text="Who submitted it.")
    acknowledged_by = UserName(allow_null=True, help_text="The approver who acknowledged it.")
    ratings = ObjectiveProgressSerializer(many=True, help_text="The progress per objective.")

    class Meta:
        model = AnnualReview
        fields = [
            "id",
            "partner",
            "lineage",
            "year",
            "status",
            "overall",
            "return_comment",
            "ratings",
            "created_by",
            "created_at",
            "submitted_by",
            "submitted_at",
            "acknowledged_by",
            "acknowledged_at",
        ]


class TallySerializer(serializers.Serializer):
    planned = serializers.IntegerField(help_text="Planned activities.")
    delivered = serializers.IntegerField(help_text="Planned activities delivered.")
    cancelled = serializers.IntegerField(help_text="Planned activities cancelled.")
    postponed = serializers.IntegerField(help_text="Planned activities postponed.")
    not_recorded = serializers.IntegerField(help_text="Planned activities with nothing recorded.")
    outside_plan = serializers.IntegerField(help_text="Delivered events the plan does not hold.")
    participants = serializers.IntegerField(help_text="Participants of the delivered events.")
    women = serializers.IntegerField(help_text="Of whom women (where known).")
    rate = serializers.IntegerField(
        allow_null=True, help_text="Delivered planned activities, in percent (null: none planned)."
    )
    share_of_women = serializers.IntegerField(
        allow_null=True, help_text="Women in percent of the participants counted (null: none)."
    )


class TallyByPartnerSerializer(TallySerializer):
    partner = serializers.CharField(help_text="The partner's ISO code.")


class TallyByAreaSerializer(TallySerializer):
    area = serializers.CharField(help_text="The area of cooperation's code.")


class TallyByProviderSerializer(TallySerializer):
    provider = serializers.IntegerField(allow_null=True, help_text="The provider's id.")


class YearDeliverySerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="The calendar year.")
    total = TallySerializer(help_text="Every visible programme in force, that year.")
    by_partner = TallyByPartnerSerializer(many=True, help_text="By partner.")
    by_area = TallyByAreaSerializer(many=True, help_text="By area of cooperation.")
    by_provider = TallyByProviderSerializer(many=True, help_text="By provider.")


# --- Writes: the input's shape only ------------------------------------------------------------


class EventInputSerializer(serializers.Serializer):
    """An event as the event-management system knows it: the columns of an import of events."""

    programme_year = serializers.IntegerField(
        min_value=1, max_value=4, help_text="The year of the programme, 1 to 4."
    )
    activity_code = serializers.CharField(
        max_length=13, help_text="The menu activity's code, planned in that year."
    )
    first_day = serializers.DateField(help_text="The first day (YYYY-MM-DD).")
    last_day = serializers.DateField(help_text="The last day (YYYY-MM-DD).")
    place = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="The place."
    )
    online = serializers.BooleanField(
        required=False, default=False, help_text="Whether the event is online."
    )
    status = serializers.ChoiceField(
        choices=EventStatus.choices, help_text="What happened (scheduled until it took place)."
    )
    cancellation_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why it was cancelled (only for a cancelled event).",
    )
    postponed_to = serializers.IntegerField(
        min_value=2,
        max_value=4,
        required=False,
        allow_null=True,
        default=None,
        help_text="The later programme year it is postponed to (only for a postponed event).",
    )
    participants = serializers.IntegerField(
        min_value=0,
        max_value=1_000_000,
        required=False,
        allow_null=True,
        default=None,
        help_text="Participants from the partner.",
    )
    women = serializers.IntegerField(
        min_value=0,
        max_value=1_000_000,
        required=False,
        allow_null=True,
        default=None,
        help_text="Of whom women.",
    )
    rating = serializers.IntegerField(
        min_value=1,
        max_value=5,
        required=False,
        allow_null=True,
        default=None,
        help_text="The rating, 1 to 5 (only for a delivered event).",
    )
    evaluation = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="The evaluation."
    )
