"""Staff sign-in, the clinic's settings, its staff and its audit trail."""

from typing import Any

import django_filters
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic import selectors, services
from clinic.models import AuditEvent, Clinic, StaffUser
from clinic.scoping import ClinicScopedViewSet, IsClinicAdmin, IsClinicStaff, staff_of
from clinic.serializers import (
    AuditEventSerializer,
    ClinicSerializer,
    ClinicUpdateResponseSerializer,
    ClinicUpdateSerializer,
    LoginResponseSerializer,
    LoginSerializer,
    StaffCreateSerializer,
    StaffSerializer,
    StaffUpdateSerializer,
)
from common.api import Conflict
from common.schema import UNAUTHORIZED_LOGIN, conflict_with
from common.throttles import ScopedRateThrottle


class LoginView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"
    schema_tags = ["auth"]

    def get_authenticate_header(self, request: Request) -> str:
        return "Bearer"  # wrong credentials are a 401, not a 403

    @extend_schema(
        operation_id="auth_login",
        summary="Sign in as staff",
        description=(
            "Exchanges an email and password for a bearer token. Five failures for one account "
            "from one address lock that account for that address for 15 minutes (429)."
        ),
        request=LoginSerializer,
        responses={200: LoginResponseSerializer, 401: UNAUTHORIZED_LOGIN},
        examples=[
            OpenApiExample(
                "Sign in",
                value={"email": "therapist@demo.stride.test", "password": "stride-demo"},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            email=serializer.validated_data["email"].strip().lower(),
            password=serializer.validated_data["password"],
        )
        if not isinstance(user, StaffUser) or user.clinic_id is None:
            raise AuthenticationFailed("Email or password is wrong.")
        # As django.contrib.auth.login would: clears the lockout count, stamps last_login.
        user_logged_in.send(sender=StaffUser, request=request._request, user=user)
        token, expires_at = services.staff_token_create(staff=user)
        body = {"token": token, "expires_at": expires_at, "user": StaffSerializer(user).data}
        return Response(LoginResponseSerializer(body).data)


class LogoutView(APIView):
    permission_classes = [IsClinicStaff]
    schema_tags = ["auth"]

    @extend_schema(
        operation_id="auth_logout", summary="Revoke this token", request=None, responses={204: None}
    )
    def post(self, request: Request) -> Response:
        services.staff_token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


WEBHOOK_INPUTS = (
    "webhook_url",
    "partner_webhook_url",
    "rotate_webhook_secret",
    "rotate_partner_webhook_secret",
)


class ClinicView(APIView):
    """The caller's own clinic: every staff member reads it, admins change it."""

    permission_classes = [IsClinicStaff]
    schema_tags = ["clinic"]

    def get_permissions(self) -> Any:
        if self.request.method == "PATCH":
            return [IsClinicAdmin()]
        return super().get_permissions()

    @extend_schema(
        operation_id="clinic_retrieve",
        summary="My clinic: name, time zone, contact line, on-call emails, thresholds",
        responses={200: ClinicSerializer},
    )
    def get(self, request: Request) -> Response:
        return Response(ClinicSerializer(staff_of(request).clinic).data)

    @extend_schema(
        operation_id="clinic_update",
        summary="Change the clinic's settings (admin)",
        description=(
            "`thresholds` overrides the clinical thresholds by name (the given object replaces "
            "the stored overrides); unknown names, values that are not numbers and values "
            "outside a threshold's bounds are a 400 naming it (`thresholds.<name>`), and "
            "nothing is stored. `oncall_emails` are told of overdue escalations, and at once "
            "of every escalation of a patient whose therapist is inactive; they cannot be "
            "emptied while such a patient exists (400). "
            "`webhook_url` and `partner_webhook_url` set where signed webhooks go (https://; "
            '"" turns them off); a new endpoint, or `rotate_webhook_secret` / '
            "`rotate_partner_webhook_secret`, makes a new signing secret, returned in "
            "`webhook_secret` / `partner_webhook_secret` of this response and never again."
        ),
        request=ClinicUpdateSerializer,
        responses={200: ClinicUpdateResponseSerializer},
        examples=[
            OpenApiExample(
                "On-call and a stricter severe-pain threshold",
                value={
                    "oncall_emails": ["oncall@clinic.example"],
                    "thresholds": {"pain_severe": 6},
                },
                request_only=True,
            ),
            OpenApiExample(
                "A new signing secret for the clinic's webhook endpoint",
                value={"rotate_webhook_secret": True},
                request_only=True,
            ),
        ],
    )
    def patch(self, request: Request) -> Response:
        serializer = ClinicUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        clinic = staff_of(request).clinic
        assert clinic is not None
        data = dict(serializer.validated_data)
        webhooks = {name: data.pop(name) for name in WEBHOOK_INPUTS if name in data}
        with transaction.atomic():
            try:
                clinic = services.clinic_update(clinic=clinic, data=data)
            except services.ClinicSettingsError as exc:
                raise ValidationError({exc.attr: [str(exc)]}) from exc
            try:
                secrets = services.clinic_webhooks_set(clinic=clinic, **webhooks)
            except services.WebhookChangeRefused as exc:
                raise ValidationError({exc.field: [str(exc)]}) from exc
        return Response(ClinicUpdateResponseSerializer(clinic, context={"secrets": secrets}).data)


@extend_schema_view(
    list=extend_schema(operation_id="staff_list", summary="The clinic's staff (admin)"),
    retrieve=extend_schema(operation_id="staff_retrieve", summary="One staff member (admin)"),
    create=extend_schema(
        operation_id="staff_create",
        summary="Add a therapist or admin (admin)",
        request=StaffCreateSerializer,
        responses={201: StaffSerializer},
        examples=[
            OpenApiExample(
                "A therapist",
                value={
                    "email": "sam@clinic.example",
                    "first_name": "Sam",
                    "last_name": "Okafor",
                    "role": "therapist",
                    "password": "a-long-first-passphrase",
                },
                request_only=True,
            )
        ],
    ),
    partial_update=extend_schema(
        operation_id="staff_update",
        summary="Change a staff member's name, role or access (admin)",
        examples=[
            OpenApiExample("Leaver", value={"is_active": False}, request_only=True),
            OpenApiExample(
                "Leaver whose patients move to a colleague",
                value={"is_active": False, "reassign_to": 12},
                request_only=True,
            ),
        ],
        request=StaffUpdateSerializer,
        responses={200: StaffSerializer, 409: conflict_with("patients_assigned", "conflict")},
        description=(
            "Admins cannot deactivate themselves or change their own role (409). Every "
            "patient keeps an active therapist: deactivating a staff member who has patients "
            "assigned (discharged ones included) needs `reassign_to`, the id of another active "
            "staff member of this clinic, who takes them all over in the same transaction; "
            "without it the answer is 409 (code `patients_assigned`) naming how many patients "
            "are assigned, and nothing changes. `reassign_to` without `is_active: false`, or "
            "naming this staff member, another clinic's or an inactive one, is a 400."
        ),
    ),
)
class StaffViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicScopedViewSet):
    model = StaffUser
    permission_classes = [IsClinicAdmin]
    serializer_class = StaffSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    schema_tags = ["clinic"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[StaffUser]:
        return selectors.staff_list(clinic=clinic)

    def create(self, request: Request) -> Response:
        serializer = StaffCreateSerializer(data=request.data, context={"clinic": self.clinic})
        serializer.is_valid(raise_exception=True)
        staff = services.staff_add(clinic=self.clinic, **serializer.validated_data)
        return Response(StaffSerializer(staff).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        staff = self.get_object()
        serializer = StaffUpdateSerializer(
            data=request.data, partial=True, context={"clinic": self.clinic, "instance": staff}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reassign_to = data.pop("reassign_to", None)
        try:
            staff = services.staff_update(
                staff=staff, data=data, by=self.staff, reassign_to=reassign_to
            )
        except services.StaffHasPatientsError as exc:
            raise Conflict(str(exc), code="patients_assigned") from exc
        except services.StaffStateError as exc:
            raise Conflict(str(exc)) from exc
        except services.StaffReassignError as exc:
            raise ValidationError({"reassign_to": [str(exc)]}) from exc
        return Response(StaffSerializer(staff).data)


class AuditEventFilter(django_filters.FilterSet):
    patient = django_filters.NumberFilter(field_name="patient_id")
    actor = django_filters.NumberFilter(field_name="actor_id")
    since = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = AuditEvent
        fields = ["patient", "actor", "action", "since"]


@extend_schema_view(
    list=extend_schema(
        operation_id="audit_events_list", summary="Who read or changed which patient's data (admin)"
    ),
)
class AuditEventViewSet(mixins.ListModelMixin, ClinicScopedViewSet):
    model = AuditEvent
    permission_classes = [IsClinicAdmin]
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    schema_tags = ["clinic"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[AuditEvent]:
        return selectors.audit_event_list(clinic=clinic)
