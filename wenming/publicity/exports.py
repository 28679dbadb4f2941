"""The publicity ledger (宣传报道台账, with its monthly counts) and the report ledger (向上级报送台账) as xlsx."""

from django.utils.translation import gettext as _
from openpyxl.styles import Font, PatternFill

from wenming.core.xlsx import append_row, build_workbook, xlsx_response
from wenming.publicity import selectors

RED = PatternFill("solid", fgColor="FDECEA")
HEADER = PatternFill("solid", fgColor="DDE6F0")


def publicity_workbook(*, user, campaign):
    items = selectors.item_list(user=user, campaign=campaign).order_by("published_on", "id")
    rows = [[item.published_on, item.title, item.get_channel_display(), item.get_level_display(), item.outlet,
             item.department.name if item.department else "", item.author, item.link,
             "、".join(c.code or c.title for c in item.criteria.all()),
             item.evidence.get_status_display() if item.evidence else ""] for item in items]
    workbook = build_workbook(
        _("宣传报道台账"), [_("发布日期"), _("标题"), _("宣传渠道"), _("媒体级别"), _("刊发媒体"), _("供稿部门"), _("作者"),
                      _("链接"), _("测评指标"), _("材料审核")], rows,
        widths=[12, 40, 12, 10, 20, 14, 10, 36, 14, 10], note=f"{campaign.title} · {_('宣传报道台账')}")
    for row in workbook.active.iter_rows(min_row=3):
        row[0].number_format = "yyyy-mm-dd"
    table = selectors.monthly_table(user=user, campaign=campaign)
    sheet = workbook.create_sheet(_("每月统计"))
    append_row(sheet, [_("项目")] + [f"{m:%Y-%m}" for m in table.months] + [_("合计")])
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER
    sheet.column_dimensions["A"].width = 34
    for row in table.level_rows:
        append_row(sheet, [row.label] + [c.count for c in row.cells] + [row.total])
    append_row(sheet, [_("合计")] + [c.count for c in table.total_row.cells] + [table.total_row.total])
    for row in table.target_rows:
        append_row(sheet, [row.label] + [c.count for c in row.cells] + [row.total])
        for index, cell in enumerate(row.cells, start=2):
            if cell.state == "short":
                target_cell = sheet.cell(row=sheet.max_row, column=index)
                target_cell.fill, target_cell.font = RED, Font(color="B4232A", bold=True)
    sheet.freeze_panes = "B2"
    return xlsx_response(workbook, f"{campaign.title}-宣传报道台账")


def report_workbook(*, user, campaign):
    reports = selectors.report_list(user=user, campaign=campaign).order_by("reported_on", "id")
    rows = [[r.reported_on, r.recipient, r.title, r.get_level_display(), _("是") if r.adopted else _("否"),
             r.adopted_note, r.file_name, r.created_by.real_name] for r in reports]
    counts = selectors.report_counts(user=user, campaign=campaign)
    note = _("%(title)s · 向上级报送台账（共 %(total)d 篇，被采用 %(adopted)d 篇）") % {
        "title": campaign.title, "total": counts["total"], "adopted": counts["adopted"]}
    workbook = build_workbook(_("向上级报送台账"), [_("报送日期"), _("报送单位"), _("标题"), _("级别"), _("是否被采用"),
                                            _("采用情况"), _("文件"), _("登记人")], rows,
                              widths=[12, 16, 40, 8, 10, 30, 24, 10], note=note)
    for row in workbook.active.iter_rows(min_row=3):
        row[0].number_format = "yyyy-mm-dd"
    return xlsx_response(workbook, f"{campaign.title}-向上级报送台账")
