"""Screens for standards. Thin: parse, call a service or selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.audit.services import Origin, audit_record
from wenming.core.access import get_for_user
from wenming.core.api import as_id
from wenming.core.forms import add_errors, form_page
from wenming.core.memo import memoized
from wenming.core.tables import UnreadableFile, read_upload, table_signature
from wenming.core.xlsx import XLSX_TYPE, download_response
from wenming.org.models import Department
from wenming.org.policy import door
from wenming.org.roles import Role
from wenming.standards import library, selectors, services
from wenming.standards.exchange import dump_yaml, export_workbook, nodes_from_criteria, workbook_bytes
from wenming.standards.forms import CriterionForm, RefineForm, StandardForm, UploadForm
from wenming.standards.models import Criterion, ImportDraft, Kind, Standard
from wenming.standards.parsing import FIELD_CHOICES, ParseResult, check_tree

readers = door(Standard)
office = door(Standard, "change")


def _standard(request, pk, *, need_edit=False):
    return get_for_user(Standard.objects.visible_to(request.user), Standard.objects.editable_by(request.user), pk,
                        need_edit=need_edit)


def _criterion(request, pk):
    criterion, _can_edit = get_for_user(
        Criterion.objects.visible_to(request.user).select_related("standard", "parent"),
        Criterion.objects.editable_by(request.user), pk, need_edit=True,
    )
    return criterion


def _filters(request) -> dict:
    kind = request.GET.get("kind", "")
    return {
        "q": request.GET.get("q", "").strip()[:100],
        "method": request.GET.get("method", "").strip()[:20],
        "department": request.GET.get("department", "").strip()[:60],
        "kind": kind if kind in Kind.values else "",
        "local": request.GET.get("local") == "1",
    }


# ---------------------------------------------------------------------------------------------- lists
@readers
def standard_list(request):
    q = request.GET.get("q", "").strip()[:100]
    standards = list(selectors.standard_list(user=request.user, q=q))
    context = {"standards": standards, "q": q, "can_edit": request.user.has_role(Role.OFFICE)}
    template = "standards/standard_list.html#standards-table" if request.htmx else "standards/standard_list.html"
    return render(request, template, context)


@office
def library_list(request):
    return render(request, "standards/library.html", {"templates": library.templates()})


@require_POST
@office
def library_load(request, key):
    try:
        standard = services.standard_load_library(actor=request.user, unit=request.user.unit, key=key,
                                                  origin=Origin.from_request(request))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("standards:library")
    messages.success(request, _("已载入“%(name)s”，现为草稿：请对照本市当年的测评细则核对、修改，然后发布。")
                     % {"name": standard.name})
    return redirect("standards:detail", pk=standard.pk)


# ---------------------------------------------------------------------------------------------- import
@office
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                draft = services.import_draft_create(actor=request.user, unit=request.user.unit,
                                                     filename=uploaded.name, content=read_upload(uploaded))
            except UnreadableFile as error:
                form.add_error("file", str(error))
            except ValidationError as error:
                add_errors(form, error)
            else:
                return redirect("standards:import_preview", token=draft.token)
        status = 400
    return render(request, "standards/import_upload.html", {"form": form}, status=status)


def _draft(request, token) -> ImportDraft:
    draft = ImportDraft.objects.visible_to(request.user).filter(token=token).first()
    if draft is None:
        raise Http404
    return draft


def _mapping_from_post(post, result: ParseResult) -> dict:
    columns = {}
    for key, value in post.items():
        if key.startswith("col_") and key[4:].isdigit() and value in dict(FIELD_CHOICES):
            columns[key[4:]] = value
    try:
        header_row = max(1, min(15, int(post.get("header_row") or 1)))
    except ValueError:
        header_row = 1
    return {"table": _table_choice(post, result), "header_row": header_row, "columns": columns}


def _table_choice(post, result: ParseResult) -> int | None:
    """The sheet or Word table chosen on the screen (by its index), else the one read now."""
    value = post.get("table", "")
    known = {entry["index"] for entry in result.tables}
    if value.isdigit() and int(value) in known:
        return int(value)
    return result.table_index


def _current_mapping(result: ParseResult) -> dict:
    columns = {str(index): name for name, index in result.columns.items()}
    columns.update({str(index): "scoring" for index in result.more_scoring})
    return {"table": result.table_index, "header_row": result.header_row or 1, "columns": columns}


def _save_template(request, draft: ImportDraft, result: ParseResult):
    from wenming.core.tables import book_from_json

    tables = book_from_json(draft.tables or {}).tables
    table = next((t for t in tables if t.index == result.table_index), None)
    try:
        services.import_template_save(
            actor=request.user, unit=request.user.unit, target="standard", name=request.POST.get("template_name", ""),
            signature=table_signature(table) if table is not None else "", mapping=_current_mapping(result),
            origin=Origin.from_request(request))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已保存为导入模板“%(name)s”：以后导入表头相同的文件时自动按此识别。")
                         % {"name": request.POST.get("template_name", "").strip()})


def _preview_context(draft: ImportDraft, result: ParseResult, form_data=None) -> dict:
    meta = result.meta
    initial = {"name": meta.get("name") or result.title or draft.filename.rsplit(".", 1)[0],
               "issuer": meta.get("issuer", ""), "level": meta.get("level", Standard.Level.CITY),
               "year": meta.get("year") or timezone.localdate().year, "pass_score": meta.get("pass_score")}
    form = StandardForm(form_data, initial=initial) if form_data is not None else StandardForm(initial=initial)
    width = max([len(result.headers), *(len(row) for row in result.grid)], default=0)
    assigned = {index: name for name, index in result.columns.items()}
    mapping_columns = [
        {"index": index, "letter": _letter(index), "header": result.headers[index] if index < len(result.headers) else "",
         "field": assigned.get(index, "")}
        for index in range(width)
    ]
    return {
        "draft": draft, "result": result, "summary": result.summary(), "tree": selectors.parsed_tree(result.roots),
        "form": form, "field_choices": FIELD_CHOICES, "mapping_columns": mapping_columns,
        "mapping_open": not result.columns or bool(result.ambiguities), "grid": result.grid,
        "template_name": (draft.mapping or {}).get("template", ""),
        "choosing_table": len(result.tables) > 1,
    }


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


@office
def import_preview(request, token):
    draft = _draft(request, token)
    result = services.import_draft_parse(draft)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "reset":
            services.import_draft_set_mapping(draft=draft, mapping=None)
        elif action == "table":  # another sheet or Word table, its columns recognised afresh
            services.import_draft_set_mapping(draft=draft, mapping={"table": _table_choice(request.POST, result)})
        elif action == "template":
            _save_template(request, draft, result)
        else:
            services.import_draft_set_mapping(draft=draft, mapping=_mapping_from_post(request.POST, result))
        return redirect("standards:import_preview", token=draft.token)
    return render(request, "standards/import_preview.html", _preview_context(draft, result))


@require_POST
@office
def import_confirm(request, token):
    draft = _draft(request, token)
    form = StandardForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            standard = services.import_draft_confirm(
                actor=request.user, draft=draft, name=data["name"], issuer=data["issuer"], level=data["level"],
                year=data["year"], pass_score=data["pass_score"], origin=Origin.from_request(request),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("已导入“%(name)s”（草稿）。核对无误后请点“发布”。") % {"name": standard.name})
            return redirect("standards:detail", pk=standard.pk)
    result = services.import_draft_parse(draft)
    return render(request, "standards/import_preview.html", _preview_context(draft, result, request.POST), status=400)


# ---------------------------------------------------------------------------------------------- one standard
@readers
def standard_detail(request, pk):
    standard, can_edit = _standard(request, pk)
    filters = _filters(request)
    # the lines, the tree and the checks are kept until the data changes (wenming.core.memo); a published standard
    # never changes, and a city standard has 500 lines
    criteria = memoized("standard-criteria", standard.pk, lambda: selectors.criteria_of(standard))
    context = {"standard": standard, "filters": filters, "can_edit": can_edit,
               "kinds": Kind.choices, "editable_lines": can_edit and not standard.is_published}
    branch = request.GET.get("branch", "")
    if request.htmx and as_id(branch) is not None:  # a category of a big tree, opened
        context["rows"] = selectors.branch_rows(criteria, as_id(branch))
        return render(request, "standards/partials/tree_rows.html", context)
    keep_open = request.GET.get("open", "")
    tree = memoized("standard-tree", (standard.pk, tuple(filters.items()), keep_open), lambda: selectors.collapse(
        selectors.criterion_tree(criteria, **filters), keep_open=as_id(keep_open)))
    context["tree"] = tree
    if request.htmx and request.headers.get("HX-Target") == "criteria-tree":
        return render(request, "standards/standard_detail.html#tree", context)
    versions = selectors.lineage_versions(user=request.user, standard=standard)

    def check():
        checked = ParseResult(roots=nodes_from_criteria(criteria))
        if not standard.is_published:
            check_tree(checked)
        return checked

    checked = memoized("standard-check", standard.pk, check)
    context.update({
        "versions": versions,
        "open_draft": next((v for v in versions if v.status == Standard.Status.DRAFT and v.pk != standard.pk), None),
        "previous_version": next((v for v in versions if v.revision < standard.revision), None),
        "problems": checked.errors if not standard.is_published else [],
        "warnings": checked.warnings if not standard.is_published else [],
        "summary": checked.summary(),
    })
    return render(request, "standards/standard_detail.html", context)


@readers
def standard_edit(request, pk):
    standard, _can_edit = _standard(request, pk, need_edit=True)
    initial = {"name": standard.name, "issuer": standard.issuer, "level": standard.level, "year": standard.year,
               "pass_score": standard.pass_score, "version": standard.version}
    form = StandardForm(request.POST or None, initial=initial)
    return form_page(request, form, lambda data: services.standard_update(
        actor=request.user, standard=standard, name=data["name"], issuer=data["issuer"], level=data["level"],
        year=data["year"], pass_score=data["pass_score"], expected_version=data["version"],
        origin=Origin.from_request(request)), template="standards/standard_form.html", context={"standard": standard},
        then=reverse("standards:detail", args=[standard.pk]), message=_("已保存。"), invalid_status=400)


@require_POST
@readers
def standard_publish(request, pk):
    standard, _can_edit = _standard(request, pk, need_edit=True)
    version = request.POST.get("version")
    try:
        services.standard_publish(actor=request.user, standard=standard,
                                  expected_version=as_id(version),
                                  origin=Origin.from_request(request))
    except ValidationError as error:
        messages.error(request, _("未能发布：%(reasons)s") % {"reasons": "；".join(error.messages)})
    else:
        messages.success(request, _("已发布“%(name)s”。发布后不能再修改；需要调整时请创建新版本。") % {"name": standard})
    return redirect("standards:detail", pk=standard.pk)


@require_POST
@readers
def standard_new_version(request, pk):
    standard, _can_edit = _standard(request, pk, need_edit=True)
    try:
        draft = services.standard_new_version(actor=request.user, standard=standard, origin=Origin.from_request(request))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("standards:detail", pk=standard.pk)
    messages.success(request, _("已创建第%(revision)s版草稿，修改后请发布。") % {"revision": draft.revision})
    return redirect("standards:detail", pk=draft.pk)


@readers
def standard_compare(request, pk):
    standard, _can_edit = _standard(request, pk)
    versions = selectors.lineage_versions(user=request.user, standard=standard)
    others = [v for v in selectors.standard_list(user=request.user) if v.pk != standard.pk]
    other_pk = request.GET.get("other")
    other = None
    if other_pk:
        other, _ = get_for_user(Standard.objects.visible_to(request.user), None, other_pk)
    else:
        other = next((v for v in versions if v.revision < standard.revision), None)
    comparison = None
    if other is not None:
        old, new = (other, standard) if (other.lineage != standard.lineage or other.revision < standard.revision) \
            else (standard, other)
        comparison = selectors.compare_standards(old, new)
    return render(request, "standards/compare.html", {"standard": standard, "others": others, "other": other,
                                                      "comparison": comparison})


def _download(content: bytes, filename: str, extension: str, content_type: str) -> HttpResponse:
    return download_response(content, f"{filename}-{timezone.localtime():%Y%m%d-%H%M}.{extension}", content_type)


def _export(request, pk, extension: str) -> HttpResponse:
    standard, _can_edit = _standard(request, pk, need_edit=True)
    roots = nodes_from_criteria(selectors.criteria_of(standard))
    audit_record(actor=request.user, verb="standards.exported", obj=standard, origin=Origin.from_request(request),
                 after={"format": extension})
    filename = f"{standard.name}-第{standard.revision}版"
    if extension == "xlsx":
        content = workbook_bytes(export_workbook(name=standard.name, roots=roots))
        return _download(content, filename, extension, XLSX_TYPE)
    meta = {"name": standard.name, "issuer": standard.issuer, "level": standard.level, "year": standard.year,
            "pass_score": standard.pass_score}
    return _download(dump_yaml(meta=meta, roots=roots).encode("utf-8"), filename, extension,
                     "application/yaml; charset=utf-8")


@readers
def export_xlsx(request, pk):
    return _export(request, pk, "xlsx")


@readers
def export_yaml(request, pk):
    return _export(request, pk, "yaml")


# ---------------------------------------------------------------------------------------------- lines
def _departments(request) -> list[str]:
    return list(Department.objects.visible_to(request.user).filter(is_active=True).order_by("order", "id")
                .values_list("name", flat=True))


@readers
def criterion_edit(request, pk):
    criterion = _criterion(request, pk)
    if criterion.standard.is_published:
        messages.error(request, _("已发布的测评体系不能直接修改，请先创建新版本。"))
        return redirect("standards:detail", pk=criterion.standard_id)
    known, other = CriterionForm.split_methods(criterion.methods)
    initial = {"code": criterion.code, "title": criterion.title, "content": criterion.content,
               "scoring": criterion.scoring, "points": criterion.points, "per_item": criterion.per_item,
               "kind": criterion.kind, "bonus_cap": criterion.bonus_cap, "methods": known, "other_methods": other,
               "materials": criterion.materials, "department": criterion.department, "version": criterion.version}
    form = CriterionForm(request.POST or None, initial=initial)
    return form_page(request, form, lambda data: services.criterion_update(
        actor=request.user, criterion=criterion, code=data["code"], title=data["title"], content=data["content"],
        scoring=data["scoring"], points=data["points"], per_item=data["per_item"], kind=data["kind"],
        bonus_cap=data["bonus_cap"], methods=form.method_list(), materials=data["materials"],
        department=data["department"], expected_version=data["version"], origin=Origin.from_request(request)),
        template="standards/criterion_form.html", context=lambda: {
            "criterion": criterion, "standard": criterion.standard, "department_names": _departments(request)},
        then=reverse("standards:detail", args=[criterion.standard_id]) + f"?open={criterion.pk}#c{criterion.pk}",
        message=lambda _saved: _("已保存“%(title)s”。") % {"title": form.cleaned_data["title"][:30]},
        invalid_status=400)


@readers
def criterion_refine(request, pk):
    parent = _criterion(request, pk)
    form = RefineForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            criterion = services.criterion_refine(
                actor=request.user, parent=parent, title=data["title"], code=data["code"], content=data["content"],
                scoring=data["scoring"], points=data["points"], methods=form.method_list(),
                materials=data["materials"], department=data["department"], origin=Origin.from_request(request),
            )
        except ValidationError as error:
            add_errors(form, error)
            status = 400
        else:
            if criterion.standard_id != parent.standard_id:
                messages.success(request, _("原版本已发布，细化内容已加到第%(revision)s版草稿中；核对后请发布。")
                                 % {"revision": criterion.standard.revision})
            else:
                messages.success(request, _("已添加本单位细化“%(title)s”。") % {"title": criterion.title[:30]})
            return redirect(reverse("standards:detail", args=[criterion.standard_id]) + f"?open={criterion.pk}#c{criterion.pk}")
    return render(request, "standards/criterion_form.html",
                  {"form": form, "parent": parent, "standard": parent.standard, "refining": True,
                   "department_names": _departments(request)}, status=status)


@require_POST
@readers
def criterion_delete(request, pk):
    criterion = _criterion(request, pk)
    try:
        standard = services.criterion_delete(actor=request.user, criterion=criterion,
                                             origin=Origin.from_request(request))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("standards:detail", pk=criterion.standard_id)
    messages.success(request, _("已删除“%(title)s”。") % {"title": criterion.title[:30]})
    return redirect("standards:detail", pk=standard.pk)

