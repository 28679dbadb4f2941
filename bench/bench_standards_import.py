"""Importing a 5,000-line standard must stay within 2× openpyxl's own read of the same file (issue 3).

Baseline: openpyxl's fastest bare read — read-only mode, every row's values. Measured: our whole parse
(header search, merged ranges, points, methods, tree and every check) of the same bytes. Best of N each.
"""

import io
import time

from openpyxl import Workbook, load_workbook

LINES = 5000
REPEAT = 5
CATEGORIES = 10
INDICATORS_PER_CATEGORY = 5
METHODS = ["查阅资料", "实地考察、查阅资料", "网上申报", "问卷调查", "座谈"]


def build_workbook(lines: int = LINES) -> bytes:
    """A sample-shaped workbook: a title row, the header, categories and indicators merged down, points in
    their text, a bonus and a veto section and a notes row at the bottom."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "测评细则"
    headers = ["测评项目", "测评指标", "序号", "测评内容及标准", "分值", "测评方法", "材料要求", "提供材料部门"]
    sheet.cell(row=1, column=1, value="某某市文明单位测评细则（基准测试）")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(headers)
    per_indicator = lines // (CATEGORIES * INDICATORS_PER_CATEGORY)
    row = 3
    number = 1
    merges = []
    for category in range(CATEGORIES):
        category_start = row
        for indicator in range(INDICATORS_PER_CATEGORY):
            indicator_start = row
            for line in range(per_indicator):
                sheet.append([
                    f"第{category + 1}类测评项目（{per_indicator * INDICATORS_PER_CATEGORY}分）" if row == category_start else None,
                    f"第{category + 1}-{indicator + 1}项指标（{per_indicator}分）" if row == indicator_start else None,
                    number, f"测评内容第{number}条：按要求开展工作并留存材料，全年不少于{line % 12 + 1}次", 1,
                    METHODS[number % len(METHODS)], "通知、签到表、会议记录及2张以上照片", "机关党委",
                ])
                number += 1
                row += 1
            merges.append((indicator_start, 2, row - 1))
        merges.append((category_start, 1, row - 1))
    sheet.append(["加分项（最高5分）", None, None, "获得省级以上文明荣誉", "2/项", "查阅资料", "荣誉证书", "政治部"])
    sheet.append(["一票否决项", None, None, "发生重大安全责任事故的", None, "征求意见", None, None])
    sheet.append(["注：本表仅用于基准测试。"])
    for first, column, last in merges:
        sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bare_read(data: bytes) -> int:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = 0
    for sheet in workbook.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            count += 1
    workbook.close()
    return count


def best_of(function, data: bytes, repeat: int = REPEAT) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function(data)
        best = min(best, time.perf_counter() - start)
    return best


def run() -> list[dict]:
    from wenming.standards.parsing import parse_file

    data = build_workbook()
    result = parse_file(data, "bench.xlsx")
    lines = sum(1 for node, _depth in result.walk() if not node.children)
    assert result.ok and lines == LINES + 2, [str(p) for p in result.problems[:5]]
    baseline = best_of(bare_read, data)
    measured = best_of(lambda d: parse_file(d, "bench.xlsx"), data)
    return [{"name": f"standards import parse, {LINES:,} lines", "measured": measured, "baseline": baseline,
             "goal": 2.0, "note": "baseline: openpyxl read-only, all rows"}]
