"""The campaign's rules: default phases, the status flow, who may change what, concurrent edits, rounds."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from wenming.audit.models import AuditEvent
from wenming.campaigns import services
from wenming.campaigns.models import Campaign, RosterEntry, Task
from wenming.core.errors import ConcurrentEditError
from wenming.standards.models import Standard

pytestmark = pytest.mark.django_db


def test_a_new_campaign_gets_the_seeds_four_phases_in_its_year(campaign):
    phases = [(p.name, p.starts_on, p.ends_on) for p in campaign.phases.all()]
    assert phases == [
        ("动员部署", date(2021, 1, 1), date(2021, 6, 30)),
        ("组织实施", date(2021, 7, 1), date(2021, 8, 31)),
        ("自查验收", date(2021, 9, 1), date(2021, 10, 31)),
        ("检查验收", date(2021, 11, 1), date(2021, 12, 31)),
    ]
    assert AuditEvent.objects.filter(verb="campaigns.created", object_id=str(campaign.pk)).exists()


def test_phases_are_editable_but_stay_inside_the_campaign(cast, campaign):
    first = campaign.phases.first()
    services.phase_save(actor=cast["office"], campaign=campaign, phase=first, name="动员部署", starts_on=date(2021, 1, 1),
                        ends_on=date(2021, 5, 31), expected_version=first.version)
    first.refresh_from_db()
    assert first.ends_on == date(2021, 5, 31)
    with pytest.raises(ValidationError):
        services.phase_save(actor=cast["office"], campaign=campaign, name="延长", starts_on=date(2021, 12, 1),
                            ends_on=date(2022, 1, 31))


def test_a_campaign_pins_only_a_published_standard_of_its_unit(cast):
    draft = Standard.objects.create(unit=cast.unit, name="细则")
    with pytest.raises(ValidationError, match="已发布"):
        services.campaign_create(actor=cast["office"], unit=cast.unit, title="t", year=2021, standard=draft)
    draft.status = Standard.Status.PUBLISHED
    draft.save()
    campaign = services.campaign_create(actor=cast["office"], unit=cast.unit, title="t", year=2021, standard=draft)
    assert campaign.standard == draft
    with pytest.raises(Exception):  # noqa: B017 — PROTECT: a pinned standard cannot be deleted
        draft.delete()


def test_the_second_save_of_the_same_version_is_refused(cast, campaign):
    task = services.task_create(actor=cast["office"], campaign=campaign, title="任务", lead_department=cast.dept_a)
    services.task_update(actor=cast["office"], task=task, values={"title": "第一次"}, expected_version=1)
    with pytest.raises(ConcurrentEditError, match="此记录已被他人修改"):
        services.task_update(actor=cast["liaison_a"], task=task, values={"title": "第二次"}, expected_version=1)
    task.refresh_from_db()
    assert task.title == "第一次"


def test_status_flows_to_done_and_a_return_needs_a_reason(cast, campaign):
    task = services.task_create(actor=cast["office"], campaign=campaign, title="任务", lead_department=cast.dept_a)
    services.task_transition(actor=cast["liaison_a"], task=task, action="start")
    services.task_transition(actor=cast["liaison_a"], task=task, action="submit")
    with pytest.raises(ValidationError, match="原因"):
        services.task_transition(actor=cast["leader"], task=task, action="return", reason=" ")
    services.task_transition(actor=cast["leader"], task=task, action="return", reason="缺少签到表")
    task.refresh_from_db()
    assert (task.status, task.return_reason) == (Task.Status.RETURNED, "缺少签到表")
    services.task_transition(actor=cast["liaison_a"], task=task, action="submit")
    services.task_transition(actor=cast["leader"], task=task, action="approve")
    task.refresh_from_db()
    assert (task.status, task.progress, task.return_reason) == (Task.Status.DONE, 100, "")
    with pytest.raises(ValidationError, match="已完成"):
        services.task_transition(actor=cast["liaison_a"], task=task, action="start")
    verbs = list(AuditEvent.objects.filter(object_id=str(task.pk), object_type="campaigns.task")
                 .order_by("id").values_list("verb", flat=True))
    assert verbs == ["campaigns.task_created", "campaigns.task_start", "campaigns.task_submit", "campaigns.task_return",
                     "campaigns.task_submit", "campaigns.task_approve"]


def test_who_may_do_what_with_a_task(cast, campaign):
    task_a = services.task_create(actor=cast["office"], campaign=campaign, title="民一庭任务", lead_department=cast.dept_a)
    task_b = services.task_create(actor=cast["office"], campaign=campaign, title="民二庭任务", lead_department=cast.dept_b,
                                  co_departments=[cast.dept_a])
    owned = services.task_create(actor=cast["office"], campaign=campaign, title="干警甲负责", lead_department=cast.dept_b,
                                 owner=cast["staff_a"])
    hidden = services.task_create(actor=cast["office"], campaign=campaign, title="民二庭独办", lead_department=cast.dept_b)

    def ids(queryset):
        return set(queryset.filter(campaign=campaign).values_list("title", flat=True))

    assert ids(Task.objects.editable_by(cast["liaison_a"])) == {"民一庭任务"}
    assert ids(Task.objects.editable_by(cast["office"])) == {"民一庭任务", "民二庭任务", "干警甲负责", "民二庭独办"}
    assert ids(Task.objects.editable_by(cast["leader"])) == set()
    assert ids(Task.objects.approvable_by(cast["leader"])) == ids(Task.objects.visible_to(cast["office"]))
    # staff see their department's tasks (lead or co) and tasks they own, and report progress on their own
    assert ids(Task.objects.visible_to(cast["staff_a"])) == {"民一庭任务", "民二庭任务", "干警甲负责"}
    assert ids(Task.objects.progress_editable_by(cast["staff_a"])) == {"干警甲负责"}
    assert ids(Task.objects.visible_to(cast["liaison_a"])) >= {"民二庭独办"}
    for persona in ("admin", "security", "auditor", "evaluator", "outsider"):
        assert ids(Task.objects.visible_to(cast[persona])) == set(), persona
    assert {task_a.pk, task_b.pk, owned.pk, hidden.pk}


def test_staff_report_progress_on_a_task_they_own(cast, campaign, client_for):
    task = services.task_create(actor=cast["office"], campaign=campaign, title="干警甲负责", lead_department=cast.dept_b,
                                owner=cast["staff_a"])
    response = client_for(cast["staff_a"]).post(f"/campaigns/tasks/{task.pk}/progress/", {"progress": 40})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.progress, task.status) == (40, Task.Status.IN_PROGRESS)
    # …but may not change the task itself
    assert client_for(cast["staff_a"]).get(f"/campaigns/tasks/{task.pk}/edit/").status_code == 403


def test_liaison_of_one_department_cannot_edit_anothers_task_and_outsider_cannot_see_it(cast, campaign, client_for):
    task = services.task_create(actor=cast["office"], campaign=campaign, title="民二庭任务", lead_department=cast.dept_b)
    url = f"/campaigns/tasks/{task.pk}/edit/"
    assert client_for(cast["liaison_a"]).get(url).status_code == 403
    assert client_for(cast["liaison_a"]).post(url, {"title": "越权修改"}).status_code == 403
    assert client_for(cast["outsider"]).get(f"/campaigns/tasks/{task.pk}/").status_code == 404
    assert client_for(cast["outsider"]).get(f"/api/v1/tasks/{task.pk}/").status_code == 404
    task.refresh_from_db()
    assert task.title == "民二庭任务"


def test_a_liaison_edits_own_departments_task_but_not_its_lead_department(cast, campaign, client_for):
    task = services.task_create(actor=cast["office"], campaign=campaign, title="民一庭任务", lead_department=cast.dept_a)
    response = client_for(cast["liaison_a"]).post(f"/campaigns/tasks/{task.pk}/edit/", {
        "title": "民一庭任务（细化）", "lead_department": cast.dept_b.pk, "due_text": "9月1日-10月31日",
        "version": task.version})
    assert response.status_code == 302, response.content.decode()[:2000]
    task.refresh_from_db()
    assert (task.title, task.lead_department, task.starts_on, task.due_on) == (
        "民一庭任务（细化）", cast.dept_a, date(2021, 9, 1), date(2021, 10, 31))
    assert task.phase.name == "自查验收"


def test_recurring_tasks_get_dated_rounds_and_keep_those_done(cast, campaign):
    task = services.task_create(actor=cast["office"], campaign=campaign, title="中心组学习", lead_department=cast.dept_a,
                                recurrence=Task.Recurrence.MONTHLY)
    assert task.occurrences.count() == 12
    assert task.occurrences.first().due_on == date(2021, 1, 31)
    services.occurrence_set_done(actor=cast["liaison_a"], occurrence=task.occurrences.first(), done=True)
    services.task_update(actor=cast["office"], task=task, values={"recurrence": Task.Recurrence.QUARTERLY})
    assert [o.due_on for o in task.occurrences.all()] == [
        date(2021, 1, 31), date(2021, 3, 31), date(2021, 6, 30), date(2021, 9, 30), date(2021, 12, 31)]
    half = services.task_create(actor=cast["office"], campaign=campaign, title="研判", recurrence=Task.Recurrence.HALF_YEARLY)
    assert [o.due_on for o in half.occurrences.all()] == [date(2021, 6, 30), date(2021, 12, 31)]
    ongoing = services.task_create(actor=cast["office"], campaign=campaign, title="长期", recurrence=Task.Recurrence.ONGOING)
    assert ongoing.occurrences.count() == 0


def test_comments_mention_colleagues_by_name(cast, campaign):
    task = services.task_create(actor=cast["office"], campaign=campaign, title="任务", lead_department=cast.dept_a)
    comment = services.task_comment(actor=cast["office"], task=task, body="@联络员甲请补充照片，@p_staff_a 协助")
    assert set(comment.mentions.all()) == {cast["liaison_a"], cast["staff_a"]}


def test_roster_names_the_liaisons_department_and_refuses_strangers(cast, campaign):
    entry = services.roster_add(actor=cast["office"], campaign=campaign, person=cast["liaison_a"],
                                role=RosterEntry.Role.LIAISON)
    assert entry.department == cast.dept_a
    with pytest.raises(ValidationError, match="本单位"):
        services.roster_add(actor=cast["office"], campaign=campaign, person=cast["outsider"], role=RosterEntry.Role.MEMBER)


def test_bulk_assign_sets_owner_and_phase_of_the_chosen_tasks(cast, campaign, client_for):
    tasks = [services.task_create(actor=cast["office"], campaign=campaign, title=f"任务{i}") for i in range(3)]
    phase = campaign.phases.last()
    response = client_for(cast["office"]).post(f"/campaigns/{campaign.pk}/tasks/bulk/", {
        "tasks": [tasks[0].pk, tasks[1].pk], "owner": cast["liaison_b"].pk, "phase": phase.pk})
    assert response.status_code == 302
    assert list(Task.objects.filter(owner=cast["liaison_b"], phase=phase).order_by("pk")) == tasks[:2]


def test_my_work_lists_my_tasks_due_soon_and_returned(cast, client_for, monkeypatch):
    from wenming.campaigns import selectors

    campaign = services.campaign_create(actor=cast["office"], unit=cast.unit, title="2021年", year=2021)
    monkeypatch.setattr(selectors, "today", lambda: date(2021, 6, 20))
    soon = services.task_create(actor=cast["office"], campaign=campaign, title="月底前完成", lead_department=cast.dept_a,
                                due_on=date(2021, 6, 30))
    back = services.task_create(actor=cast["office"], campaign=campaign, title="被退回", lead_department=cast.dept_a,
                                due_on=date(2021, 9, 30))
    services.task_transition(actor=cast["office"], task=back, action="submit")
    services.task_transition(actor=cast["office"], task=back, action="return", reason="照片不清楚")
    work = selectors.my_work(user=cast["liaison_a"], campaign=campaign)
    assert [t.title for t in work.due_soon] == ["月底前完成"]
    assert [t.title for t in work.returned] == ["被退回"]
    assert {t.pk for t in work.mine} == {soon.pk, back.pk}
    page = client_for(cast["liaison_a"]).get(f"/campaigns/my/?campaign={campaign.pk}").content.decode()
    assert "照片不清楚" in page and "月底前完成" in page


def test_header_shows_the_running_campaign_and_todays_phase(cast, client_for):
    from django.utils import timezone

    year = timezone.localdate().year
    services.campaign_create(actor=cast["office"], unit=cast.unit, title=f"{year}年创建市级文明单位", year=year)
    page = client_for(cast["staff_a"]).get("/").content.decode()
    assert f"{year}年创建市级文明单位" in page
    today = timezone.localdate()
    expected = "动员部署" if today.month <= 6 else "组织实施" if today.month <= 8 else "自查验收" if today.month <= 10 else "检查验收"
    assert expected in page
    assert Campaign.objects.count() == 1
