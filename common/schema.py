"""OpenAPI generation: the one error shape per status code, tags by audience, and field types
that say exactly what the API accepts and returns (schemathesis holds us to it: `make fuzz`).

Error responses: drf-standardized-errors documents 400-500 where DRF can raise them; here the
400 body is one schema for every operation (an error names its field in `attr`, dotted for
nested ones, or a header), 413 is added to every operation with a body, 503 (the database
unreachable) to every operation, 429 and 503 carry `Retry-After`, and an operation that can
answer 409 or 422 says so with `CONFLICT` or `UNPROCESSABLE` in its `responses`.
"""

import json
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django_filters import NumberFilter
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer
from drf_standardized_errors.openapi import AutoSchema
from drf_standardized_errors.openapi_serializers import (
    ClientErrorEnum,
    ParseErrorResponseSerializer,
    ServerErrorEnum,
    ValidationErrorEnum,
)
from rest_framework import serializers

from common.error_codes import (
    ERROR_CODES_KEY,
    FIXED_CODES,
    query_codes,
    serializer_codes,
)
from patients.auth import APP_401_CODES

# Local wall time as the API writes it ("19:00:00") and reads it ("19:00" or "19:00:00";
# config.settings REST_FRAMEWORK TIME_INPUT_FORMATS). Not `format: time`: RFC 3339 times carry
# an offset, and these are times of day in the patient's own time zone.
LOCAL_TIME_PATTERN = r"^(2[0-3]|[01]?[0-9]):[0-5]?[0-9](:[0-5]?[0-9])?$"
# An email address, or "" where the address is optional.
OPTIONAL_EMAIL_PATTERN = r"^$|^[^@\s]+@[^@\s]+$"


class ValidationErrorItemSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Machine-readable: `required`, `invalid`, ...")
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    attr = serializers.CharField(
        allow_null=True,
        help_text=(
            "The field, dotted for nested ones (`answers.3`, `symptoms.0`), or the header "
            "(`Idempotency-Key`); null when it is about the whole request."
        ),
    )


class ValidationErrorResponseSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=ValidationErrorEnum.choices)
    errors = ValidationErrorItemSerializer(many=True)  # type: ignore[assignment]


class ClientErrorItemSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


def _client_error(name: str, codes: str) -> type[serializers.Serializer[Any]]:
    item = type(
        f"{name}ItemSerializer",
        (ClientErrorItemSerializer,),
        {"code": serializers.CharField(help_text=codes)},
    )
    return type(
        f"{name}Serializer",
        (serializers.Serializer,),
        {
            "type": serializers.ChoiceField(choices=ClientErrorEnum.choices),
            "errors": item(many=True),
        },
    )


ConflictErrorResponseSerializer = _client_error(
    "ConflictErrorResponse",
    "`conflict`, `invalid_transition`, `patient_discharged` or `idempotency_key_in_flight`.",
)
UnprocessableErrorResponseSerializer = _client_error(
    "UnprocessableErrorResponse", "`idempotency_key_reused`."
)
RequestTooLargeErrorResponseSerializer = _client_error(
    "RequestTooLargeErrorResponse", "`request_too_large`."
)
TooManyRequestsErrorResponseSerializer = _client_error(
    "TooManyRequestsErrorResponse",
    "`throttled` (rate limit) or `locked_out` (too many failed sign-ins for one account "
    "from one address).",
)

BAD_REQUEST = PolymorphicProxySerializer(
    component_name="ErrorResponse400",
    serializers={
        ValidationErrorEnum.VALIDATION_ERROR.value: ValidationErrorResponseSerializer,
        ClientErrorEnum.CLIENT_ERROR.value: ParseErrorResponseSerializer,
    },
    resource_type_field_name="type",
)


