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
        if self._under_limit(request, view):
            return True
        key = request.headers.get("Idempotency-Key", "")
        return bool(key) and _key_is_stored(patient=request.user, key=key)

    def _under_limit(self, request: Request, view: Any) -> bool:
        """On Redis (common.cache), a counter per patient and window: the window opens at the
        first submission and lasts the rate's period, one round trip per submission. On
        another cache (the file cache of a Redis-less `make run`), DRF's list of times."""
        hit = getattr(self.cache, "hit", None)
        if hit is None:
            return bool(super().allow_request(request, view))
        self.key = self.get_cache_key(request, view)
        limit, period = self.parse_rate(self.rate)
        if limit is None or period is None or self.key is None:
            return True
        # A key of its own: during a rolling deploy, processes still on DRF's way read and
        # write a list of times at `self.key`, and neither kind must read the other's value.
        counted = hit(f"{self.key}_window", period)
        if counted is None:
            return True  # Redis did not answer: the limit is lifted (common.cache)
        count, self._window_left = counted
        return bool(count <= limit)

    def wait(self) -> float | None:
        left = getattr(self, "_window_left", None)
        return float(left) if left is not None else super().wait()


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
