from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wenming.audit.models import AuditEvent
from wenming.surveys import services
from wenming.surveys.models import Answer, Response, Survey
from wenming.surveys.selectors import questions_of, survey_results
from wenming.surveys.tests.conftest import make_survey, satisfied_answers, submit


def test_a_template_brings_its_questions_texts_and_sampling_points(cast, survey):
    questions = questions_of(survey)
    assert len(questions) == 10
    assert sum(1 for q in questions if q.counts) == 8
    assert survey.welcome and survey.thanks
    assert [p.name for p in survey.points.all()] == ["诉讼服务中心窗口", "立案大厅", "企业微信/钉钉群链接"]
    assert AuditEvent.objects.filter(verb="surveys.created").exists()


def test_results_count_answers_and_compute_the_satisfaction_rate(cast, survey):
    for n in range(3):
        submit(survey, device=f"d{n}", address=f"a{n}")
    last_key = questions_of(survey)[0].key
    submit(survey, device="d9", address="a9", raw=satisfied_answers(survey, "不满意", **{last_key: ["基本满意"]}))
    results = survey_results(survey=survey)
    assert results.sample == 4
    # 3 people × 8 counted questions satisfied, the fourth satisfied on one question only
    assert (results.good, results.total) == (25, 32)
    assert results.rate == Decimal("78.1")
    first = results.questions[0]
    assert first.rows[0][:3] == ("满意", 3, Decimal("75.0"))
    assert first.rows[1][:2] == ("基本满意", 1)
    assert results.proposal_points == Decimal("1.6")  # 78.1% × 2 points


def test_one_device_answers_once(cast, survey):
    submit(survey, device="phone-1")
    with pytest.raises(ValidationError, match="这台设备已经提交过"):
        submit(survey, device="phone-1", address="elsewhere")
    assert Response.objects.filter(survey=survey).count() == 1


def test_too_many_answers_from_one_address_are_refused(cast, survey, settings):
    settings.WENMING_SURVEY_ANSWERS_PER_ADDRESS_HOUR = 2
    submit(survey, device="p1", address="same")
    submit(survey, device="p2", address="same", raw=satisfied_answers(survey, "基本满意"))
    with pytest.raises(ValidationError, match="过于频繁"):
        submit(survey, device="p3", address="same")


def test_flags_mark_fast_straight_and_duplicate_answers_but_keep_them(cast):
    survey = make_survey(cast, min_seconds=30)
    first = submit(survey, device="p1", address="x", seconds=5)
    second = submit(survey, device="p2", address="x", seconds=90)
    assert set(first.flags) == {"too_fast", "straight"}
    assert set(second.flags) == {"straight", "duplicate"}
    assert survey_results(survey=survey).sample == 2


def test_excluding_an_answer_needs_a_reason_is_audited_and_leaves_the_results(cast, survey):
    kept = submit(survey, device="p1", address="a")
    dropped = submit(survey, device="p2", address="b", raw=satisfied_answers(survey, "不满意"))
    with pytest.raises(ValidationError, match="须填写原因"):
        services.response_exclude(actor=cast["office"], response=dropped, excluded=True)
    services.response_exclude(actor=cast["office"], response=dropped, excluded=True, reason="同一人重复填写")
    results = survey_results(survey=survey)
    assert results.sample == 1 and results.rate == Decimal("100.0")
    assert not Answer.objects.filter(response=dropped, counted=True).exists()
    assert Answer.objects.filter(response=kept, counted=True).exists()
    event = AuditEvent.objects.get(verb="surveys.response_excluded")
    assert event.after["reason"] == "同一人重复填写"


def test_phone_numbers_are_stored_masked_and_bad_ones_name_the_question(cast, survey):
    phone = [q for q in questions_of(survey) if q.kind == "phone"][0]
    with pytest.raises(ValidationError) as error:
        submit(survey, device="p0", raw=satisfied_answers(survey, **{phone.key: ["12345"]}))
    assert "第 10 题" in str(error.value)
    response = submit(survey, device="p1", raw=satisfied_answers(survey, **{phone.key: ["138 0013 8000"]}))
    assert Answer.objects.get(response=response, key=phone.key).text == "138****8000"


def test_a_required_question_left_empty_is_refused_naming_it_and_nothing_is_saved(cast, survey):
    raw = satisfied_answers(survey)
    raw.pop(questions_of(survey)[2].key)
    with pytest.raises(ValidationError) as error:
        submit(survey, device="p1", raw=raw)
    assert "第 3 题" in str(error.value)
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_the_survey_closes_itself_at_the_target_size(cast):
    survey = make_survey(cast, target_size=2)
    submit(survey, device="p1", address="a")
    submit(survey, device="p2", address="b")
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    with pytest.raises(ValidationError, match="已结束"):
        submit(survey, device="p3", address="c")


def test_the_survey_takes_no_answers_after_its_close_time(cast):
    survey = make_survey(cast, closes_at=timezone.now() + timezone.timedelta(hours=1))
    later = timezone.now() + timezone.timedelta(hours=2)
    with pytest.raises(ValidationError, match="已结束"):
        submit(survey, device="p1", submitted_at=later)


