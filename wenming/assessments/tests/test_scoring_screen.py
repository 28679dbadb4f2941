"""The scoring sheet: per-line saves with the line's version, conflicts shown not lost, clear messages, live totals,
the API's 409, and the exports."""

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from wenming.assessments import services
from wenming.assessments.models import Assessment, Score
from wenming.assessments.tests.conftest import line, score, self_check
from wenming.audit.models import AuditEvent
from wenming.core.errors import ConcurrentEditError


@pytest.fixture
def own(cast, campaign):
    return self_check(cast, campaign, team=[cast["liaison_a"]])


def save(client, assessment, criterion, **data):
    return client.post(reverse("assessments:line", args=[assessment.pk, criterion.pk]), data, HTTP_HX_REQUEST="true")


def test_a_line_saves_itself_and_the_totals_come_back(cast, campaign, own, client_for):
    response = save(client_for(cast["office"]), own, line(campaign, "3"), points="1.5", note="纪要1份", version=0)
    body = response.content.decode()
    assert response.status_code == 200
    assert "已保存" in body and "得 1.5 分" in body
    assert 'id="version-' in body and 'value="1"' in body, "the line's new version, out of band"
    assert 'id="sheet-totals"' in body and "1.5 / 10.0 分" in body
    saved = Score.objects.get(assessment=own)
    assert (saved.points, saved.note, saved.version, saved.scored_by) == (Decimal("1.5"), "纪要1份", 1, cast["office"])
    assert AuditEvent.objects.filter(verb="assessments.scored", object_id=str(saved.pk)).exists()
    own.refresh_from_db()
    assert own.status == Assessment.Status.IN_PROGRESS


def test_two_people_on_different_lines_both_save(cast, campaign, own, client_for):
    assert save(client_for(cast["office"]), own, line(campaign, "1"), points="1", version=0).status_code == 200
    assert save(client_for(cast["liaison_a"]), own, line(campaign, "2"), points="0.5", version=0).status_code == 200
    assert Score.objects.filter(assessment=own).count() == 2


def test_same_line_conflict_shows_the_other_value_and_loses_nothing(cast, campaign, own, client_for):
    criterion = line(campaign, "3")
    save(client_for(cast["liaison_a"]), own, criterion, points="2", version=0)
    mine = client_for(cast["office"])
    response = save(mine, own, criterion, points="1", version=0)
    body = response.content.decode()
    assert response.status_code == 409
    assert "联络员甲 已于" in body and "<strong>2.0 分</strong>" in body
    assert "采用对方的" in body and "用我的覆盖" in body and 'hx-vals=\'{"version": "1"}\'' in body
    assert 'id="version-' not in body, "later automatic saves keep the stale version and clash again"
    assert Score.objects.get(assessment=own).points == 2, "the first save stands"
    # Keeping mine is a deliberate second save with the version the conflict handed back.
    assert save(mine, own, criterion, points="1", version=1).status_code == 200
    assert Score.objects.get(assessment=own).points == 1


def test_bad_input_names_the_line(cast, campaign, own, client_for):
    client = client_for(cast["office"])
    response = save(client, own, line(campaign, "1"), points="3", version=0)
    assert response.status_code == 400
    assert "测评项 1：得分不能超过该项分值 1.0 分" in response.content.decode()
    assert "不是数字" in save(client, own, line(campaign, "1"), points="abc", version=0).content.decode()
    assert "0.1分" in save(client, own, line(campaign, "1"), points="0.25", version=0).content.decode()
    assert not Score.objects.exists()


def test_a_line_is_named_by_its_code_never_its_database_id(cast, campaign, own):
    criterion = line(campaign, "3")
    with pytest.raises(ValidationError) as caught:
        services.score_save(actor=cast["office"], assessment=own, criterion=criterion, values={"points": "99"})
    assert "测评项 3：" in caught.value.messages[0] and f"第 {criterion.pk} 项" not in caught.value.messages[0]


def test_a_huge_score_gets_a_message_not_a_server_error(cast, campaign, own, client_for):
    client = client_for(cast["office"])
    for typed in ("1e400", "-1e400", "9" * 60, "NaN", "Infinity"):
        response = save(client, own, line(campaign, "1"), points=typed, version=0)
        assert response.status_code == 400, typed
        assert "测评项 1：" in response.content.decode()
    assert not Score.objects.exists()


