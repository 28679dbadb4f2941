"""Writes to standards. Keyword-only, atomic, audited; the acting person is passed in.

A published standard never changes: `standard_new_version` copies it into a draft (same lineage, next
revision, every line keeping its `key`), and edits and refinements go to that draft.
"""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.audit.services import Origin, audit_record
from wenming.core.errors import check_version
from wenming.core.tables import (
    MAX_UPLOAD_BYTES,
    UnreadableFile,
    book_from_json,
    book_to_json,
    open_book,
    table_signature,
)
from wenming.org.models import Unit, User
from wenming.standards import library
from wenming.standards.exchange import nodes_from_criteria
from wenming.standards.models import COUNTED_KINDS, Criterion, ImportDraft, ImportTemplate, Kind, Standard
from wenming.standards.parsing import FIELDS, ParsedNode, ParseResult, check_tree, fmt, parse_stored, sniff

STANDARD_AUDIT_FIELDS = ("name", "issuer", "level", "year", "pass_score", "status", "revision", "total_points")
CRITERION_AUDIT_FIELDS = ("code", "title", "content", "scoring", "points", "per_item", "kind", "bonus_cap", "methods",
                          "materials", "department", "is_local", "order")
DRAFT_LIFETIME = timedelta(hours=24)
MAX_YAML_BYTES = 2 * 1024 * 1024


def _snapshot(obj, fields) -> dict:
    values = {}
    for name in fields:
        value = getattr(obj, name)
        values[name] = fmt(value) if isinstance(value, Decimal) else value
    return values


def _ensure_draft(standard: Standard) -> None:
    if standard.status != Standard.Status.DRAFT:
        raise ValidationError(_("“%(name)s”已发布，不能直接修改；请先创建新版本。") % {"name": standard})


# ---------------------------------------------------------------------------------------------- creating
def _create_tree(standard: Standard, roots: list[ParsedNode]) -> int:
    """Save a ParsedNode tree under `standard`, one INSERT per level. Groups without points get their sum."""
    level = [(node, None) for node in roots]
    depth = 1
    saved = 0
    while level:
        rows = []
        for order, (node, parent) in enumerate(level):
            points = node.points
            if points is None and node.children and node.kind in COUNTED_KINDS:
                points = node.effective_points()
            rows.append(Criterion(
                standard=standard, parent=parent, depth=depth, order=order, key=node.key or uuid.uuid4(),
                code=node.code[:30], title=node.title[:1000], content=node.content, scoring=node.scoring,
                points=points, per_item=node.per_item, kind=node.kind, bonus_cap=node.bonus_cap,
                methods=list(node.methods), materials=node.materials, department=node.department[:200],
                is_local=node.is_local,
            ))
        created = Criterion.objects.bulk_create(rows)
        if any(criterion.pk is None for criterion in created):  # databases that cannot return ids
            keys = {row.key: row for row in created}
            for pk, key in Criterion.objects.filter(standard=standard, depth=depth).values_list("pk", "key"):
                keys[key].pk = pk
        saved += len(created)
        level = [(child, criterion) for (node, _parent), criterion in zip(level, created, strict=True)
                 for child in node.children]
        depth += 1
    return saved


def _new_standard(*, actor: User, unit: Unit, parsed: ParseResult, name: str, issuer: str = "", level: str = "",
                  year: int | None = None, pass_score: Decimal | None = None, source: str = "",
                  status: str = Standard.Status.DRAFT) -> Standard:
    meta = parsed.meta
    standard = Standard(
        unit=unit, name=(name or meta.get("name") or parsed.title or _("未命名测评体系")).strip()[:200],
        issuer=(issuer or meta.get("issuer", ""))[:100], level=level or meta.get("level") or Standard.Level.CITY,
        year=year or meta.get("year"), pass_score=pass_score if pass_score is not None else meta.get("pass_score"),
        total_points=parsed.total_points, source=source[:200], created_by=actor, status=status,
    )
    if status == Standard.Status.PUBLISHED:
        standard.published_at, standard.published_by = timezone.now(), actor
    standard.full_clean()
    standard.save()
    _create_tree(standard, parsed.roots)
    return standard


