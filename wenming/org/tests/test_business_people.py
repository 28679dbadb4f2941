"""三员分立: the 系统管理员, 安全管理员 and 审计管理员 accounts hold no business role, so no business picker offers them —
task owners and leaders, activity organisers, the sign-in roster, assessment teams — and a posted id of one is
refused. One queryset method decides: `User.objects.business_people()`."""

from datetime import date

import pytest
from django.urls import reverse

from wenming.activities import selectors as activity_selectors
from wenming.campaigns.models import Task
from wenming.evidence.tests.conftest import make_campaign
from wenming.org.models import User

THREE = ("admin", "security", "auditor")
THREE_NAMES = ("管理员", "安全员", "审计员")


@pytest.fixture
def campaign(cast):
    return make_campaign(cast)


def test_business_people_leave_out_the_three_administrators(cast):
    people = set(User.objects.filter(unit=cast.unit).business_people())
    assert not people & {cast[name] for name in THREE}
    assert {cast["office"], cast["leader"], cast["liaison_a"], cast["staff_a"]} <= people
    cast["staff_a"].is_active = False
    cast["staff_a"].save()
    assert cast["staff_a"] not in set(User.objects.business_people())


def _offered(page: str) -> list[str]:
    return [name for name in THREE_NAMES if f"{name}（" in page or f">{name}<" in page]


def test_the_task_form_offers_no_administrator_and_refuses_one(cast, campaign, client_for):
    office = client_for(cast["office"])
    page = office.get(reverse("campaigns:task_create", args=[campaign.pk])).content.decode()
    assert "干警甲" in page and _offered(page) == []
    office.post(reverse("campaigns:task_create", args=[campaign.pk]), {
        "title": "由管理员负责的任务", "lead_department": cast.dept_a.pk, "owner": cast["admin"].pk,
        "due_on": date(2031, 6, 30).isoformat()})
    assert not Task.objects.filter(title="由管理员负责的任务", owner=cast["admin"]).exists()


def test_activity_organisers_and_the_sign_in_roster_leave_out_the_administrators(cast, campaign, client_for):
    roster = set(activity_selectors.unit_people(user=cast["office"]))
    assert not roster & {cast[name] for name in THREE} and cast["staff_a"] in roster
    page = client_for(cast["office"]).get(reverse("activities:create")).content.decode()
    assert "干警甲" in page and _offered(page) == []


def test_an_assessment_team_offers_no_administrator(cast, campaign, client_for):
    page = client_for(cast["office"]).get(reverse("assessments:create", args=[campaign.pk])).content.decode()
    assert _offered(page) == []
