"""Screens for surveys: the list, set-up and questionnaire editing, distribution (QR per sampling point, posters,
links), progress, results, answer review, and the two answering pages (public without sign-in; 干警 signed in).
Thin: parse, call a service or selector, render."""

import secrets
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wenming.audit.services import Origin
from wenming.campaigns.models import Campaign
from wenming.campaigns.pages import no_campaign
from wenming.campaigns.selectors import campaign_asked_for
from wenming.core.access import get_for_user
from wenming.core.api import as_id as _int
from wenming.core.forms import act, form_page
from wenming.core.xlsx import xlsx_response
from wenming.evidence.selectors import criteria_in_order
from wenming.org.policy import door
from wenming.org.roles import Role
from wenming.surveys import exports, selectors, services
from wenming.surveys.forms import ExcludeForm, PointForm, QuestionForm, SurveyCreateForm, SurveySettingsForm
from wenming.surveys.models import Audience, Group, Question, Response, SamplingPoint, Survey

members = door(Survey)
office = door(Survey, "change")
readers = door(Survey, "results")
DEVICE_COOKIE = "wm_survey_device"
DEVICE_SALT = "wenming.surveys.device"
START_SALT = "wenming.surveys.started"
DEVICE_MAX_AGE = 365 * 24 * 3600



def _campaign_or_none(request) -> Campaign | None:
    return campaign_asked_for(user=request.user, pk=_int(request.GET.get("campaign")))


def _survey(request, pk, *, need_edit=False, results=False) -> tuple[Survey, bool]:
    """The survey through the access path: outside scope 404, read-only 403 (results: the 创建办 and leaders)."""
    user = request.user
    visible = Survey.objects.visible_to(user).select_related("campaign__unit", "criterion", "current")
    survey, can_edit = get_for_user(visible, Survey.objects.editable_by(user), pk, need_edit=need_edit)
    if results and not Survey.objects.results_visible_to(user).filter(pk=survey.pk).exists():
        raise PermissionDenied
    return services.close_if_due(survey) if survey.status == Survey.Status.OPEN else survey, can_edit


def _refused(request, error: ValidationError) -> None:
    """Each reason a service refused, as a message on the page the person is sent back to."""
    for message in error.messages:  # .messages flattens a field-keyed error too
        messages.error(request, message)


def _criteria(campaign: Campaign) -> list:
    return criteria_in_order(campaign.standard_id)


def public_url(request, point: SamplingPoint) -> str:
    return request.build_absolute_uri(reverse("surveys:public", args=[point.token]))


def _no_campaign(request):
    return no_campaign(request, _("问卷测评"),
                       _("本单位还没有创建活动。创建办建立创建活动后，即可在这里开展群众满意度测评和干警知晓率测试。"))


# ---------------------------------------------------------------------------------------------- list & create
@members
def survey_list(request):
    campaign = _campaign_or_none(request)
    if campaign is None:
        return _no_campaign(request)
    surveys = list(selectors.survey_list(user=request.user, campaign=campaign))
    for survey in surveys:  # one past its close time closes now, so the list never shows it 收集中
        if survey.status == Survey.Status.OPEN and services.close_if_due(survey).status == Survey.Status.CLOSED:
            survey.status = Survey.Status.CLOSED
    return render(request, "surveys/list.html", {
        "campaign": campaign, "surveys": surveys, "can_create": request.user.has_role(Role.OFFICE),
        "can_read_results": request.user.has_role(Role.OFFICE, Role.LEADER)})


@office
def survey_create(request):
    campaign = _campaign_or_none(request)
    if campaign is None:
        return _no_campaign(request)
    if not Campaign.objects.editable_by(request.user).filter(pk=campaign.pk).exists():
        raise PermissionDenied
    criteria = _criteria(campaign)
    form = SurveyCreateForm(request.POST or None, criteria=criteria,
                            initial={"template": request.GET.get("template", "")})
    return form_page(request, form, lambda data: services.survey_create(
        actor=request.user, campaign=campaign, title=data["title"], template=data["template"],
        audience=data["audience"], criterion=next((c for c in criteria if c.pk == data["criterion"]), None),
        origin=Origin.from_request(request)), template="surveys/create.html", context={"campaign": campaign},
        then=lambda survey: ("surveys:detail", survey.pk), message=_("问卷已建立。请检查题目和抽样计划，然后开始收集。"),
        invalid_status=400)


