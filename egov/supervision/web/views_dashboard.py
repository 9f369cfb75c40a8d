"""Supervision dashboards (监察总览、统计分析) and their exports.

``/supervision/`` is the home of everyone who may view supervision: key
figures, open cases by light, findings by category and rule, early warnings,
rankings and charts, for the viewer's own subtree (a province supervisor sees
the province, a city's its city) or one region inside it (``?region=``).
``/supervision/statistics/`` holds the full tables by region, department or
item, exported as CSV or Excel with the same scope and period.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from egov.core.charts import plotly_js_url
from egov.core.models import Organisation, Region
from egov.core.permissions import may
from egov.supervision import permissions
from egov.supervision.statistics import aggregates as stats
from egov.supervision.statistics import charts, exports
from egov.supervision.statistics.warning_alerts import department_warnings, weeks_needed

RANKING_SIZE = 10
ITEM_ROWS_SHOWN = 200
DIMENSION_LABELS = {
    stats.REGION: gettext_lazy("按地区"),
    stats.DEPARTMENT: gettext_lazy("按部门"),
    stats.ITEM: gettext_lazy("按事项"),
}
PERIOD_FIELDS = {
    "month": gettext_lazy("月份"),
    "from": gettext_lazy("起始日期"),
    "to": gettext_lazy("截止日期"),
}
# Pages of the other supervision areas, linked when they exist.
QUICK_LINKS = (
    ("supervision:findings", gettext_lazy("监察发现")),
    ("supervision:notices", gettext_lazy("督办通知")),
    ("supervision:complaints", gettext_lazy("效能投诉")),
    ("supervision:cases", gettext_lazy("监察办件")),
    ("supervision:rules", gettext_lazy("监察规则")),
    ("supervision:alerts", gettext_lazy("预警提醒")),
)


def viewer(request: HttpRequest) -> Any:
    if not may(request.user, permissions.VIEW):
        raise PermissionDenied
    return request.user


def url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def findings_url() -> str:
    """S3's findings list; pages add ``?department=``, ``?rule=`` or ``?category=``."""
    return url_or_none("supervision:findings") or "/supervision/findings/"


def quick_links() -> list[tuple[str, str]]:
    links = [(url_or_none(name), str(label)) for name, label in QUICK_LINKS]
    return [(url, label) for url, label in links if url]


def crumbs(user: Any, scope: stats.ViewScope) -> list[dict[str, str]]:
    """The regions from the viewer's own root down to the focused region, for drill-up."""
    if len(scope.roots) != 1:
        return []
    own = stats.viewer_scope(user)
    path = scope.roots[0]
    top = next((root for root in (own.roots if own else ()) if path.startswith(root)), path)
    codes = [code for code in path.split("/") if code]
    shown = codes[max(top.count("/") - 1, 0) :]
    names = dict(Region.objects.filter(code__in=shown).values_list("code", "name"))
    return [{"code": code, "name": names.get(code, code)} for code in shown]


def read_request(request: HttpRequest) -> tuple[stats.ViewScope, stats.Period | None, dict]:
    """The scope (404 outside the viewer's) and the period (None with the form's errors)."""
    user = viewer(request)
    scope = stats.viewer_scope(user, request.GET.get("region", "").strip())
    if scope is None:
        raise Http404
    try:
        period = stats.parse_period(
            month=request.GET.get("month", ""),
            start=request.GET.get("from", ""),
            end=request.GET.get("to", ""),
        )
    except stats.PeriodError as exc:
        return scope, None, {str(PERIOD_FIELDS[k]): why for k, why in exc.fields.items()}
    return scope, period, {}


def shown_month(request: HttpRequest, today: dt.date) -> str:
    """The month the form shows: this month unless a range was asked for."""
    return "" if request.GET.get("from") or request.GET.get("to") else today.strftime("%Y-%m")


