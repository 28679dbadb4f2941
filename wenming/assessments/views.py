"""Screens for 自查与测评: the list, the scoring sheet (line-by-line saves), findings, 整改台账, exports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.assessments import exports, selectors, services
from wenming.assessments.forms import AssessmentForm, AssignForm, FindingForm, RespondForm, VerifyForm
from wenming.assessments.models import Assessment, Finding, Rectification, Score
from wenming.assessments.querysets import is_evaluator
from wenming.audit.services import Origin
from wenming.campaigns.models import Campaign
from wenming.campaigns.querysets import CAMPAIGN_ROLES
from wenming.campaigns.selectors import current_campaign
from wenming.core.access import get_for_user
from wenming.core.api import as_id as _int
from wenming.core.errors import ConcurrentEditError
from wenming.core.forms import act, form_page
from wenming.core.memo import memoized
from wenming.core.recycle import recycle_page
from wenming.core.xlsx import xlsx_response
from wenming.evidence.models import EvidenceFile
from wenming.evidence.services import evidence_file_opened
from wenming.files.serving import harden, serve_stored
from wenming.org.models import Department, User
from wenming.org.policy import door
from wenming.org.roles import Role
from wenming.standards.models import Criterion

people = door(Assessment)
members = door(Rectification)
office = door(Assessment, "change")



def _campaign(request, pk) -> Campaign:
    campaign, _can_edit = get_for_user(
        Campaign.objects.visible_to(request.user).select_related("standard", "unit"), None, pk)
    return campaign


def _assessment(request, pk, *, need_edit=False) -> tuple[Assessment, bool]:
    user = request.user
    return get_for_user(selectors.assessment_detail(user=user, pk=pk), Assessment.objects.editable_by(user), pk,
                        need_edit=need_edit)


def _people_choices(user):
    """The unit's people and the evaluators (of any 文明办) who may be put on a team."""
    return list(User.objects.restrict(user).business_people().filter(
        role_assignments__role__in=CAMPAIGN_ROLES).select_related("unit", "department")
        .distinct().order_by("department__order", "id")) + list(
        User.objects.business_people().filter(role_assignments__role=Role.EVALUATOR, unit__kind="oversight")
        .select_related("unit", "department").distinct().order_by("unit_id", "id"))


# ---------------------------------------------------------------------------------------------- lists
@people
def index(request):
    user = request.user
    if is_evaluator(user):  # their to-do: the inspections to score, with deadlines, then the campaigns
        campaigns = list(Campaign.objects.visible_to(user).select_related("unit").order_by("-year", "-id"))
        return render(request, "assessments/evaluator_home.html", {"campaigns": campaigns})
    campaign = current_campaign(user=user)
    if campaign is not None:
        return redirect("assessments:list", campaign.pk)
    return render(request, "assessments/evaluator_home.html", {"campaigns": [], "no_campaign": True})


@people
def assessment_list(request, pk):
    campaign = _campaign(request, pk)
    items = list(selectors.assessment_list(user=request.user, campaign=campaign))
    can_manage = Campaign.objects.editable_by(request.user).filter(pk=campaign.pk).exists()
    return render(request, "assessments/assessment_list.html", {
        "campaign": campaign, "items": items, "can_manage": can_manage,
        "is_evaluator": is_evaluator(request.user),
        "can_ledger": request.user.has_role(*CAMPAIGN_ROLES),
    })


@office
def assessment_create(request, pk):
    campaign, _can_edit = get_for_user(Campaign.objects.visible_to(request.user).select_related("standard", "unit"),
                                       Campaign.objects.editable_by(request.user), pk, need_edit=True)
    choices = _people_choices(request.user)
    form = AssessmentForm(request.POST or None, people=choices,
                          initial={"kind": request.GET.get("kind") or Assessment.Kind.SELF_CHECK,
                                   "allow_not_applicable": True})

    def write(data):
        assessment = services.assessment_create(
            actor=request.user, campaign=campaign, kind=data["kind"], title=data["title"],
            team=[p for p in choices if str(p.pk) in data["team"]], starts_on=data["starts_on"],
            ends_on=data["ends_on"], origin=Origin.from_request(request))
        if not data["allow_not_applicable"]:
            services.assessment_update(actor=request.user, assessment=assessment,
                                       values={"allow_not_applicable": False}, origin=Origin.from_request(request))
        return assessment

    return form_page(request, form, write, template="assessments/assessment_form.html",
                     context={"campaign": campaign, "assessment": None},
                     then=lambda assessment: ("assessments:detail", assessment.pk), message=_("已创建测评。"))


