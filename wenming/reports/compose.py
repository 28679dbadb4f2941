"""From a template and a campaign to a report: placeholders filled, section markers replaced by the generated
sections, the outline recognised from the numbering (一、 （一） 1.), then laid out as a 公文 by `gongwen`.

Template syntax, as the office writes it in the edit screen:
- `{{ 单位名称 }}` anywhere: replaced by the value (see PLACEHOLDERS);
- a line `[[任务完成情况]]` on its own: replaced by that generated section (see sections.SECTIONS);
- a line starting “一、” / “（一）” / “1.” is a heading of level 1 / 2 / 3; other lines are paragraphs.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _

from wenming.reports import gongwen
from wenming.reports.sections import SECTIONS, Scope, Section, build_section, task_facts

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
MARKER = re.compile(r"\[\[\s*([^\[\]]*?)\s*\]\]")
MARKER_LINE = re.compile(r"^\s*\[\[\s*([^\[\]]*?)\s*\]\]\s*$")

PLACEHOLDERS = {
    "单位名称": "本单位全称，如“某某市人民法院”",
    "活动名称": "创建活动名称，如“2026年创建市级文明单位”",
    "年度": "创建年度，如“2026”",
    "创建级别": "市级、省级或全国",
    "阶段": "阶段总结所选的阶段名称；创建工作报告为“全年”",
    "起止时间": "所选阶段（或全年）的起止日期",
    "任务总数": "工作任务总数（阶段总结为本阶段的任务）",
    "已完成任务": "已完成的任务数",
    "任务完成率": "已完成任务占任务总数的比例，如“85.0%”",
    "按期完成率": "已完成任务中在完成时限内完成的比例",
    "材料总数": "收集的创建材料份数",
    "已通过材料": "审核通过的材料份数",
    "组长": "领导小组组长姓名",
    "创建办主任": "创建办公室主任姓名",
    "部门数": "承担任务的牵头部门数",
    "成文日期": "生成报告当天，如“2026年11月29日”",
}


def unknown_names(text: str) -> tuple[list[str], list[str]]:
    """Placeholders and markers in `text` that the generator does not know, each once, in order of appearance."""
    placeholders = [name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS]
    markers = [name for name in MARKER.findall(text) if name not in SECTIONS]
    return list(dict.fromkeys(placeholders)), list(dict.fromkeys(markers))


def check_template(*, title: str, addressee: str, body: str, signature: str) -> None:
    """Every placeholder and marker known, every marker on its own line; else a ValidationError per field naming
    the offenders."""
    errors: dict[str, list[str]] = {}
    for name, text in (("title", title), ("addressee", addressee), ("body", body), ("signature", signature)):
        placeholders, markers = unknown_names(text)
        messages = []
        if placeholders:
            messages.append(_("未知的占位符：%(names)s。可用的占位符见右侧说明。") % {
                "names": "、".join(f"{{{{ {n} }}}}" for n in placeholders)})
        if markers:
            messages.append(_("未知的章节标记：%(names)s。可用的章节标记见右侧说明。") % {
                "names": "、".join(f"[[{n}]]" for n in markers)})
        elif name != "body" and MARKER.search(text):
            messages.append(_("章节标记只能写在正文中。"))
        if name == "body":
            inline = [number for number, line in enumerate(text.splitlines(), start=1)
                      if MARKER.search(line) and not MARKER_LINE.match(line)]
            if inline:
                messages.append(_("第%(lines)s行：章节标记须单独占一行。") % {"lines": "、".join(map(str, inline[:5]))})
        if messages:
            errors[name] = messages
    if errors:
        raise ValidationError(errors)


def facts(scope: Scope) -> dict[str, str]:
    """The value of every placeholder for this scope."""
    from wenming.campaigns.models import RosterEntry
    from wenming.evidence.models import Evidence

    campaign = scope.campaign
    total, departments = task_facts(scope)
    items = Evidence.objects.alive().filter(campaign=campaign)
    if scope.phase:
        items = items.filter(scope.in_dates("occurred_on"))
    statuses = Counter(dict(items.values_list("status").annotate(n=Count("id")).order_by()))
    roster = {}
    for role, name in campaign.roster.filter(role__in=[RosterEntry.Role.HEAD, RosterEntry.Role.OFFICE_DIRECTOR]
                                             ).order_by("-order", "-id").values_list("role", "person__real_name"):
        roster[role] = name
    return {
        "单位名称": campaign.unit.name,
        "活动名称": campaign.title,
        "年度": str(campaign.year),
        "创建级别": campaign.get_level_display(),
        "阶段": scope.label,
        "起止时间": f"{gongwen.chinese_date(scope.starts_on)}至{gongwen.chinese_date(scope.ends_on)}",
        "任务总数": str(total.total),
        "已完成任务": str(total.done),
        "任务完成率": total.rate,
        "按期完成率": total.on_time_rate,
        "材料总数": str(sum(statuses.values())),
        "已通过材料": str(statuses[Evidence.Status.APPROVED]),
        "组长": roster.get(RosterEntry.Role.HEAD, ""),
        "创建办主任": roster.get(RosterEntry.Role.OFFICE_DIRECTOR, ""),
        "部门数": str(len(departments)),
        "成文日期": gongwen.chinese_date(scope.today),
    }


def fill(text: str, values: dict[str, str] | None) -> str:
    if values is None:
        return text
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


@dataclass
class Block:
    """One piece of the outline: a heading (level 1–3), a paragraph, or a generated section."""

    kind: str
    text: str = ""
    level: int = 0
    rest: str = ""
    section: Section | None = None
    marker: str = ""


@dataclass
class Report:
    title: list[str]
    addressee: str
    blocks: list[Block] = field(default_factory=list)
    signature: str = ""
    day: date | None = None


def outline(template, scope: Scope | None, *, progress=None) -> Report:
    """The report as an outline. Without a scope (no campaign yet), placeholders stay as written and markers say
    what they will hold."""
    values = facts(scope) if scope else None
    lines = [line.strip() for line in template.body.splitlines()]
    markers = [m for line in lines if (m := MARKER_LINE.match(line))]
    done = 0
    report = Report(title=[t.strip() for t in fill(template.title, values).split("|") if t.strip()],
                    addressee=fill(template.addressee, values).strip(), signature=fill(template.signature, values),
                    day=scope.today if scope else None)
    for line in lines:
        if not line:
            continue
        marker = MARKER_LINE.match(line)
        if marker:
            name = marker.group(1)
            description = SECTIONS[name][1]
            section = build_section(name, scope) if scope else Section(
                name, name, [_("（此处将插入：%(d)s）") % {"d": description}])
            report.blocks.append(Block("section", section=section, marker=name))
            done += 1
            if progress:
                progress(done, len(markers))
            continue
        text = fill(line, values)
        level = gongwen.heading_level(text)
        if level:
            head, rest = gongwen.split_heading(text)
            report.blocks.append(Block("heading", text=head, level=level, rest=rest))
        else:
            report.blocks.append(Block("paragraph", text=text))
    return report


def to_docx(report: Report) -> bytes:
    doc = gongwen.document()
    doc.title("\n".join(report.title))
    if report.addressee:
        doc.addressee(report.addressee)
    for block in report.blocks:
        if block.kind == "heading":
            doc.heading(block.level, block.text, block.rest)
        elif block.kind == "paragraph":
            doc.paragraph(block.text)
        else:
            for text in block.section.paragraphs:
                doc.paragraph(text)
            if block.section.table:
                table = block.section.table
                doc.table(table.headers, table.rows, caption=table.caption)
    if report.signature.strip() and report.day:
        doc.signature(report.signature.strip(), report.day)
    return doc.to_bytes()

