"""A corpus of 测评体系 files built by the tests (no files checked in), shaped after published standards of several
provinces and kinds of unit: 机关, 窗口, 学校, 医院, 企业; 2 and 3 levels; one points column per level or one in
all; points written inside the text; two-row headers; 评分细则 over two columns; Word tables with merged cells
and section rows; .xls; instruction sheets; the total and the pass line in a closing note.

A case is one standard (`Spec`) drawn in one shape (a grid of cells with merged ranges, and paragraphs above and
below for Word) and written in one format. Each knows the figures a correct import must report.
"""

import io
from dataclasses import dataclass, field
from decimal import Decimal

CN_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class Spec:
    """categories: (title, [(indicator, [(line, points)])]); bonus lines: (title, points per item)."""

    kind: str
    categories: list
    bonus_cap: int = 5
    bonus: list = field(default_factory=lambda: [("获得省级以上文明荣誉", 2), ("创建经验被上级推广", 1)])
    veto: list = field(default_factory=lambda: ["发生严重违纪违法案件的", "发生重大安全责任事故的"])

    def points(self, category) -> Decimal:
        return sum((Decimal(str(p)) for _i, lines in category[1] for _l, p in lines), Decimal(0))

    def indicator_points(self, indicator) -> Decimal:
        return sum((Decimal(str(p)) for _l, p in indicator[1]), Decimal(0))

    @property
    def lines(self) -> int:
        return sum(len(lines) for _c, indicators in self.categories for _i, lines in indicators)

    @property
    def indicators(self) -> int:
        return sum(len(indicators) for _c, indicators in self.categories)


ORGAN = Spec("机关", [
    ("组织领导", [("领导机制", [("成立创建工作领导小组，明确专人负责", 4), ("制定年度创建工作计划", 4),
                           ("党组每年至少2次专题研究精神文明建设", 4)]),
              ("工作保障", [("创建经费列入年度预算", 5), ("落实创建工作专门力量", 3)])]),
    ("思想道德建设", [("理论学习", [("中心组学习每年不少于12次", 10), ("开展干部职工全员培训", 5)]),
                ("道德实践", [("每季度举办道德讲堂", 8), ("推选宣传身边好人", 7)])]),
    ("志愿服务", [("志愿队伍", [("在职人员注册志愿者比例达80%以上", 15), ("开展常态化志愿服务", 10)])]),
    ("文明创建", [("环境秩序", [("办公环境整洁有序", 6), ("公共秩序文明规范", 4)]),
              ("宣传氛围", [("设置公益广告", 9), ("运用网络平台宣传", 6)])]),
])
QUARTER = Spec("窗口", [
    ("优质服务", [("服务规范", [("挂牌上岗", 0.25), ("亮明服务承诺", 0.25), ("首问负责", 0.5), ("一次告知", 9)]),
              ("便民措施", [("设置便民服务台", 10.25), ("提供预约服务", 9.75)])]),
    ("队伍建设", [("业务培训", [("每年开展岗位练兵", 40)]), ("作风建设", [("开展作风整顿", 30)])]),
], bonus_cap=3, bonus=[("受到市级以上表彰", 1)], veto=["发生有效投诉造成恶劣影响的"])


# ---------------------------------------------------------------------------------------------- shapes
@dataclass
class Drawn:
    grid: list[list]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row1, col1, row2, col2), 1-based
    before: list[str] = field(default_factory=list)  # Word paragraphs above the table
    after: list[str] = field(default_factory=list)  # Word paragraphs below the table
    levels: list[int] = field(default_factory=list)