@office
def assessment_edit(request, pk):
    assessment, _can_edit = _assessment(request, pk, need_edit=True)
    campaign = assessment.campaign
    choices = _people_choices(request.user)
    initial = {"title": assessment.title, "kind": assessment.kind, "starts_on": assessment.starts_on,
               "ends_on": assessment.ends_on, "team": [str(p.pk) for p in assessment.team.all()],
               "allow_not_applicable": assessment.allow_not_applicable, "version": assessment.version}
    form = AssessmentForm(request.POST or None, people=choices, initial=initial, editing=True)
    return form_page(request, form, lambda data: services.assessment_update(
        actor=request.user, assessment=assessment, team=[p for p in choices if str(p.pk) in data["team"]],
        expected_version=data["version"], values={"title": data["title"], "starts_on": data["starts_on"],
                                                  "ends_on": data["ends_on"],
                                                  "allow_not_applicable": data["allow_not_applicable"]},
        origin=Origin.from_request(request)), template="assessments/assessment_form.html",
        context={"campaign": campaign, "assessment": assessment}, then=("assessments:detail", assessment.pk),
        message=_("已保存。"))


# ---------------------------------------------------------------------------------------------- scoring
LAZY_SHEET_LINES = 150  # above this many lines the sheet draws its categories and loads each as it scrolls in


def _sheet_context(request, assessment, can_manage, *, category=None, lazy=False):
    sheet = selectors.scoring_sheet(user=request.user, assessment=assessment, category=category, outline=lazy)
    if lazy and len(sheet.result.lines) <= LAZY_SHEET_LINES:
        lazy, sheet = False, selectors.scoring_sheet(user=request.user, assessment=assessment)
    can_score = memoized("scorable", (request.user.pk, assessment.pk),
                         lambda: Assessment.objects.scorable_by(request.user).filter(pk=assessment.pk).exists())
    can_find = can_score or (can_manage and not assessment.is_inspection)
    return {"assessment": assessment, "campaign": assessment.campaign, "sheet": sheet, "result": sheet.result,
            "can_score": can_score and sheet.scores_visible, "can_manage": can_manage, "can_find": can_find,
            "transitions": _transitions(request.user, assessment, can_manage, can_score), "lazy": lazy,
            "category": category}


def _transitions(user, assessment, can_manage, can_score) -> list[tuple[str, str]]:
    moves = []
    for to, who in services.allowed_moves(assessment).items():
        if (who == "office" and can_manage) or (who == "team" and can_score):
            moves.append((to, {
                Assessment.Status.IN_PROGRESS: _("开始评分") if assessment.status == "draft" else _("退回修改"),
                Assessment.Status.SUBMITTED: _("提交"), Assessment.Status.LOCKED: _("锁定"),
                Assessment.Status.DRAFT: _("改回草稿")}[to]))
    return moves


@people
def assessment_detail(request, pk):
    assessment, can_manage = _assessment(request, pk)
    category = _int(request.GET.get("category"))
    if request.htmx and category:  # one category of a big sheet, scrolled into view
        context = _sheet_context(request, assessment, can_manage, category=category)
        return render(request, "assessments/assessment_detail.html#category-rows", context)
    return render(request, "assessments/assessment_detail.html",
                  _sheet_context(request, assessment, can_manage, lazy=True))


def _line_context(request, assessment, criterion_pk):
    sheet = selectors.scoring_sheet(user=request.user, assessment=assessment, line=criterion_pk)
    row = next((r for r in sheet.rows if r.is_line), None)
    if row is None:
        raise Http404
    return sheet, row