def test_the_standards_own_hundredths_are_accepted(cast, campaign, own, client_for):
    """A rule "少一次扣1.25分" counts in hundredths: 3.75 is a score the standard itself produces."""
    from wenming.standards.models import Criterion

    criterion = line(campaign, "9")
    Criterion.objects.filter(pk=criterion.pk).update(scoring="少一次扣1.25分")
    client = client_for(cast["office"])
    page = client.get(reverse("assessments:detail", args=[own.pk])).content.decode()
    assert 'step="0.01"' in page
    assert save(client, own, criterion, points="3.75", version=0).status_code == 200
    saved = Score.objects.get(assessment=own, criterion=criterion)
    assert saved.points == Decimal("3.75")
    from wenming.assessments.selectors import totals_for

    assert totals_for(own).lines[criterion.pk].earned == Decimal("3.75")
    assert "0.01分" in save(client, own, criterion, points="3.755", version=1).content.decode()
    assert 'value="3.75"' in client.get(reverse("assessments:detail", args=[own.pk])).content.decode()


def test_deductions_grades_and_veto_through_the_service(cast, campaign, own):
    deduction = line(campaign, "7")  # 每少一篇扣0.2分，扣完为止 (2 points)
    assert deduction.kind == "deduction"
    services.score_save(actor=cast["office"], assessment=own, criterion=deduction, values={"missing": 3})
    services.score_save(actor=cast["office"], assessment=own, criterion=line(campaign, "9"), values={"grade": "B"})
    veto = campaign.standard.criteria.filter(kind="veto", children__isnull=True).first()
    services.score_save(actor=cast["office"], assessment=own, criterion=veto, values={"triggered": True})
    from wenming.assessments.selectors import totals_for

    result = totals_for(own)
    assert result.lines[deduction.pk].earned == Decimal("1.4")
    assert result.lines[line(campaign, "9").pk].earned == Decimal("26.4")
    assert result.vetoed and result.passed is False


def test_a_submitted_assessment_refuses_scores(cast, campaign, own):
    services.assessment_transition(actor=cast["office"], assessment=own, to="submitted")
    with pytest.raises(Exception, match="已提交或锁定"):
        score(cast, own, "1", "1")


def test_the_service_raises_a_conflict_with_the_saved_line(cast, campaign, own):
    first = score(cast, own, "1", "1")
    with pytest.raises(ConcurrentEditError) as caught:
        services.score_save(actor=cast["liaison_a"], assessment=own, criterion=line(campaign, "1"),
                            values={"points": "0.5"}, expected_version=0)
    assert caught.value.current.pk == first.pk


def test_api_patch_with_a_stale_version_answers_409(cast, campaign, own, client_for):
    saved = score(cast, own, "1", "1")
    client = client_for(cast["office"])
    url = reverse("assessment-score-detail", args=[saved.pk])
    fresh = client.patch(url, json.dumps({"points": "0.5", "version": 1}), content_type="application/json")
    assert fresh.status_code == 200 and fresh.json()["version"] == 2
    stale = client.patch(url, json.dumps({"points": "0.8", "version": 1}), content_type="application/json")
    assert stale.status_code == 409
    assert Score.objects.get(pk=saved.pk).points == Decimal("0.5")


def test_exports_hold_every_line_the_totals_and_chinese_fonts(cast, campaign, own, client_for):
    score(cast, own, "1", "1", note="文件齐全")
    client = client_for(cast["office"])
    workbook = load_workbook(io.BytesIO(client.get(reverse("assessments:export_xlsx", args=[own.pk])).content))
    rows = [[cell for cell in row] for row in workbook.active.iter_rows(values_only=True)]
    assert ["1", "成立创建工作领导小组，明确专人负责", None, 1, 1, "文件齐全"] in [list(r) for r in rows]
    assert any(r[1] == "总分" and r[4] == 1.0 for r in rows)
    response = client.get(reverse("assessments:export_docx", args=[own.pk]))
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "测评表" in text and "总分 1.0 分" in text
    fonts = {run.element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
             for p in document.paragraphs for run in p.runs}
    assert {"仿宋", "黑体"} <= fonts
    assert document.tables[0].rows[0].cells[1].text == "测评内容"
