"""Routes of the clinic app under /api/v1/: signing in and out, the clinic, its staff and its
audit trail."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from clinic.api import AuditEventViewSet, ClinicView, LoginView, LogoutView, StaffViewSet

router = SimpleRouter()
router.register("staff", StaffViewSet, basename="staff")
router.register("audit-events", AuditEventViewSet, basename="audit-event")

urlpatterns = [
    path("auth/login/", LoginView.as_view(), name="auth-login"),
    path("auth/logout/", LogoutView.as_view(), name="auth-logout"),
    path("clinic/", ClinicView.as_view(), name="clinic"),
    *router.urls,
]
