"""The exercise library: the shipped exercises and the clinic's own, by region and by muscle
group, with each one's instructions and default dose. For every staff member."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from console.settings_forms import LibraryFilterForm
from console.views.base import Staff, staff_page
from programs import selectors


@require_GET
@staff_page
def library(request: HttpRequest, staff: Staff) -> HttpResponse:
    form = LibraryFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {"query": "", "region": "", "muscle": ""}
    exercises = list(selectors.exercise_search(clinic=staff.clinic, **filters))
    context = {"section": "library", "form": form, "exercises": exercises, "filters": filters}
    return render(request, "console/library.html", context)