def _fmt(value) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def two_points_columns(spec: Spec, title: str, note: str, *, full_width=True) -> Drawn:
    """2 levels, a points column right of each level (一级 B “８分”, 二级 D “３分”); 评分标准 in E."""
    width = 5
    grid = [[title] + [None] * (width - 1), ["一级指标", "分值", "二级指标", "分值", "评分标准"]]
    merges = [(1, 1, 1, width)]
    conv = (lambda text: text.translate(CN_FULL)) if full_width else (lambda text: text)
    for category in spec.categories:
        start = len(grid) + 1
        lines = [line for _i, indicator_lines in category[1] for line in indicator_lines]
        for index, (line, points) in enumerate(lines):
            grid.append([category[0] if index == 0 else None, conv(f"{_fmt(spec.points(category))}分") if index == 0
                         else None, line, conv(f"{_fmt(points)}分"), "未达到要求的不得分"])
        merges += [(start, 1, len(grid), 1), (start, 2, len(grid), 2)]
    start = len(grid) + 1
    for index, (line, points) in enumerate(spec.bonus):
        grid.append(["加分项" if index == 0 else None, f"最高加{spec.bonus_cap}分" if index == 0 else None, line,
                     f"{points}分/项", None])
    merges += [(start, 1, len(grid), 1), (start, 2, len(grid), 2)]
    start = len(grid) + 1
    for index, line in enumerate(spec.veto):
        grid.append(["一票否决项" if index == 0 else None, None, line, None, "发生即取消参评资格"])
    merges.append((start, 1, len(grid), 1))
    grid.append([note] + [None] * (width - 1))
    levels = [len(spec.categories) + 2, spec.lines + len(spec.bonus) + len(spec.veto)]
    return Drawn(grid, merges, levels=levels)


def three_levels(spec: Spec, title: str, note: str, *, repeat_header=False, bonus_title=None,
                 bonus_points=None) -> Drawn:
    """3 levels, sample-shaped: points in the level titles “（20分）”, a 分值 column for the lines, merges down."""
    header = ["测评项目", "测评指标", "序号", "测评内容及标准", "分值", "测评方法"]
    grid = [[title] + [None] * 5, header]
    merges = [(1, 1, 1, 6)]
    number = 0
    for category in spec.categories:
        category_start = len(grid) + 1
        for i_index, indicator in enumerate(category[1]):
            indicator_start = len(grid) + 1
            for l_index, (line, points) in enumerate(indicator[1]):
                number += 1
                grid.append([f"{category[0]}（{_fmt(spec.points(category))}分）" if i_index == 0 and l_index == 0 else None,
                             f"{indicator[0]}（{_fmt(spec.indicator_points(indicator))}分）" if l_index == 0 else None,
                             number, line, points, "查阅资料、实地考察"])
            merges.append((indicator_start, 2, len(grid), 2))
        merges.append((category_start, 1, len(grid), 1))
        if repeat_header and category is spec.categories[0]:
            grid.append([None] * 6)
            grid.append(list(header))
    start = len(grid) + 1
    for index, (line, points) in enumerate(spec.bonus):
        grid.append([(bonus_title or f"加分项（最高{spec.bonus_cap}分）") if index == 0 else None, None, None, line,
                     (bonus_points or "{}/项").format(points), "查阅资料"])
    merges.append((start, 1, len(grid), 1))
    start = len(grid) + 1
    for index, line in enumerate(spec.veto):
        grid.append(["一票否决项" if index == 0 else None, None, None, line, None, "征求意见"])
    merges.append((start, 1, len(grid), 1))
    grid.append([note] + [None] * 5)
    levels = [len(spec.categories) + 2, spec.indicators + len(spec.bonus) + len(spec.veto), spec.lines]
    return Drawn(grid, merges, levels=levels)