@transaction.atomic
def standard_import(*, actor: User, unit: Unit, parsed: ParseResult, name: str = "", issuer: str = "",
                    level: str = "", year: int | None = None, pass_score: Decimal | None = None,
                    origin: Origin | None = None) -> Standard:
    """Save a checked file as a new draft standard. Refused, saving nothing, while the file has errors."""
    if not parsed.ok:
        raise ValidationError(
            [str(problem) for problem in parsed.errors] or [_("文件中没有任何测评内容。")]
        )
    standard = _new_standard(actor=actor, unit=unit, parsed=parsed, name=name, issuer=issuer, level=level,
                             year=year, pass_score=pass_score, source=parsed.source)
    summary = parsed.summary()
    audit_record(actor=actor, verb="standards.imported", obj=standard, origin=origin,
                 after={**_snapshot(standard, STANDARD_AUDIT_FIELDS), "file": parsed.source[:100],
                        "lines": summary["lines"], "warnings": summary["warnings"]})
    return standard


@transaction.atomic
def standard_load_library(*, actor: User, unit: Unit, key: str, publish: bool = False,
                          origin: Origin | None = None) -> Standard:
    """A unit-owned copy of a built-in template, as a draft to check against the city's own rules."""
    template = library.get(key)
    if template is None:
        raise ValidationError(_("找不到内置模板“%(key)s”。") % {"key": key})
    parsed = template.parse()
    if not parsed.ok:  # a broken template is our bug; never save half of it
        raise ValidationError([str(problem) for problem in parsed.errors])
    status = Standard.Status.PUBLISHED if publish else Standard.Status.DRAFT
    standard = _new_standard(actor=actor, unit=unit, parsed=parsed, name="", source=f"内置模板：{template.name}",
                             status=status)
    audit_record(actor=actor, verb="standards.library_loaded", obj=standard, origin=origin,
                 after={**_snapshot(standard, STANDARD_AUDIT_FIELDS), "template": key})
    return standard


# ---------------------------------------------------------------------------------------------- drafts
@transaction.atomic
def import_draft_create(*, actor: User, unit: Unit, filename: str, content: bytes) -> ImportDraft:
    """Read an upload's tables (refusing what is damaged, hostile or too big, in Chinese) and keep them — not the
    file — until its owner confirms the preview; a saved template for the same header is applied at once.
    Purges everyone's expired uploads on the way."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("文件过大（超过20MB），请拆分后再导入。"))
    tables = read_tables(content, filename)
    draft = ImportDraft.fresh(lifetime=DRAFT_LIFETIME, owner=actor, unit=unit,
                              filename=(filename or "upload.xlsx")[-200:], tables=tables)
    template = import_template_matching(unit=unit, target=ImportTemplate.Target.STANDARD, tables=tables)
    if template is not None:
        draft.mapping = {**template[0].mapping, "table": template[1], "template": template[0].name}
    draft.save()
    return draft


def read_tables(content: bytes, filename: str = "") -> dict:
    """The upload's tables as plain JSON (what a draft keeps), or ValidationError with the reason in Chinese."""
    try:
        if sniff(content, filename) == "yaml":  # the library format: text, checked now, parsed again on preview
            if len(content) > MAX_YAML_BYTES:
                raise UnreadableFile(_("YAML 文件过大（超过2MB）。"))
            return {"format": "yaml", "yaml": content.decode("utf-8")}
        with open_book(content, filename) as book:
            return book_to_json(book)
    except UnreadableFile as error:
        raise ValidationError(str(error)) from None
    except UnicodeDecodeError:
        raise ValidationError(_("YAML 文件须为 UTF-8 编码。")) from None