@people
def line(request, pk, criterion_pk):
    """GET: the line as saved (after a conflict, to keep the other person's value). POST: save the line; the
    response updates its state cell, its version and the totals out of band, so focus never jumps."""
    assessment, can_manage = _assessment(request, pk)
    if not Assessment.objects.scores_visible_to(request.user).filter(pk=assessment.pk).exists():
        raise PermissionDenied
    if request.method == "GET":
        sheet, row = _line_context(request, assessment, criterion_pk)
        can_score = Assessment.objects.scorable_by(request.user).filter(pk=assessment.pk).exists()
        return render(request, "assessments/partials/line.html", {
            "row": row, "assessment": assessment, "can_score": can_score, "sheet": sheet, "result": sheet.result,
            "state": "kept", "oob_totals": True})
    if request.method != "POST":
        raise Http404
    if not Assessment.objects.scorable_by(request.user).filter(pk=assessment.pk).exists():
        raise PermissionDenied
    criterion = Criterion.objects.filter(standard_id=assessment.campaign.standard_id, pk=criterion_pk).first()
    if criterion is None:
        raise Http404
    post = request.POST
    values = {"points": post.get("points"), "grade": post.get("grade"), "missing": post.get("missing"),
              "note": post.get("note", ""), "triggered": post.get("triggered") == "on",
              "not_applicable": post.get("not_applicable") == "on"}
    state, status, error, other = "saved", 200, "", None
    try:
        services.score_save(actor=request.user, assessment=assessment, criterion=criterion, values=values,
                            expected_version=_int(post.get("version")), origin=Origin.from_request(request))
    except ConcurrentEditError as conflict:
        state, status = "conflict", 409
        other = conflict.current
        if other is not None and other.pk:
            other = Score.objects.select_related("scored_by").get(pk=other.pk)
    except ValidationError as problem:
        state, status, error = "error", 400, "；".join(problem.messages)
    result = selectors.totals_for(assessment)
    return render(request, "assessments/partials/line_saved.html", {
        "assessment": assessment, "criterion": criterion, "state": state, "error": error, "other": other,
        "result": result, "line_result": result.lines.get(criterion.pk),
        "score": Score.objects.filter(assessment=assessment, criterion=criterion).first(),
    }, status=status)


@require_POST
@people
def assessment_status(request, pk):
    assessment, _can_manage = _assessment(request, pk)
    to = request.POST.get("to", "")
    if to not in Assessment.Status.values:
        messages.error(request, _("未知的状态。"))
        return redirect("assessments:detail", assessment.pk)
    if not (Assessment.objects.editable_by(request.user).filter(pk=assessment.pk).exists()
            or Assessment.objects.scorable_by(request.user).filter(pk=assessment.pk).exists()):
        raise PermissionDenied
    act(request, lambda: services.assessment_transition(
        actor=request.user, assessment=assessment, to=to, expected_version=_int(request.POST.get("version")),
        origin=Origin.from_request(request)), message=_("已更新状态：%(s)s。") % {"s": Assessment.Status(to).label},
        stale=_("测评刚被他人修改过，请查看后再操作。"))
    return redirect("assessments:detail", assessment.pk)


# ---------------------------------------------------------------------------------------------- findings
@people
def findings(request, pk):
    assessment, can_manage = _assessment(request, pk)
    if not Assessment.objects.scores_visible_to(request.user).filter(pk=assessment.pk).exists():
        raise PermissionDenied
    can_add = (Assessment.objects.scorable_by(request.user).filter(pk=assessment.pk).exists()
               or (can_manage and not assessment.is_inspection))
    lines = selectors.line_nodes(assessment)
    form = FindingForm(request.POST or None, criteria=lines,
                       initial={"criterion": _int(request.GET.get("criterion"))})
    if request.method == "POST" and not can_add:
        raise PermissionDenied
    return form_page(request, form, lambda data: services.finding_create(
        actor=request.user, assessment=assessment, criterion=next((c for c in lines if c.pk == data["criterion"]), None),
        description=data["description"], severity=data["severity"], origin=Origin.from_request(request)),
        template="assessments/findings.html", context=lambda: {
            "assessment": assessment, "campaign": assessment.campaign, "can_add": can_add, "can_manage": can_manage,
            "items": list(selectors.findings_of(user=request.user, assessment=assessment))},
        then=("assessments:findings", assessment.pk), message=_("已记录问题。"))


