"""API of the assistant's field work: training sessions (and their attendance),
visits and income surveys. Scopes as the pages: assistants their own work and their
farmers' households, officials their counties' (read only), staff all; writes go
through assistants.fieldwork and assistants.surveys."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.response import Response

from accounts.api import PeopleRoles
from accounts.models import Role
from assistants import fieldwork, surveys
from assistants.models import (
    SURVEY_FIELDS,
    Assistant,
    IncomeSurvey,
    SkillTopic,
    TrainingSession,
    Visit,
)
from assistants.selectors import (
    surveys_visible_to,
    training_visible_to,
    visits_visible_to,
)
from common.api import call_service
from common.web import IdConverter
from farmers.models import Farmer, Household


class AssistantsWrite(BasePermission):
    """Reading for the people roles; writing for assistants only."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return PeopleRoles().has_permission(request, view)
        user = request.user
        return bool(user.is_authenticated and user.role == Role.ASSISTANT)


def _assistant(request) -> Assistant:
    return get_object_or_404(Assistant, user=request.user)


# DRF looks each id of a list up on its own, so a list is capped: an 8 MB body of
# ids would otherwise be a million lookups. (The pages' forms look up a list in one
# query, and Django stops them at DATA_UPLOAD_MAX_NUMBER_FIELDS.)
MAX_FARMERS = 500


class FarmerIds(serializers.ManyRelatedField):
    """A list of MyFarmers ids: at most MAX_FARMERS of them."""

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) > MAX_FARMERS:
            raise serializers.ValidationError(
                _("At most %(max)s farmers at once.") % {"max": MAX_FARMERS},
                code="max_length",
            )
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.INT)
class MyFarmers(serializers.PrimaryKeyRelatedField):
    """A farmer actively assigned to the requesting assistant (others: invalid)."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        """As DRF's, with FarmerIds for the list."""
        names = [name for name in kwargs if name in MANY_RELATION_KWARGS]
        return FarmerIds(
            child_relation=cls(*args, **kwargs),
            **{name: kwargs[name] for name in names},
        )

    def get_queryset(self):
        request = self.context["request"]
        assistant = Assistant.objects.filter(user=request.user).first()
        if assistant is None:
            return Farmer.objects.none()
        return fieldwork.assigned_farmers(assistant)


@extend_schema_field(OpenApiTypes.INT)
class MyHouseholds(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context["request"]
        assistant = Assistant.objects.filter(user=request.user).first()
        if assistant is None:
            return Household.objects.none()
        return fieldwork.households_of(assistant)


class TrainingSessionSerializer(serializers.ModelSerializer):
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=SkillTopic.choices),
        allow_empty=False,
        max_length=len(SkillTopic.choices),
    )
    farmers = MyFarmers(many=True, write_only=True, required=False)
    attendees = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    assistant = serializers.CharField(source="assistant.user.username", read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "assistant",
            "held_on",
            "hours",
            "online",
            "location",
            "topics",
            "notes",
            "farmers",
            "attendees",
        ]


class AttendanceSerializer(serializers.Serializer):
    farmers = MyFarmers(many=True)


class TrainingSessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = TrainingSessionSerializer
    permission_classes = [AssistantsWrite]
    lookup_value_regex = IdConverter.regex

    def get_queryset(self):
        return training_visible_to(self.request.user).prefetch_related("attendees")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = call_service(
            fieldwork.training_record, assistant=_assistant(self.request), **data
        )

    @extend_schema(request=AttendanceSerializer, responses=TrainingSessionSerializer)
    @action(detail=True, methods=["put"], permission_classes=[AssistantsWrite])
    def attendance(self, request, pk=None):
        """Replace who attended (the assistant's own sessions and farmers)."""
        session = get_object_or_404(
            training_visible_to(request.user).filter(assistant__user=request.user),
            pk=pk,
        )
        data = AttendanceSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        call_service(
            fieldwork.training_attendance_set,
            field="farmers",
            session=session,
            farmers=data.validated_data["farmers"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)


class VisitSerializer(serializers.ModelSerializer):
    household = MyHouseholds()
    assistant = serializers.CharField(source="assistant.user.username", read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "assistant",
            "household",
            "visited_on",
            "purpose",
            "challenges",
            "support_needed",
        ]


class VisitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = VisitSerializer
    permission_classes = [AssistantsWrite]
    lookup_value_regex = IdConverter.regex

    def get_queryset(self):
        return visits_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = call_service(
            fieldwork.visit_record,
            assistant=_assistant(self.request),
            **serializer.validated_data,
        )


class PovertyStatusSerializer(serializers.Serializer):
    line = serializers.CharField(
        allow_null=True, help_text="The line used, described; null if none is set."
    )
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    under_line = serializers.BooleanField(allow_null=True)


class IncomeSurveySerializer(serializers.ModelSerializer):
    household = MyHouseholds()
    net_income_per_capita = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True
    )
    poverty_status = serializers.SerializerMethodField()

    class Meta:
        model = IncomeSurvey
        fields = [
            "id",
            "household",
            "year",
            *SURVEY_FIELDS,
            "platform_sales",
            "platform_orders",
            "net_income_per_capita",
            "poverty_status",
            "updated_at",
        ]
        read_only_fields = ["platform_sales", "platform_orders", "updated_at"]
        validators = []  # the service refuses a duplicate year with its message

    @extend_schema_field(PovertyStatusSerializer)
    def get_poverty_status(self, survey):
        # One line lookup per county and year on the page, not one per survey.
        lines = self.context.setdefault("poverty_lines", {})
        status_ = surveys.poverty_status(survey, lines=lines)
        line = status_.line
        return {
            "line": line.describe() if line else None,
            "amount": line.amount if line else None,
            "under_line": status_.under_line,
        }


class SurveyCorrectionSerializer(IncomeSurveySerializer):
    household = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(IncomeSurveySerializer.Meta):
        read_only_fields = [
            *IncomeSurveySerializer.Meta.read_only_fields,
            "household",
            "year",
        ]


class IncomeSurveyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Surveys; a PUT or PATCH is a correction, kept in the survey's history."""

    permission_classes = [AssistantsWrite]
    lookup_value_regex = IdConverter.regex
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return SurveyCorrectionSerializer
        return IncomeSurveySerializer

    def get_queryset(self):
        return surveys_visible_to(self.request.user).select_related(
            "household__village__county"
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = call_service(
            surveys.survey_record, recorded_by=self.request.user, **data
        )

    def perform_update(self, serializer):
        survey = serializer.instance
        figures = {name: getattr(survey, name) for name in SURVEY_FIELDS}
        figures.update(
            {k: v for k, v in serializer.validated_data.items() if k in SURVEY_FIELDS}
        )
        serializer.instance = call_service(
            surveys.survey_correct,
            survey=survey,
            changed_by=self.request.user,
            **figures,
        )

    def update(self, request, *args, **kwargs):
        survey = self.get_object()
        if (
            not fieldwork.households_of(_assistant(request))
            .filter(pk=survey.household_id)
            .exists()
        ):
            return Response(status=status.HTTP_404_NOT_FOUND)
        return super().update(request, *args, **kwargs)