def points_in_text(spec: Spec, title: str, note: str) -> Drawn:
    """2 levels and no points column: “组织领导（20分）”, “成立领导小组（4分）”, “每项加2分”."""
    grid = [[title, None, None], ["项目", "测评内容", "测评方法"]]
    merges = [(1, 1, 1, 3)]
    for category in spec.categories:
        start = len(grid) + 1
        lines = [line for _i, indicator_lines in category[1] for line in indicator_lines]
        for index, (line, points) in enumerate(lines):
            grid.append([f"{category[0]}（{_fmt(spec.points(category))}分）" if index == 0 else None,
                         f"{line}（{_fmt(points)}分）", "查阅资料"])
        merges.append((start, 1, len(grid), 1))
    start = len(grid) + 1
    for index, (line, points) in enumerate(spec.bonus):
        grid.append([f"加分项（最高加{spec.bonus_cap}分）" if index == 0 else None, f"{line}，每项加{points}分", "查阅资料"])
    merges.append((start, 1, len(grid), 1))
    start = len(grid) + 1
    for index, line in enumerate(spec.veto):
        grid.append(["一票否决项" if index == 0 else None, line, "征求意见"])
    merges.append((start, 1, len(grid), 1))
    grid.append([note, None, None])
    return Drawn(grid, merges, levels=[len(spec.categories) + 2, spec.lines + len(spec.bonus) + len(spec.veto)])


def two_row_header(spec: Spec, title: str, note: str) -> Drawn:
    """A header on two rows: 评分细则 over 标准要求 | 扣分办法; the other headers merged down over both rows."""
    grid = [[title] + [None] * 4, ["一级指标", "二级指标", "评分细则", None, "分值"],
            [None, None, "标准要求", "扣分办法", None]]
    merges = [(1, 1, 1, 5), (2, 1, 3, 1), (2, 2, 3, 2), (2, 3, 2, 4), (2, 5, 3, 5)]
    for category in spec.categories:
        start = len(grid) + 1
        lines = [line for _i, indicator_lines in category[1] for line in indicator_lines]
        for index, (line, points) in enumerate(lines):
            grid.append([f"{category[0]}（{_fmt(spec.points(category))}分）" if index == 0 else None, line,
                         "资料齐全、记录完整", "缺一项扣0.5分", points])
        merges.append((start, 1, len(grid), 1))
    start = len(grid) + 1
    for index, (line, points) in enumerate(spec.bonus):
        grid.append([f"加分项（最高加{spec.bonus_cap}分）" if index == 0 else None, line, None, None, f"{points}分/项"])
    merges.append((start, 1, len(grid), 1))
    start = len(grid) + 1
    for index, line in enumerate(spec.veto):
        grid.append(["一票否决项" if index == 0 else None, line, None, None, None])
    merges.append((start, 1, len(grid), 1))
    grid.append([note] + [None] * 4)
    return Drawn(grid, merges, levels=[len(spec.categories) + 2, spec.lines + len(spec.bonus) + len(spec.veto)])


def section_rows(spec: Spec, title: str, note: str, *, in_word=True) -> Drawn:
    """One content column; each category a row of its own spanning the table (“一、组织领导（20分）”)."""
    ordinals = "一二三四五六七八九十"
    grid = [["序号", "测评内容", "分值", "测评方法"]]
    merges = []
    number = 0
    sections = [(f"{category[0]}（{_fmt(spec.points(category))}分）",
                 [(line, points) for _i, lines in category[1] for line, points in lines]) for category in spec.categories]
    sections.append((f"加分项（最高加{spec.bonus_cap}分）", [(line, f"{points}分/项") for line, points in spec.bonus]))
    sections.append(("一票否决项", [(line, None) for line in spec.veto]))
    for index, (section, lines) in enumerate(sections):
        grid.append([f"{ordinals[index]}、{section}", None, None, None])
        merges.append((len(grid), 1, len(grid), 4))
        for line, points in lines:
            number += 1
            grid.append([number, line, points, "查阅资料"])
    drawn = Drawn(grid, merges, levels=[len(sections), spec.lines + len(spec.bonus) + len(spec.veto)])
    if in_word:
        drawn.before, drawn.after = ["附件1", title], [note]
    else:
        drawn.grid = [[title, None, None, None]] + grid + [[note, None, None, None]]
        drawn.merges = [(1, 1, 1, 4)] + [(r + 1, c, r2 + 1, c2) for r, c, r2, c2 in merges]
    return drawn


