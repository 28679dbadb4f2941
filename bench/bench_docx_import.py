"""Importing a 5,000-line standard from a Word table must stay within 2× python-docx's own read (issue 16).

Baseline: python-docx's bare read — open the document, every table's every row's every cell's text. Measured: our
whole parse of the same bytes (the safety checks, the table read with its merged cells, header inference, points,
methods, tree and every check). Best of N each.
"""

import copy
import io

from docx import Document

from bench.bench_standards_import import LINES, METHODS, best_of

CATEGORIES = 10
INDICATORS = 5


def build_document(lines: int = LINES) -> bytes:
    """A 测评体系 as a Word table: a title paragraph, header, categories and indicators merged down (vMerge),
    a bonus and a veto section and the closing note. Rows are cloned as XML (python-docx's add_row is slow)."""
    document = Document()
    document.add_paragraph("某某市二〇二一年度文明单位测评细则（基准测试）")
    headers = ["测评项目", "测评指标", "序号", "测评内容及标准", "分值", "测评方法"]
    table = document.add_table(rows=2, cols=len(headers))
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    template = table.rows[1]._tr
    template.getparent().remove(template)
    per_indicator = lines // (CATEGORIES * INDICATORS)
    number = 0
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def add(values, merges):
        tr = copy.deepcopy(template)
        for tc, value, merge in zip(tr.iter(f"{w}tc"), values, merges, strict=True):
            paragraph = tc.find(f"{w}p")
            if value is not None:
                run = paragraph.makeelement(f"{w}r", {})
                text = run.makeelement(f"{w}t", {})
                text.text = str(value)
                run.append(text)
                paragraph.append(run)
            if merge:
                properties = tc.find(f"{w}tcPr")
                if properties is None:
                    properties = tc.makeelement(f"{w}tcPr", {})
                    tc.insert(0, properties)
                element = properties.makeelement(f"{w}vMerge", {f"{w}val": "restart"} if merge == "restart" else {})
                properties.append(element)
        table._tbl.append(tr)

    for category in range(CATEGORIES):
        for indicator in range(INDICATORS):
            for line in range(per_indicator):
                number += 1
                first_c, first_i = indicator == 0 and line == 0, line == 0
                add([f"第{category + 1}类测评项目（{per_indicator * INDICATORS}分）" if first_c else None,
                     f"第{category + 1}-{indicator + 1}项指标（{per_indicator}分）" if first_i else None,
                     number, f"测评内容第{number}条：按要求开展工作并留存材料，全年不少于{line % 12 + 1}次", 1,
                     METHODS[number % len(METHODS)]],
                    ["restart" if first_c else "continue", "restart" if first_i else "continue", None, None, None, None])
    add(["加分项（最高5分）", None, None, "获得省级以上文明荣誉", "2/项", "查阅资料"], [None] * 6)
    add(["一票否决项", None, None, "发生重大安全责任事故的", None, "征求意见"], [None] * 6)
    document.add_paragraph("说明：得分80分以上为合格。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def bare_read(data: bytes) -> int:
    """python-docx's fastest whole read: the document, then each table's grid of cells built once (`row.cells`
    row by row rebuilds the grid for every row under vertical merges: minutes for 5,000 rows)."""
    document = Document(io.BytesIO(data))
    count = 0
    for table in document.tables:
        for cell in table._cells:
            count += len(cell.text)
    return count


def run() -> list[dict]:
    from wenming.standards.parsing import parse_file

    data = build_document()
    result = parse_file(data, "bench.docx")
    lines = sum(1 for node, _depth in result.walk() if not node.children)
    assert result.ok and lines == LINES + 2, [str(p) for p in result.problems[:5]]
    assert result.meta.get("pass_score") == 80 and result.meta.get("year") == 2021
    baseline = best_of(bare_read, data, repeat=3)
    measured = best_of(lambda d: parse_file(d, "bench.docx"), data, repeat=3)
    return [{"name": f"standards import parse (Word table), {LINES:,} lines", "measured": measured,
             "baseline": baseline, "goal": 2.0, "note": "baseline: python-docx, table._cells once, every cell's text"}]