def import_draft_parse(draft: ImportDraft) -> ParseResult:
    return parse_stored(draft.tables or {}, draft.filename, mapping=draft.mapping)


@transaction.atomic
def import_draft_set_mapping(*, draft: ImportDraft, mapping: dict | None) -> ImportDraft:
    draft.mapping = mapping
    draft.save(update_fields=["mapping"])
    return draft


# ---------------------------------------------------------------------------------------------- templates
def import_template_matching(*, unit: Unit, target: str, tables: dict) -> tuple[ImportTemplate, int] | None:
    """The unit's saved mapping whose header matches one of the file's tables, with that table's index."""
    templates = {t.signature: t for t in ImportTemplate.objects.filter(unit=unit, target=target).order_by("-id")}
    if not templates:
        return None
    for table in book_from_json(tables).tables:
        found = templates.get(table_signature(table))
        if found is not None:
            return found, table.index
    return None


@transaction.atomic
def import_template_save(*, actor: User | None, unit: Unit, target: str, name: str, signature: str, mapping: dict,
                         origin: Origin | None = None) -> ImportTemplate:
    """Keep a mapping fixed by hand under a name; the same name again replaces it."""
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationError({"name": _("请填写模板名称。")})
    if not signature:
        raise ValidationError(_("这个文件没有可识别的表头，不能保存为模板。"))
    columns = {str(int(index)): field for index, field in (mapping.get("columns") or {}).items()}
    if target == ImportTemplate.Target.STANDARD and any(field not in FIELDS for field in columns.values()):
        raise ValidationError(_("列对应中有无法识别的内容。"))
    kept = {"header_row": int(mapping.get("header_row") or 1), "columns": columns}
    template, created = ImportTemplate.objects.update_or_create(
        unit=unit, target=target, name=name,
        defaults={"signature": signature[:500], "mapping": kept, "created_by": actor},
    )
    audit_record(actor=actor, verb="standards.import_template_saved", obj=template, unit=unit, origin=origin,
                 after={"name": name, "target": target, "columns": columns, "created": created})
    return template


@transaction.atomic
def import_template_delete(*, actor: User, template: ImportTemplate, origin: Origin | None = None) -> None:
    audit_record(actor=actor, verb="standards.import_template_deleted", obj=template, unit=template.unit,
                 origin=origin, before={"name": template.name, "target": template.target})
    template.delete()


@transaction.atomic
def import_draft_confirm(*, actor: User, draft: ImportDraft, name: str = "", issuer: str = "", level: str = "",
                         year: int | None = None, pass_score: Decimal | None = None,
                         origin: Origin | None = None) -> Standard:
    draft = ImportDraft.objects.select_for_update().get(pk=draft.pk)
    parsed = import_draft_parse(draft)
    standard = standard_import(actor=actor, unit=draft.unit, parsed=parsed, name=name, issuer=issuer, level=level,
                               year=year, pass_score=pass_score, origin=origin)
    draft.delete()
    return standard


# ---------------------------------------------------------------------------------------------- lifecycle
@transaction.atomic
def standard_update(*, actor: User, standard: Standard, name: str, issuer: str, level: str, year: int | None,
                    pass_score: Decimal | None, expected_version: int | None = None,
                    origin: Origin | None = None) -> Standard:
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    _ensure_draft(standard)
    check_version(standard, expected_version)
    before = _snapshot(standard, STANDARD_AUDIT_FIELDS)
    standard.name, standard.issuer, standard.level = name.strip(), issuer.strip(), level
    standard.year, standard.pass_score = year, pass_score
    standard.full_clean()
    standard.save()
    audit_record(actor=actor, verb="standards.updated", obj=standard, before=before,
                 after=_snapshot(standard, STANDARD_AUDIT_FIELDS), origin=origin)
    return standard


