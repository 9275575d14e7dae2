"""Input and output shapes of messages between a patient and their care team."""

from typing import Any

from rest_framework import serializers

from common.fields import StrictCharField, StrictChoiceField, StrictIntegerField
from common.serializers import StrictModelSerializer, StrictSerializer
from patients.models import MESSAGE_MAX_LENGTH, Message, MessageSender

NOT_FOR_EMERGENCIES = (
    "Messages are not for emergencies: they are read in working hours. For urgent symptoms "
    "submit a check-in (it gives advice at once) or call the clinic."
)


class MessageInputSerializer(StrictSerializer[Any]):
    """A message as the app or a staff member sends it. Unknown fields are refused."""

    text = StrictCharField(
        min_length=1,
        max_length=MESSAGE_MAX_LENGTH,
        trim_whitespace=True,
        help_text=f"1-{MESSAGE_MAX_LENGTH} characters (leading and trailing spaces dropped).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if isinstance(self.initial_data, dict):
            unknown = sorted(set(self.initial_data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field is not part of a message."] for name in unknown}
                )
        return attrs


class MessageSerializer(StrictModelSerializer[Message]):
    sender = StrictChoiceField(
        choices=MessageSender.choices,
        help_text="`patient` or `staff` (the care team).",
    )
    staff_name = serializers.SerializerMethodField(
        help_text="Who of the care team wrote it; null for the patient's messages."
    )

    class Meta:
        model = Message
        fields = ["id", "sender", "staff", "staff_name", "text", "created_at", "read_at"]
        read_only_fields = fields

    def get_staff_name(self, message: Message) -> str | None:
        staff = message.staff
        if staff is None:
            return None
        return f"{staff.first_name} {staff.last_name}".strip() or None


class MessagesReadSerializer(StrictSerializer[Any]):
    marked = StrictIntegerField(help_text="How many of the patient's messages were unread.")