# ---------------------------------------------------------------------------------------------- detail
@members
def survey_detail(request, pk):
    survey, can_edit = _survey(request, pk)
    points = list(survey.points.all())
    wide = request.user.has_role(Role.OFFICE, Role.LEADER)
    progress = selectors.survey_progress(survey=survey, points=points) if wide else None
    questions = selectors.questions_of(survey)
    distribution = []
    if can_edit:
        for point in points:
            url = public_url(request, point)
            distribution.append({"point": point, "url": url,
                                 "qr": segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#1f2933")})
    mine = Response.objects.filter(survey=survey, respondent_id=request.user.pk).exists()
    return render(request, "surveys/detail.html", {
        "survey": survey, "can_edit": can_edit, "wide": wide, "progress": progress,
        "sections": selectors.sections_of(questions), "question_count": len(questions),
        "distribution": distribution, "point_form": PointForm(), "answered": mine,
        "completion": selectors.staff_completion(survey=survey) if survey.is_staff_survey and wide else [],
        "version_count": survey.questionnaires.count(),
    })


@office
def survey_settings(request, pk):
    survey, _can_edit = _survey(request, pk, need_edit=True)
    criteria = _criteria(survey.campaign)
    initial = {name: getattr(survey, name) for name in ("title", "welcome", "thanks", "measure", "target_size",
                                                        "opens_at", "closes_at", "min_seconds", "chinese_only",
                                                        "version")}
    initial["criterion"] = survey.criterion_id
    initial.update({f"quota_{group}": value for group, value in (survey.group_quotas or {}).items()})
    form = SurveySettingsForm(request.POST or None, criteria=criteria, initial=initial)

    def write(cleaned):
        data = dict(cleaned)
        data["criterion"] = next((c for c in criteria if c.pk == data["criterion"]), None)
        services.survey_update(actor=request.user, survey=survey, values=data, group_quotas=form.quotas(),
                               expected_version=data["version"], origin=Origin.from_request(request))

    return form_page(request, form, write, template="surveys/settings.html", context={"survey": survey},
                     then=("surveys:detail", survey.pk), message=_("问卷设置已保存。"), invalid_status=400)


# ---------------------------------------------------------------------------------------------- questions
@office
def question_edit(request, pk, key=None):
    survey, _can_edit = _survey(request, pk, need_edit=True)
    question = None
    if key is not None:
        question = Question.objects.filter(questionnaire_id=survey.current_id, key=key).first()
        if question is None:
            raise Http404
    initial = {"required": True, "counts": survey.measure != "none"}
    if question is not None:
        initial = {"section": question.section, "kind": question.kind, "text": question.text,
                   "options": "\n".join(question.options), "answer_key": "\n".join(question.answer_key),
                   "required": question.required, "counts": question.counts}
    form = QuestionForm(request.POST or None, initial=initial)
    return form_page(request, form, lambda data: services.question_save(
        actor=request.user, survey=survey, values=form.values(), key=key, origin=Origin.from_request(request)),
        template="surveys/question_form.html", context=lambda: {
            "survey": survey, "question": question,
            "has_answers": Response.objects.filter(questionnaire_id=survey.current_id).exists()},
        then=reverse("surveys:detail", args=[survey.pk]) + "#questions", message=_("题目已保存。"),
        invalid_status=400)


@require_POST
@office
def question_remove(request, pk, key):
    survey, _can_edit = _survey(request, pk, need_edit=True)
    try:
        services.question_remove(actor=request.user, survey=survey, key=key, origin=Origin.from_request(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("题目已删除。"))
    return redirect(reverse("surveys:detail", args=[survey.pk]) + "#questions")


@require_POST
@office
def question_move(request, pk, key):
    survey, _can_edit = _survey(request, pk, need_edit=True)
    try:
        services.question_move(actor=request.user, survey=survey, key=key, up=request.POST.get("up") == "1",
                               origin=Origin.from_request(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("surveys:detail", args=[survey.pk]) + "#questions")


# ---------------------------------------------------------------------------------------------- distribution
def _point_saved(request, survey: Survey, save, done: str):
    """A sampling point's name and quota from the form, saved by `save(name=, quota=)`; back to the distribution."""
    form = PointForm(request.POST)
    if form.is_valid():
        try:
            save(name=form.cleaned_data["name"], quota=form.cleaned_data["quota"])
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, done)
    else:
        messages.error(request, _("抽样点：") + " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("surveys:detail", args=[survey.pk]) + "#distribution")


@require_POST
@office
def point_add(request, pk):
    survey, _can_edit = _survey(request, pk, need_edit=True)
    return _point_saved(request, survey, lambda **values: services.point_add(
        actor=request.user, survey=survey, origin=Origin.from_request(request), **values), _("已新增抽样点。"))


def _point(survey: Survey, point_pk) -> SamplingPoint:
    point = SamplingPoint.objects.filter(survey=survey, pk=_int(point_pk) or 0).first()
    if point is None:
        raise Http404
    return point


@require_POST
@office
def point_update(request, pk, point_pk):
    survey, _can_edit = _survey(request, pk, need_edit=True)
    point = _point(survey, point_pk)
    return _point_saved(request, survey, lambda **values: services.point_update(
        actor=request.user, point=point, origin=Origin.from_request(request), **values), _("抽样点已保存。"))


@office
def point_poster(request, pk, point_pk, kind="docx"):
    """The A4 poster (Word or PDF) with this point's QR code, the unit's name and the point, to print and put up."""
    survey, _can_edit = _survey(request, pk, need_edit=True)
    point = _point(survey, point_pk)
    name = f"{survey.title}-{point.name}-二维码海报"
    if kind == "docx":
        return exports.docx_response(exports.poster_docx(survey, point, public_url(request, point)), name)
    try:
        content = exports.poster_pdf(survey, point, public_url(request, point))
    except exports.PosterFontMissing as error:
        messages.error(request, str(error))
        return redirect(reverse("surveys:detail", args=[survey.pk]) + "#distribution")
    return exports.download(content, name, suffix="pdf", content_type="application/pdf")


@require_POST
@office
def survey_status(request, pk, action):
    survey, _can_edit = _survey(request, pk, need_edit=True)
    if action == "open":
        act(request, lambda: services.survey_open(actor=request.user, survey=survey, origin=Origin.from_request(request)),
            message=_("问卷已开始收集。"))
    else:
        act(request, lambda: services.survey_close(actor=request.user, survey=survey, reason=_("创建办结束收集"),
                                                   origin=Origin.from_request(request)), message=_("问卷已结束收集。"))
    return redirect("surveys:detail", survey.pk)


# ---------------------------------------------------------------------------------------------- results
@readers
def survey_results(request, pk):
    survey, can_edit = _survey(request, pk, results=True)
    results = selectors.survey_results(survey=survey)
    return render(request, "surveys/results.html", {"survey": survey, "results": results, "can_edit": can_edit})


@readers
def response_list(request, pk):
    survey, can_edit = _survey(request, pk, results=True)
    show = request.GET.get("show", "") if request.GET.get("show") in ("flagged", "excluded") else ""
    page = Paginator(selectors.response_list(survey=survey, show=show), 30).get_page(request.GET.get("page"))
    numbers = {q.key: n for n, q in enumerate(selectors.questions_of(survey), 1)}
    for response in page:  # "3.满意" as the questionnaire numbers it (a key of an older version stays as it is)
        response.lines = [(numbers.get(a.key, a.key), a.choice or a.text) for a in response.answers.all()]
    return render(request, "surveys/responses.html", {
        "survey": survey, "page": page, "show": show, "can_edit": can_edit,
        "progress": selectors.survey_progress(survey=survey)})


@require_POST
@office
def response_exclude(request, pk, response_pk):
    survey, _can_edit = _survey(request, pk, need_edit=True)
    response = Response.objects.filter(survey=survey, pk=_int(response_pk) or 0).first()
    if response is None:
        raise Http404
    form = ExcludeForm(request.POST)
    form.is_valid()
    try:
        services.response_exclude(actor=request.user, response=response,
                                  excluded=bool(form.cleaned_data.get("excluded")),
                                  reason=form.cleaned_data.get("reason", ""), origin=Origin.from_request(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, _("第 %(n)d 份答卷：%(m)s") % {"n": response.pk, "m": message})
    else:
        done = _("第 %(n)d 份答卷已剔除，不再计入结果。") if form.cleaned_data.get("excluded") else _("第 %(n)d 份答卷已恢复计入结果。")
        messages.success(request, done % {"n": response.pk})
    return redirect(reverse("surveys:responses", args=[survey.pk]) + (f"?show={request.POST.get('show')}"
                    if request.POST.get("show") in ("flagged", "excluded") else ""))


@readers
def report_docx(request, pk):
    survey, _can_edit = _survey(request, pk, results=True)
    content = exports.report_docx(survey, selectors.survey_results(survey=survey))
    return exports.docx_response(content, f"{survey.title}-结果报告")


@readers
def answers_xlsx(request, pk):
    survey, _can_edit = _survey(request, pk, results=True)
    return xlsx_response(exports.answers_workbook(survey), f"{survey.title}-原始答卷")


@require_POST
@office
def accept_score(request, pk):
    survey, _can_edit = _survey(request, pk, need_edit=True)
    act(request, lambda: services.proposal_accept(actor=request.user, survey=survey, origin=Origin.from_request(request)),
        message=lambda proposal: _("已将建议得分 %(p)s 分写入“%(a)s”第 %(c)s 项。") % {
            "p": proposal.points, "a": proposal.assessment.title, "c": proposal.criterion.code})
    return redirect("surveys:results", survey.pk)


@require_POST
@office
def file_evidence(request, pk):
    survey, _can_edit = _survey(request, pk, need_edit=True)
    try:
        evidence = services.survey_to_evidence(actor=request.user, survey=survey, origin=Origin.from_request(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("结果报告和原始答卷已作为第 %(c)s 项的创建材料（%(t)s），等待审核。") % {
            "c": survey.criterion.code, "t": evidence.title})
    return redirect("surveys:results", survey.pk)


# ---------------------------------------------------------------------------------------------- answering
def _raw_answers(post, questions) -> dict:
    return {q.key: post.getlist(f"q_{q.key}") for q in questions}


def _started_token() -> str:
    return signing.dumps(int(time.time()), salt=START_SALT)


def _seconds(token: str) -> int:
    try:
        started = signing.loads(token or "", salt=START_SALT, max_age=24 * 3600)
    except (signing.BadSignature, TypeError, ValueError):
        return 0
    return max(0, int(time.time()) - int(started))


@members
def staff_answer(request, pk):
    """A 干警 survey answered by the signed-in person, once."""
    survey, _can_edit = _survey(request, pk)
    if not survey.is_staff_survey:
        raise Http404
    questions = selectors.questions_of(survey)
    done = Response.objects.filter(survey=survey, respondent=request.user).first()
    errors, problem, given = {}, survey.not_accepting(), {}
    if request.method == "POST" and done is None and not problem:
        given = _raw_answers(request.POST, questions)
        try:
            done = services.response_submit(survey=survey, raw=given, respondent=request.user,
                                            seconds=_seconds(request.POST.get("started")))
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {}
            problem = "" if errors else " ".join(error.messages)
    return render(request, "surveys/staff_answer.html", {
        "survey": survey, "sections": selectors.sections_of(questions), "done": done, "errors": errors,
        "problem": problem, "given": given, "started": _started_token()}, status=400 if errors else 200)


def _device(request) -> str:
    """The device id from the signed cookie ("" when absent or tampered with)."""
    return request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE) or ""


@never_cache
def public_answer(request, token):
    """The public answering page a QR code opens: no sign-in, nothing but the questionnaire. One answer per device
    (a signed cookie) and a limited number per address; flagged answers are kept for the 创建办 to review.
    In the reader's chosen language with a switch, or always Chinese when the unit set the survey so."""
    point = (SamplingPoint.objects.select_related("survey__campaign__unit", "survey__current")
             .filter(token=token[:32], survey__audience=Audience.PUBLIC).first())
    if point is None:
        raise Http404
    if not point.survey.chinese_only:
        return _public_answer(request, point)
    with translation.override(settings.LANGUAGE_CODE):  # the page is rendered inside (render() returns it done)
        response = _public_answer(request, point)
    response["Content-Language"] = settings.LANGUAGE_CODE
    return response


def _public_answer(request, point: SamplingPoint):
    survey = point.survey
    device = _device(request)
    new_device = not device
    if new_device:
        device = secrets.token_urlsafe(18)
    questions = selectors.questions_of(survey)
    done = bool(device) and not new_device and Response.objects.filter(survey=survey, device=device).exists()
    errors, problem, given, group, status = {}, survey.not_accepting(), {}, "", 200
    submitted = False
    if request.method == "POST" and not problem:
        given = _raw_answers(request.POST, questions)
        group = request.POST.get("group", "")
        if new_device:
            problem, status = _("无法识别您的设备，请允许浏览器保存 Cookie 后刷新页面再作答。"), 400
        elif done:
            problem, status = _("这台设备已经提交过本问卷，每台设备只能提交一次。感谢您的参与！"), 409
        else:
            try:
                services.response_submit(
                    survey=survey, raw=given, point=point, group=group, device=device,
                    address=services.address_digest(request.META.get("REMOTE_ADDR", "")),
                    seconds=_seconds(request.POST.get("started")))
            except ValidationError as error:
                errors = error.message_dict if hasattr(error, "error_dict") else {}
                problem = "" if errors else " ".join(error.messages)
                status = 400 if errors else 409
            else:
                submitted = done = True
    if request.method == "POST" and problem and status == 200:
        status = 409
    groups = [(value, label) for value, label in Group.choices if value != Group.STAFF]
    response = render(request, "surveys/public.html", {
        "survey": survey, "point": point, "sections": selectors.sections_of(questions), "done": done,
        "submitted": submitted, "errors": errors, "problem": "" if submitted else problem,
        "given": given, "group": group, "groups": groups, "started": _started_token(),
        "language_switch": not survey.chinese_only}, status=status)
    if new_device:
        response.set_signed_cookie(DEVICE_COOKIE, device, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE, httponly=True,
                                   samesite="Lax", secure=request.is_secure())
    return response
