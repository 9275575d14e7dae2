"""Staff endpoints of the clinic's library: exercises, program templates and run ladders."""

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from clinic.models import Clinic
from clinic.scoping import ClinicScopedViewSet
from clinical.patterns import KneePattern
from clinical.programs import ProgramFocus
from common.api import CreatedCursorPagination
from programs import selectors, services
from programs.models import (
    BodyRegion,
    Exercise,
    ExerciseFocus,
    ExerciseKind,
    Muscle,
    ProgramTemplate,
    RunLadder,
    TemplateFocus,
)
from programs.serializers.library import (
    ExerciseSerializer,
    ExerciseWriteSerializer,
    ProgramTemplateSerializer,
    ProgramTemplateWriteSerializer,
    RunLadderSerializer,
    RunLadderWriteSerializer,
)

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