@office
def finding_assign(request, pk):
    finding, _can_edit = get_for_user(
        Finding.objects.visible_to(request.user).select_related("assessment__campaign", "criterion"),
        Finding.objects.visible_to(request.user).filter(assessment__campaign__in=Campaign.objects.editable_by(
            request.user)), pk, need_edit=True)
    campaign = finding.assessment.campaign
    departments = list(Department.objects.restrict(request.user).filter(is_active=True).order_by("order", "id"))
    form = AssignForm(request.POST or None, departments=departments,
                      initial={"due_on": selectors.soon(), "requirement": finding.description})

    def write(data):
        department = next((d for d in departments if d.pk == data["department"]), None)
        if department is None:
            raise ValidationError({"department": _("所选部门不存在。")})
        return services.rectification_assign(actor=request.user, finding=finding, department=department,
                                             due_on=data["due_on"], requirement=data["requirement"],
                                             origin=Origin.from_request(request))

    return form_page(request, form, write, template="assessments/assign_form.html",
                     context={"finding": finding, "campaign": campaign},
                     then=lambda item: ("assessments:rectification", item.pk),
                     message=_("已交办整改，责任部门联络员会收到通知。"))


# ---------------------------------------------------------------------------------------------- compare
@people
def compare(request, pk):
    campaign = _campaign(request, pk)
    result = selectors.comparison(user=request.user, campaign=campaign)
    return render(request, "assessments/compare.html", {"campaign": campaign, "cmp": result,
                                                        "show_ledger": request.user.has_role(*CAMPAIGN_ROLES)})


# ---------------------------------------------------------------------------------------------- exports
def _readable_sheet(request, pk):
    assessment, _can_manage = _assessment(request, pk)
    if not Assessment.objects.scores_visible_to(request.user).filter(pk=assessment.pk).exists():
        raise PermissionDenied
    return assessment, selectors.scoring_sheet(user=request.user, assessment=assessment)


@people
def export_xlsx(request, pk):
    assessment, sheet = _readable_sheet(request, pk)
    return xlsx_response(exports.sheet_workbook(sheet), exports.filename(assessment, "xlsx"))


@people
def export_docx(request, pk):
    assessment, sheet = _readable_sheet(request, pk)
    return exports.docx_response(exports.sheet_document(sheet), exports.filename(assessment, "docx"))


# ---------------------------------------------------------------------------------------------- 整改
def _ledger_filters(request) -> selectors.LedgerFilters:
    get = request.GET
    status = get.get("status", "")
    return selectors.LedgerFilters(status=status if status in Rectification.Status.values else "",
                                   department=_int(get.get("department")), overdue=get.get("overdue") == "1",
                                   q=get.get("q", "").strip()[:100])


@members
def ledger_index(request):
    campaign = current_campaign(user=request.user)
    if campaign is not None:
        return redirect("assessments:ledger", campaign.pk)
    return render(request, "assessments/evaluator_home.html", {"campaigns": [], "no_campaign": True})


@members
def ledger(request, pk):
    campaign = _campaign(request, pk)
    filters = _ledger_filters(request)
    items = list(selectors.rectification_ledger(user=request.user, campaign=campaign, filters=filters))
    day = selectors.today()
    for item in items:
        item.overdue = item.status != Rectification.Status.CLOSED and item.due_on < day
    context = {"campaign": campaign, "items": items, "filters": filters, "statuses": Rectification.Status.choices,
               "counts": selectors.ledger_counts(user=request.user, campaign=campaign),
               "departments": Department.objects.restrict(request.user).filter(is_active=True).order_by("order"),
               "query": request.GET.urlencode()}
    template = "assessments/ledger.html#ledger-table" if request.htmx else "assessments/ledger.html"
    return render(request, template, context)


@members
def ledger_export(request, pk):
    campaign = _campaign(request, pk)
    items = list(selectors.rectification_ledger(user=request.user, campaign=campaign,
                                                filters=_ledger_filters(request)))
    return xlsx_response(exports.ledger_workbook(campaign, items), f"{campaign.title}-整改台账.xlsx")


