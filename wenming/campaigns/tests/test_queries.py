"""Every campaign list page and list endpoint runs the same number of queries for 10 tasks or 1,000."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from wenming.campaigns import services
from wenming.campaigns.models import Task, TaskComment, TaskOccurrence
from wenming.core import memo
from wenming.standards.models import Criterion, Standard

SIZES = [10, 1000]


@pytest.fixture
def filled(cast, request):
    """A campaign with `size` tasks over both departments, each with a co-department, a criterion, an owner and
    some with monthly rounds — made with bulk_create for speed."""
    size = request.param
    standard = Standard.objects.create(unit=cast.unit, name="细则", status=Standard.Status.PUBLISHED)
    criteria = [Criterion.objects.create(standard=standard, code=str(i), title=f"测评内容{i}", points=1) for i in range(5)]
    campaign = services.campaign_create(actor=cast["office"], unit=cast.unit, title="2021年", year=2021,
                                        standard=standard)
    phases = list(campaign.phases.all())
    statuses = Task.Status.values
    tasks = Task.objects.bulk_create([
        Task(campaign=campaign, number=i, title=f"任务{i}", lead_department=(cast.dept_a, cast.dept_b)[i % 2],
             owner=(cast["liaison_a"], cast["staff_a"], None)[i % 3], supervisor=cast["leader"],
             phase=phases[i % 4], due_on=date(2021, 1, 1) + timedelta(days=i % 365), status=statuses[i % 5],
             recurrence=Task.Recurrence.MONTHLY if i % 10 == 0 else Task.Recurrence.ONCE)
        for i in range(size)
    ])
    Task.co_departments.through.objects.bulk_create([
        Task.co_departments.through(task_id=t.pk, department_id=(cast.dept_b, cast.dept_a)[t.number % 2].pk) for t in tasks])
    Task.criteria.through.objects.bulk_create([
        Task.criteria.through(task_id=t.pk, criterion_id=criteria[t.number % 5].pk) for t in tasks])
    TaskOccurrence.objects.bulk_create([TaskOccurrence(task=t, due_on=date(2021, m, 28)) for t in tasks
                                        if t.recurrence == Task.Recurrence.MONTHLY for m in range(1, 13)])
    TaskComment.objects.bulk_create([TaskComment(task=t, author=cast["office"], body="@联络员甲") for t in tasks[:50]])
    return cast, campaign


@pytest.mark.parametrize("filled", SIZES, indirect=True)
def test_task_list_query_count_does_not_grow(filled, client_for, django_assert_num_queries):
    cast, campaign = filled
    client = client_for(cast["office"])
    with django_assert_num_queries(20):
        response = client.get(reverse("campaigns:tasks", kwargs={"pk": campaign.pk}))
    assert response.status_code == 200
    assert "任务1" in response.content.decode()


@pytest.mark.parametrize("filled", SIZES, indirect=True)
def test_filtered_task_list_partial_query_count_does_not_grow(filled, client_for, django_assert_num_queries):
    cast, campaign = filled
    client = client_for(cast["liaison_a"])
    criterion = Criterion.objects.filter(standard=campaign.standard).first()
    with django_assert_num_queries(16):
        response = client.get(reverse("campaigns:tasks", kwargs={"pk": campaign.pk}),
                              {"department": cast.dept_a.pk, "criterion": criterion.pk, "overdue": "1"},
                              headers={"HX-Request": "true"})
    assert response.status_code == 200


@pytest.mark.parametrize("filled", SIZES, indirect=True)
def test_my_work_board_and_gantt_query_counts_do_not_grow(filled, client_for, django_assert_num_queries):
    cast, campaign = filled
    client = client_for(cast["liaison_a"])
    with django_assert_num_queries(16):  # 13, the 待办整改 card and the returned evidence
        assert client.get(reverse("campaigns:my_work") + f"?campaign={campaign.pk}").status_code == 200
    memo.clear()
    with django_assert_num_queries(15):  # every open campaign: listing them replaces reading the one named
        assert client.get(reverse("campaigns:my_work")).status_code == 200
    with django_assert_num_queries(10):
        assert client.get(reverse("campaigns:board", kwargs={"pk": campaign.pk})).status_code == 200
    with django_assert_num_queries(14):
        assert client.get(reverse("campaigns:gantt", kwargs={"pk": campaign.pk})).status_code == 200


@pytest.mark.parametrize("filled", SIZES, indirect=True)
def test_api_task_list_query_count_does_not_grow(filled, client_for, django_assert_num_queries):
    cast, campaign = filled
    client = client_for(cast["staff_a"])
    with django_assert_num_queries(12):
        response = client.get("/api/v1/tasks/", {"campaign": campaign.pk, "status": "in_progress"})
    assert response.status_code == 200
    assert all(row["status"] == "in_progress" for row in response.json()["results"])


@pytest.mark.parametrize("filled", SIZES, indirect=True)
def test_annex_export_query_count_does_not_grow(filled, client_for, django_assert_num_queries):
    cast, campaign = filled
    client = client_for(cast["office"])
    with django_assert_num_queries(17):  # 2 of them chain the audit row of the export (wenming.audit.chain)
        response = client.get(reverse("campaigns:export_xlsx", kwargs={"pk": campaign.pk}))
    assert response.status_code == 200


@pytest.mark.parametrize("filled", SIZES, indirect=True)
def test_campaign_home_and_api_lists_query_counts_do_not_grow(filled, client_for, django_assert_num_queries):
    cast, campaign = filled
    client = client_for(cast["leader"])
    with django_assert_num_queries(15):
        assert client.get(reverse("campaigns:home", kwargs={"pk": campaign.pk})).status_code == 200
    with django_assert_num_queries(9):
        assert client.get("/api/v1/campaigns/").status_code == 200
    with django_assert_num_queries(8):
        assert client.get("/api/v1/phases/", {"campaign": campaign.pk}).status_code == 200


@pytest.mark.parametrize("items", [1, 20])
def test_task_page_with_its_evidence_query_count_does_not_grow(cast, client_for, django_assert_num_queries, items):
    """The 佐证材料 panel: thumbnails, uploader and status of every item for a fixed number of queries."""
    from wenming.evidence.models import EvidenceFile
    from wenming.evidence.services import thumbnails_make
    from wenming.evidence.tests.conftest import make_campaign, task_of, upload_photos

    campaign = make_campaign(cast)
    task = task_of(cast, campaign, cast.dept_a)
    for number in range(items):
        upload_photos(cast, campaign, task=task, count=2, title=f"活动照片{number}",
                      actor=(cast["staff_a"], cast["liaison_a"])[number % 2])
    thumbnails_make(EvidenceFile.objects.values_list("pk", flat=True))
    client = client_for(cast["liaison_a"])
    with django_assert_num_queries(19):
        response = client.get(reverse("campaigns:task", kwargs={"pk": task.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="evidence-thumb"') == items and page.count("/thumbnail/") == items
