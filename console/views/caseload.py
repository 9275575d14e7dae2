"""The caseload: the clinic's patients by priority, filtered and searched; the table alone
for the minute's htmx refresh."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from console import presenters, selectors
from console.forms import CaseloadFilterForm
from console.views.base import Staff, audit, is_htmx, staff_page
from monitoring.selectors import caseload_nearness


def _offset(request: HttpRequest) -> int:
    raw = request.GET.get("offset", "")
    return int(raw) if raw.isdigit() and int(raw) < 1_000_000 else 0


@require_GET
@staff_page
def caseload(request: HttpRequest, staff: Staff) -> HttpResponse:
    now = timezone.now()
    form = CaseloadFilterForm(request.GET)
    filters = form.filters()
    page = selectors.caseload_page(
        staff=staff.user, clinic=staff.clinic, now=now, offset=_offset(request), **filters
    )
    audit(
        request,
        staff,
        action="list",
        object_type="caseload",
        objects=[(p.pk, str(p.pk)) for p in page.patients],
    )
    # One query for the page: who is close to a remote-monitoring threshold.
    near = caseload_nearness(
        clinic=staff.clinic, patient_ids=[p.pk for p in page.patients], now=now
    )
    query = {k: v for k, v in request.GET.items() if k in form.fields and v}
    size = selectors.CASELOAD_PAGE_SIZE
    context = {
        "form": form,
        "filters": filters,
        "rows": [presenters.caseload_row(p, now, near.get(p.pk)) for p in page.patients],
        "section": "caseload",
        "first_number": page.offset + 1,
        "last_number": page.offset + len(page.patients),
        # The minute's refresh asks for this very page: its filters and its offset.
        "refresh_url": request.get_full_path(),
        "next_query": urlencode({**query, "offset": page.offset + size}) if page.has_next else "",
        "previous_query": (
            urlencode({**query, "offset": max(0, page.offset - size)}) if page.offset else ""
        ),
        "now": now,
    }
    template = "console/caseload.html"
    if is_htmx(request):
        template += "#caseload-table"
    return render(request, template, context)
