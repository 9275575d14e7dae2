"""The app's URLs plus the benchmark's floor endpoint (config/bench_settings.py only)."""

from django.urls import path

from bench.floor import FloorCheckInView
from config.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path(
        "bench/floor/<int:clinic_id>/<int:patient_id>/",
        FloorCheckInView.as_view(),
        name="bench-floor",
    ),
    *app_urlpatterns,
]

handler400 = "common.views.bad_request"
handler404 = "common.views.not_found"
handler500 = "common.views.server_error"
