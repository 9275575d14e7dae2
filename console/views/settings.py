"""The clinic's settings, for its admins: staff, on-call contacts, thresholds, webhooks (with a
test event and the delivery log) and the audit trail. A therapist gets the console's 404 page,
as for any page that is not theirs. Each form is checked by the API's serializer and saved by
the service the API calls (clinic/services.py)."""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic import notifications, selectors, services
from clinic.models import NotificationTarget, StaffUser
from clinical.thresholds import BOUNDS
from console.settings_forms import (
    AuditFilterForm,
    OnCallForm,
    StaffChangeForm,
    StaffDeactivateForm,
    StaffInviteForm,
    ThresholdsForm,
    WebhookForm,
)
from console.views.base import Staff, not_found, staff_page

P = ParamSpec("P")

AUDIT_PAGE_SIZE = 50
ENDPOINTS = {
    "webhook": ("Clinic endpoint", "Escalation events", NotificationTarget.CLINIC),
    "partner_webhook": ("Partner-app backend", "Reminder events", NotificationTarget.PARTNER),
}


def admin_page(
    view: Callable[Concatenate[HttpRequest, Staff, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """A clinic admin's page; a therapist gets the console's 404 page."""

    @staff_page
    @wraps(view)
    def wrapper(request: HttpRequest, staff: Staff, *args: P.args, **kwargs: P.kwargs) -> Any:
        if not staff.user.is_clinic_admin:
            return not_found(request)
        return view(request, staff, *args, **kwargs)

    return wrapper


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, tab: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        f"console/settings/{template}",
        {"section": "settings", "tab": tab, **context},
        status=status,
    )


# --- Staff ---------------------------------------------------------------------------------


def _staff_page(
    request: HttpRequest, staff: Staff, *, form: StaffInviteForm | None = None, status: int = 200
) -> HttpResponse:
    members = list(selectors.staff_with_patient_counts(clinic=staff.clinic))
    return _render(
        request,
        "staff.html",
        {"members": members, "form": form or StaffInviteForm()},
        tab="staff",
        status=status,
    )


@require_GET
@admin_page
def staff_list(request: HttpRequest, staff: Staff) -> HttpResponse:
    return _staff_page(request, staff)


@require_POST
@admin_page
def staff_invite(request: HttpRequest, staff: Staff) -> HttpResponse:
    form = StaffInviteForm(request.POST, context={"clinic": staff.clinic})
    if not form.is_valid():
        return _staff_page(request, staff, form=form, status=422)
    added = services.staff_add(clinic=staff.clinic, **form.validated)
    messages.success(request, f"Added {added.email}: they can sign in with the first password.")
    return redirect("console:settings-staff")


def _member(staff: Staff, member_id: int) -> StaffUser | None:
    return selectors.staff_with_patient_counts(clinic=staff.clinic).filter(pk=member_id).first()


def _member_page(
    request: HttpRequest,
    staff: Staff,
    member: StaffUser,
    *,
    change: StaffChangeForm | None = None,
    deactivate: StaffDeactivateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    colleagues = [
        c
        for c in selectors.staff_list(clinic=staff.clinic).filter(is_active=True)
        if c.pk != member.pk
    ]
    change = change or StaffChangeForm(
        initial={
            "first_name": member.first_name,
            "last_name": member.last_name,
            "role": member.role,
            "credential": member.credential,
        }
    )
    deactivate = deactivate or StaffDeactivateForm(staff=member, colleagues=colleagues)
    context = {"member": member, "change": change, "deactivate": deactivate}
    return _render(request, "member.html", context, tab="staff", status=status)


@require_GET
@admin_page
def member(request: HttpRequest, staff: Staff, member_id: int) -> HttpResponse:
    found = _member(staff, member_id)
    return not_found(request) if found is None else _member_page(request, staff, found)


@require_POST
@admin_page
def member_change(request: HttpRequest, staff: Staff, member_id: int) -> HttpResponse:
    found = _member(staff, member_id)
    if found is None:
        return not_found(request)
    form = StaffChangeForm(request.POST, context={"clinic": staff.clinic, "instance": found})
    if form.is_valid():
        try:
            services.staff_update(staff=found, data=form.validated, by=staff.user)
        except services.StaffStateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved {found.display_name}.")
            return redirect("console:settings-member", member_id=found.pk)
    found = _member(staff, member_id) or found
    return _member_page(request, staff, found, change=form, status=422)


@require_POST
@admin_page
def member_deactivate(request: HttpRequest, staff: Staff, member_id: int) -> HttpResponse:
    found = _member(staff, member_id)
    if found is None:
        return not_found(request)
    colleagues = [
        c
        for c in selectors.staff_list(clinic=staff.clinic).filter(is_active=True)
        if c.pk != found.pk
    ]
    form = StaffDeactivateForm(
        request.POST,
        staff=found,
        colleagues=colleagues,
        context={"clinic": staff.clinic, "instance": found},
    )
    if form.is_valid():
        data = dict(form.validated)
        reassign_to = data.pop("reassign_to", None)
        try:
            services.staff_update(staff=found, data=data, by=staff.user, reassign_to=reassign_to)
        except services.StaffHasPatientsError as exc:
            noun = "patient is" if exc.count == 1 else "patients are"
            form.add_error(
                "reassign_to",
                f"{exc.count} {noun} assigned to {found.display_name}: choose who takes them over.",
            )
        except services.StaffStateError as exc:
            form.add_error(None, str(exc))
        except services.StaffReassignError as exc:
            form.add_error("reassign_to", str(exc))
        else:
            moved = f"; their patients went to {reassign_to.display_name}" if reassign_to else ""
            messages.success(request, f"Deactivated {found.display_name}{moved}.")
            return redirect("console:settings-staff")
    return _member_page(request, staff, found, deactivate=form, status=422)


# --- On-call -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@admin_page
def oncall(request: HttpRequest, staff: Staff) -> HttpResponse:
    clinic = staff.clinic
    if request.method == "POST":
        form = OnCallForm(request.POST)
        if form.is_valid():
            try:
                services.clinic_update(clinic=clinic, data=form.validated)
            except services.ClinicSettingsError as exc:
                count = str(exc).split(" ", 1)[0]
                form.add_error(
                    "oncall_emails",
                    f"{count} patient(s) have an inactive therapist, and on-call contacts are "
                    "the only people their escalations reach. Keep at least one, or first move "
                    "those patients to an active colleague (Staff: deactivate with a successor).",
                )
            else:
                messages.success(request, "On-call contacts saved.")
                return redirect("console:settings-oncall")
        clinic.refresh_from_db()
        return _render(request, "oncall.html", {"form": form}, tab="oncall", status=422)
    form = OnCallForm(initial={"oncall_emails": "\n".join(clinic.oncall_emails or [])})
    return _render(request, "oncall.html", {"form": form}, tab="oncall")


# --- Thresholds ----------------------------------------------------------------------------


def _threshold_rows(form: ThresholdsForm, effective: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "bound": bound,
            "governs": bound.governs.replace("`", ""),
            "field": form[name],
            "current": effective[name],
        }
        for name, bound in BOUNDS.items()
    ]


@require_http_methods(["GET", "POST"])
@admin_page
def thresholds(request: HttpRequest, staff: Staff) -> HttpResponse:
    clinic = staff.clinic
    status = 200
    if request.method == "POST":
        form = ThresholdsForm(request.POST, clinic=clinic)
        if form.is_valid():
            services.clinic_update(clinic=clinic, data=form.validated)
            messages.success(request, "Thresholds saved.")
            return redirect("console:settings-thresholds")
        status = 422
    else:
        form = ThresholdsForm(clinic=clinic)
    effective = clinic.clinical_thresholds().as_dict()
    context = {"form": form, "rows": _threshold_rows(form, effective)}
    return _render(request, "thresholds.html", context, tab="thresholds", status=status)


# --- Webhooks ------------------------------------------------------------------------------


def _webhooks_page(
    request: HttpRequest,
    staff: Staff,
    *,
    forms: dict[str, WebhookForm] | None = None,
    secret: tuple[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    clinic = staff.clinic
    forms = forms or {}
    endpoints = []
    for kind, (title, carries, target) in ENDPOINTS.items():
        url = getattr(clinic, f"{kind}_url")
        endpoints.append(
            {
                "kind": kind,
                "title": title,
                "carries": carries,
                "target": target,
                "url": url,
                "form": forms.get(kind) or WebhookForm(kind=kind, initial={"url": url}),
                "secret": secret[1] if secret and secret[0] == kind else None,
            }
        )
    log = list(selectors.webhook_delivery_log(clinic=clinic)[: selectors.DELIVERY_LOG_LIMIT])
    context = {"endpoints": endpoints, "log": log, "limit": selectors.DELIVERY_LOG_LIMIT}
    return _render(request, "webhooks.html", context, tab="webhooks", status=status)


@require_GET
@admin_page
def webhooks(request: HttpRequest, staff: Staff) -> HttpResponse:
    return _webhooks_page(request, staff)


@require_POST
@admin_page
def webhook_change(request: HttpRequest, staff: Staff, kind: str) -> HttpResponse:
    if kind not in ENDPOINTS:
        return not_found(request)
    clinic = staff.clinic
    rotate = request.POST.get("action") == "rotate"
    form = WebhookForm(request.POST, kind=kind)
    if rotate:
        form = WebhookForm({"url": getattr(clinic, f"{kind}_url")}, kind=kind)
    if not form.is_valid():
        return _webhooks_page(request, staff, forms={kind: form}, status=422)
    try:
        secrets = services.clinic_webhooks_set(
            clinic=clinic,
            **{f"{kind}_url": form.validated[f"{kind}_url"], f"rotate_{kind}_secret": rotate},
        )
    except services.WebhookChangeRefused as exc:
        form.add_error(None, str(exc))
        clinic.refresh_from_db()
        return _webhooks_page(request, staff, forms={kind: form}, status=422)
    secret = getattr(secrets, f"{kind}_secret")
    title = ENDPOINTS[kind][0]
    if secret is None:
        url = getattr(clinic, f"{kind}_url")
        messages.success(request, f"{title}: saved." if url else f"{title}: turned off.")
        return redirect("console:settings-webhooks")
    messages.success(request, f"{title}: saved with a new signing secret, shown below once.")
    return _webhooks_page(request, staff, secret=(kind, secret))


@require_POST
@admin_page
def webhook_test(request: HttpRequest, staff: Staff, kind: str) -> HttpResponse:
    if kind not in ENDPOINTS:
        return not_found(request)
    title, _, target = ENDPOINTS[kind]
    try:
        notifications.webhook_test_send(clinic=staff.clinic, target=target, by=staff.user)
    except notifications.WebhookTestRefused as exc:
        messages.error(request, f"{title}: {exc}")
    else:
        messages.success(
            request, f"{title}: a test event is on its way; it shows in the delivery log below."
        )
    return redirect("console:settings-webhooks")


# --- Audit trail ---------------------------------------------------------------------------


@require_GET
@admin_page
def audit_trail(request: HttpRequest, staff: Staff) -> HttpResponse:
    members = list(selectors.staff_list(clinic=staff.clinic))
    form = AuditFilterForm(request.GET or None, staff=members)
    events = selectors.audit_event_list(clinic=staff.clinic)
    if form.is_bound and form.is_valid():
        if form.cleaned_data.get("actor"):
            events = events.filter(actor_id=form.cleaned_data["actor"])
        if form.cleaned_data.get("patient"):
            events = events.filter(patient_id=form.cleaned_data["patient"])
    paginator = Paginator(events.order_by("-created_at", "-id"), AUDIT_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return _render(request, "audit.html", context, tab="audit")
