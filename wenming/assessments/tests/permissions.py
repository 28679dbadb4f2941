"""What every assessments URL answers to each persona (DESIGN.md §5).

The 三员 hold no campaign role: 403. The outsider (创建办 of another unit) passes the role checks but finds none of
our objects: 404. Inside the unit every campaign member reads the self-check; only the 创建办 sets up, scores
(with its team), assigns, verifies and closes 整改; 民一庭's liaison responds for 民一庭. The evaluator sees only the
inspection it is on the team of (404 elsewhere), scores it, and opens approved evidence only; the unit reads an
inspection's scores and findings only once it is submitted (403 on the pages, 404 through the API).
"""

from datetime import date

from wenming.assessments import services
from wenming.assessments.models import Assessment, Finding, Rectification, Score
from wenming.assessments.tests.conftest import approve, inspection, line, score, self_check, the_campaign
from wenming.evidence import services as evidence_services
from wenming.evidence.tests.conftest import upload_photos
from wenming.testing.matrix import Expect, each, newest

NO_ROLE = ("admin", "security", "auditor")
PEOPLE = ("office", "leader", "liaison_a", "staff_a", "liaison_b")


def statuses(*, people=200, anonymous=302, outsider=404, evaluator=404, **overrides) -> dict[str, int]:
    result = {**each(NO_ROLE, 403), **each(PEOPLE, people), "evaluator": evaluator, "outsider": outsider,
              "anonymous": anonymous}
    result.update(overrides)
    return result


def api(**overrides):
    return statuses(anonymous=403, **overrides)


OFFICE_ONLY = {"leader": 403, "liaison_a": 403, "staff_a": 403, "liaison_b": 403}


def campaign(cast):
    return {"pk": the_campaign(cast).pk}


def assigned_campaign(cast):
    return {"pk": inspection(cast).campaign_id}


def own(cast):
    return {"pk": self_check(cast).pk}


def inspected(cast):
    return {"pk": inspection(cast).pk}


def own_line(cast):
    assessment = self_check(cast)
    return {"pk": assessment.pk, "criterion_pk": line(assessment.campaign, "1").pk}


def inspected_line(cast):
    assessment = inspection(cast)
    return {"pk": assessment.pk, "criterion_pk": line(assessment.campaign, "1").pk}


def _file(cast, assessment, *, approved=True):
    evidence = upload_photos(cast, assessment.campaign)
    if approved:
        approve(cast, evidence)
    row = evidence.files.get()
    evidence_services.thumbnails_make([row.pk])
    return {"pk": assessment.pk, "file_pk": row.pk}


def own_file(cast):
    return _file(cast, self_check(cast))


def inspected_file(cast):
    return _file(cast, inspection(cast))


def inspected_pending_file(cast):
    return _file(cast, inspection(cast), approved=False)


def finding(cast):
    assessment = self_check(cast)
    made = Finding.objects.filter(assessment=assessment).first() or services.finding_create(
        actor=cast["office"], assessment=assessment, criterion=line(assessment.campaign, "3"),
        description="会议纪要仅1份。")
    return made


def finding_pk(cast):
    return {"pk": finding(cast).pk}


def rectification(cast):
    item = Rectification.objects.first()
    if item is None:
        item = services.rectification_assign(actor=cast["office"], finding=finding(cast), department=cast.dept_a,
                                             due_on=date(2031, 6, 30))
    return item


def rectification_pk(cast):
    return {"pk": rectification(cast).pk}


def submitted_pk(cast):
    item = rectification(cast)
    services.rectification_respond(actor=cast["liaison_a"], rectification=item, measures="已补齐会议纪要。")
    return {"pk": item.pk}


def a_score(cast):
    return {"pk": score(cast, self_check(cast), "1", "1").pk}


def line_data(cast):
    return {"points": "0.5", "version": "0"}


def score_create(cast):
    assessment = self_check(cast)
    return {"assessment": assessment.pk, "criterion": line(assessment.campaign, "2").pk, "points": "1", "version": 0}


def inspection_score_create(cast):
    assessment = inspection(cast)
    return {"assessment": assessment.pk, "criterion": line(assessment.campaign, "2").pk, "points": "1", "version": 0}


def finding_create(cast):
    return {"assessment": self_check(cast).pk, "description": "缺少签到表", "severity": "minor"}


def rectification_create(cast):
    return {"finding": finding(cast).pk, "department": cast.dept_a.pk, "due_on": "2031-06-30"}


UNIT_HIDDEN = {person: 403 for person in PEOPLE}  # an inspection's scores before it is submitted

