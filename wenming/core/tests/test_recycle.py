"""Deleting a task puts it in the 回收站: it vanishes from every list, the office restores it or purges it, audited."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from wenming.audit.models import AuditEvent
from wenming.campaigns import services as campaign_services
from wenming.campaigns.models import Task
from wenming.core import recycle


def make_task(cast, title="民二庭的任务"):
    campaign = campaign_services.campaign_create(actor=cast["office"], unit=cast.unit, title="2021年创建市级文明单位",
                                                 year=2021)
    return campaign_services.task_create(actor=cast["office"], campaign=campaign, title=title,
                                         lead_department=cast.dept_b, due_on=date(2021, 6, 30))


def test_deleted_task_leaves_the_lists_and_waits_in_the_bin(cast, client_for):
    task = make_task(cast)
    office = client_for(cast["office"])

    response = office.post(reverse("campaigns:task_delete", args=[task.pk]))

    assert response.status_code == 302
    assert not Task.objects.visible_to(cast["office"]).filter(pk=task.pk).exists()
    assert office.get(reverse("campaigns:task", args=[task.pk])).status_code == 404
    assert "民二庭的任务" not in office.get(reverse("campaigns:tasks", args=[task.campaign_id])).content.decode()
    bin_page = office.get(reverse("recycle_bin")).content.decode()
    assert "工作任务" in bin_page and "民二庭的任务" in bin_page
    event = AuditEvent.objects.get(verb="recycle.deleted")
    assert event.object_id == str(task.pk) and event.unit == cast.unit


def test_office_restores_a_task_with_its_history(cast, client_for):
    task = make_task(cast)
    campaign_services.task_comment(actor=cast["liaison_b"], task=task, body="已着手准备")
    recycle.recycle_delete(actor=cast["liaison_b"], obj=task)

    response = client_for(cast["office"]).post(reverse("recycle_restore", args=["campaigns.task", task.pk]))

    assert response.status_code == 302
    restored = Task.objects.visible_to(cast["office"]).get(pk=task.pk)
    assert restored.comments.count() == 1
    assert AuditEvent.objects.filter(verb="recycle.restored", object_id=str(task.pk)).exists()


def test_purge_is_for_good_and_audited(cast, client_for):
    task = make_task(cast)
    recycle.recycle_delete(actor=cast["office"], obj=task)

    client_for(cast["office"]).post(reverse("recycle_purge", args=["campaigns.task", task.pk]))

    assert not Task.objects.filter(pk=task.pk).exists()
    event = AuditEvent.objects.get(verb="recycle.purged")
    assert event.before["title"].endswith("民二庭的任务") or "民二庭的任务" in event.before["title"]


def test_a_live_task_cannot_be_purged_through_the_bin(cast, client_for):
    task = make_task(cast)

    response = client_for(cast["office"]).post(reverse("recycle_purge", args=["campaigns.task", task.pk]))

    assert response.status_code == 404
    assert Task.objects.filter(pk=task.pk).exists()


def test_items_older_than_the_retention_period_are_purged(cast):
    old, recent = make_task(cast, "旧任务"), None
    recycle.recycle_delete(actor=cast["office"], obj=old)
    Task.objects.filter(pk=old.pk).update(deleted_at=timezone.now() - timedelta(days=181))
    recent = campaign_services.task_create(actor=cast["office"], campaign=old.campaign, title="新删的任务",
                                           lead_department=cast.dept_b, due_on=date(2021, 6, 30))
    recycle.recycle_delete(actor=cast["office"], obj=recent)

    assert recycle.recycle_purge_expired() == 1

    assert not Task.objects.filter(pk=old.pk).exists()
    assert Task.objects.in_bin().filter(pk=recent.pk).exists()


def test_bin_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    task = make_task(cast)
    for index in range(20):
        extra = campaign_services.task_create(actor=cast["office"], campaign=task.campaign, title=f"任务{index}",
                                              lead_department=cast.dept_b, due_on=date(2021, 6, 30))
        recycle.recycle_delete(actor=cast["office"], obj=extra)
    client = client_for(cast["office"])
    client.get(reverse("recycle_bin"))

    with django_assert_num_queries(6 + len(recycle.bin_entries())):  # one query per model registered with the bin
        response = client.get(reverse("recycle_bin"))
    assert response.content.decode().count("任务1") >= 1


def test_restored_evidence_comes_back_with_its_files_and_criteria(cast, client_for):
    from wenming.evidence.models import Evidence
    from wenming.evidence.tests.conftest import make_campaign, upload_photos

    campaign = make_campaign(cast)
    item = upload_photos(cast, campaign, actor=cast["staff_a"], count=2, codes=("3", "4"))
    files_before = sorted(item.files.values_list("sha256", flat=True))
    criteria_before = sorted(item.criteria.values_list("pk", flat=True))
    office = client_for(cast["office"])

    assert office.post(reverse("evidence:delete", args=[item.pk])).status_code == 302
    assert not Evidence.objects.visible_to(cast["office"]).filter(pk=item.pk).exists()
    assert office.post(reverse("recycle_restore", args=["evidence.evidence", item.pk])).status_code == 302

    restored = Evidence.objects.visible_to(cast["office"]).get(pk=item.pk)
    assert sorted(restored.files.values_list("sha256", flat=True)) == files_before
    assert sorted(restored.criteria.values_list("pk", flat=True)) == criteria_before
    first = restored.files.order_by("id").first()
    assert office.get(reverse("evidence:file", args=[first.pk])).status_code == 200
