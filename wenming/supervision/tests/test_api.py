"""The API runs the same flow as the screens: lights, orders (create/respond/close/send back), ranking."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from wenming.assessments.models import Assessment, Finding, Rectification
from wenming.evidence.models import Evidence
from wenming.supervision.models import SupervisionOrder
from wenming.supervision.tests.conftest import late_task, make_task

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def rectification(cast, campaign, *, days=-2):
    assessment = Assessment.objects.create(campaign=campaign, title="年中自查")
    finding = Finding.objects.create(assessment=assessment, description="道德讲堂照片未体现会标")
    return Rectification.objects.create(finding=finding, campaign=campaign, department=cast.dept_b,
                                        requirement="补拍带会标的照片", due_on=timezone.localdate() + timedelta(days))


def test_lights_list_red_and_yellow_tasks_and_rectifications(cast, campaign, client_for):
    make_task(cast, campaign, days=-3, title="逾期任务")
    make_task(cast, campaign, days=1, title="临近任务")
    make_task(cast, campaign, days=30, title="正常任务")
    rectification(cast, campaign)
    body = client_for(cast["leader"]).get("/api/v1/supervision-lights/").json()
    assert [(i["kind"], i["title"], i["light"], i["days"]) for i in body] == [
        ("task", "逾期任务", "red", 3), ("rectification", "补拍带会标的照片", "red", 2), ("task", "临近任务", "yellow", 1)]
    only_b = client_for(cast["office"]).get("/api/v1/supervision-lights/", {"department": cast.dept_b.pk}).json()
    assert [i["kind"] for i in only_b] == ["rectification"]


def test_order_flow_through_the_api(cast, campaign, client_for):
    office, liaison = client_for(cast["office"]), client_for(cast["liaison_a"])
    task = late_task(cast, campaign)
    deadline = (timezone.localdate() + timedelta(3)).isoformat()
    assert post(office, "/api/v1/supervision-orders/", {"deadline": deadline, "request": "请办"}).status_code == 400
    created = post(office, "/api/v1/supervision-orders/", {"task": task.pk, "deadline": deadline, "request": "请办"})
    assert created.status_code == 201, created.content
    order = created.json()
    assert order["code"].endswith("第1号") and order["department_name"] == "民一庭" and order["status"] == "issued"
    item = Evidence.objects.create(campaign=campaign, title="台账", occurred_on=timezone.localdate(),
                                   department=cast.dept_a, uploader=cast["liaison_a"], link="https://example.cn/t")
    url = f"/api/v1/supervision-orders/{order['id']}/"
    version = order["version"]
    assert post(liaison, url + "respond/", {"text": "已办理", "evidence": [item.pk]}).json()["version"] == [
        "必填：请带上读取记录时得到的 version（版本号），以免覆盖他人的修改。"]  # issue 19.7: actions carry it too
    answer = post(liaison, url + "respond/", {"text": "已办理", "evidence": [item.pk], "version": version})
    assert answer.status_code == 200 and answer.json()["rounds"][-1]["evidence"] == [item.pk]
    version = answer.json()["version"]
    assert post(office, url + "send-back/", {"reason": "", "version": version}).status_code == 400
    assert post(office, url + "send-back/", {"reason": "缺照片"}).status_code == 400
    stale = post(office, url + "send-back/", {"reason": "缺照片", "version": version - 1})
    assert stale.status_code == 409 and stale.json()["version"] == version
    returned = post(office, url + "send-back/", {"reason": "缺照片", "version": version}).json()
    assert returned["status"] == "returned"
    assert post(liaison, url + "respond/", {"text": "已补照片", "version": 1}).status_code == 409
    answered = post(liaison, url + "respond/", {"text": "已补照片", "version": returned["version"]})
    assert answered.status_code == 200
    assert post(client_for(cast["leader"]), url + "close/", {"text": "办结"}).status_code == 400
    stale = post(client_for(cast["leader"]), url + "close/", {"text": "办结", "version": returned["version"]})
    assert stale.status_code == 409 and stale.json()["version"] == answered.json()["version"]
    closed = post(client_for(cast["leader"]), url + "close/", {"text": "办结", "version": answered.json()["version"]})
    assert closed.json()["status"] == "closed"
    assert [r["kind"] for r in closed.json()["rounds"]] == ["issued", "answered", "returned", "answered", "closed"]


def test_an_order_on_a_rectification_goes_to_its_department(cast, campaign, client_for):
    rect = rectification(cast, campaign)
    deadline = timezone.localdate().isoformat()
    created = post(client_for(cast["office"]), "/api/v1/supervision-orders/",
                   {"rectification": rect.pk, "deadline": deadline, "request": "请尽快整改"})
    assert created.status_code == 201, created.content
    order = SupervisionOrder.objects.get()
    assert order.rectification == rect and order.task is None and order.department == cast.dept_b
    assert created.json()["target_title"] == "补拍带会标的照片"
    both = post(client_for(cast["office"]), "/api/v1/supervision-orders/",
                {"rectification": rect.pk, "task": late_task(cast, campaign).pk, "deadline": deadline, "request": "x"})
    assert both.status_code == 400


def test_ranking_endpoint_shows_the_formula_and_departments_only(cast, campaign, client_for):
    make_task(cast, campaign, department=cast.dept_b, days=-2)
    rectification(cast, campaign)
    body = client_for(cast["leader"]).get(f"/api/v1/supervision-ranking/{campaign.pk}/").json()
    assert body["formula"].startswith("得分 = 按时完成率")
    row = next(r for r in body["rows"] if r["department_name"] == "民二庭")
    assert (row["overdue_days"], row["open_rectifications"], row["rank"]) == (2, 1, 1)
    assert set(row) >= {"department", "department_name"} and not any("user" in key for key in row)
