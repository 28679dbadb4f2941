"""Saving, versioning, refining, exporting and comparing standards."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from wenming.audit.models import AuditEvent
from wenming.standards import library, selectors, services
from wenming.standards.exchange import (
    dump_yaml,
    export_workbook,
    nodes_from_criteria,
    parse_yaml,
    workbook_bytes,
)
from wenming.standards.models import Criterion, Standard
from wenming.standards.parsing import parse_file
from wenming.standards.tests.workbooks import make_standard, sample_rows, sample_workbook

FIELDS = ("code", "title", "content", "scoring", "points", "per_item", "kind", "bonus_cap", "methods", "materials",
          "department", "is_local")


def shape(nodes):
    return [({name: getattr(node, name) for name in FIELDS}, shape(node.children)) for node in nodes]


def test_import_saves_the_tree_with_levels_order_and_totals(cast):
    standard = make_standard(cast.unit, cast["office"])

    assert standard.status == Standard.Status.DRAFT and standard.revision == 1
    assert standard.total_points == 100 and standard.year == 2025
    criteria = list(standard.criteria.order_by("depth", "order"))
    assert len(criteria) == 4 + 5 + 10 + 2 - 2  # 4 sections, 3 indicators, 12 lines
    line = Criterion.objects.get(standard=standard, code="3")
    assert (line.depth, line.parent.title, line.parent.parent.title) == (3, "创建机制", "组织领导")
    assert AuditEvent.objects.filter(verb="standards.imported", object_id=str(standard.pk)).exists()


def test_a_file_with_errors_saves_nothing(cast):
    rows = sample_rows()
    rows[0][4] = "一分半"
    parsed = parse_file(sample_workbook(rows))

    with pytest.raises(ValidationError) as error:
        services.standard_import(actor=cast["office"], unit=cast.unit, parsed=parsed)

    assert "无法识别分值“一分半”" in error.value.messages[0]
    assert not Standard.objects.exists() and not Criterion.objects.exists()
    assert not AuditEvent.objects.filter(verb="standards.imported").exists()


def test_export_then_import_gives_the_same_tree(cast):
    standard = services.standard_load_library(actor=cast["office"], unit=cast.unit, key="city-court")
    parent = standard.criteria.get(code="9")
    services.criterion_refine(actor=cast["office"], parent=parent, title="本院：每月第一周周五集中学习",
                              points=Decimal("1.5"), methods=["查阅资料"], materials="学习记录", department="机关党委")
    original = nodes_from_criteria(standard.criteria.all())

    exported = workbook_bytes(export_workbook(name=standard.name, roots=original))
    again = parse_file(exported, "export.xlsx")

    assert again.ok, [str(p) for p in again.problems]
    assert shape(again.roots) == shape(original)
    sheet = load_workbook(io.BytesIO(exported)).active
    assert sheet["A1"].value == standard.name and sheet["A2"].value == "测评项目"
    assert any(str(r).startswith("A3:") for r in sheet.merged_cells.ranges)  # categories merged down


def test_yaml_round_trip_and_line_numbers_in_yaml_problems(cast):
    standard = make_standard(cast.unit, cast["office"])
    original = nodes_from_criteria(standard.criteria.all())
    text = dump_yaml(meta={"name": standard.name, "level": "city", "year": 2025}, roots=original)

    again = parse_yaml(text)
    broken = parse_yaml(text.replace("points: 2\n", "points: 两分半\n", 1))

    assert again.ok and shape(again.roots) == shape(original)
    assert again.meta["name"] == standard.name
    unreadable = [p for p in broken.errors if "无法识别分值“两分半”" in p.message]
    assert not broken.ok and unreadable and unreadable[0].row > 1


def test_the_library_template_is_realistic_and_loads_in_one_click(cast):
    template = library.get("city-court")
    summary = template.summary
    categories = [node for node in template.parse().roots if node.kind == "scored"]

    standard = services.standard_load_library(actor=cast["office"], unit=cast.unit, key="city-court")

    assert 40 <= summary["levels"][2]["count"] and summary["total_points"] == 100
    assert 8 <= len(categories) <= 10
    assert summary["bonus_lines"] >= 1 and summary["bonus_cap"] == 5 and summary["veto_lines"] >= 3
    lines = [c for c in standard.criteria.all() if c.depth == 3]
    assert 40 <= len(lines) <= 80
    assert all(line.methods and line.materials and line.department for line in lines)
    assert any(line.kind == "deduction" for line in lines)
    assert standard.unit == cast.unit and standard.status == Standard.Status.DRAFT


def test_publish_freezes_and_edits_go_to_a_new_version(cast):
    standard = make_standard(cast.unit, cast["office"], published=True)
    line = standard.criteria.get(code="3")

    with pytest.raises(ValidationError, match="已发布"):
        services.criterion_update(actor=cast["office"], criterion=line, code="3", title="改", points=Decimal(2))
    draft = services.standard_new_version(actor=cast["office"], standard=standard)
    again = services.standard_new_version(actor=cast["office"], standard=standard)

    assert again == draft  # one open draft per standard
    assert (draft.revision, draft.previous, draft.lineage, draft.status) == (2, standard, standard.lineage, "draft")
    copied = draft.criteria.get(code="3")
    assert copied.key == line.key and copied.pk != line.pk
    assert draft.criteria.count() == standard.criteria.count()
    services.criterion_update(actor=cast["office"], criterion=copied, code="3", title=copied.title,
                              points=Decimal(2), methods=["查阅资料"], expected_version=copied.version)
    line.refresh_from_db()
    assert line.methods == ["查阅资料", "听取汇报"]  # the published version did not move


def test_publish_is_refused_while_lines_do_not_add_up(cast):
    standard = make_standard(cast.unit, cast["office"])
    line = standard.criteria.get(code="3")
    services.criterion_update(actor=cast["office"], criterion=line, code="3", title=line.title, points=Decimal(3))

    with pytest.raises(ValidationError) as error:
        services.standard_publish(actor=cast["office"], standard=standard)

    assert "“创建机制”标注 6 分，下级合计 7 分，多 1 分" in error.value.messages[0]
    standard.refresh_from_db()
    assert standard.status == Standard.Status.DRAFT


def test_refining_a_published_line_creates_the_next_version_with_the_local_line(cast):
    standard = make_standard(cast.unit, cast["office"], published=True)
    parent = standard.criteria.get(code="3")

    local = services.criterion_refine(actor=cast["office"], parent=parent, title="每季度党组会研究一次",
                                      points=Decimal(1), materials="党组会纪要")

    assert local.standard != standard and local.standard.revision == 2
    assert local.is_local and local.parent.key == parent.key and local.depth == 4
    assert not standard.criteria.filter(is_local=True).exists()
    with pytest.raises(ValidationError, match="不能超过上级的2分"):
        services.criterion_refine(actor=cast["office"], parent=local.parent, title="再一条", points=Decimal("1.5"))


def test_compare_versions_lists_added_removed_and_changed_lines_with_point_changes(cast):
    standard = make_standard(cast.unit, cast["office"], published=True)
    draft = services.standard_new_version(actor=cast["office"], standard=standard)
    services.criterion_refine(actor=cast["office"], parent=draft.criteria.get(code="3"), title="本院细化")
    changed = draft.criteria.get(code="1")
    services.criterion_update(actor=cast["office"], criterion=changed, code="1", title=changed.title,
                              points=Decimal(2), methods=["查阅资料", "实地考察"], materials=changed.materials,
                              department=changed.department)
    services.criterion_delete(actor=cast["office"], criterion=draft.criteria.get(code="2"))

    comparison = selectors.compare_standards(standard, draft)

    assert [c.new.title for c in comparison.added] == ["本院细化"]
    assert [c.old.code for c in comparison.removed] == ["2"]
    assert [(c.new.code, c.point_delta) for c in comparison.changed] == [("1", Decimal(1))]
    assert ("分值", "1", "2") in comparison.changed[0].fields
    assert ("测评方法", "查阅资料", "查阅资料、实地考察") in comparison.changed[0].fields
    assert comparison.old_total == comparison.new_total == 100  # the category keeps its marked points


def test_concurrent_edits_of_a_line_are_detected(cast):
    standard = make_standard(cast.unit, cast["office"])
    line = standard.criteria.get(code="1")
    stale = line.version
    services.criterion_update(actor=cast["office"], criterion=line, code="1", title="甲", points=Decimal(1),
                              expected_version=stale)

    with pytest.raises(ValidationError, match="已被他人修改"):
        services.criterion_update(actor=cast["office"], criterion=line, code="1", title="乙", points=Decimal(1),
                                  expected_version=stale)


def test_the_demo_loads_the_library_standard_published_once(db):
    from wenming.org import demo as org_demo
    from wenming.standards import demo

    org_demo.load()
    assert demo.load() == []
    demo.load()

    standards = Standard.objects.filter(unit__name=org_demo.COURT)
    assert standards.count() == 1 and standards.get().status == Standard.Status.PUBLISHED
