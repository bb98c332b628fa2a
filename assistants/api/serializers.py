"""Serializers of the people API (read-only): farmers, households and
assignments."""

from rest_framework import serializers

from assistants.models import Assignment
from farmers.models import Farmer, Household


class AssignmentSerializer(serializers.ModelSerializer):
    assistant_name = serializers.CharField(source="assistant.__str__")
    active = serializers.BooleanField(source="is_active")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "assistant",
            "assistant_name",
            "farmer",
            "started_on",
            "ended_on",
            "active",
        ]


class FarmerSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    name = serializers.CharField()
    village = serializers.IntegerField(source="household.village_id")
    county = serializers.IntegerField(source="household.village.county_id")
    assistant = serializers.SerializerMethodField()

    class Meta:
        model = Farmer
        fields = [
            "id",
            "username",
            "name",
            "phone",
            "shop_name",
            "slug",
            "story",
            "household",
            "village",
            "county",
            "verified_at",
            "assistant",
        ]

    def get_assistant(self, farmer) -> int | None:
        active = farmer.active_assignments
        return active[0].assistant_id if active else None


class HouseholdSerializer(serializers.ModelSerializer):
    county = serializers.IntegerField(source="village.county_id")

    class Meta:
        model = Household
        fields = ["id", "county", *Household.FILE_FIELDS, "exited_on"]
