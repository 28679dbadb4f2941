"""Every edit screen detects a stale save: 409, both versions side by side, nothing overwritten (issue 9)."""

from django.urls import reverse

from wenming.standards import services as standard_services
from wenming.standards.tests.workbooks import make_standard


def test_stale_standard_line_save_shows_both_versions(cast, client_for):
    standard = make_standard(cast.unit, cast["office"])
    line = standard.criteria.get(code="1")
    opened = line.version
    standard_services.criterion_update(actor=cast["office"], criterion=line, code="1", title="他人先改的测评内容",
                                       points=line.points, kind=line.kind, expected_version=opened)

    response = client_for(cast["office"]).post(reverse("standards:criterion_edit", args=[line.pk]), {
        "code": "1", "title": "我改的测评内容", "points": line.points, "kind": line.kind, "version": opened,
    })

    body = response.content.decode()
    assert response.status_code == 409
    assert "此记录已被他人修改" in body and "他人先改的测评内容" in body and "我改的测评内容" in body
    line.refresh_from_db()
    assert line.title == "他人先改的测评内容"

    # Saving again from the re-armed form is a deliberate choice and goes through.
    again = client_for(cast["office"]).post(reverse("standards:criterion_edit", args=[line.pk]), {
        "code": "1", "title": "我改的测评内容", "points": line.points, "kind": line.kind, "version": line.version,
    })
    assert again.status_code == 302
    line.refresh_from_db()
    assert line.title == "我改的测评内容"


def test_stale_task_save_shows_both_versions(cast, client_for):
    from datetime import date

    from wenming.campaigns import services as campaign_services

    campaign = campaign_services.campaign_create(actor=cast["office"], unit=cast.unit, title="2021年创建市级文明单位",
                                                 year=2021)
    task = campaign_services.task_create(actor=cast["office"], campaign=campaign, title="召开动员大会",
                                         lead_department=cast.dept_b, due_on=date(2021, 6, 30))
    opened = task.version
    campaign_services.task_update(actor=cast["office"], task=task, values={"title": "召开全院干警动员大会"},
                                  expected_version=opened)

    response = client_for(cast["liaison_b"]).post(reverse("campaigns:task_edit", args=[task.pk]), {
        "title": "召开部门动员会", "due_text": "2021年6月底前", "version": opened,
    })

    body = response.content.decode()
    assert response.status_code == 409
    assert "他人保存的版本" in body and "召开全院干警动员大会" in body and "召开部门动员会" in body
    task.refresh_from_db()
    assert task.title == "召开全院干警动员大会"


def test_stale_evidence_save_shows_both_versions(cast, client_for):
    from wenming.evidence import services as evidence_services
    from wenming.evidence.tests.conftest import make_campaign, upload_photos

    campaign = make_campaign(cast)
    item = upload_photos(cast, campaign, actor=cast["staff_a"], title="道德讲堂活动照片")
    opened = item.version
    evidence_services.evidence_update(actor=cast["staff_a"], evidence=item, values={"title": "道德讲堂（他人先改）"},
                                      expected_version=opened)

    response = client_for(cast["staff_a"]).post(reverse("evidence:edit", args=[item.pk]), {
        "title": "道德讲堂（我的修改）", "kind": item.kind, "occurred_on": item.occurred_on.isoformat(),
        "criteria": [c.pk for c in item.criteria.all()], "version": opened,
    })

    body = response.content.decode()
    assert response.status_code == 409
    assert "道德讲堂（他人先改）" in body and "道德讲堂（我的修改）" in body
    item.refresh_from_db()
    assert item.title == "道德讲堂（他人先改）"
