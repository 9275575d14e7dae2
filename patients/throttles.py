"""Rate limits of the partner app, per patient: new check-ins and new messages."""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from patients.models import IdempotencyKey, IdempotencyStatus, Patient


class PatientSubmitThrottle(SimpleRateThrottle):
    """New submissions (POST) per patient, all their devices together, at the scope's rate.

    A request whose `Idempotency-Key` the patient already used for a stored submission is
    answered even over the limit: it writes nothing (a replay, or a 422 for another body), and
    an app retrying after a lost response must always get its answer back. The key is looked up
    only once the limit is reached, so a normal submission costs no extra query.
    """

    methods = ("POST",)  # reading is not limited (and the schema says so)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.method not in self.methods or not isinstance(request.user, Patient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}

    def allow_request(self, request: Request, view: Any) -> bool:
        if super().allow_request(request, view):
            return True
        key = request.headers.get("Idempotency-Key", "")
        return bool(key) and _key_is_stored(patient=request.user, key=key)


class CheckInSubmitThrottle(PatientSubmitThrottle):
    """`STRIDE_THROTTLE_CHECK_IN` new check-ins per patient."""

    scope = "check_in"


class MessageSubmitThrottle(PatientSubmitThrottle):
    """`STRIDE_THROTTLE_MESSAGE` new messages per patient: the care team's inbox is read by
    people, and an app stuck in a loop must not bury what other patients wrote."""

    scope = "message"


def _key_is_stored(*, patient: Any, key: str) -> bool:
    return IdempotencyKey.objects.filter(
        patient=patient, key=key[:255], status=IdempotencyStatus.DONE
    ).exists()
