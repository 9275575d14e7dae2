"""The error codes each operation can answer, as the schema publishes them.

Every 4xx response of an operation carries an enum of the `code`s its errors may have:

- 400: the codes of the request body's fields, derived from the fields themselves (the JSON type
  code of common.fields, `required` for a required field, `null` where null is not taken,
  `blank`, `max_length`, `min_value`, ... where the field sets that limit, `invalid_choice` for a
  choice, `does_not_exist` for a reference, the codes of its validators, and `invalid` where the
  serializer checks more in `validate`), `invalid` (and `invalid_choice`, `out_of_range`) where
  the operation reads query parameters, and the codes the view declares;
- 409 and 400 codes a view raises itself are declared where the view lists the status
  (`responses={409: conflict_with("invalid_transition")}`, `400: bad_request_with("invalid")`,
  common.schema); an undeclared 409 is `conflict`;
- 413, 422 and 429 have fixed codes; 401, 403, 404, 405, 406 and 415 already name theirs
  (drf-standardized-errors' enums).

StrideAutoSchema.get_operation puts the codes under `x-error-codes`; the postprocessing hook
below turns them into one component per operation and status and removes the key.
"""

import copy
import re
from typing import Any

from rest_framework import serializers

from common.fields import StrictInput
from common.serializers import StrictObjectMixin

ERROR_CODES_KEY = "x-error-codes"
FIXED_CODES = {
    "413": ["request_too_large"],
    "422": ["idempotency_key_reused"],
    "429": ["throttled"],
}


def _limits(field: Any) -> dict[str, bool]:
    """Which of DRF's conditional codes this field can give."""
    return {
        "required": bool(field.required),
        "null": not field.allow_null,
        "blank": not getattr(field, "allow_blank", True),
        "max_length": getattr(field, "max_length", None) is not None,
        "min_length": getattr(field, "min_length", None) is not None,
        "max_value": getattr(field, "max_value", None) is not None,
        "min_value": getattr(field, "min_value", None) is not None,
        "empty": not getattr(field, "allow_empty", True),
        "max_string_length": False,
    }


def field_codes(field: Any, *, item: bool = False) -> set[str]:
    """The codes an error about this input field (or its items, its nested fields) can have."""
    if field.read_only:
        return set()
    if isinstance(field, serializers.ListSerializer):
        codes = {"not_a_list"} | serializer_codes(field.child)
        codes |= {code for code in ("empty",) if not field.allow_empty}
    elif isinstance(field, serializers.BaseSerializer):
        codes = serializer_codes(field)
    else:
        limits = _limits(field)
        codes = {code for code in field.error_messages if limits.get(code, True)}
        if isinstance(field, StrictInput):
            codes = (codes - set(field.unreachable_codes)) | {field.type_code}
        codes |= {code for v in field.validators if isinstance(code := getattr(v, "code", ""), str)}
        child = getattr(field, "child", None)
        if isinstance(child, serializers.Field):
            codes |= field_codes(child, item=True)
    if item:
        codes.discard("required")
    else:
        codes |= {"required"} if field.required else set()
        codes |= {"null"} if not field.allow_null else set()
    codes.discard("")
    return codes


def serializer_codes(serializer: Any) -> set[str]:
    """The codes of every writable field of a serializer, with `not_an_object` when the body or
    the nested object must be one, and `invalid` when the serializer checks more itself."""
    codes: set[str] = set()
    if isinstance(serializer, StrictObjectMixin):
        codes.add("not_an_object")
        codes.update(serializer.error_codes)
        codes |= {"renamed"} if serializer.renamed_fields else set()
    for field in serializer.fields.values():
        codes |= field_codes(field)
    checks = [
        name
        for name in dir(type(serializer))
        if name == "validate" or re.fullmatch(r"validate_\w+", name)
    ]
    if any(
        getattr(type(serializer), name) is not getattr(serializers.Serializer, name, None)
        for name in checks
    ):
        codes.add("invalid")
    return codes


