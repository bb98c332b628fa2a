"""Serializers of the field-work API. The farmer and household fields accept only
the requesting assistant's own farmers and their households."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from assistants.selectors import assigned_farmers, assigned_households, assistant_of
from farmers.models import Farmer, Household
from fieldwork.models import (
    SURVEY_FIELDS,
    IncomeSurvey,
    SkillTopic,
    TrainingSession,
    Visit,
)
from fieldwork.selectors import poverty_status

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
        assistant = assistant_of(self.context["request"].user)
        if assistant is None:
            return Farmer.objects.none()
        return assigned_farmers(assistant)


@extend_schema_field(OpenApiTypes.INT)
class MyHouseholds(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        assistant = assistant_of(self.context["request"].user)
        if assistant is None:
            return Household.objects.none()
        return assigned_households(assistant)


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
        status_ = poverty_status(survey, lines=lines)
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