class ErrorResponse(OpenApiResponse):
    """An error status a view lists, with the codes it raises under it (common.error_codes)."""

    def __init__(self, *args: Any, codes: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codes = codes


def conflict_with(*codes: str) -> ErrorResponse:
    """409, with the codes the view raises (`conflict` when it names none)."""
    return ErrorResponse(
        ConflictErrorResponseSerializer,
        description="The request is well formed but the current state forbids it.",
        codes=codes or ("conflict",),
    )


CONFLICT = conflict_with()


def bad_request_with(*codes: str) -> ErrorResponse:
    """400, with the codes the view raises itself besides its fields' (e.g. `invalid` for a
    ValidationError it raises with a message only)."""
    return ErrorResponse(BAD_REQUEST, description="The request is invalid.", codes=codes)


UNPROCESSABLE = OpenApiResponse(
    UnprocessableErrorResponseSerializer,
    description="This Idempotency-Key was used before with a different request body.",
)
TOO_LARGE = OpenApiResponse(
    RequestTooLargeErrorResponseSerializer,
    description="The request body is over the limit (STRIDE_MAX_BODY_BYTES, 64 KiB).",
)
SERVICE_UNAVAILABLE = OpenApiResponse(
    type(
        "ServiceUnavailableErrorResponseSerializer",
        (serializers.Serializer,),
        {
            "type": serializers.ChoiceField(choices=ServerErrorEnum.choices),
            "errors": type(
                "ServiceUnavailableErrorItemSerializer",
                (ClientErrorItemSerializer,),
                {"code": serializers.CharField(help_text="`service_unavailable`.")},
            )(many=True),
        },
    ),
    description="The database cannot be reached for the moment: try again after `Retry-After`.",
)


class AppErrorItem401Serializer(serializers.Serializer[Any]):
    code = serializers.ChoiceField(
        choices=APP_401_CODES,
        help_text=(
            "`not_authenticated` (no token), `authentication_failed` (unknown or expired), "
            "`patient_discharged` (the clinic discharged the patient) or `token_revoked` (the "
            "app was enrolled again on another device)."
        ),
    )
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class AppErrorResponse401Serializer(serializers.Serializer[Any]):
    """A partner-app token that does not open the app, and why."""

    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = AppErrorItem401Serializer(many=True)  # type: ignore[assignment]


UNAUTHORIZED_LOGIN = OpenApiResponse(
    description="Wrong email or password.",
    response=_client_error(
        "LoginFailedErrorResponse", "`authentication_failed`: wrong email or password."
    ),
)


def _may_be_blank(field: Any) -> bool:
    """Whether the API may take or give "" for this field: `allow_blank`, or for a read-only
    field of a model serializer (DRF drops `allow_blank` there), the model field's `blank`."""
    if getattr(field, "allow_blank", False):
        return True
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source or field.source == "*":
        return False
    try:
        return bool(getattr(model._meta.get_field(field.source), "blank", False))
    except FieldDoesNotExist:
        return False


class StrideAutoSchema(AutoSchema):
    """Tags operations by audience (everything under /api/v1/app/ is the partner app's) and
    documents the error responses the API really gives."""

    def get_tags(self) -> list[str]:
        tags = getattr(self.view, "schema_tags", None)
        if tags:
            return list(tags)
        if self.path.startswith("/api/v1/app/"):
            return ["partner-app"]
        return list(super().get_tags())

    def _resolve_path_parameters(self, variables: list[str]) -> list[dict[str, Any]]:
        """A path id routed by a `\\d+` pattern (the router's nested routes) is an integer, as
        the `<int:...>` routes' ids are, rather than a string with a pattern."""
        parameters: list[dict[str, Any]] = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["schema"] == {"type": "string", "pattern": "^\\d+$"}:
                parameter["schema"] = {"type": "integer"}
        return parameters

    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            codes = self._error_codes(operation)
            if codes:
                operation[ERROR_CODES_KEY] = codes
        return operation

    def _error_codes(self, operation: dict[str, Any]) -> dict[str, list[str]]:
        """The codes each 4xx response of this operation can carry (common.error_codes)."""
        declared: dict[str, set[str]] = {}
        overrides = self.get_response_serializers()
        if isinstance(overrides, dict):
            for status, response in overrides.items():
                if isinstance(response, ErrorResponse):
                    declared.setdefault(str(status), set()).update(response.codes)
        found: dict[str, list[str]] = {}
        for status in operation.get("responses", {}):
            codes = set(declared.get(status, ())) | set(FIXED_CODES.get(status, ()))
            if status == "400":
                codes |= query_codes(operation.get("parameters", []))
                if "requestBody" in operation:
                    serializer = force_instance(self.get_request_serializer())
                    if isinstance(serializer, serializers.BaseSerializer):
                        codes |= serializer_codes(serializer)
                if any(p.get("in") == "header" for p in operation.get("parameters", [])):
                    codes.add("invalid")
            if status == "429" and self.path.rstrip("/").endswith("auth/login"):
                codes.add("locked_out")
            if codes:
                found[status] = sorted(codes)
        return found

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction=direction)
        if direction == "response" and self.method in ("POST", "PUT", "PATCH"):
            responses.setdefault("413", self._get_response_for_code(TOO_LARGE, "413"))
        if direction == "response":
            # Any operation, when the database cannot be reached (common.errors); the health
            # check documents its own 503.
            responses.setdefault("503", self._get_response_for_code(SERVICE_UNAVAILABLE, "503"))
        return responses

    def _get_http400_serializer(self) -> Any:
        return BAD_REQUEST

    def _get_error_response_serializer(self, status_code: str) -> Any:
        if status_code == "429":
            return TooManyRequestsErrorResponseSerializer
        if status_code == "401" and self.path.startswith("/api/v1/app/"):
            return AppErrorResponse401Serializer
        return super()._get_error_response_serializer(status_code)

    def _should_add_http429_error_response(self) -> bool:
        # A throttle may apply to some methods only (PatientSubmitThrottle: POST).
        return any(
            self.method in getattr(throttle, "methods", (self.method,))
            for throttle in self.view.get_throttles()
        )

    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        super()._insert_field_validators(field, schema)
        # drf-spectacular claims a format or pattern that "" cannot meet for optional emails
        # and slugs; the API does return "" for them.
        if isinstance(field, serializers.EmailField | serializers.SlugField) and _may_be_blank(
            field
        ):
            if isinstance(field, serializers.EmailField):
                for key in ("format", "oneOf", "anyOf"):
                    schema.pop(key, None)
                schema.update(type="string", pattern=OPTIONAL_EMAIL_PATTERN)
            elif isinstance(field, serializers.SlugField) and "pattern" in schema:
                schema["pattern"] = schema["pattern"].replace("]+$", "]*$")

    def _get_response_headers_for_code(self, status_code: Any, direction: Any = "response") -> Any:
        headers = super()._get_response_headers_for_code(status_code, direction)
        if str(status_code) == "429" or (
            str(status_code) == "503" and getattr(self.view, "schema_tags", None) != ["health"]
        ):
            headers["Retry-After"] = {
                "schema": {"type": "integer", "minimum": 0},
                "description": "Seconds to wait before trying again.",
                "required": True,
            }
        return headers