def query_codes(parameters: list[dict[str, Any]]) -> set[str]:
    """What reading the operation's query parameters can refuse."""
    query = [p for p in parameters if p.get("in") == "query"]
    codes: set[str] = {"invalid"} if query else set()
    for parameter in query:
        schema = parameter.get("schema", {})
        items = schema.get("items", {})
        if "enum" in schema or "enum" in items:
            codes.add("invalid_choice")
        if schema.get("format") == "date":
            codes.add("out_of_range")
    return codes


def _pascal(operation_id: str) -> str:
    return "".join(part.capitalize() for part in operation_id.split("_"))


def _item_ref(schema: dict[str, Any], schemas: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The response component and its `errors` items, following references."""
    while "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
    return schema, schema.get("properties", {}).get("errors", {}).get("items")


def _with_codes(
    name: str, base: dict[str, Any], codes: list[str], schemas: dict[str, Any]
) -> dict[str, Any]:
    """A copy of an error response component whose items' `code` is the enum `codes`."""
    component = copy.deepcopy(base)
    items = component["properties"]["errors"]["items"]
    while "$ref" in items:
        items = copy.deepcopy(schemas[items["$ref"].rsplit("/", 1)[-1]])
    code = dict(items["properties"]["code"])
    code.pop("$ref", None)
    code.update(type="string", enum=codes)
    items["properties"]["code"] = code
    component["properties"]["errors"]["items"] = items
    schemas[name] = component
    return {"$ref": f"#/components/schemas/{name}"}


def postprocess_error_codes(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Each operation's 4xx responses name the codes it can answer (`x-error-codes`)."""
    schemas = result.get("components", {}).get("schemas", {})
    replaced: set[str] = set()
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            codes_by_status = operation.pop(ERROR_CODES_KEY, None)
            if not codes_by_status:
                continue
            prefix = _pascal(operation["operationId"])
            for status, codes in codes_by_status.items():
                content = operation["responses"].get(status, {}).get("content", {})
                body = content.get("application/json")
                if body is None or not codes:
                    continue
                ref = body["schema"].get("$ref", "")
                component = schemas.get(ref.rsplit("/", 1)[-1], {})
                name = f"{prefix}Error{status}"
                if "oneOf" in component:  # 400: a validation error or a parse error
                    own = _with_codes(
                        f"{prefix}ValidationError",
                        schemas["ValidationErrorResponse"],
                        codes,
                        schemas,
                    )

                    def mine(target: str, own_ref: str = own["$ref"]) -> str:
                        return own_ref if target.endswith("/ValidationErrorResponse") else target

                    schemas[name] = {
                        "oneOf": [{"$ref": mine(o["$ref"])} for o in component["oneOf"]],
                        "discriminator": {
                            "propertyName": "type",
                            "mapping": {
                                key: mine(target)
                                for key, target in component["discriminator"]["mapping"].items()
                            },
                        },
                    }
                    body["schema"] = {"$ref": f"#/components/schemas/{name}"}
                    replaced.add("ValidationErrorResponse")
                else:
                    body["schema"] = _with_codes(name, component, codes, schemas)
                replaced.add(ref.rsplit("/", 1)[-1])
    _drop_unused(result, schemas, replaced)
    return result


def _drop_unused(result: dict[str, Any], schemas: dict[str, Any], candidates: set[str]) -> None:
    """Components every operation now has its own copy of are dropped when nothing refers to
    them any more (and then what only they referred to)."""
    changed = True
    while changed:
        changed = False
        for name in sorted(candidates):
            if name not in schemas:
                continue
            others = {key: value for key, value in schemas.items() if key != name}
            text = str(result.get("paths")) + str(others)
            if f"#/components/schemas/{name}'" not in text:
                inner = str(schemas.pop(name))
                candidates |= set(re.findall(r"#/components/schemas/(\w+)'", inner))
                changed = True
