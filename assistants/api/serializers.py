"""Serializer for assignments (read-only)."""

from rest_framework import serializers

from assistants.models import Assignment


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
