"""The 测评表 arithmetic: every rule kind, then invariants checked by hypothesis over random sheets."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wenming.assessments.scoring import (
    BONUS,
    DEDUCTION,
    SCORED,
    VETO,
    Category,
    Entry,
    GradeScale,
    Line,
    Sheet,
    compute,
    deduct_each_from,
    sheet_from_nodes,
    step_of,
    tenth,
)

D = Decimal


def sheet(*lines, categories=(), pass_score=None, **options):
    return Sheet(lines=tuple(lines), categories=tuple(categories),
                 pass_score=D(pass_score) if pass_score is not None else None, **options)


def test_points_are_kept_to_a_tenth_half_up():
    result = compute(sheet(Line(1, "I", points=D("2"))), {1: Entry(points=D("1.25"))})
    assert result.lines[1].earned == D("1.3")
    assert tenth("4.25") == D("4.3")


def test_a_scored_line_never_exceeds_its_points_and_never_goes_negative():
    s = sheet(Line(1, "I", points=D("2")), Line(2, "I", points=D("3")))
    result = compute(s, {1: Entry(points=D("5")), 2: Entry(points=D("-1"))})
    assert result.lines[1].earned == D("2.0") and result.lines[1].clamped
    assert result.lines[2].earned == D("0.0") and result.lines[2].clamped


def test_grades_are_worth_their_percentage_of_the_line():
    s = sheet(*(Line(k, "I", points=D("3")) for k in "ABCD"))
    result = compute(s, {k: Entry(grade=k) for k in "ABCD"})
    assert [result.lines[k].earned for k in "ABCD"] == [D("3.0"), D("2.0"), D("1.0"), D("0.0")]


def test_grade_scale_is_configurable():
    scale = GradeScale.from_mapping({"A": 100, "B": 80, "C": 60, "D": 0})
    result = compute(sheet(Line(1, "I", points=D("2.5")), scale=scale), {1: Entry(grade="b")})
    assert result.lines[1].earned == D("2.0")
    with pytest.raises(ValueError):
        GradeScale.from_mapping({"A": 120})


def test_deductions_stop_at_zero():
    line = Line(1, "I", kind=DEDUCTION, points=D("1.5"), deduct_each=D("0.5"))
    assert compute(sheet(line), {1: Entry(count=1)}).lines[1].earned == D("1.0")
    assert compute(sheet(line), {1: Entry(count=9)}).lines[1].earned == D("0.0")
    assert compute(sheet(line), {1: Entry(count=0)}).lines[1].earned == D("1.5")


def test_the_deduction_per_item_is_read_from_the_rule():
    assert deduct_each_from("每缺一项扣0.5分，扣完为止") == D("0.5")
    assert deduct_each_from("每少1篇扣0.2分，扣完为止") == D("0.2")
    assert deduct_each_from("每缺一次扣半分") == D("0.5")
    assert deduct_each_from("酌情扣分") is None
    assert deduct_each_from("少一次扣1.25分") == D("1.25"), "was rounded to 1.3"


def test_a_standard_counting_in_hundredths_keeps_hundredths():
    nodes = [SimpleNamespace(id=1, parent_id=None, kind=SCORED, points=None, per_item=False, bonus_cap=None,
                             scoring="", code="I", title="组织领导", content="", is_local=False),
             SimpleNamespace(id=2, parent_id=1, kind=SCORED, points=D("5"), per_item=False, bonus_cap=None,
                             scoring="少一次扣1.25分", code="I-1", title="会议", content="", is_local=False),
             SimpleNamespace(id=3, parent_id=1, kind=DEDUCTION, points=D("5"), per_item=False, bonus_cap=None,
                             scoring="少一次扣1.25分，扣完为止", code="I-2", title="学习", content="", is_local=False)]
    built = sheet_from_nodes(nodes)
    assert built.step == D("0.01")
    result = compute(built, {2: Entry(points=D("3.75")), 3: Entry(count=1)})
    assert result.lines[2].earned == D("3.75") and result.lines[3].earned == D("3.75")
    assert result.total == D("7.50")
    tenths = sheet_from_nodes([SimpleNamespace(**{**vars(node), "scoring": "每缺一项扣0.5分"}) for node in nodes])
    assert tenths.step == D("0.1"), "a standard in tenths keeps tenths"
    assert step_of([D("0.125")]) == D("0.01"), "never finer than 0.01"


def test_bonus_lines_are_capped_by_line_and_section_and_stay_outside_the_base():
    lines = (Line(1, "I", points=D("10")),
             Line(2, "B", kind=BONUS, points=D("2"), per_item=True),
             Line(3, "B", kind=BONUS, points=D("1"), per_item=True, cap=D("1.5")))
    s = sheet(*lines, categories=[Category("I"), Category("B", bonus_cap=D("3"))])
    result = compute(s, {1: Entry(points=D("8")), 2: Entry(count=2), 3: Entry(count=4)})
    assert result.lines[2].earned == D("3.0")  # 4 points of items, the section's cap is 3
    assert result.lines[3].earned == D("1.5")
    assert result.bonus == D("3.0") and result.bonus_maximum == D("3.0")
    assert result.base == D("8.0") and result.total == D("11.0")
    assert result.full_maximum == D("10.0")


def test_a_sheet_wide_bonus_cap_limits_all_bonus_together():
    lines = (Line(1, "B1", kind=BONUS, points=D("3")), Line(2, "B2", kind=BONUS, points=D("3")))
    result = compute(sheet(*lines, bonus_cap=D("4")), {1: Entry(points=D("3")), 2: Entry(points=D("3"))})
    assert result.bonus == D("4.0")


def test_a_veto_fails_whatever_the_total():
    lines = (Line(1, "I", points=D("100")), Line(2, "V", kind=VETO))
    result = compute(sheet(*lines, pass_score=80), {1: Entry(points=D("100")), 2: Entry(triggered=True)})
    assert result.total == D("100.0")
    assert result.vetoed and result.veto_keys == (2,)
    assert result.passed is False


def test_pass_and_fail_against_the_pass_score():
    lines = (Line(1, "I", points=D("60")), Line(2, "II", points=D("40")))
    assert compute(sheet(*lines, pass_score=80), {1: Entry(points=D("50")), 2: Entry(points=D("30"))}).passed
    assert not compute(sheet(*lines, pass_score=80), {1: Entry(points=D("50")), 2: Entry(points=D("29.9"))}).passed
    assert compute(sheet(*lines), {}).passed is None


def test_not_applicable_lines_are_rescaled_when_allowed():
    lines = (Line(1, "I", points=D("50")), Line(2, "I", points=D("30")), Line(3, "II", points=D("20")))
    entries = {1: Entry(points=D("40")), 2: Entry(points=D("24")), 3: Entry(not_applicable=True)}
    result = compute(sheet(*lines), entries)
    assert result.applicable_maximum == D("80.0") and result.earned == D("64.0")
    assert result.rescaled and result.base == D("80.0")  # 64 of 80 → 80 of 100
    strict = compute(sheet(*lines, allow_not_applicable=False), entries)
    assert not strict.rescaled and strict.base == D("64.0") and strict.lines[3].earned is None


def test_category_subtotals_and_progress():
    lines = (Line(1, "I", points=D("4")), Line(2, "I", points=D("6")), Line(3, "II", points=D("5")))
    result = compute(sheet(*lines, categories=[Category("I", "组织领导", "I-1"), Category("II", "文明实践")]),
                     {1: Entry(points=D("3.5")), 2: Entry(grade="A")})
    first, second = result.categories
    assert (first.title, first.earned, first.maximum, first.scored, first.lines) == ("组织领导", D("9.5"), D("10.0"), 2, 2)
    assert (second.earned, second.scored) == (D("0.0"), 0)
    assert (result.scored, result.to_score, result.complete) == (2, 3, False)


def test_sheet_from_standard_nodes_takes_leaves_as_lines():
    def node(id, parent, kind=SCORED, points=None, per_item=False, cap=None, scoring="", local=False):
        return SimpleNamespace(id=id, parent_id=parent, kind=kind, points=points, per_item=per_item,
                               bonus_cap=cap, scoring=scoring, code=str(id), title=f"第{id}项", is_local=local)

    nodes = [node(1, None, points=D("3")), node(2, 1, points=D("1")),
             node(3, 1, kind=DEDUCTION, points=D("2"), scoring="每缺一项扣0.5分，扣完为止"),
             node(4, 2, points=D("0.5"), local=True),  # a local refinement: guidance, not a line
             node(5, None, kind=BONUS, cap=D("5")), node(6, 5, kind=BONUS, points=D("2"), per_item=True),
             node(7, None, kind=VETO), node(8, 7, kind=VETO)]
    s = sheet_from_nodes(nodes, pass_score=80)
    assert [line.key for line in s.lines] == [2, 3, 6, 8]
    assert s.lines[1].deduct_each == D("0.5")
    assert [c.key for c in s.categories] == [1, 5, 7] and s.categories[1].bonus_cap == D("5")
    result = compute(s, {6: Entry(count=4)})
    assert result.bonus == D("5.0") and result.full_maximum == D("3.0")


# ------------------------------------------------------------------------------------------------ invariants
points_st = st.decimals(min_value=D("0.1"), max_value=D("20"), places=1, allow_nan=False, allow_infinity=False)
entered_st = st.decimals(min_value=D("-50"), max_value=D("80"), places=2, allow_nan=False, allow_infinity=False)


@st.composite
def lines_and_entries(draw):
    lines, entries = [], {}
    for key in range(draw(st.integers(min_value=1, max_value=14))):
        kind = draw(st.sampled_from([SCORED, SCORED, DEDUCTION, BONUS, VETO]))
        category = draw(st.sampled_from(["I", "II", "B", "V"]))
        per_item = kind == BONUS and draw(st.booleans())
        lines.append(Line(key, category, kind=kind, points=None if kind == VETO else draw(points_st),
                          per_item=per_item, cap=draw(st.none() | points_st) if kind == BONUS else None,
                          deduct_each=draw(st.none() | points_st) if kind == DEDUCTION else None))
        entries[key] = Entry(points=draw(st.none() | entered_st), grade=draw(st.sampled_from(["", "A", "B", "C", "D"])),
                             count=draw(st.none() | st.integers(min_value=-3, max_value=40)),
                             triggered=draw(st.booleans()) if kind == VETO else False,
                             not_applicable=draw(st.booleans()))
    categories = [Category("I"), Category("II"), Category("B", bonus_cap=draw(st.none() | points_st)), Category("V")]
    options = {"allow_not_applicable": draw(st.booleans()), "bonus_cap": draw(st.none() | points_st),
               "pass_score": draw(st.none() | points_st)}
    return Sheet(lines=tuple(lines), categories=tuple(categories), **options), entries


@settings(max_examples=300, deadline=None)
@given(lines_and_entries())
def test_invariants_hold_for_any_sheet(case):
    s, entries = case
    result = compute(s, entries)
    for line in s.lines:
        line_result = result.lines[line.key]
        assert line_result.earned is None or D(0) <= line_result.earned <= line_result.maximum
    assert D(0) <= result.base <= result.full_maximum
    assert D(0) <= result.bonus <= result.bonus_maximum
    assert result.total <= result.maximum and result.total >= 0
    for category in result.categories:
        assert D(0) <= category.earned
        if category.is_bonus:
            assert category.earned <= category.maximum
    if s.bonus_cap is not None:
        assert result.bonus <= s.bonus_cap
    section_cap = s.categories[2].bonus_cap
    if section_cap is not None and result.categories[2].is_bonus:
        assert result.categories[2].earned <= section_cap
    if any(entries[line.key].triggered for line in s.lines if line.kind == VETO):
        assert result.vetoed and result.passed is False


@settings(max_examples=150, deadline=None)
@given(lines_and_entries())
def test_not_applicable_rescaling_never_exceeds_the_full_total(case):
    s, entries = case
    result = compute(s, entries)
    if result.rescaled:
        assert result.applicable_maximum < result.full_maximum
        assert result.base <= result.full_maximum
    # Marking every line not applicable earns nothing rather than a free full score.
    none_apply = compute(s, {key: Entry(not_applicable=True) for key in entries})
    assert none_apply.base == D(0) or not s.allow_not_applicable
