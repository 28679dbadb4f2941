import json

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from wenming.audit.chain import verify
from wenming.audit.selectors import audit_event_list
from wenming.audit.services import Origin, audit_record
from wenming.audit.verbs import verb_labels
from wenming.core.access import role_required
from wenming.core.xlsx import build_workbook, xlsx_response
from wenming.org.roles import Role

EXPORT_LIMIT = 100_000


def _filters(request) -> dict:
    return {key: request.GET.get(key, "").strip() for key in ("q", "verb", "date_from", "date_to")}


@role_required(Role.AUDITOR)
def event_list(request):
    filters = _filters(request)
    page = Paginator(audit_event_list(user=request.user, **filters), 50).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "verbs": sorted(verb_labels().items(), key=lambda item: item[0])}
    template = "audit/event_list.html#events-table" if request.htmx else "audit/event_list.html"
    return render(request, template, context)


@role_required(Role.AUDITOR)
def event_export(request):
    filters = _filters(request)
    events = audit_event_list(user=request.user, **filters)[:EXPORT_LIMIT]
    rows = (
        [timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"), e.actor_name, e.verb_label, e.object_repr,
         e.object_type, e.object_id, e.ip or "", e.request_id,
         json.dumps(e.before, ensure_ascii=False, default=str) if e.before is not None else "",
         json.dumps(e.after, ensure_ascii=False, default=str) if e.after is not None else ""]
        for e in events.iterator(chunk_size=2000)
    )
    workbook = build_workbook(
        "审计日志", ["时间", "操作人", "操作", "对象", "对象类型", "对象编号", "IP 地址", "请求编号", "修改前", "修改后"],
        rows, widths=[20, 20, 14, 24, 18, 10, 16, 34, 40, 40],
    )
    audit_record(actor=request.user, verb="audit.exported", unit=request.user.unit, after={"filters": filters},
                 origin=Origin.from_request(request))
    return xlsx_response(workbook, "审计日志")


@role_required(Role.AUDITOR)
def chain_state(request):
    """The hash chain's state, loaded into the log's page after it shows (a walk over every row takes a moment)."""
    return render(request, "audit/partials/chain_state.html", {"state": verify()})
