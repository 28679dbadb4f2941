"""What every campaign URL answers to each persona (DESIGN.md §5).

The 三员 and the evaluator hold no campaign role: 403. The outsider (创建办 of another unit) passes the role check
but finds none of our objects: 404. Inside the unit the roles split as the matrix shows; the task used is one of
民二庭 (dept_b): its liaison may change it, 民一庭's liaison may read but not change it (403), and 民一庭's
干警 cannot see it at all (404).
"""

from datetime import date
from io import BytesIO

from django.core.files.base import ContentFile
from django.utils import timezone
from openpyxl import Workbook

from wenming.campaigns import services
from wenming.campaigns.annex import annex_tables
from wenming.campaigns.models import Campaign, Milestone, RosterEntry, Task, TaskImportDraft
from wenming.testing.matrix import Expect, each, newest

NO_ROLE = ("admin", "security", "auditor", "evaluator")
PEOPLE = ("office", "leader", "liaison_a", "staff_a", "liaison_b")


def statuses(*, people=200, anonymous=302, outsider=404, **overrides) -> dict[str, int]:
    """People of the unit get `people` unless overridden; the 三员 and evaluator 403; the outsider `outsider`."""
    result = {**each(NO_ROLE, 403), **each(PEOPLE, people), "outsider": outsider, "anonymous": anonymous}
    result.update(overrides)
    return result


def office_only(ok: int, *, outsider=404, anonymous=302) -> dict[str, int]:
    return statuses(people=403, office=ok, outsider=outsider, anonymous=anonymous)


def the_campaign(cast) -> Campaign:
    campaign = Campaign.objects.filter(unit=cast.unit).first()
    if campaign is None:
        campaign = services.campaign_create(actor=cast["office"], unit=cast.unit, title="2021年创建市级文明单位",
                                            year=2021)
    return campaign


def campaign(cast):
    return {"pk": the_campaign(cast).pk}


def campaign_with_document(cast):
    found = the_campaign(cast)
    found.document.save("关于成立领导小组的通知.pdf", ContentFile(b"%PDF-1.4 test"))
    return {"pk": found.pk}


def phase(cast):
    return {"pk": the_campaign(cast).phases.first().pk}


def milestone(cast):
    found = the_campaign(cast)
    return {"pk": Milestone.objects.create(campaign=found, title="动员大会", due_on=date(2021, 2, 20)).pk}


def roster_entry(cast):
    entry = RosterEntry.objects.create(campaign=the_campaign(cast), person=cast["leader"], role=RosterEntry.Role.HEAD)
    return {"pk": entry.pk}


def task_of_b(cast, **extra) -> Task:
    return services.task_create(actor=cast["office"], campaign=the_campaign(cast), title="民二庭的任务",
                                lead_department=cast.dept_b, due_on=date(2021, 6, 30), **extra)


def task_b(cast):
    return {"pk": task_of_b(cast).pk}


def task_b_in_review(cast):
    task = task_of_b(cast)
    services.task_transition(actor=cast["office"], task=task, action="submit")
    return {"pk": task.pk}


def monthly_round_of_b(cast):
    task = task_of_b(cast, recurrence=Task.Recurrence.MONTHLY)
    return {"pk": task.occurrences.first().pk}


def draft(cast):
    workbook = Workbook()
    workbook.active.append(["工作任务", "牵头部门", "完成时限"])
    workbook.active.append(["召开动员大会", "民一庭", "2021年2月"])
    buffer = BytesIO()
    workbook.save(buffer)
    found = TaskImportDraft.objects.create(campaign=the_campaign(cast), owner=cast["office"], filename="a.xlsx",
                                           tables=annex_tables(buffer.getvalue(), "a.xlsx"),
                                           expires_at=timezone.now() + timezone.timedelta(hours=1))
    return {"token": found.token}


