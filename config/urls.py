"""URL map: the staff API, the partner-app API under /api/v1/app/, schema, docs, health, and
the therapist console under /console/ (where / leads)."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from assessments import urls as assessments_urls
from common.index import ApiIndexView
from common.views import HealthView, not_found
from patients import urls as patients_urls
from programs import urls as programs_urls

# Each app's routes are in its urls.py: `urlpatterns` for staff, `app_urlpatterns` for the app.
app_urls: list[URLPattern | URLResolver] = [
    *patients_urls.app_urlpatterns,
    *assessments_urls.app_urlpatterns,
    *programs_urls.app_urlpatterns,
]

api_v1: list[URLPattern | URLResolver] = [
    path("", ApiIndexView.as_view(), name="api-index"),
    path("app/", include(app_urls)),
    path("", include("clinic.urls")),
    path("", include("patients.urls")),
    path("", include("assessments.urls")),
    path("", include("programs.urls")),
    path("", include("monitoring.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("health/", HealthView.as_view(), name="health"),
    path("admin/", admin.site.urls),
    # The therapist console (console/urls.py); the site's root leads there.
    path("console/", include("console.urls")),
    path("", RedirectView.as_view(pattern_name="console:caseload"), name="root"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    # Any other path under /api/ is a 404 in the one error shape, with DEBUG on too, for
    # every method (CSRF applies to cookie sessions, and the API has none).
    re_path(r"^api/", csrf_exempt(not_found)),
]

handler400 = "common.views.bad_request"
handler404 = "common.views.not_found"
handler500 = "common.views.server_error"