def standard_check(standard: Standard) -> ParseResult:
    """The import's checks run over a saved tree (before publishing)."""
    result = ParseResult(roots=nodes_from_criteria(standard.criteria.all()), sheet="")
    check_tree(result)
    return result


@transaction.atomic
def standard_publish(*, actor: User, standard: Standard, expected_version: int | None = None,
                     origin: Origin | None = None) -> Standard:
    """Freeze a draft. Refused while its lines do not add up; from now on changes make a new version."""
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    _ensure_draft(standard)
    check_version(standard, expected_version)
    checked = standard_check(standard)
    if not checked.roots:
        raise ValidationError(_("测评体系中还没有任何测评内容，不能发布。"))
    if checked.errors:
        raise ValidationError([problem.message for problem in checked.errors])
    before = _snapshot(standard, STANDARD_AUDIT_FIELDS)
    standard.status = Standard.Status.PUBLISHED
    standard.total_points = checked.total_points
    standard.published_at, standard.published_by = timezone.now(), actor
    standard.save()
    audit_record(actor=actor, verb="standards.published", obj=standard, before=before,
                 after=_snapshot(standard, STANDARD_AUDIT_FIELDS), origin=origin)
    return standard


def open_draft_of(standard: Standard) -> Standard | None:
    return Standard.objects.filter(lineage=standard.lineage, status=Standard.Status.DRAFT).order_by("-revision").first()


@transaction.atomic
def standard_new_version(*, actor: User, standard: Standard, origin: Origin | None = None) -> Standard:
    """The next version of a published standard as a draft: a copy of the tree, lines keeping their keys.
    If a draft of this standard is already open, that draft is returned instead of a second one."""
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    if standard.status != Standard.Status.PUBLISHED:
        raise ValidationError(_("草稿可以直接修改，无需创建新版本。"))
    existing = open_draft_of(standard)
    if existing is not None:
        return existing
    latest = Standard.objects.filter(lineage=standard.lineage).order_by("-revision").values_list("revision", flat=True)
    draft = Standard(
        unit=standard.unit, name=standard.name, issuer=standard.issuer, level=standard.level, year=standard.year,
        lineage=standard.lineage, revision=latest[0] + 1, previous=standard, status=Standard.Status.DRAFT,
        total_points=standard.total_points, pass_score=standard.pass_score, source=standard.source,
        created_by=actor,
    )
    draft.full_clean()
    draft.save()
    _create_tree(draft, nodes_from_criteria(standard.criteria.all()))
    audit_record(actor=actor, verb="standards.version_created", obj=draft, origin=origin,
                 before={"revision": standard.revision, "id": standard.pk},
                 after=_snapshot(draft, STANDARD_AUDIT_FIELDS))
    return draft


# ---------------------------------------------------------------------------------------------- lines
def _clean_line(criterion: Criterion) -> None:
    if criterion.kind == Kind.VETO:
        criterion.points = None
    if criterion.kind != Kind.BONUS:
        criterion.bonus_cap = None
    criterion.methods = [str(method).strip() for method in criterion.methods if str(method).strip()]
    criterion.full_clean(exclude=["standard", "parent"])


def _refresh_total(standard: Standard) -> None:
    roots = Criterion.objects.filter(standard=standard, parent=None, kind__in=COUNTED_KINDS)
    total = sum((criterion.points or Decimal(0) for criterion in roots), Decimal(0))
    Standard.objects.filter(pk=standard.pk).update(total_points=total)