def period_context(request: HttpRequest, period: stats.Period | None) -> dict[str, Any]:
    today = timezone.localdate()
    query = {k: request.GET[k] for k in ("region", "month", "from", "to") if k in request.GET}
    period_query = {k: v for k, v in query.items() if k != "region"}
    return {
        "period_query": urlencode(period_query),
        "period": period,
        "month": request.GET.get("month", "") or shown_month(request, today),
        "start": request.GET.get("from", ""),
        "end": request.GET.get("to", ""),
        "query": urlencode(query),
        "region": request.GET.get("region", ""),
    }


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """监察总览: key figures, lights, findings, early warnings, rankings, charts."""
    scope, period, errors = read_request(request)
    context = {
        "errors": errors,
        "crumbs": crumbs(request.user, scope),
        "links": quick_links(),
        **period_context(request, period),
    }
    if period is None:
        return render(request, "supervision/dashboard/home.html", context, status=400)
    regions = stats.grouped_figures(scope, stats.REGION, period)
    departments = stats.grouped_figures(scope, stats.DEPARTMENT, period)
    lights = stats.open_by_light(scope)
    categories = stats.finding_breakdown(scope, period, "category")
    rules = stats.finding_breakdown(scope, period, "rule")
    weeks = stats.department_weeks(scope, timezone.localdate(), weeks_needed())
    on_time = stats.rank(departments, figure="on_time_rate")
    per_100 = stats.rank(departments, figure="findings_per_100")
    context |= {
        "totals": stats.total_of(regions),
        "lights": lights,
        "regions": regions,
        "regions_ranked": stats.rank(regions, figure="on_time_rate", minimum=1),
        "department_tables": [
            (_("按时办结率前十的部门"), on_time.ranked[:RANKING_SIZE], on_time.minimum),
            (
                _("按时办结率后十的部门"),
                list(reversed(on_time.ranked[-RANKING_SIZE:])),
                on_time.minimum,
            ),
            (
                _("百件发现数最多的部门"),
                list(reversed(per_100.ranked[-RANKING_SIZE:])),
                per_100.minimum,
            ),
        ],
        "categories": categories,
        "rules": rules[:RANKING_SIZE],
        "warnings": department_warnings(scope, series=weeks),
        "charts": [
            charts.lights_chart(lights),
            charts.findings_chart(categories),
            charts.on_time_chart(regions, _("各地区按时办结率")),
            charts.volume_chart(regions, _("各地区收件、办结与监察发现")),
            charts.weekly_chart(weeks),
        ],
        "plotly_js": plotly_js_url(),
        "findings_link": findings_url(),
    }
    context["charts"] = [chart for chart in context["charts"] if chart]
    return render(request, "supervision/dashboard/home.html", context)


@login_required
@require_GET
def department_page(request: HttpRequest, code: str) -> HttpResponse:
    """部门详情: one department's figures by item, its weeks and early warnings."""
    scope, period, errors = read_request(request)
    narrowed = stats.department_scope(scope, code)
    if narrowed is None:
        raise Http404
    name = dict(Organisation.objects.filter(code=code).values_list("code", "name")).get(code, code)
    context = {
        "errors": errors,
        "department": {"code": code, "name": name},
        "findings_link": findings_url(),
        **period_context(request, period),
    }
    if period is None:
        return render(request, "supervision/dashboard/department.html", context, status=400)
    items = stats.grouped_figures(narrowed, stats.ITEM, period)
    items.sort(key=lambda row: (-row.received, row.key))
    weeks = stats.department_weeks(narrowed, timezone.localdate(), weeks_needed())
    context |= {
        "rows": items,
        "totals": stats.total_of(items),
        "warnings": department_warnings(narrowed, series=weeks),
        "chart": charts.weekly_chart(weeks),
        "plotly_js": plotly_js_url(),
    }
    return render(request, "supervision/dashboard/department.html", context)


def dimension_of(request: HttpRequest) -> str:
    dimension = request.GET.get("by", stats.REGION)
    return dimension if dimension in stats.DIMENSIONS else stats.REGION


@login_required
@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    """统计分析: the full table by region, department or item, with export links."""
    scope, period, errors = read_request(request)
    dimension = dimension_of(request)
    context = {
        "errors": errors,
        "dimension": dimension,
        "dimensions": [(key, str(label)) for key, label in DIMENSION_LABELS.items()],
        "crumbs": crumbs(request.user, scope),
        **period_context(request, period),
    }
    if period is None:
        return render(request, "supervision/dashboard/statistics.html", context, status=400)
    rows = stats.grouped_figures(scope, dimension, period)
    if dimension == stats.ITEM:
        rows.sort(key=lambda row: (-row.received, row.key))
    context |= {
        "rows": rows[:ITEM_ROWS_SHOWN],
        "hidden_rows": max(len(rows) - ITEM_ROWS_SHOWN, 0),
        "totals": stats.total_of(rows),
        "chart": charts.on_time_chart(rows[:40], _("按时办结率"))
        if dimension != stats.ITEM
        else "",
        "plotly_js": plotly_js_url(),
        "findings_link": findings_url(),
    }
    return render(request, "supervision/dashboard/statistics.html", context)


def findings_sheet(scope: stats.ViewScope, period: stats.Period, by: str) -> exports.Table:
    return exports.findings_table(stats.finding_breakdown(scope, period, by), by)


@login_required
@require_GET
def statistics_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The statistics table as CSV or Excel (.xlsx), scoped and filtered like the page."""
    scope, period, errors = read_request(request)
    if period is None:
        text = "; ".join(f"{name}: {why}" for name, why in errors.items())
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    dimension = dimension_of(request)
    rows = stats.grouped_figures(scope, dimension, period)
    table = exports.statistics_table(rows, stats.total_of(rows), dimension)
    stamp = f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    name = f"supervision-{dimension}-{stamp}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(table), content_type="text/csv; charset=utf-8")
    else:
        sheets = [
            (_("监察统计"), table),
            (_("发现（按规则）"), findings_sheet(scope, period, "rule")),
            (_("发现（按类别）"), findings_sheet(scope, period, "category")),
        ]
        response = HttpResponse(exports.to_xlsx(sheets), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
