"""Findings → 整改: assigned to a department (its liaisons notified), answered with evidence, verified and closed
or sent back; the 整改台账 with filters and its export; the My work partial."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wenming.assessments import selectors, services
from wenming.assessments.models import Rectification
from wenming.assessments.tests.conftest import approve, line, self_check, upload_photos
from wenming.notifications.models import Notification


@pytest.fixture
def item(cast, campaign):
    own = self_check(cast, campaign)
    finding = services.finding_create(actor=cast["office"], assessment=own, criterion=line(campaign, "3"),
                                      description="领导班子专题研究会议纪要仅1份。", severity="major")
    return services.rectification_assign(actor=cast["office"], finding=finding, department=cast.dept_a,
                                         due_on=timezone.localdate() + timedelta(days=5), requirement="补齐纪要")


def test_assigning_notifies_the_departments_liaisons(cast, item):
    assert item.status == Rectification.Status.OPEN and item.campaign_id == item.finding.assessment.campaign_id
    notes = Notification.objects.filter(verb="assessments.rectification_assigned")
    assert [n.recipient for n in notes] == [cast["liaison_a"]]
    assert notes.get().url == reverse("assessments:rectification", args=[item.pk])


def test_liaison_responds_with_evidence_and_the_office_closes(cast, campaign, item, client_for):
    evidence = upload_photos(cast, campaign, actor=cast["liaison_a"], title="补充的党组会议纪要")
    approve(cast, evidence)
    liaison = client_for(cast["liaison_a"])
    response = liaison.post(reverse("assessments:respond", args=[item.pk]),
                            {"measures": "已补充第二次专题会议纪要。", "evidence": [evidence.pk], "version": item.version})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Rectification.Status.SUBMITTED and list(item.evidence.all()) == [evidence]
    assert Notification.objects.filter(verb="assessments.rectification_submitted", recipient=cast["office"]).exists()
    office = client_for(cast["office"])
    office.post(reverse("assessments:verify", args=[item.pk]), {"decision": "close", "version": item.version})
    item.refresh_from_db()
    assert item.status == Rectification.Status.CLOSED and item.verified_by == cast["office"] and item.closed_at


def test_sending_back_needs_a_reason_and_notifies(cast, item):
    item = services.rectification_respond(actor=cast["liaison_a"], rectification=item, measures="已整改")
    with pytest.raises(ValidationError, match="退回时请写明原因"):
        services.rectification_verify(actor=cast["office"], rectification=item, close=False)
    item = services.rectification_verify(actor=cast["office"], rectification=item, close=False, reason="缺照片")
    assert item.status == Rectification.Status.OPEN and item.return_reason == "缺照片"
    assert Notification.objects.filter(verb="assessments.rectification_returned", recipient=cast["liaison_a"]).exists()


def test_closing_needs_closing_evidence(cast, item):
    with pytest.raises(ValidationError, match="销号前须有整改佐证材料"):
        services.rectification_verify(actor=cast["office"], rectification=item, close=True)


def test_ledger_filters_and_export(cast, campaign, item, client_for):
    other = services.rectification_assign(actor=cast["office"], finding=item.finding, department=cast.dept_b,
                                          due_on=date(2020, 1, 1))
    client = client_for(cast["office"])
    url = reverse("assessments:ledger", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert "民一庭" in page and "民二庭" in page
    overdue = client.get(url, {"overdue": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert "民二庭" in overdue and "民一庭" not in overdue and "<html" not in overdue
    by_department = client.get(url, {"department": cast.dept_a.pk}).content.decode()
    assert f'href="/assessments/rectifications/{item.pk}/"' in by_department
    assert f'href="/assessments/rectifications/{other.pk}/"' not in by_department
    workbook = load_workbook(io.BytesIO(client.get(reverse("assessments:ledger_export", args=[campaign.pk])).content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[1][:3] == ("序号", "测评项", "问题") and len(rows) == 4


def test_staff_see_their_departments_items_only(cast, item):
    assert list(Rectification.objects.visible_to(cast["staff_a"])) == [item]
    services.rectification_assign(actor=cast["office"], finding=item.finding, department=cast.dept_b,
                                  due_on=date(2031, 1, 1))
    assert list(Rectification.objects.visible_to(cast["staff_a"])) == [item]
    assert Rectification.objects.visible_to(cast["evaluator"]).count() == 0


def test_my_rectifications_partial(cast, item):
    template = Template("{% load assessments_tags %}{% my_rectifications user %}")
    mine = template.render(Context({"user": cast["liaison_a"]}))
    assert "待办整改" in mine and "补齐纪要" in mine and "到期" in mine
    assert "没有待办的整改事项" in template.render(Context({"user": cast["liaison_b"]}))
    services.rectification_respond(actor=cast["liaison_a"], rectification=item, measures="已整改")
    assert [r.pk for r in selectors.open_rectifications_for(cast["office"])] == [item.pk], "waiting for 核验"


def test_closing_waits_until_the_closing_evidence_is_approved(cast, campaign, item, client_for):
    evidence = upload_photos(cast, campaign, actor=cast["liaison_a"], title="整改后的会议纪要")
    item = services.rectification_respond(actor=cast["liaison_a"], rectification=item, measures="已补齐纪要",
                                          evidence=[evidence])
    with pytest.raises(ValidationError, match="“整改后的会议纪要”尚待审核"):
        services.rectification_verify(actor=cast["office"], rectification=item, close=True)
    office = client_for(cast["office"])
    page = office.post(reverse("assessments:verify", args=[item.pk]), {"decision": "close", "version": item.version},
                       follow=True).content.decode()
    assert "尚待审核" in page and 'id="evidence-awaiting-review"' in page, "the page says so before trying"
    item.refresh_from_db()
    assert item.status == Rectification.Status.SUBMITTED and item.closed_at is None
    approve(cast, evidence)
    item = services.rectification_verify(actor=cast["office"], rectification=item, close=True)
    assert item.status == Rectification.Status.CLOSED


def test_assigning_a_finding_offers_the_default_due_date_in_iso_form(cast, item, client_for):
    """A date input shows only 2026-12-16; the Chinese locale's first input format (2026/12/16) left it empty."""
    page = client_for(cast["office"]).get(reverse("assessments:assign", args=[item.finding.pk])).content.decode()
    assert f'name="due_on" value="{selectors.soon().isoformat()}"' in page


def test_every_date_widget_renders_iso_in_chinese():
    from django import forms
    from django.utils import translation

    class Dates(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        moment = forms.DateTimeField()

    with translation.override("zh-hans"):
        html = str(Dates(initial={"day": date(2026, 12, 16), "moment": timezone.make_aware(
            timezone.datetime(2026, 12, 16, 9, 30))}))
        parsed = Dates({"day": "2026/12/16", "moment": "2026-12-16 09:30"})
        assert parsed.is_valid(), parsed.errors
    assert 'value="2026-12-16"' in html and "2026/12/16" not in html
    assert 'value="2026-12-16 09:30:00"' in html
