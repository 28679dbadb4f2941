"""Issue 19.8: a person files work only under a department the policy lets them own — the 创建办 any of the unit's,
everyone else their own. liaison_b (民二庭) cannot register an activity for 民一庭 through the API or the screen, and
the screen offers only the departments the person may pick."""

import json

import pytest
from django.urls import reverse

from wenming.activities.models import Activity
from wenming.activities.tests.conftest import kind, make_activity, the_campaign
from wenming.evidence.models import Evidence
from wenming.publicity.models import PublicityItem


def api_activity(cast, department):
    return {"campaign": the_campaign(cast).pk, "kind": kind(cast, "文体活动").pk, "title": "迎新春趣味运动会",
            "starts_at": "2021-02-05T14:00:00+08:00", "ends_at": "2021-02-05T17:00:00+08:00",
            "department": department.pk}


def post_json(client, name, data):
    return client.post(reverse(name), json.dumps(data), content_type="application/json")


def test_liaison_b_cannot_register_an_activity_for_another_department_through_the_api(cast, client_for):
    response = post_json(client_for(cast["liaison_b"]), "activity-list", api_activity(cast, cast.dept_a))

    assert response.status_code == 400
    assert "只能选择本部门（民二庭）" in response.json()["department"][0]
    assert not Activity.objects.filter(title="迎新春趣味运动会").exists()


def test_liaison_b_registers_an_activity_for_his_own_department(cast, client_for):
    response = post_json(client_for(cast["liaison_b"]), "activity-list", api_activity(cast, cast.dept_b))

    assert response.status_code == 201
    assert Activity.objects.get(title="迎新春趣味运动会").department == cast.dept_b


def test_the_office_registers_an_activity_for_any_department(cast, client_for):
    response = post_json(client_for(cast["office"]), "activity-list", api_activity(cast, cast.dept_a))

    assert response.status_code == 201


def test_a_liaison_cannot_move_his_activity_to_another_department(cast, client_for):
    activity = make_activity(cast, actor=cast["liaison_b"], department=cast.dept_b, organiser=cast["liaison_b"])
    url = reverse("activity-detail", args=[activity.pk])

    response = client_for(cast["liaison_b"]).patch(
        url, json.dumps({"department": cast.dept_a.pk, "version": activity.version}), content_type="application/json")

    assert response.status_code == 400
    activity.refresh_from_db()
    assert activity.department == cast.dept_b


def test_the_activity_form_offers_only_the_persons_own_department(cast, client_for):
    the_campaign(cast)

    liaison_page = client_for(cast["liaison_b"]).get(reverse("activities:create")).content.decode()
    office_page = client_for(cast["office"]).get(reverse("activities:create")).content.decode()

    select = liaison_page.split('name="department"')[1].split("</select>")[0]
    assert "民二庭" in select and "民一庭" not in select
    office_select = office_page.split('name="department"')[1].split("</select>")[0]
    assert "民一庭" in office_select and "民二庭" in office_select


def test_the_activity_form_refuses_a_forged_department(cast, client_for):
    the_campaign(cast)
    form = {"title": "伪造部门的活动", "kind": kind(cast, "志愿服务").pk, "starts_at": "2021-04-01T09:00",
            "ends_at": "2021-04-01T11:00", "status": "planned", "department": cast.dept_a.pk}

    response = client_for(cast["liaison_b"]).post(reverse("activities:create"), form)

    assert response.status_code in (200, 400)
    assert not Activity.objects.filter(title="伪造部门的活动").exists()


def test_editing_an_activity_keeps_its_department_on_offer(cast, client_for):
    activity = make_activity(cast, actor=cast["office"], department=cast.dept_a, organiser=cast["liaison_b"])

    page = client_for(cast["liaison_b"]).get(reverse("activities:edit", args=[activity.pk])).content.decode()

    select = page.split('name="department"')[1].split("</select>")[0]
    assert "民一庭" in select


def test_evidence_api_refuses_another_departments_name(cast, client_for):
    campaign = the_campaign(cast)
    data = {"campaign": campaign.pk, "title": "民一庭的台账", "kind": "link", "occurred_on": "2021-03-05",
            "link": "https://example.com/a", "department": cast.dept_a.pk}

    response = client_for(cast["liaison_b"]).post(reverse("evidence-list"), data)

    assert response.status_code == 400
    assert "只能选择本部门（民二庭）" in response.json()["department"][0]
    assert not Evidence.objects.filter(title="民一庭的台账").exists()


def test_publicity_api_refuses_another_departments_name(cast, client_for):
    campaign = the_campaign(cast)
    data = {"campaign": campaign.pk, "channel": "wechat", "level": "unit", "title": "民一庭的报道",
            "published_on": "2021-03-05", "outlet": "本院公众号", "link": "https://example.com/b",
            "department": cast.dept_a.pk}

    response = client_for(cast["liaison_b"]).post(reverse("publicity-item-list"), data)

    assert response.status_code == 400
    assert not PublicityItem.objects.filter(title="民一庭的报道").exists()


@pytest.mark.parametrize(("persona", "expected"), [("office", {"民一庭", "民二庭", "机关党委"}),
                                                    ("liaison_b", {"民二庭"}), ("staff_a", {"民一庭"}),
                                                    ("evaluator", set()), ("outsider", {"办公室"})])
def test_ownable_departments_follow_the_policy(cast, persona, expected):
    from wenming.org.models import Department

    assert set(Department.objects.ownable_by(cast[persona]).values_list("name", flat=True)) == expected
