"""Issue 19.7: every API change to an existing record carries the version it read. Without one the API answers 400
naming the field; with a stale one 409, whose body carries the record's current version (and the message), as the
screens show the current values. One helper (`wenming.core.api.required_version`, `Conflict`) for every endpoint."""

import json

import pytest
from django.urls import reverse

from wenming.activities.models import Activity
from wenming.activities.tests.conftest import make_activity
from wenming.assessments.tests.conftest import score, self_check
from wenming.campaigns.models import Campaign, Phase, Task
from wenming.campaigns.tests.permissions import task_of_b, the_campaign
from wenming.org.models import Department, User


def department(cast):
    return "department-detail", cast.dept_a, {"order": 7}, Department


def person(cast):
    return "user-detail", cast["staff_a"], {"job_title": "审判员"}, User


def activity(cast):
    return "activity-detail", make_activity(cast), {"place": "一楼大厅"}, Activity


def campaign(cast):
    return "campaign-detail", the_campaign(cast), {"document_number": "某法党〔2021〕3号"}, Campaign


def phase(cast):
    return "phase-detail", the_campaign(cast).phases.first(), {"summary": "召开动员大会"}, Phase


def task(cast):
    return "task-detail", task_of_b(cast), {"due_text": "2021年9月30日"}, Task


def score_line(cast):
    from wenming.assessments.models import Score

    return "assessment-score-detail", score(cast, self_check(cast), "1", "1"), {"points": "0.5"}, Score


TARGETS = [department, person, activity, campaign, phase, task, score_line]


def patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def writer(cast, name):
    return cast["admin"] if name in ("department-detail", "user-detail") else cast["office"]


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.__name__)
def test_a_change_without_its_version_is_refused_naming_the_field(cast, client_for, target):
    name, obj, change, model = target(cast)
    before = model._base_manager.get(pk=obj.pk).version

    response = patch(client_for(writer(cast, name)), reverse(name, args=[obj.pk]), change)

    assert response.status_code == 400
    assert list(response.json()) == ["version"]
    assert response.json()["version"][0].startswith("必填")
    assert model._base_manager.get(pk=obj.pk).version == before


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.__name__)
def test_a_stale_change_answers_409_with_the_current_version(cast, client_for, target):
    name, obj, change, model = target(cast)
    client = client_for(writer(cast, name))
    url = reverse(name, args=[obj.pk])
    read = model._base_manager.get(pk=obj.pk).version
    first = patch(client, url, {**change, "version": read})
    assert first.status_code == 200, first.content

    stale = patch(client, url, {**change, "version": read})

    assert stale.status_code == 409
    body = stale.json()
    assert body["version"] == model._base_manager.get(pk=obj.pk).version == read + 1
    assert body["code"] == "stale" and "已被他人修改" in body["detail"]


def test_put_on_an_activity_needs_the_version_too(cast, client_for):
    activity = make_activity(cast)

    response = client_for(cast["office"]).put(reverse("activity-detail", args=[activity.pk]),
                                               json.dumps({"title": "改"}), content_type="application/json")

    assert response.status_code == 400 and "version" in response.json()


def test_a_version_that_is_not_a_number_is_refused(cast, client_for):
    response = patch(client_for(cast["admin"]), reverse("department-detail", args=[cast.dept_a.pk]),
                     {"order": 7, "version": "abc"})

    assert response.status_code == 400 and "version" in response.json()


# --- actions (issue 19.7): submit, approve, return, respond, verify, close… carry the version as a PATCH does --------
ACTIONS = ("task-transition", "task-progress", "evidence-upload", "evidence-review", "assessment-transition",
           "rectification-respond", "rectification-verify", "supervision-order-respond", "supervision-order-close",
           "supervision-order-send-back")


def action_cases():
    from wenming.core.tests.test_permission_matrix import EXPECTATIONS
    from wenming.testing import PERSONA_NAMES

    for expect in EXPECTATIONS:
        if expect.method == "post" and expect.url_name in ACTIONS:
            persona = next(p for p in PERSONA_NAMES if expect.status_for(p) == 200)
            yield pytest.param(expect, persona, id=expect.url_name)


def send(client, expect, url, data):
    if expect.content_type == "application/json":
        return client.post(url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


@pytest.mark.parametrize(("expect", "persona"), list(action_cases()))
def test_an_action_needs_the_current_version(expect, persona, cast, client_for):
    client = client_for(cast[persona])
    url = reverse(expect.url_name, kwargs=expect.kwargs(cast))
    data = expect.data(cast)
    current = data.pop("version")

    missing = send(client, expect, url, dict(data))
    assert missing.status_code == 400 and missing.json()["version"][0].startswith("必填")

    stale = send(client, expect, url, {**data, "version": current + 1})
    assert stale.status_code == 409
    assert stale.json()["version"] == current and stale.json()["code"] == "stale"


def test_every_action_is_swept():
    assert {case.id for case in action_cases()} == set(ACTIONS)
