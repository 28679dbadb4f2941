"""Issue 16: every file of the corpus (built here, see corpus.py) imports with no hand mapping and the right
figures: total, lines per level, bonus cap, veto lines, pass line, year."""

import pytest

from wenming.standards.parsing import parse_file
from wenming.standards.tests.corpus import cases

CASES = cases()


def test_the_corpus_is_varied_enough():
    names = " ".join(case.name for case in CASES)
    assert len(CASES) >= 15
    assert all(kind in names for kind in ("机关", "窗口", "学校", "医院", "企业"))
    assert all(word in names for word in ("Word", ".xls", "2级", "3级", "分值写在文字里", "两行表头"))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_file_imports_without_a_mapping_and_reports_the_right_figures(case):
    data, filename = case.build()

    result = parse_file(data, filename)

    assert result.ok, [str(p) for p in result.problems] + result.ambiguities
    summary = result.summary()
    assert summary["total_points"] == case.total
    assert [level["count"] for level in summary["levels"]] == case.levels
    assert summary["bonus_cap"] == case.bonus_cap
    assert summary["veto_lines"] == case.veto
    assert result.meta.get("pass_score") == case.pass_line
    assert result.meta.get("year") == case.year
