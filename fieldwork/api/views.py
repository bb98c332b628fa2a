"""API of the field work: training sessions (and their attendance), visits and
income surveys. Scopes as the pages: assistants their own work and their farmers'
households, officials their counties' (read only), staff all; writes go through
fieldwork.services."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from accounts.api import PeopleRoles
from accounts.models import Role
from assistants.selectors import assigned_households, assistant_of
from common.api import call_service
from common.web import IdConverter
from fieldwork import services
from fieldwork.api.serializers import (
    AttendanceSerializer,
    IncomeSurveySerializer,
    SurveyCorrectionSerializer,
    TrainingSessionSerializer,
    VisitSerializer,
)
from fieldwork.models import SURVEY_FIELDS
from fieldwork.selectors import (
    surveys_visible_to,
    training_visible_to,
    visits_visible_to,
)


class AssistantsWrite(BasePermission):
    """Reading for the people roles; writing for assistants only."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return PeopleRoles().has_permission(request, view)
        user = request.user
        return bool(user.is_authenticated and user.role == Role.ASSISTANT)


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
        assistant = assistant_of(self.request.user)
        if assistant is None:  # an assistant user without a profile yet
            raise Http404
        data = dict(serializer.validated_data)
        serializer.instance = call_service(
            services.training_record, assistant=assistant, **data
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
            services.training_attendance_set,
            field="farmers",
            session=session,
            farmers=data.validated_data["farmers"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)


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
            services.visit_record,
            # The household is one of theirs (MyHouseholds): they have a profile.
            assistant=assistant_of(self.request.user),
            **serializer.validated_data,
        )


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
            services.survey_record, recorded_by=self.request.user, **data
        )

    def perform_update(self, serializer):
        survey = serializer.instance
        figures = {name: getattr(survey, name) for name in SURVEY_FIELDS}
        figures.update(
            {k: v for k, v in serializer.validated_data.items() if k in SURVEY_FIELDS}
        )
        serializer.instance = call_service(
            services.survey_correct,
            survey=survey,
            changed_by=self.request.user,
            **figures,
        )

    def update(self, request, *args, **kwargs):
        survey = self.get_object()
        if (
            not assigned_households(user=request.user)
            .filter(pk=survey.household_id)
            .exists()
        ):
            return Response(status=status.HTTP_404_NOT_FOUND)
        return super().update(request, *args, **kwargs)