def as_word(drawn: Drawn) -> Drawn:
    """The same table in a Word document: the title row and the note become paragraphs above and below."""
    grid, merges = [list(row) for row in drawn.grid], list(drawn.merges)
    title, note = grid[0][0], grid[-1][0]
    grid = grid[1:-1]
    merges = [(r - 1, c, r2 - 1, c2) for r, c, r2, c2 in merges if r != 1 and r <= len(grid) + 1]
    return Drawn(grid, merges, before=["附件", title], after=[note], levels=drawn.levels)


# ---------------------------------------------------------------------------------------------- writers
def _inside(merges, row, col) -> bool:
    return any(r1 <= row <= r2 and c1 <= col <= c2 and (row, col) != (r1, c1) for r1, c1, r2, c2 in merges)


def write_xlsx(drawn: Drawn, *, sheet="测评细则", instructions=False) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    if instructions:
        first.title = "填表说明"
        first.append(["填表说明"])
        first.append(["1. 本表由各单位对照填写，分值以本表为准。"])
        first.append(["2. 测评方法包括查阅资料、实地考察、问卷调查等。"])
        sheet_obj = workbook.create_sheet(sheet)
    else:
        sheet_obj = first
        sheet_obj.title = sheet
    for r, row in enumerate(drawn.grid, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and not _inside(drawn.merges, r, c):
                sheet_obj.cell(row=r, column=c, value=value)
    for r1, c1, r2, c2 in drawn.merges:
        sheet_obj.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xls(drawn: Drawn, *, sheet="测评细则") -> bytes:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet_obj = workbook.add_sheet(sheet)
    for r, row in enumerate(drawn.grid, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and not _inside(drawn.merges, r, c) and not any(
                    (r, c) == (r1, c1) for r1, c1, _r2, _c2 in drawn.merges):
                sheet_obj.write(r - 1, c - 1, value)
    for r1, c1, r2, c2 in drawn.merges:
        value = drawn.grid[r1 - 1][c1 - 1] if c1 - 1 < len(drawn.grid[r1 - 1]) else None
        sheet_obj.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, value if value is not None else "")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_docx(drawn: Drawn, *, extra_table_first=False, body: list[str] | None = None) -> bytes:
    from docx import Document

    document = Document()
    for text in body or []:
        document.add_paragraph(text)
    if extra_table_first:
        document.add_paragraph("领导小组成员名单")
        roster = document.add_table(rows=3, cols=3)
        for r, row in enumerate([["姓名", "职务", "职责"], ["张某", "院长", "组长"], ["李某", "副院长", "副组长"]]):
            for c, value in enumerate(row):
                roster.cell(r, c).text = value
    for text in drawn.before:
        document.add_paragraph(text)
    width = max(len(row) for row in drawn.grid)
    table = document.add_table(rows=len(drawn.grid), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(drawn.grid, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and not _inside(drawn.merges, r, c):
                table.cell(r - 1, c - 1).text = str(value)
    for r1, c1, r2, c2 in drawn.merges:
        table.cell(r1 - 1, c1 - 1).merge(table.cell(r2 - 1, c2 - 1))
    for text in drawn.after:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- the corpus
@dataclass
class Case:
    name: str
    build: object  # () -> (bytes, filename)
    levels: list[int]
    total: Decimal = Decimal(100)
    bonus_cap: Decimal = Decimal(5)
    veto: int = 2
    pass_line: Decimal | None = None
    year: int | None = None


def _case(name, drawn: Drawn, writer, filename, *, spec=ORGAN, pass_line=None, year=None, **options):
    return Case(name, lambda: (writer(drawn, **options), filename), drawn.levels, bonus_cap=Decimal(spec.bonus_cap),
                veto=len(spec.veto), pass_line=Decimal(pass_line) if pass_line is not None else None, year=year)


def cases() -> list[Case]:
    organ_title = "某市二〇二一年度文明机关测评体系"
    return [
        _case("机关 2级 每级一个分值列（全角）", two_points_columns(ORGAN, organ_title, "总分100分，80分以上为合格"),
              write_xlsx, "机关.xlsx", pass_line=80, year=2021),
        _case("机关 2级 每级一个分值列 .xls", two_points_columns(ORGAN, "某省2022年文明机关测评细则", "总分100分，85分以上为合格",
                                                    full_width=False), write_xls, "机关.xls", pass_line=85, year=2022),
        _case("窗口 3级 标题中的分值", three_levels(ORGAN, "某市2023年文明窗口测评细则", "说明：满分100分，85分及以上为达标。"),
              write_xlsx, "窗口.xlsx", pass_line=85, year=2023),
        _case("窗口 3级 0.25分", three_levels(QUARTER, "某市二〇二四年文明服务窗口测评细则", "注：合格线为90分。"),
              write_xlsx, "窗口0.25.xlsx", spec=QUARTER, pass_line=90, year=2024),
        _case("学校 2级 分值写在文字里", points_in_text(ORGAN, "某区2022年文明校园测评细则", "总分100分，80分（含）以上为合格"),
              write_xlsx, "学校.xlsx", pass_line=80, year=2022),
        _case("学校 2级 分值写在文字里 Word", as_word(points_in_text(ORGAN, "某区文明校园测评标准（二〇二二年版）",
                                                          "本标准满分100分，得分80分及以上为合格。")),
              write_docx, "学校.docx", pass_line=80, year=2022),
        _case("医院 3级 Word 合并单元格", as_word(three_levels(ORGAN, "某省2023年度文明医院测评细则", "总分100分，90分以上为合格。")),
              write_docx, "医院.docx", pass_line=90, year=2023),
        _case("医院 3级 .xls 合并单元格", three_levels(ORGAN, "某市2024年文明医院测评细则", "合格线为85分"),
              write_xls, "医院.xls", pass_line=85, year=2024),
        _case("企业 两行表头 评分细则分两列", two_row_header(ORGAN, "某市2021年文明企业测评体系", "总分100分，80分以上为合格"),
              write_xlsx, "企业.xlsx", pass_line=80, year=2021),
        _case("企业 两行表头 .xls", two_row_header(ORGAN, "某市2022年文明企业测评体系", "注：总分100分，75分以上为达标"),
              write_xls, "企业.xls", pass_line=75, year=2022),
        _case("机关 Word 分节行", section_rows(ORGAN, "某市二〇二一年度市级文明单位（机关）测评细则", "总分100分，80分以上为合格"),
              write_docx, "分节.docx", pass_line=80, year=2021),
        _case("机关 Excel 分节行", section_rows(ORGAN, "某市2023年文明单位测评细则", "满分100分，85分以上为合格", in_word=False),
              write_xlsx, "分节.xlsx", pass_line=85, year=2023),
        _case("实施方案中的两个表格 Word", as_word(two_points_columns(ORGAN, "某市文明单位测评体系（2021年）",
                                                             "总分100分，80分以上为合格")),
              write_docx, "实施方案.docx", pass_line=80, year=2021, extra_table_first=True,
              body=["某某市法院创建市级精神文明单位工作实施方案", "一、指导思想……"]),
        _case("窗口 填表说明页在前", three_levels(ORGAN, "某市2022年文明窗口测评细则", "总分100分，80分以上为合格"),
              write_xlsx, "说明页.xlsx", pass_line=80, year=2022, instructions=True),
        _case("企业 分页重复表头", three_levels(ORGAN, "某市2021年文明企业测评细则", "总分100分，80分以上为合格", repeat_header=True),
              write_xlsx, "重复表头.xlsx", pass_line=80, year=2021),
        _case("学校 “加分项：最高加5分”与“每项1分”", three_levels(
            ORGAN, "某市2022年文明校园测评细则", "总分100分，85分以上为合格", bonus_title="加分项：最高加5分",
            bonus_points="每项{}分"), write_xlsx, "每项.xlsx", pass_line=85, year=2022),
        _case("机关 2级 每级一个分值列 Word", as_word(two_points_columns(ORGAN, "某市二〇二一年度文明机关测评体系",
                                                              "总分100分，80分以上为合格")),
              write_docx, "机关.docx", pass_line=80, year=2021),
    ]
