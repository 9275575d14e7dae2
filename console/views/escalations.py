"""The escalation inbox, one escalation's page, and acknowledging and resolving one."""

from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from console import presenters, selectors
from console.forms import ResolveForm
from console.views.base import Staff, audit, is_htmx, not_found, staff_page
from patients.models import Escalation
from patients.services import escalations as escalation_services


def _view(escalation: Escalation, now: datetime) -> dict[str, object]:
    return {
        "escalation": escalation,
        "title": presenters.code_words(escalation.code),
        "deadline": presenters.deadline(escalation, now),
        "evidence": [
            {"item": item, "values": presenters.value_words(item.values)}
            for item in escalation.evidence.all()
        ],
    }


def _audit_one(request: HttpRequest, staff: Staff, escalation: Escalation, action: str) -> None:
    audit(
        request,
        staff,
        action=action,
        object_type="escalation",
        objects=[(escalation.patient_id, str(escalation.pk))],
    )


def _of_clinic(
    view: Callable[[HttpRequest, Staff, Escalation], HttpResponse],
) -> Callable[[HttpRequest, Staff, int], HttpResponse]:
    """The view given the clinic's escalation `escalation_id`; any other id is not found."""

    @wraps(view)
    def wrapper(request: HttpRequest, staff: Staff, escalation_id: int) -> HttpResponse:
        escalation = selectors.escalation_of_clinic(
            clinic=staff.clinic, escalation_id=escalation_id
        )
        if escalation is None:
            return not_found(request)
        return view(request, staff, escalation)

    return wrapper


def _page(
    request: HttpRequest, escalation: Escalation, form: ResolveForm, *, status: int = 200
) -> HttpResponse:
    """The escalation's own page with its resolve form."""
    context = {**_view(escalation, timezone.now()), "resolve_form": form, "section": "escalations"}
    return render(request, "console/escalation.html", context, status=status)


@require_GET
@staff_page
def inbox(request: HttpRequest, staff: Staff) -> HttpResponse:
    return _inbox(request, staff)


def _inbox(
    request: HttpRequest, staff: Staff, *, errors: dict[int, ResolveForm] | None = None
) -> HttpResponse:
    """The inbox page; `errors`: a refused resolve form to show on its row (422)."""
    now = timezone.now()
    raw_patient = request.GET.get("patient", "") if request.method == "GET" else ""
    patient_id = int(raw_patient) if raw_patient.isdigit() else None
    escalations = list(
        selectors.escalation_inbox(clinic=staff.clinic, patient_id=patient_id)[
            : selectors.INBOX_LIMIT
        ]
    )
    audit(
        request,
        staff,
        action="list",
        object_type="escalation",
        objects=[(e.patient_id, str(e.pk)) for e in escalations],
    )
    errors = errors or {}
    items = []
    for escalation in escalations:
        item = _view(escalation, now)
        item |= {"resolve_form": errors.get(escalation.pk) or ResolveForm(), "error": ""}
        items.append(item)
    context = {
        "section": "escalations",
        "items": items,
        "patient_filter": patient_id,
        "limit": selectors.INBOX_LIMIT,
        "truncated": len(escalations) == selectors.INBOX_LIMIT,
    }
    return render(request, "console/inbox.html", context, status=422 if errors else 200)


@require_GET
@staff_page
@_of_clinic
def detail(request: HttpRequest, staff: Staff, escalation: Escalation) -> HttpResponse:
    _audit_one(request, staff, escalation, "retrieve")
    return _page(request, escalation, ResolveForm())


def _after(request: HttpRequest, escalation: Escalation) -> str:
    """Back to where the form was: the inbox, or the escalation's own page."""
    if request.POST.get("from") == "inbox":
        return reverse("console:inbox")
    return reverse("console:escalation", args=[escalation.pk])


def _row(
    request: HttpRequest,
    staff: Staff,
    escalation_id: int,
    *,
    form: ResolveForm | None = None,
    error: str = "",
) -> HttpResponse:
    """The inbox row of an escalation as htmx swaps it in: a short note once it is resolved,
    the row with the form's error (422) when resolving was refused."""
    escalation = selectors.escalation_of_clinic(clinic=staff.clinic, escalation_id=escalation_id)
    if escalation is None:
        return not_found(request)
    entry = _view(escalation, timezone.now())
    entry |= {"resolve_form": form or ResolveForm(), "error": error}
    context = {"entry": entry}
    refused = bool(error) or (form is not None and bool(form.errors))
    return render(
        request, "console/inbox.html#escalation-row", context, status=422 if refused else 200
    )


@require_POST
@staff_page
@_of_clinic
def acknowledge(request: HttpRequest, staff: Staff, escalation: Escalation) -> HttpResponse:
    error = ""
    try:
        escalation = escalation_services.escalation_acknowledge(
            escalation=escalation, by=staff.user
        )
    except escalation_services.EscalationStateError as exc:
        error = str(exc)
    else:
        _audit_one(request, staff, escalation, "acknowledge")
    if is_htmx(request):
        return _row(request, staff, escalation.pk, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Acknowledged: {presenters.code_words(escalation.code)}.")
    return redirect(_after(request, escalation))


@require_POST
@staff_page
@_of_clinic
def resolve(request: HttpRequest, staff: Staff, escalation: Escalation) -> HttpResponse:
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            escalation = escalation_services.escalation_resolve(
                escalation=escalation, by=staff.user, note=form.cleaned_data["note"]
            )
        except escalation_services.EscalationStateError as exc:
            form.add_error(None, str(exc))
        else:
            _audit_one(request, staff, escalation, "resolve")
            if is_htmx(request):
                return _row(request, staff, escalation.pk)
            messages.success(request, f"Resolved: {presenters.code_words(escalation.code)}.")
            return redirect(_after(request, escalation))
    if is_htmx(request):
        return _row(request, staff, escalation.pk, form=form)
    if request.POST.get("from") == "inbox":
        return _inbox(request, staff, errors={escalation.pk: form})
    return _page(request, escalation, form, status=422)
