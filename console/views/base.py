"""What every console page shares: only a clinic's active staff get in (anyone else gets the
sign-in page), the page runs in the clinic's time zone, PHI reads are audited as the API's."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from clinic.models import Clinic, StaffUser
from clinic.services import audit_record_many

P = ParamSpec("P")


class Staff:
    """The signed-in staff member and their clinic, handed to every console view."""

    def __init__(self, user: StaffUser, clinic: Clinic) -> None:
        self.user = user
        self.clinic = clinic


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request (django-htmx's `request.htmx`), which gets a partial back."""
    return bool(getattr(request, "htmx", False))


def clinic_staff(user: Any) -> StaffUser | None:
    if isinstance(user, StaffUser) and user.is_active and user.clinic_id is not None:
        return user
    return None


def staff_page(
    view: Callable[Concatenate[HttpRequest, Staff, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Let a clinic's active staff in; send anyone else to the sign-in page (an htmx request
    is told to load it as a whole page)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        user = clinic_staff(request.user)
        if user is None:
            if is_htmx(request):
                return HttpResponseClientRedirect(resolve_url("console:sign-in"))
            return redirect_to_login(request.get_full_path())
        clinic = user.clinic
        assert clinic is not None
        with timezone.override(clinic.timezone):
            return view(request, Staff(user, clinic), *args, **kwargs)

    return wrapper


def audit(
    request: HttpRequest,
    staff: Staff,
    *,
    action: str,
    object_type: str,
    objects: Iterable[tuple[int | None, str]],
) -> None:
    """The API's audit events (one INSERT), for a console page that shows patient data."""
    audit_record_many(
        actor=staff.user,
        action=action,
        object_type=object_type,
        objects=list(objects),
        ip_address=request.META.get("REMOTE_ADDR"),
    )


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Another clinic's page and a missing one look the same."""
    return render(request, "console/not_found.html", status=404)
