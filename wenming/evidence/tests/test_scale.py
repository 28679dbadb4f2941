"""`wenming seed_scale` (issue 10): the counts asked for, consistent links, usable pages, a clear refusal."""

from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from wenming.campaigns.models import Campaign, Phase, Task
from wenming.evidence.models import Evidence, EvidenceFile
from wenming.org.models import Department, RoleAssignment, Unit, User
from wenming.org.roles import Role
from wenming.standards.models import Criterion, Standard

TINY = ["--units", "2", "--departments", "4", "--users", "9", "--criteria", "20", "--tasks", "12", "--evidence", "40"]


def seed(*extra):
    out = StringIO()
    call_command("seed_scale", *TINY, *extra, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_scale_makes_the_counts_asked_for():
    output = seed()

    assert "已生成" in output and "用时" in output
    assert Unit.objects.count() == 2
    assert Department.objects.count() == 2 * 4
    assert User.objects.count() == 2 * 9
    assert Criterion.objects.count() == 2 * 20
    assert Standard.objects.filter(status=Standard.Status.PUBLISHED).count() == 2
    assert Campaign.objects.count() == 2
    assert Phase.objects.count() == 2 * 4
    assert Task.objects.count() == 2 * 12
    assert Evidence.objects.count() == 2 * 40
    assert not EvidenceFile.objects.exists()
    for unit in Unit.objects.all():
        depths = set(Criterion.objects.filter(standard__unit=unit).values_list("depth", flat=True))
        assert depths == {1, 2, 3}
        assert RoleAssignment.objects.filter(user__unit=unit, role=Role.OFFICE).count() == 1
    assert len(set(User.objects.values_list("password", flat=True))) == 1  # one hash, reused


@pytest.mark.django_db
def test_links_stay_inside_the_unit_and_the_standard():
    seed()

    for task in Task.objects.select_related("campaign", "lead_department", "owner").prefetch_related("co_departments"):
        unit_id = task.campaign.unit_id
        assert task.lead_department.unit_id == unit_id
        assert task.owner.unit_id == unit_id
        assert all(department.unit_id == unit_id for department in task.co_departments.all())
        assert task.phase.campaign_id == task.campaign_id
    for item in Evidence.objects.select_related("campaign").prefetch_related("criteria"):
        assert item.criteria.exists()
        assert all(criterion.standard_id == item.campaign.standard_id for criterion in item.criteria.all())
        assert item.campaign.starts_on <= item.occurred_on <= item.campaign.ends_on
    statuses = set(Task.objects.values_list("status", flat=True))
    assert len(statuses) > 1


@pytest.mark.django_db
def test_office_of_a_generated_unit_opens_the_task_list_and_gap_view(client_for):
    seed()
    campaign = Campaign.objects.order_by("id").last()
    office = User.objects.get(unit=campaign.unit, role_assignments__role=Role.OFFICE)
    client = client_for(office)

    assert client.get(reverse("campaigns:tasks", args=[campaign.pk])).status_code == 200
    assert client.get(reverse("evidence:gaps", args=[campaign.pk])).status_code == 200
    assert client.get(reverse("evidence:list", args=[campaign.pk])).status_code == 200


@pytest.mark.django_db
def test_refuses_a_second_run_with_the_same_names_but_takes_a_prefix():
    seed()

    with pytest.raises(CommandError, match="已有同名单位.*--prefix"):
        seed()
    assert Unit.objects.count() == 2

    seed("--prefix", "第二批")
    assert Unit.objects.filter(name__startswith="第二批").count() == 2


@pytest.mark.django_db
def test_files_are_real_and_on_storage():
    call_command("seed_scale", "--units", "1", "--departments", "2", "--users", "5", "--criteria", "10",
                 "--tasks", "3", "--evidence", "10", "--files", stdout=StringIO())

    files = list(EvidenceFile.objects.all())
    assert files
    for row in files:
        assert default_storage.exists(row.file.name)
        with default_storage.open(row.file.name) as handle:
            head = handle.read(8)
        assert head.startswith(b"\x89PNG" if row.file_type == "png" else b"%PDF")