def _rectification(request, pk, *, need_edit=False):
    return get_for_user(selectors.rectification_detail(user=request.user),
                        Rectification.objects.editable_by(request.user), pk, need_edit=need_edit)


@members
def rectification(request, pk):
    item, can_verify = _rectification(request, pk)
    can_respond = Rectification.objects.respondable_by(request.user).filter(pk=item.pk).exists()
    choices = selectors.evidence_choices(user=request.user, campaign=item.campaign,
                                         department_id=item.department_id) if can_respond else []
    pieces = list(item.evidence.all())
    awaiting = ([piece for piece in pieces if piece.status == piece.Status.PENDING]
                if not any(piece.status == piece.Status.APPROVED for piece in pieces) else [])
    return render(request, "assessments/rectification.html", {
        "item": item, "campaign": item.campaign, "can_verify": can_verify and not item.is_closed,
        "awaiting_review": awaiting,
        "can_respond": can_respond, "can_delete": can_verify,
        "respond_form": RespondForm(evidence=choices, initial={"measures": item.measures, "version": item.version,
                                                               "evidence": [e.pk for e in item.evidence.all()]}),
        "verify_form": VerifyForm(initial={"version": item.version}),
        "today": selectors.today(),
    })


@require_POST
@members
def rectification_respond(request, pk):
    item, _can_verify = _rectification(request, pk)
    if not Rectification.objects.respondable_by(request.user).filter(pk=item.pk).exists():
        raise PermissionDenied
    choices = selectors.evidence_choices(user=request.user, campaign=item.campaign, department_id=item.department_id)
    form = RespondForm(request.POST, evidence=choices)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return redirect("assessments:rectification", item.pk)
    data = form.cleaned_data
    act(request, lambda: services.rectification_respond(
        actor=request.user, rectification=item, measures=data["measures"],
        evidence=[e for e in choices if e.pk in data["evidence"]], expected_version=data["version"],
        origin=Origin.from_request(request)), message=_("已提交，等待创建办核验。"),
        stale=_("此整改事项刚被他人修改过，请查看最新内容后再提交。"))
    return redirect("assessments:rectification", item.pk)


@require_POST
@office
def rectification_verify(request, pk):
    item, _can_verify = _rectification(request, pk, need_edit=True)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择核验结果。"))
        return redirect("assessments:rectification", item.pk)
    data = form.cleaned_data
    act(request, lambda: services.rectification_verify(
        actor=request.user, rectification=item, close=data["decision"] == "close", reason=data["reason"],
        expected_version=data["version"], origin=Origin.from_request(request)),
        message=_("已销号。") if data["decision"] == "close" else _("已退回，责任部门会收到通知。"),
        stale=_("此整改事项刚被他人修改过，请查看最新内容后再核验。"))
    return redirect("assessments:rectification", item.pk)


@require_POST
@office
def rectification_delete(request, pk):
    item, _can_verify = _rectification(request, pk, need_edit=True)
    return recycle_page(request, item, _("已移入回收站，创建办可以恢复。"), "assessments:ledger", item.campaign_id)


# ---------------------------------------------------------------------------------------------- files
def _file(request, pk, file_pk) -> EvidenceFile:
    """A current file of evidence the person may open while scoring this assessment (evaluators: approved only)."""
    assessment, _can_manage = _assessment(request, pk)
    row = (selectors.evidence_files_for(user=request.user, campaign=assessment.campaign).filter(pk=file_pk)
           .select_related("evidence__campaign__unit").first())
    if row is None:
        raise Http404
    return row


@people
def evidence_file(request, pk, file_pk):
    row = _file(request, pk, file_pk)
    inline = request.GET.get("inline") == "1" and row.is_raster
    if not row.file.storage.exists(row.file.name):
        raise Http404
    evidence_file_opened(actor=request.user, file=row, inline=inline, origin=Origin.from_request(request))
    return serve_stored(row.file, filename=row.name, as_attachment=not inline,
                        content_type=row.mime if inline else "application/octet-stream")


@people
def evidence_thumbnail(request, pk, file_pk):
    row = _file(request, pk, file_pk)
    if not row.thumbnail:
        raise Http404
    try:
        handle = row.thumbnail.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return harden(FileResponse(handle, content_type="image/jpeg"))


