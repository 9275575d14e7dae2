"""The partner app's program today."""

from django.utils.timezone import now
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from patients.auth import PatientAppView
from programs import selectors
from programs.serializers.app import AppProgramSerializer

DISCLAIMER = "Stride is decision support, not diagnosis. If in doubt, contact your clinic."


class AppProgramView(PatientAppView):
    @extend_schema(
        operation_id="app_program_retrieve",
        summary="Today's exercises and whether today is a run day",
        description=(
            "Today is the date in the patient's time zone. `exercises` are those of the "
            "active program due today (an exercise done n days a week is spread over the "
            "week, starting on Monday); `run` says whether today is a run day and which "
            "session, within the ladder's weekly limits."
        ),
        responses={200: AppProgramSerializer},
    )
    def get(self, request: Request) -> Response:
        plan = selectors.program_today(patient=self.patient, now=now())
        session = None
        if plan.run.session is not None:
            level = plan.run.session
            target = plan.run.target_minutes
            session = {
                "level": level.number,
                "run_minutes": target or level.run_minutes,
                "walk_minutes": 0 if target else level.walk_minutes,
                "repeats": 1 if target else level.repeats,
                "running_minutes": target or level.running_minutes,
                "description": (
                    f"Run {target} minutes without stopping." if target else level.describe()
                ),
            }
        body = {
            "date": plan.day,
            "program": plan.program,
            "exercises": plan.exercises,
            "run": {
                "run_day": plan.run.run_day,
                "status": plan.run.status,
                "session": session,
                "reasons": [{"code": r.code, "detail": r.detail} for r in plan.run.reasons],
            },
            "disclaimer": DISCLAIMER,
        }
        return Response(AppProgramSerializer(body).data)
