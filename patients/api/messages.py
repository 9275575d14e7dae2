"""Messages: sent and listed by the partner app; listed, answered and marked read by staff."""

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clinic.models import Clinic
from common.api import Conflict, CreatedCursorPagination
from common.schema import UNPROCESSABLE, conflict_with
from patients import selectors
from patients.api.base import PatientNestedViewSet
from patients.api.idempotency import (
    created,
    idempotency_errors,
    idempotency_key,
    idempotency_parameters,
)
from patients.auth import PatientAppView
from patients.models import Message
from patients.serializers.messages import (
    NOT_FOR_EMERGENCIES,
    MessageInputSerializer,
    MessageSerializer,
    MessagesReadSerializer,
)
from patients.services import messages as message_services
from patients.throttles import MessageSubmitThrottle

APP_DESCRIPTION = (
    f"**{NOT_FOR_EMERGENCIES}** Show this above the message box. Messages between the patient "
    "and their care team, 1-2,000 characters of text."
)


class MessagePagination(CreatedCursorPagination):
    ordering = ("-created_at", "-id")


class AppMessagesView(PatientAppView):
    """`POST` a message to my care team (with `Idempotency-Key`), `GET` my messages."""

    pagination_class = MessagePagination
    throttle_classes = [MessageSubmitThrottle]

    @extend_schema(
        operation_id="app_messages_create",
        summary="Send a message to the care team (not for emergencies)",
        description=(
            f"{APP_DESCRIPTION} Send a unique `Idempotency-Key` per message and keep it for "
            "retries: a retry with the same key and body returns the original message (201) "
            "and stores nothing twice; the same key with another body (or a key used for a "
            "check-in) gets 422; the same key while the first request is still being "
            "processed waits for it and gets its answer. New messages are limited to 30 an "
            "hour per patient (429 with `Retry-After`); a retry with a key already stored is "
            "answered even then."
        ),
        parameters=idempotency_parameters("message"),
        request=MessageInputSerializer,
        responses={
            201: MessageSerializer,
            409: conflict_with("idempotency_key_in_flight"),
            422: UNPROCESSABLE,
        },
        examples=[
            OpenApiExample(
                "A question",
                value={"text": "Should I skip intervals this week?"},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        key = idempotency_key(request, "message")
        serializer = MessageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        text = serializer.validated_data["text"]
        with idempotency_errors("message"):
            result = message_services.message_send_by_patient(
                patient=self.patient,
                text=text,
                idempotency_key=key,
                fingerprint=message_services.message_fingerprint(text),
            )
        return created(MessageSerializer(result.message).data, replayed=result.replayed)

    @extend_schema(
        operation_id="app_messages_list",
        summary="My messages with the care team, newest first",
        description=APP_DESCRIPTION,
        responses={200: MessageSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        paginator = MessagePagination()
        page = paginator.paginate_queryset(
            selectors.message_list(patient_id=self.patient.pk), request, view=self
        )
        return paginator.get_paginated_response(MessageSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(
        operation_id="patients_messages_list",
        summary="A patient's messages, newest first",
        description=f"Each read is audited. {NOT_FOR_EMERGENCIES}",
    ),
    create=extend_schema(
        operation_id="patients_messages_create",
        summary="Answer a patient",
        description=(
            "A message from the care team. The partner backend gets a `message.created` "
            "webhook with ids only (never the text), so the app can push a notification. "
            "409 for a discharged patient."
        ),
        request=MessageInputSerializer,
        responses={201: MessageSerializer, 409: conflict_with("patient_discharged")},
        examples=[
            OpenApiExample(
                "An answer",
                value={"text": "Swap the intervals for an easy 20 minutes."},
                request_only=True,
            )
        ],
    ),
    read=extend_schema(
        operation_id="patients_messages_read",
        summary="Mark the patient's messages read by the care team",
        request=None,
        responses={200: MessagesReadSerializer},
    ),
)
class PatientMessageViewSet(mixins.ListModelMixin, PatientNestedViewSet):
    model = Message
    serializer_class = MessageSerializer
    pagination_class = MessagePagination
    audit_object_type = "message"
    schema_tags = ["patients"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Message]:
        return selectors.message_list(patient_id=self.path_patient().pk)

    def create(self, request: Request, patient_pk: str) -> Response:
        patient = self.path_patient()
        serializer = MessageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            message = message_services.message_send_by_staff(
                patient=patient, by=self.staff, text=serializer.validated_data["text"]
            )
        except message_services.MessageRefused as exc:
            raise Conflict(str(exc), code="patient_discharged") from exc
        self.audit([message], action="create")
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @action(detail=False, methods=["post"])
    def read(self, request: Request, patient_pk: str) -> Response:
        patient = self.path_patient()
        marked = message_services.messages_mark_read(patient=patient)
        return Response({"marked": marked})
