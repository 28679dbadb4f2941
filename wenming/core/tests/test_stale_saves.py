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