class TimeOfDayField(OpenApiSerializerFieldExtension):
    """A time of day in the patient's local time: `HH:MM[:SS]`, no offset."""

    target_class = "rest_framework.fields.TimeField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        return {"type": "string", "pattern": LOCAL_TIME_PATTERN, "example": "19:00"}


class StrictFilterSchema(DjangoFilterExtension):
    """The query parameters as common.filters.StrictFilterBackend reads them: ids are whole
    numbers, and a string parameter, when given, is not empty."""

    target_class = "common.filters.StrictFilterBackend"
    priority = 1

    def resolve_filter_field(
        self, auto_schema: Any, model: Any, filterset_class: Any, field_name: str, filter_field: Any
    ) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if isinstance(filter_field, NumberFilter):
                schema.update(type="integer")
                schema.pop("format", None)
            elif schema.get("type") == "string" and "enum" not in schema:
                schema.setdefault("minLength", 1)
        return parameters


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """A bearer token's security scheme; `description` says where the token comes from. This
    base names no authentication class (`target_class`), so it describes none itself."""

    description: str

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": self.description}


class StaffTokenScheme(BearerTokenScheme):
    target_class = "clinic.auth.StaffTokenAuthentication"
    name = "staffToken"
    description = "Staff token from `POST /api/v1/auth/login/`."


class PatientTokenScheme(BearerTokenScheme):
    target_class = "patients.auth.PatientTokenAuthentication"
    name = "patientToken"
    description = "Patient token (`stp_...`) from `POST /api/v1/app/enroll/`."


# Postprocessing hooks (SPECTACULAR_SETTINGS "POSTPROCESSING_HOOKS"), run after
# drf-standardized-errors' own. Each rewrites the finished document in place.


def _component(schemas: dict[str, Any], ref: str) -> dict[str, Any]:
    return dict(schemas.get(ref.rsplit("/", 1)[-1], {}))


def _nullable_refs(node: Any, schemas: dict[str, Any]) -> None:
    """`nullable` needs a `type` beside it (OpenAPI 3.0.3): drf-spectacular writes a nullable
    reference as `{nullable, allOf: [$ref]}` or, for a choice, `{nullable, oneOf: [$ref,
    NullEnum]}`, with no type. Give it the type of the schema it refers to."""
    if isinstance(node, dict):
        if node.get("nullable") and "type" not in node:
            refs = [
                item["$ref"]
                for item in node.get("allOf", []) + node.get("oneOf", [])
                if isinstance(item, dict) and "$ref" in item
            ]
            types = {_component(schemas, ref).get("type") for ref in refs} - {None}
            if len(types) == 1:
                node["type"] = types.pop()
        for value in node.values():
            _nullable_refs(value, schemas)
    elif isinstance(node, list):
        for value in node:
            _nullable_refs(value, schemas)


def postprocess_nullable_refs(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    schemas = result.get("components", {}).get("schemas", {})
    _nullable_refs(result, schemas)
    return result


def postprocess_request_defaults(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """In request bodies a field with a default may be left out; generators (openapi-typescript)
    read `default` as "always present" and would make a client send it. The default moves to
    the description, where a person reads it, and the field stays optional."""
    schemas = result.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        if not name.endswith("Request"):
            continue
        required = set(schema.get("required", []))
        for field, prop in schema.get("properties", {}).items():
            if field in required or "default" not in prop:
                continue
            default = prop.pop("default")
            sentence = f"Optional; default `{json.dumps(default)}`."
            prop["description"] = (
                f"{prop['description']} {sentence}" if prop.get("description") else sentence
            )
    return result
