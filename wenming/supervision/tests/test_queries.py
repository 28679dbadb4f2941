"""The warnings, register, ranking, dashboard and API lists run the same number of queries for 10 tasks or 400."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wenming.campaigns.models import Task, TaskOccurrence
from wenming.evidence.models import Evidence, Review
from wenming.standards.models import Criterion
from wenming.supervision.models import OrderRound, SupervisionOrder
from wenming.supervision.tests.conftest import make_campaign

SIZES = [10, 400]


@pytest.fixture
def filled(cast, request):
    size = request.param
    campaign = make_campaign(cast)
    today = timezone.localdate()
    criteria = list(Criterion.objects.filter(standard=campaign.standard))
    phases = list(campaign.phases.all())
    statuses = Task.Status.values
    tasks = Task.objects.bulk_create([
        Task(campaign=campaign, number=i, title=f"任务{i}", lead_department=(cast.dept_a, cast.dept_b)[i % 2],
             phase=phases[i % len(phases)], due_on=today + timedelta(days=(i % 40) - 20), status=statuses[i % 5],
             recurrence=Task.Recurrence.MONTHLY if i % 10 == 0 else Task.Recurrence.ONCE)
        for i in range(size)])
    Task.criteria.through.objects.bulk_create([
        Task.criteria.through(task_id=t.pk, criterion_id=criteria[t.number % len(criteria)].pk) for t in tasks])
    TaskOccurrence.objects.bulk_create([TaskOccurrence(task=t, due_on=date(today.year, m, 28)) for t in tasks
                                        if t.recurrence == Task.Recurrence.MONTHLY for m in range(1, 13)])
    evidence = Evidence.objects.bulk_create([
        Evidence(campaign=campaign, task=t, title=f"材料{t.number}", occurred_on=today, uploader=cast["staff_a"],
                 department=t.lead_department, link="https://example.cn/x", status="returned") for t in tasks[::3]])
    Review.objects.bulk_create([Review(evidence=e, revision=1, action="returned", actor=cast["office"], reason="缺")
                                for e in evidence])
    orders = SupervisionOrder.objects.bulk_create([
        SupervisionOrder(unit=cast.unit, campaign=campaign, year=today.year, number=i + 1, task=t,
                         department=t.lead_department, deadline=today + timedelta(days=i % 9 - 4), request="请办理",
                         status=SupervisionOrder.Status.values[i % 4], issued_by=cast["office"])
        for i, t in enumerate(tasks[: max(size // 10, 3)])])
    OrderRound.objects.bulk_create([OrderRound(order=o, kind="issued", text="请办理", actor=cast["office"])
                                    for o in orders])
    from wenming.assessments.models import Assessment, Finding, Rectification

    assessment = Assessment.objects.create(campaign=campaign, title="自查")
    findings = Finding.objects.bulk_create([Finding(assessment=assessment, description=f"问题{i}")
                                            for i in range(max(size // 20, 2))])
    Rectification.objects.bulk_create([
        Rectification(finding=f, campaign=campaign, department=(cast.dept_a, cast.dept_b)[i % 2],
                      due_on=today + timedelta(days=i % 7 - 3)) for i, f in enumerate(findings)])
    return cast, campaign


def _count(client, django_assert_num_queries, url, expected, **params):
    with django_assert_num_queries(expected):
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response


@pytest.mark.parametrize("filled", SIZES, indirect=True)
def test_pages_query_count_does_not_grow(filled, client_for, django_assert_num_queries):
    cast, campaign = filled
    office = client_for(cast["office"])
    # 31: the projection reads the latest submitted self-check and the standard's pass score (was one query)
    page = _count(office, django_assert_num_queries, reverse("supervision:dashboard"), 31).content.decode()
    assert "领导驾驶舱" in page and "data-chart" in page
    _count(office, django_assert_num_queries, reverse("supervision:index"), 10)
    _count(office, django_assert_num_queries, reverse("supervision:index"), 10, department=cast.dept_b.pk,
           light="red")
    _count(office, django_assert_num_queries, reverse("supervision:orders"), 11)
    _count(office, django_assert_num_queries, reverse("supervision:ranking"), 11)
    liaison = client_for(cast["liaison_a"])
    _count(liaison, django_assert_num_queries, reverse("supervision:orders"), 14, status="open")


@pytest.mark.parametrize("filled", SIZES, indirect=True)
def test_api_lists_query_count_does_not_grow(filled, client_for, django_assert_num_queries):
    cast, campaign = filled
    office = client_for(cast["office"])
    _count(office, django_assert_num_queries, "/api/v1/supervision-lights/", 11)
    _count(office, django_assert_num_queries, "/api/v1/supervision-orders/", 12)
    _count(office, django_assert_num_queries, f"/api/v1/supervision-ranking/{campaign.pk}/", 12)