def test_a_survey_past_its_close_time_shows_closed_in_the_list_and_is_closed_by_the_system(cast, client_for):
    survey = make_survey(cast, closes_at=timezone.now() + timezone.timedelta(hours=1))
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timezone.timedelta(minutes=1))
    office = client_for(cast["office"])
    listed = office.get(reverse("survey-list")).json()["results"]
    assert [item["status"] for item in listed if item["id"] == survey.pk] == ["closed"]
    page = office.get(reverse("surveys:list"), {"campaign": survey.campaign_id})
    assert "已结束" in page.content.decode() and "收集中" not in page.content.decode()
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    closed = AuditEvent.objects.get(verb="surveys.closed", object_id=str(survey.pk))
    assert closed.actor is None and closed.after["reason"] == "已到截止时间"


def test_group_and_point_quotas_stop_answers_once_full(cast):
    survey = make_survey(cast)
    services.survey_update(actor=cast["office"], survey=survey, values={}, group_quotas={"lawyer": 1})
    submit(survey, device="p1", group="lawyer")
    with pytest.raises(ValidationError, match="律师"):
        submit(survey, device="p2", group="lawyer", address="b")
    point = services.point_add(actor=cast["office"], survey=survey, name="幸福里社区", quota=1)
    submit(survey, device="p3", point=point, address="c")
    with pytest.raises(ValidationError, match="抽样点的样本已满"):
        submit(survey, device="p4", point=point, address="d")


def test_changing_a_question_after_answers_makes_a_new_version(cast, survey):
    submit(survey, device="p1")
    first = questions_of(survey)[0]
    services.question_save(actor=cast["office"], survey=survey, key=first.key, values={
        "kind": "satisfaction", "text": "您对窗口服务是否满意？", "required": True, "counts": True})
    survey.refresh_from_db()
    assert survey.current.number == 2
    assert Response.objects.get().questionnaire.number == 1
    submit(survey, device="p2", address="b")
    assert survey_results(survey=survey).questions[0].answered == 2  # the same key adds up across versions


def test_a_choice_question_needs_two_options_and_its_answer_key_among_them(cast, survey):
    with pytest.raises(ValidationError, match="至少需要两个选项"):
        services.question_save(actor=cast["office"], survey=survey, values={"kind": "single", "text": "题", "options": ["是"]})
    with pytest.raises(ValidationError, match="不在选项中"):
        services.question_save(actor=cast["office"], survey=survey, values={
            "kind": "single", "text": "题", "options": ["是", "否"], "answer_key": ["对"]})


def test_staff_answer_once_each_and_awareness_counts_right_answers(cast):
    survey = make_survey(cast, template="staff_awareness", code=None)
    questions = questions_of(survey)
    right = satisfied_answers(survey)
    wrong = {**right, questions[0].key: ["不清楚"], questions[5].key: ["组织领导"]}
    services.response_submit(survey=survey, raw=right, respondent=cast["staff_a"])
    services.response_submit(survey=survey, raw=wrong, respondent=cast["liaison_a"])
    with pytest.raises(ValidationError, match="每人只能提交一次"):
        services.response_submit(survey=survey, raw=right, respondent=cast["staff_a"])
    results = survey_results(survey=survey)
    assert (results.good, results.total) == (10, 12)
    assert results.rate == Decimal("83.3")


def test_accepting_the_proposal_writes_the_self_check_line_through_the_assessments_service(cast, survey):
    from wenming.assessments import services as assessment_services
    from wenming.assessments.models import Assessment, Score

    self_check = assessment_services.assessment_create(actor=cast["office"], campaign=survey.campaign,
                                                       kind=Assessment.Kind.SELF_CHECK, title="自查", team=[cast["office"]])
    for n in range(3):
        submit(survey, device=f"p{n}", address=f"a{n}")
    submit(survey, device="p9", address="a9", raw=satisfied_answers(survey, "不满意"))
    proposal = services.proposal_accept(actor=cast["office"], survey=survey)
    score = Score.objects.get(assessment=self_check, criterion=survey.criterion)
    assert proposal.points == score.points == Decimal("1.5")  # 75.0% × 2 points
    assert "满意率 75.0%" in score.note
    assert AuditEvent.objects.filter(verb="assessments.scored").exists()


def test_the_report_and_raw_answers_become_evidence_of_the_criterion(cast, survey):
    from wenming.evidence.models import Evidence

    submit(survey, device="p1")
    evidence = services.survey_to_evidence(actor=cast["office"], survey=survey)
    evidence = Evidence.objects.get(pk=evidence.pk)
    assert list(evidence.criteria.all()) == [survey.criterion]
    assert sorted(f.name.rsplit(".", 1)[-1] for f in evidence.files.all()) == ["docx", "xlsx"]
    assert survey.evidence.filter(pk=evidence.pk).exists()
