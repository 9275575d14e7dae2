"""Staff endpoints for exercises, templates, programs and run ladders; the app's program today."""

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.timezone import now
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from clinic.models import Clinic
from clinic.scoping import ClinicScopedViewSet
from common.api import Conflict, CreatedCursorPagination
from common.schema import CONFLICT
from patients import selectors as patient_selectors
from patients.auth import PatientAppView
from programs import selectors, services
from programs.models import (
    BodyRegion,
    Exercise,
    ExerciseFocus,
    ExerciseKind,
    KneePattern,
    Muscle,
    PatientLadder,
    PatientProgram,
    PauseReason,
    ProgramFocus,
    ProgramTemplate,
    RunLadder,
    TemplateFocus,
)
from programs.serializers import (
    AppProgramSerializer,
    ExerciseSerializer,
    ExerciseWriteSerializer,
    LadderNoteSerializer,
    LadderSetLevelSerializer,
    LadderStartSerializer,
    PatientLadderSerializer,
    PatientProgramSerializer,
    PatientProgramWriteSerializer,
    ProgramTemplateSerializer,
    ProgramTemplateWriteSerializer,
    RunLadderSerializer,
    RunLadderWriteSerializer,
)

DISCLAIMER = "Stride is decision support, not diagnosis. If in doubt, contact your clinic."
SHIPPED_READ_ONLY = "The shipped library is read-only; create your clinic's own exercise instead."

EXERCISE_EXAMPLE = {
    "code": "wall_slide_band",
    "name": "Wall slide with band",
    "region": "thigh",
    "kind": "strength",
    "focus": ["quadriceps_strength"],
    "instructions": "Back against the wall, band above the knees; slide down a little and up.",
    "default_sets": 3,
    "default_reps": 10,
    "default_hold_seconds": 0,
    "default_load": "light loop band",
    "default_days_per_week": 3,
}
TEMPLATE_EXAMPLE = {
    "name": "Downhill runners' knee",
    "pattern": "patellofemoral_pain",
    "focus": ["hip_strength", "quadriceps_strength"],
    "exercises": [{"exercise": 1, "sets": 3, "reps": 15}, {"exercise": 9}],
}
PROGRAM_EXAMPLE = {
    "patient": 42,
    "start_date": "2025-03-03",
    "patient_note": "Do these before your runs, not after.",
    "exercises": [
        {"exercise": 1, "sets": 3, "reps": 15, "days_per_week": 3},
        {"exercise": 8, "sets": 3, "reps": 1, "hold_seconds": 30, "load": "body weight"},
    ],
}
LADDER_EXAMPLE = {
    "name": "Gentle ladder",
    "levels": [
        {"run_minutes": 1, "walk_minutes": 3, "repeats": 5},
        {"run_minutes": 2, "walk_minutes": 2, "repeats": 5},
        {"run_minutes": 20, "walk_minutes": 0, "repeats": 1},
    ],
}


class NamePagination(CreatedCursorPagination):
    ordering = ("name", "id")


def _focus_filter(link_model: Any, owner: str) -> Any:
    def filter_focus(queryset: QuerySet[Any], name: str, value: list[str]) -> QuerySet[Any]:
        if not value:
            return queryset
        links = link_model.objects.filter(**{owner: OuterRef("pk")}, focus__in=value)
        return queryset.filter(Exists(links))

    return filter_focus


class ExerciseFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ExerciseKind.choices)
    region = django_filters.ChoiceFilter(choices=BodyRegion.choices)
    focus = django_filters.MultipleChoiceFilter(
        choices=ProgramFocus.choices,
        method=_focus_filter(ExerciseFocus, "exercise"),
        help_text="Exercises serving any of these program focus codes.",
    )
    muscle = django_filters.ChoiceFilter(
        choices=Muscle.choices,
        method="filter_muscle",
        help_text="Exercises that train this muscle group.",
    )
    shipped = django_filters.BooleanFilter(field_name="clinic", lookup_expr="isnull")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Exercise
        fields = ["kind", "region", "focus", "muscle", "shipped", "is_active"]

    def filter_muscle(self, queryset: QuerySet[Exercise], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(selectors.training_any([value])) if value else queryset


@extend_schema_view(
    list=extend_schema(operation_id="exercises_list", summary="The exercise library"),
    retrieve=extend_schema(operation_id="exercises_retrieve", summary="One exercise"),
    create=extend_schema(
        operation_id="exercises_create",
        summary="Add an exercise of the clinic's own",
        request=ExerciseWriteSerializer,
        responses={201: ExerciseSerializer},
        examples=[OpenApiExample("Exercise", value=EXERCISE_EXAMPLE, request_only=True)],
    ),
    partial_update=extend_schema(
        operation_id="exercises_update",
        summary="Change one of the clinic's own exercises (the shipped library is read-only)",
        request=ExerciseWriteSerializer,
        responses={200: ExerciseSerializer},
        examples=[OpenApiExample("Retire", value={"is_active": False}, request_only=True)],
    ),
)
class ExerciseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicScopedViewSet):
    model = Exercise
    include_shared_rows = True
    serializer_class = ExerciseSerializer
    filterset_class = ExerciseFilter
    pagination_class = NamePagination
    http_method_names = ["get", "post", "patch", "head", "options"]
    schema_tags = ["programs"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Exercise]:
        return selectors.exercise_list(clinic=clinic)

    def create(self, request: Request) -> Response:
        serializer = ExerciseWriteSerializer(data=request.data, context={"clinic": self.clinic})
        serializer.is_valid(raise_exception=True)
        exercise = services.exercise_create(
            clinic=self.clinic, by=self.staff, data=dict(serializer.validated_data)
        )
        exercise = selectors.exercise_list(clinic=self.clinic).get(pk=exercise.pk)
        return Response(ExerciseSerializer(exercise).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        exercise = self.get_object()
        if exercise.clinic_id is None:
            raise PermissionDenied(SHIPPED_READ_ONLY)
        serializer = ExerciseWriteSerializer(
            data=request.data,
            partial=True,
            context={"clinic": self.clinic, "instance": exercise},
        )
        serializer.is_valid(raise_exception=True)
        try:
            services.exercise_update(
                exercise=exercise, by=self.staff, data=dict(serializer.validated_data)
            )
        except services.ShippedReadOnly as exc:
            raise PermissionDenied(SHIPPED_READ_ONLY) from exc
        exercise = selectors.exercise_list(clinic=self.clinic).get(pk=exercise.pk)
        return Response(ExerciseSerializer(exercise).data)


class ProgramTemplateFilter(django_filters.FilterSet):
    focus = django_filters.MultipleChoiceFilter(
        choices=ProgramFocus.choices,
        method=_focus_filter(TemplateFocus, "template"),
        help_text="Templates serving any of these program focus codes (from an intake).",
    )
    pattern = django_filters.ChoiceFilter(choices=KneePattern.choices)
    shipped = django_filters.BooleanFilter(field_name="clinic", lookup_expr="isnull")

    class Meta:
        model = ProgramTemplate
        fields = ["focus", "pattern", "shipped"]


@extend_schema_view(
    list=extend_schema(
        operation_id="program_templates_list",
        summary="Program templates; `?focus=` maps an intake's focus codes to templates",
    ),
    retrieve=extend_schema(
        operation_id="program_templates_retrieve", summary="One program template"
    ),
    create=extend_schema(
        operation_id="program_templates_create",
        summary="Add a template of the clinic's own",
        request=ProgramTemplateWriteSerializer,
        responses={201: ProgramTemplateSerializer},
        examples=[OpenApiExample("Template", value=TEMPLATE_EXAMPLE, request_only=True)],
    ),
)
class ProgramTemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicScopedViewSet):
    model = ProgramTemplate
    include_shared_rows = True
    serializer_class = ProgramTemplateSerializer
    filterset_class = ProgramTemplateFilter
    pagination_class = NamePagination
    http_method_names = ["get", "post", "head", "options"]
    schema_tags = ["programs"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[ProgramTemplate]:
        return selectors.template_list(clinic=clinic)

    def create(self, request: Request) -> Response:
        serializer = ProgramTemplateWriteSerializer(
            data=request.data, context={"clinic": self.clinic}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["items"] = data.pop("exercises")
        template = services.template_create(clinic=self.clinic, by=self.staff, data=data)
        template = selectors.template_list(clinic=self.clinic).get(pk=template.pk)
        return Response(ProgramTemplateSerializer(template).data, status=status.HTTP_201_CREATED)


class PatientProgramFilter(django_filters.FilterSet):
    patient = django_filters.NumberFilter(field_name="patient_id")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = PatientProgram
        fields = ["patient", "is_active"]


@extend_schema_view(
    list=extend_schema(
        operation_id="programs_list", summary="Patient programs, every version (`?patient=`)"
    ),
    retrieve=extend_schema(
        operation_id="programs_retrieve", summary="One version of a patient's program"
    ),
    create=extend_schema(
        operation_id="programs_create",
        summary="Prescribe a program (a new version when the patient has one)",
        description=(
            "Prescribes exercises with their dose. When the patient has an active program, "
            "this makes the next version and keeps the old one, inactive. The same "
            "prescription again, or a discharged patient, gives 409."
        ),
        request=PatientProgramWriteSerializer,
        responses={201: PatientProgramSerializer, 409: CONFLICT},
        examples=[OpenApiExample("Prescription", value=PROGRAM_EXAMPLE, request_only=True)],
    ),
)
class PatientProgramViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicScopedViewSet):
    model = PatientProgram
    serializer_class = PatientProgramSerializer
    filterset_class = PatientProgramFilter
    http_method_names = ["get", "post", "head", "options"]
    audit_object_type = "program"
    schema_tags = ["programs"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[PatientProgram]:
        return selectors.program_list(clinic=clinic)

    def create(self, request: Request) -> Response:
        serializer = PatientProgramWriteSerializer(
            data=request.data, context={"clinic": self.clinic}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        patient = data.pop("patient")
        data["items"] = data.pop("exercises", None)
        try:
            program = services.program_prescribe(patient=patient, by=self.staff, data=data)
        except services.ProgramStateError as exc:
            raise Conflict(str(exc)) from exc
        self.audit([program], action="create")
        program = selectors.program_list(clinic=self.clinic).get(pk=program.pk)
        return Response(PatientProgramSerializer(program).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(operation_id="run_ladders_list", summary="The default ladder and yours"),
    retrieve=extend_schema(operation_id="run_ladders_retrieve", summary="One run ladder"),
    create=extend_schema(
        operation_id="run_ladders_create",
        summary="Define a ladder of the clinic's own",
        request=RunLadderWriteSerializer,
        responses={201: RunLadderSerializer},
        examples=[OpenApiExample("Ladder", value=LADDER_EXAMPLE, request_only=True)],
    ),
)
class RunLadderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicScopedViewSet):
    model = RunLadder
    include_shared_rows = True
    serializer_class = RunLadderSerializer
    pagination_class = NamePagination
    http_method_names = ["get", "post", "head", "options"]
    schema_tags = ["programs"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[RunLadder]:
        return selectors.run_ladder_list(clinic=clinic)

    def create(self, request: Request) -> Response:
        serializer = RunLadderWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ladder = services.run_ladder_create(
            clinic=self.clinic, by=self.staff, data=dict(serializer.validated_data)
        )
        ladder = selectors.run_ladder_list(clinic=self.clinic).get(pk=ladder.pk)
        return Response(RunLadderSerializer(ladder).data, status=status.HTTP_201_CREATED)


class PatientLadderViewSet(ClinicScopedViewSet):
    """A patient's place on the run ladder: `/api/v1/patients/{patient_id}/ladder/...`."""

    model = PatientLadder
    serializer_class = PatientLadderSerializer
    lookup_field = "patient_id"
    lookup_url_kwarg = "patient_id"
    audit_object_type = "run_ladder"
    schema_tags = ["programs"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[PatientLadder]:
        return selectors.patient_ladder_list(clinic=clinic)

    def _body(self, row: PatientLadder, *, events: bool = True) -> dict[str, Any]:
        context = {
            "thresholds": self.clinic.clinical_thresholds(),
            "recent_events": selectors.ladder_recent_events(patient_ladder=row) if events else [],
        }
        return dict(PatientLadderSerializer(row, context=context).data)

    def _reloaded(self, patient_id: int) -> PatientLadder:
        return selectors.patient_ladder_list(clinic=self.clinic).get(patient_id=patient_id)

    @extend_schema(
        operation_id="patient_ladder_retrieve",
        summary="The patient's run ladder: level, completions, pause, recent events",
        responses={200: PatientLadderSerializer},
    )
    def retrieve(self, request: Request, patient_id: int) -> Response:
        return Response(self._body(self.get_object()))

    @extend_schema(
        operation_id="patient_ladder_start",
        summary="Start the patient on a run ladder",
        request=LadderStartSerializer,
        responses={201: PatientLadderSerializer, 409: CONFLICT},
        examples=[OpenApiExample("Start", value={"level": 1}, request_only=True)],
    )
    def start(self, request: Request, patient_id: int) -> Response:
        patient = get_object_or_404(
            patient_selectors.patient_list(clinic=self.clinic), pk=patient_id
        )
        serializer = LadderStartSerializer(data=request.data, context={"clinic": self.clinic})
        serializer.is_valid(raise_exception=True)
        ladder = serializer.validated_data.get("run_ladder") or selectors.run_ladder_default()
        try:
            row = services.ladder_start(
                patient=patient,
                by=self.staff,
                ladder=ladder,
                level=serializer.validated_data["level"],
            )
        except services.LadderStateError as exc:
            raise Conflict(str(exc)) from exc
        except ValueError as exc:
            raise _bad_level(exc) from exc
        self.audit([row], action="create")
        return Response(self._body(self._reloaded(patient.pk)), status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="patient_ladder_set_level",
        summary=(
            "Set the patient's level, with the reason (the count of completions restarts; "
            "not counted in the weekly limit of automatic progressions)"
        ),
        request=LadderSetLevelSerializer,
        responses={200: PatientLadderSerializer, 409: CONFLICT},
        examples=[
            OpenApiExample(
                "Set level", value={"level": 3, "note": "Ran well in clinic."}, request_only=True
            )
        ],
    )
    def set_level(self, request: Request, patient_id: int) -> Response:
        row = self.get_object()
        serializer = LadderSetLevelSerializer(data=request.data, context={"clinic": self.clinic})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.ladder_set_level(
                patient=row.patient,
                by=self.staff,
                level=data["level"],
                ladder=data.get("run_ladder"),
                note=data["note"],
            )
        except services.LadderStateError as exc:
            raise Conflict(str(exc)) from exc
        except ValueError as exc:
            raise _bad_level(exc) from exc
        return Response(self._body(self._reloaded(row.patient_id)))

    @extend_schema(
        operation_id="patient_ladder_resume",
        summary="Resume a paused ladder (409 while a critical or high escalation is unresolved)",
        request=LadderNoteSerializer,
        responses={200: PatientLadderSerializer, 409: CONFLICT},
        examples=[OpenApiExample("Resume", value={"note": "Seen in clinic."}, request_only=True)],
    )
    def resume(self, request: Request, patient_id: int) -> Response:
        row = self.get_object()
        serializer = LadderNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.ladder_resume(
                patient=row.patient, by=self.staff, note=serializer.validated_data.get("note", "")
            )
        except services.LadderStateError as exc:
            raise Conflict(str(exc)) from exc
        return Response(self._body(self._reloaded(row.patient_id)))

    @extend_schema(
        operation_id="patient_ladder_pause",
        summary="Pause the patient's running until resumed",
        request=LadderNoteSerializer,
        responses={200: PatientLadderSerializer, 409: CONFLICT},
        examples=[OpenApiExample("Pause", value={"note": "Wait for the scan."}, request_only=True)],
    )
    def pause(self, request: Request, patient_id: int) -> Response:
        row = self.get_object()
        serializer = LadderNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.ladder_pause(
                patient=row.patient,
                reason=PauseReason.THERAPIST,
                by=self.staff,
                note=serializer.validated_data.get("note", ""),
            )
        except services.LadderStateError as exc:
            raise Conflict(str(exc)) from exc
        return Response(self._body(self._reloaded(row.patient_id)))


def _bad_level(exc: ValueError) -> ValidationError:
    return ValidationError({"level": [str(exc)]})


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
