"""The demo holds the seed's campaign; the API filters as the screen does and refuses what the screen refuses."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from wenming.campaigns import services
from wenming.campaigns.models import Campaign, RosterEntry, Task
from wenming.org.models import Department

pytestmark = pytest.mark.django_db


def test_demo_places_the_seeds_campaign_in_this_year_and_in_2021(capsys):
    call_command("demo", "--quiet-accounts")
    call_command("demo", "--quiet-accounts")  # idempotent
    call_command("demo", "--quiet-accounts", "--year", "2021")
    year = timezone.localdate().year
    current = Campaign.objects.get(title=f"{year}年创建市级文明单位")
    seed = Campaign.objects.get(title="2021年创建市级文明单位")
    assert Campaign.objects.count() == 2
    assert [(p.name, p.starts_on, p.ends_on) for p in seed.phases.all()] == [
        ("动员部署", date(2021, 1, 1), date(2021, 6, 30)), ("组织实施", date(2021, 7, 1), date(2021, 8, 31)),
        ("自查验收", date(2021, 9, 1), date(2021, 10, 31)), ("检查验收", date(2021, 11, 1), date(2021, 12, 31))]
    assert current.starts_on <= timezone.localdate() <= current.ends_on
    head = current.roster.get(role=RosterEntry.Role.HEAD)
    assert head.person.username == "leader"
    assert current.roster.filter(role=RosterEntry.Role.DEPUTY_HEAD).exists()
    assert current.roster.filter(role=RosterEntry.Role.OFFICE_DIRECTOR).exists()
    assert current.roster.get(role=RosterEntry.Role.OFFICE_DEPUTY).person.username == "office"
    assert current.roster.filter(role=RosterEntry.Role.LIAISON).count() == Department.objects.filter(
        unit=current.unit).count()
    tasks = Task.objects.filter(campaign=current)
    assert tasks.count() >= 40
    assert tasks.values("lead_department").distinct().count() == Department.objects.filter(unit=current.unit).count()
    assert len(set(tasks.values_list("status", flat=True))) >= 4
    assert tasks.filter(criteria__isnull=False).distinct().count() >= 40  # linked to the pinned standard
    assert current.standard.status == "published"


def test_api_lists_tasks_with_the_screens_filters(cast, client_for):
    campaign = services.campaign_create(actor=cast["office"], unit=cast.unit, title="2021年", year=2021)
    services.task_create(actor=cast["office"], campaign=campaign, title="甲", lead_department=cast.dept_a,
                         due_on=date(2021, 3, 1))
    services.task_create(actor=cast["office"], campaign=campaign, title="乙", lead_department=cast.dept_b,
                         due_on=date(2021, 12, 1), phase=campaign.phases.last())
    client = client_for(cast["leader"])
    titles = lambda **q: [r["title"] for r in client.get("/api/v1/tasks/", {"campaign": campaign.pk, **q}).json()["results"]]  # noqa: E731
    assert titles() == ["甲", "乙"]
    assert titles(department=cast.dept_b.pk) == ["乙"]
    assert titles(phase=campaign.phases.last().pk) == ["乙"]
    assert titles(status="not_started") == ["甲", "乙"]
    assert titles(overdue="1") == ["甲", "乙"]  # 2021 is past


def test_api_approval_is_for_office_and_leaders_and_a_stale_version_is_409(cast, client_for):
    campaign = services.campaign_create(actor=cast["office"], unit=cast.unit, title="2021年", year=2021)
    task = services.task_create(actor=cast["office"], campaign=campaign, title="甲", lead_department=cast.dept_a)
    liaison = client_for(cast["liaison_a"])
    url = f"/api/v1/tasks/{task.pk}/transition/"
    missing = liaison.post(url, {"action": "submit"}, content_type="application/json")
    assert missing.status_code == 400 and missing.json()["version"][0].startswith("必填")  # issue 19.7
    submitted = liaison.post(url, {"action": "submit", "version": task.version}, content_type="application/json")
    assert submitted.status_code == 200
    version = submitted.json()["version"]
    assert liaison.post(url, {"action": "approve", "version": version},
                        content_type="application/json").status_code == 403
    leader = client_for(cast["leader"])
    response = leader.post(url, {"action": "return", "reason": "", "version": version},
                           content_type="application/json")
    assert response.status_code == 400 and "原因" in response.content.decode()
    stale = leader.post(url, {"action": "approve", "version": version - 1}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["version"] == version
    response = leader.post(url, {"action": "approve", "version": version}, content_type="application/json")
    assert response.json()["status"] == "done"