MATRIX = [
    Expect("assessments:index", statuses(evaluator=200, outsider=200), note="no campaign yet: the page says so"),
    Expect("assessments:list", statuses(), kwargs=campaign, note="an evaluator not assigned: 404"),
    Expect("assessments:list", statuses(evaluator=200), kwargs=assigned_campaign),
    Expect("assessments:create", statuses(evaluator=403, **OFFICE_ONLY), kwargs=campaign),
    Expect("assessments:create", statuses(people=302, evaluator=403, **OFFICE_ONLY), method="post", kwargs=campaign,
           data=lambda cast: {"title": "第二次自查", "kind": "self_check", "allow_not_applicable": "on"}),
    Expect("assessments:compare", statuses(), kwargs=campaign),
    Expect("assessments:compare", statuses(evaluator=200), kwargs=assigned_campaign),
    Expect("assessments:ledger_index", statuses(evaluator=403, outsider=200)),
    Expect("assessments:ledger", statuses(evaluator=403), kwargs=campaign),
    Expect("assessments:ledger_export", statuses(evaluator=403), kwargs=campaign),
    Expect("assessments:detail", statuses(), kwargs=own),
    Expect("assessments:detail", statuses(evaluator=200), kwargs=inspected,
           note="the unit sees the inspection, not its scores"),
    Expect("assessments:edit", statuses(evaluator=403, **OFFICE_ONLY), kwargs=own),
    Expect("assessments:status", statuses(people=302, **OFFICE_ONLY), method="post", kwargs=own,
           data=lambda cast: {"to": "submitted", "version": newest(Assessment).version}),
    Expect("assessments:line", statuses(), kwargs=own_line),
    Expect("assessments:line", statuses(people=200, **OFFICE_ONLY), method="post", kwargs=own_line, data=line_data),
    Expect("assessments:line", statuses(evaluator=200, **UNIT_HIDDEN), method="post", kwargs=inspected_line,
           data=line_data, note="the evaluator scores; the unit may not even read the line"),
    Expect("assessments:findings", statuses(), kwargs=own),
    Expect("assessments:findings", statuses(evaluator=200, **UNIT_HIDDEN), kwargs=inspected),
    Expect("assessments:export_xlsx", statuses(), kwargs=own),
    Expect("assessments:export_docx", statuses(evaluator=200, **UNIT_HIDDEN), kwargs=inspected),
    Expect("assessments:file", statuses(), kwargs=own_file),
    Expect("assessments:thumbnail", statuses(evaluator=200), kwargs=inspected_file),
    Expect("assessments:thumbnail", statuses(), kwargs=inspected_pending_file,
           note="evaluators open approved material only"),
    Expect("assessments:assign", statuses(evaluator=403, **OFFICE_ONLY), kwargs=finding_pk),
    Expect("assessments:rectification", statuses(evaluator=403), kwargs=rectification_pk),
    Expect("assessments:respond", statuses(people=302, evaluator=403, leader=403, staff_a=403, liaison_b=403),
           method="post", kwargs=rectification_pk, data=lambda cast: {"measures": "已补齐会议纪要。", "version": newest(Rectification).version}),
    Expect("assessments:verify", statuses(people=302, evaluator=403, **OFFICE_ONLY), method="post",
           kwargs=rectification_pk, data=lambda cast: {"decision": "return", "reason": "缺照片", "version": newest(Rectification).version}),
    Expect("assessments:delete", statuses(people=302, evaluator=403, **OFFICE_ONLY), method="post",
           kwargs=rectification_pk),
    # API: DRF answers 403 to anonymous callers (session auth has no challenge header).
    Expect("assessment-list", api(evaluator=200, outsider=200)),
    Expect("assessment-detail", api(), kwargs=own),
    Expect("assessment-detail", api(evaluator=200), kwargs=inspected),
    Expect("assessment-totals", api(), kwargs=own),
    Expect("assessment-totals", api(evaluator=200, **each(PEOPLE, 404)), kwargs=inspected,
           note="the unit reads an inspection's totals only once submitted"),
    Expect("assessment-transition", api(**OFFICE_ONLY), method="post", kwargs=own,
           data=lambda cast: {"to": "submitted", "version": newest(Assessment).version}),
    Expect("assessment-score-list", api(evaluator=200, outsider=200)),
    Expect("assessment-score-list", api(**OFFICE_ONLY), method="post", data=score_create),
    Expect("assessment-score-list", api(evaluator=200, **each(PEOPLE, 403)), method="post",
           data=inspection_score_create),
    Expect("assessment-score-detail", api(), kwargs=a_score),
    Expect("assessment-score-detail", api(**OFFICE_ONLY), method="patch", kwargs=a_score,
           data=lambda cast: {"points": "0.5", "version": newest(Score).version}, content_type="application/json"),
    Expect("assessment-finding-list", api(evaluator=200, outsider=200)),
    Expect("assessment-finding-list", api(people=201, **OFFICE_ONLY), method="post", data=finding_create),
    Expect("assessment-finding-detail", api(), kwargs=finding_pk),
    Expect("rectification-list", api(evaluator=200, outsider=200), note="an evaluator's list is empty"),
    Expect("rectification-list", api(people=201, evaluator=403, **OFFICE_ONLY), method="post",
           data=rectification_create),
    Expect("rectification-detail", api(evaluator=404), kwargs=rectification_pk),
    Expect("rectification-respond", api(evaluator=404, leader=403, staff_a=403, liaison_b=403), method="post",
           kwargs=rectification_pk, data=lambda cast: {"measures": "已补齐会议纪要。", "version": newest(Rectification).version}),
    Expect("rectification-verify", api(evaluator=404, **OFFICE_ONLY), method="post", kwargs=submitted_pk,
           data=lambda cast: {"decision": "return", "reason": "缺照片", "version": newest(Rectification).version}),
]