JSON = "application/json"
API = {"anonymous": 403}
# In the API the outsider lists nothing of ours (an empty list), and gets 404 for our objects.
MATRIX = [
    Expect("campaigns:list", statuses(outsider=200)),
    Expect("campaigns:create", office_only(200, outsider=200)),
    Expect("campaigns:create", office_only(302, outsider=302), method="post",
           data=lambda cast: {"title": "2022年创建市级文明单位", "year": 2022, "level": "city"}),
    Expect("campaigns:my_work", statuses(outsider=200)),
    Expect("campaigns:current_tasks", statuses(people=302, outsider=302), note="to the current campaign's tasks"),
    Expect("campaigns:home", statuses(), kwargs=campaign),
    Expect("campaigns:edit", office_only(200), kwargs=campaign),
    Expect("campaigns:document", statuses(), kwargs=campaign_with_document),
    Expect("campaigns:phase_create", office_only(200), kwargs=campaign),
    Expect("campaigns:phase_edit", office_only(200), kwargs=phase),
    Expect("campaigns:phase_delete", office_only(302), method="post", kwargs=phase),
    Expect("campaigns:milestone_create", office_only(302), method="post", kwargs=campaign,
           data=lambda cast: {"title": "迎检", "due_on": "2021-11-20"}),
    Expect("campaigns:milestone_done", office_only(302), method="post", kwargs=milestone, data=lambda c: {"done": "1"}),
    Expect("campaigns:milestone_delete", office_only(302), method="post", kwargs=milestone),
    Expect("campaigns:roster", statuses(), kwargs=campaign),
    Expect("campaigns:roster", office_only(302), method="post", kwargs=campaign,
           data=lambda cast: {"person": cast["leader"].pk, "role": "head"}),
    Expect("campaigns:roster_print", statuses(), kwargs=campaign),
    Expect("campaigns:roster_remove", office_only(302), method="post", kwargs=roster_entry),
    Expect("campaigns:tasks", statuses(), kwargs=campaign),
    Expect("campaigns:task_create", office_only(200), kwargs=campaign),
    Expect("campaigns:task_bulk", office_only(302), method="post", kwargs=campaign,
           data=lambda cast: {"tasks": [task_of_b(cast).pk], "lead_department": cast.dept_a.pk}),
    Expect("campaigns:choose", statuses(people=302), method="post",
           data=lambda cast: {"campaign": the_campaign(cast).pk, "next": "/evidence/"},
           note="the header's switcher: any member of the unit chooses among the unit's campaigns"),
    Expect("campaigns:tasks_generate", office_only(302), method="post", kwargs=campaign),
    Expect("campaigns:board", statuses(), kwargs=campaign),
    Expect("campaigns:gantt", statuses(), kwargs=campaign),
    Expect("campaigns:import", office_only(200), kwargs=campaign),
    Expect("campaigns:import_preview", statuses(people=404, office=200), kwargs=draft,
           note="an upload is seen only by the person who uploaded it"),
    Expect("campaigns:import_confirm", statuses(people=404, office=302), method="post", kwargs=draft),
    Expect("campaigns:export_xlsx", statuses(), kwargs=campaign),
    Expect("campaigns:export_docx", statuses(), kwargs=campaign),
    # 民二庭's task: 民一庭's liaison reads it but may not change it; 民一庭's 干警 does not see it.
    Expect("campaigns:task", statuses(staff_a=404), kwargs=task_b),
    Expect("campaigns:task_edit", statuses(people=403, office=200, liaison_b=200, staff_a=404), kwargs=task_b),
    Expect("campaigns:task_edit", statuses(people=403, office=302, liaison_b=302, staff_a=404), method="post",
           kwargs=task_b, data=lambda cast: {"title": "改过的任务", "due_text": "2021年6月底前"}),
    Expect("campaigns:task_delete", statuses(people=403, office=302, liaison_b=302, staff_a=404), method="post",
           kwargs=task_b, note="into the recycle bin"),
    Expect("campaigns:task_transition", statuses(people=403, office=302, liaison_b=302, staff_a=404), method="post",
           kwargs=task_b, data=lambda cast: {"action": "start"}),
    Expect("campaigns:task_transition", statuses(people=403, office=302, leader=302, staff_a=404), method="post",
           kwargs=task_b_in_review, data=lambda cast: {"action": "approve"}, note="approval: office and leaders"),
    Expect("campaigns:task_progress", statuses(people=403, office=302, liaison_b=302, staff_a=404), method="post",
           kwargs=task_b, data=lambda cast: {"progress": 50}),
    Expect("campaigns:task_comment", statuses(people=302, staff_a=404), method="post", kwargs=task_b,
           data=lambda cast: {"body": "请抓紧"}),
    Expect("campaigns:occurrence_done", statuses(people=403, office=302, liaison_b=302, staff_a=404), method="post",
           kwargs=monthly_round_of_b, data=lambda cast: {"done": "1"}),
    # API
    Expect("campaign-list", statuses(outsider=200, **API)),
    Expect("campaign-list", office_only(201, outsider=201, anonymous=403), method="post", content_type=JSON,
           data=lambda cast: {"title": "2022年创建市级文明单位", "year": 2022}),
    Expect("campaign-detail", statuses(**API), kwargs=campaign),
    Expect("campaign-detail", office_only(200, anonymous=403), method="patch", kwargs=campaign, content_type=JSON,
           data=lambda cast: {"document_number": "某法党〔2021〕3号", "version": the_campaign(cast).version}),
    Expect("phase-list", statuses(outsider=200, **API)),
    Expect("phase-detail", statuses(**API), kwargs=phase),
    Expect("phase-detail", office_only(200, anonymous=403), method="patch", kwargs=phase, content_type=JSON,
           data=lambda cast: {"summary": "召开动员大会", "version": the_campaign(cast).phases.first().version}),
    Expect("roster-entry-list", statuses(outsider=200, **API)),
    Expect("task-list", statuses(outsider=200, **API)),
    Expect("task-list", office_only(201, outsider=404, anonymous=403), method="post", content_type=JSON,
           data=lambda cast: {"campaign": the_campaign(cast).pk, "title": "新任务", "due_text": "每季度"},
           note="the outsider's 创建办 names a campaign it cannot see: not found, naming the field (issue 19.10)"),
    Expect("task-detail", statuses(staff_a=404, **API), kwargs=task_b),
    Expect("task-detail", statuses(people=403, office=200, liaison_b=200, staff_a=404, **API), method="patch",
           kwargs=task_b, content_type=JSON,
           data=lambda cast: {"due_text": "2021年9月30日", "version": newest(Task).version}),
    Expect("task-transition", statuses(people=403, office=200, liaison_b=200, staff_a=404, **API), method="post",
           kwargs=task_b, content_type=JSON, data=lambda cast: {"action": "start", "version": newest(Task).version}),
    Expect("task-progress", statuses(people=403, office=200, liaison_b=200, staff_a=404, **API), method="post",
           kwargs=task_b, content_type=JSON, data=lambda cast: {"progress": 30, "version": newest(Task).version}),
]
