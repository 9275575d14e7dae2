"""Sign-in and sign-out of the console: a session, with the API's lockout (django-axes)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from console.forms import SignInForm
from console.middleware import touch
from console.views.base import clinic_staff

WRONG = "Email or password is wrong."
NO_CLINIC = "This account belongs to no clinic, so it has no console."


def _locked_out_text() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return f"Too many failed sign-in attempts for this email. Try again in {minutes} minutes."


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/console/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/console/"


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if clinic_staff(request.user) is not None:
        return redirect(_next_url(request))
    form = SignInForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_valid():
        user = authenticate(
            request,
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            # django-axes would answer with the API's JSON 429; a person gets this page.
            request.axes_locked_out = False  # type: ignore[attr-defined]
            form.add_error(None, _locked_out_text())
            status = 429
        elif user is None:
            form.add_error(None, WRONG)
            status = 400
        elif clinic_staff(user) is None:
            form.add_error(None, NO_CLINIC)
            status = 400
        else:
            login(request, user)
            touch(request)
            return redirect(_next_url(request))
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "next": _next_url(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "idle_minutes": max(1, settings.STRIDE_CONSOLE_IDLE_SECONDS // 60),
    }
    return render(request, "console/sign_in.html", context, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("console:sign-in")