@transaction.atomic
def criterion_update(*, actor: User, criterion: Criterion, code: str, title: str, content: str = "",
                     scoring: str = "", points: Decimal | None = None, per_item: bool = False,
                     kind: str = Kind.SCORED, bonus_cap: Decimal | None = None, methods: list[str] = (),
                     materials: str = "", department: str = "", expected_version: int | None = None,
                     origin: Origin | None = None) -> Criterion:
    criterion = Criterion.objects.select_for_update().select_related("standard").get(pk=criterion.pk)
    _ensure_draft(criterion.standard)
    check_version(criterion, expected_version)
    before = _snapshot(criterion, CRITERION_AUDIT_FIELDS)
    criterion.code, criterion.title, criterion.content, criterion.scoring = code.strip(), title.strip(), content, scoring
    criterion.points, criterion.per_item, criterion.kind, criterion.bonus_cap = points, per_item, kind, bonus_cap
    criterion.methods, criterion.materials, criterion.department = list(methods), materials, department.strip()
    _clean_line(criterion)
    criterion.save()
    _refresh_total(criterion.standard)
    audit_record(actor=actor, verb="standards.criterion_updated", obj=criterion, unit=criterion.standard.unit,
                 before=before, after=_snapshot(criterion, CRITERION_AUDIT_FIELDS), origin=origin)
    return criterion


@transaction.atomic
def criterion_refine(*, actor: User, parent: Criterion, title: str, code: str = "", content: str = "",
                     scoring: str = "", points: Decimal | None = None, methods: list[str] = (),
                     materials: str = "", department: str = "", origin: Origin | None = None) -> Criterion:
    """Add a local refinement (本单位细化) under any line. On a published standard the refinement goes to its
    next version (created, or the open draft), under the same line."""
    standard = parent.standard
    if standard.status == Standard.Status.PUBLISHED:
        standard = standard_new_version(actor=actor, standard=standard, origin=origin)
        parent = Criterion.objects.get(standard=standard, key=parent.key)
    else:
        parent = Criterion.objects.select_for_update().get(pk=parent.pk)
    if parent.kind == Kind.VETO and points is not None:
        raise ValidationError({"points": _("一票否决项不计分，细化内容不能填写分值。")})
    siblings = parent.children.all()
    taken = sum((child.points or Decimal(0) for child in siblings if child.is_local), Decimal(0))
    if points is not None and parent.points is not None and taken + points > parent.points:
        raise ValidationError({"points": _("本单位细化的分值合计（%(sum)s分）不能超过上级的%(max)s分。")
                               % {"sum": fmt(taken + points), "max": fmt(parent.points)}})
    kind = parent.kind if parent.kind in (Kind.BONUS, Kind.VETO) else Kind.SCORED
    criterion = Criterion(
        standard=standard, parent=parent, depth=parent.depth + 1, order=len(siblings), code=code.strip(),
        title=title.strip(), content=content, scoring=scoring, points=points, kind=kind, methods=list(methods),
        materials=materials, department=department.strip(), is_local=True,
    )
    _clean_line(criterion)
    criterion.save()
    audit_record(actor=actor, verb="standards.criterion_refined", obj=criterion, unit=standard.unit, origin=origin,
                 after={**_snapshot(criterion, CRITERION_AUDIT_FIELDS), "parent": str(parent)})
    return criterion


@transaction.atomic
def criterion_delete(*, actor: User, criterion: Criterion, origin: Origin | None = None) -> Standard:
    """Remove a line (and the lines under it) from a draft. Published versions keep every line."""
    criterion = Criterion.objects.select_for_update().select_related("standard").get(pk=criterion.pk)
    standard = criterion.standard
    _ensure_draft(standard)
    below = Criterion.objects.filter(standard=standard, depth__gt=criterion.depth).values_list("pk", "parent_id")
    removed, frontier = {criterion.pk}, {criterion.pk}
    pairs = list(below)
    while frontier:
        frontier = {pk for pk, parent_id in pairs if parent_id in frontier}
        removed |= frontier
    audit_record(actor=actor, verb="standards.criterion_deleted", obj=criterion, unit=standard.unit, origin=origin,
                 before={**_snapshot(criterion, CRITERION_AUDIT_FIELDS), "lines_removed": len(removed)})
    criterion.delete()
    _refresh_total(standard)
    return standard
