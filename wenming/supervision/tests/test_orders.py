"""督办单: numbered per unit and year, answered by the department's liaison, closed or sent back by the issuer,
every round kept, every step audited; printable as Word and listed in an xlsx register."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wenming.audit.models import AuditEvent
from wenming.campaigns.models import Task
from wenming.evidence.models import Evidence
from wenming.evidence.tests import files
from wenming.supervision import services
from wenming.supervision.models import OrderRound, SupervisionOrder
from wenming.supervision.tests.conftest import answered, issue, late_task, make_campaign, make_task

pytestmark = pytest.mark.django_db


def test_orders_are_numbered_per_unit_and_year(cast):
    first, second = issue(cast), issue(cast)
    assert (first.number, second.number) == (1, 2)
    year = timezone.localdate().year
    assert second.code == f"督办〔{year}〕第2号"
    SupervisionOrder.objects.filter(pk=first.pk).update(year=year - 1)  # last year's numbering is its own
    assert services._next_number(cast.unit.pk, year - 1) == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionOrder.objects.filter(pk=second.pk).update(number=1, year=year - 1)


def test_an_order_targets_exactly_one_item(cast):
    order = issue(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionOrder.objects.filter(pk=order.pk).update(task=None)


def test_issue_refuses_done_tasks_past_deadlines_and_empty_requests(cast):
    campaign = make_campaign(cast)
    done = make_task(cast, campaign, days=-3, status=Task.Status.DONE)
    with pytest.raises(ValidationError, match="已完成"):
        services.order_issue(actor=cast["office"], task=done, deadline=timezone.localdate(), request="请办理")
    task = late_task(cast, campaign)
    with pytest.raises(ValidationError, match="不能早于今天"):
        services.order_issue(actor=cast["office"], task=task, deadline=timezone.localdate() - timedelta(1),
                             request="请办理")
    with pytest.raises(ValidationError, match="督办事项"):
        services.order_issue(actor=cast["office"], task=task, deadline=timezone.localdate(), request="  ")
    assert not SupervisionOrder.objects.exists()


def test_answer_send_back_answer_close_keeps_every_round_and_audits_it(cast):
    order = issue(cast, department=cast.dept_a)
    assert order.department == cast.dept_a
    from wenming.notifications.models import Notification

    notice = Notification.objects.get(recipient=cast["liaison_a"])  # the department's liaison is told, in-app
    assert order.code in notice.title and notice.url == reverse("supervision:order_detail", args=[order.pk])
    campaign = order.campaign
    existing = Evidence.objects.create(campaign=campaign, title="志愿服务队名单", occurred_on=timezone.localdate(),
                                       department=cast.dept_a, uploader=cast["liaison_a"], link="https://example.cn/a")
    services.order_answer(actor=cast["liaison_a"], order=order, text="已组建", evidence=[existing],
                          files=[files.upload("注册截图.jpg", files.jpeg())])
    order.refresh_from_db()
    assert order.status == SupervisionOrder.Status.ANSWERED
    answer = order.rounds.get(kind=OrderRound.Kind.ANSWERED)
    uploaded = answer.evidence.exclude(pk=existing.pk).get()
    assert uploaded.department == cast.dept_a and uploaded.task == order.task and uploaded.files.count() == 1
    with pytest.raises(ValidationError, match="原因"):
        services.order_return(actor=cast["office"], order=order, reason="")
    services.order_return(actor=cast["leader"], order=order, reason="缺少注册人数统计")
    with pytest.raises(ValidationError, match="只有已答复"):
        services.order_close(actor=cast["office"], order=order)
    services.order_answer(actor=cast["liaison_a"], order=order, text="已补充统计表")
    services.order_close(actor=cast["office"], order=order, text="办结")
    order.refresh_from_db()
    assert order.status == SupervisionOrder.Status.CLOSED and order.closed_at
    assert list(order.rounds.values_list("kind", flat=True)) == ["issued", "answered", "returned", "answered", "closed"]
    verbs = list(AuditEvent.objects.filter(object_type="supervision.supervisionorder").order_by("id")
                 .values_list("verb", flat=True))
    assert verbs == ["supervision.order_issued", "supervision.order_answered", "supervision.order_returned",
                     "supervision.order_answered", "supervision.order_closed"]
    with pytest.raises(ValidationError):
        services.order_answer(actor=cast["liaison_a"], order=order, text="再答一次")


def test_liaisons_see_only_their_departments_orders_staff_none(cast):
    mine = issue(cast, department=cast.dept_a)
    theirs = issue(cast, department=cast.dept_b)
    visible = lambda name: set(SupervisionOrder.objects.visible_to(cast[name]).values_list("pk", flat=True))  # noqa: E731
    assert visible("office") == visible("leader") == {mine.pk, theirs.pk}
    assert visible("liaison_a") == {mine.pk}
    assert visible("staff_a") == visible("outsider") == visible("evaluator") == set()
    assert set(SupervisionOrder.objects.answerable_by(cast["liaison_b"]).values_list("pk", flat=True)) == {theirs.pk}
    assert not SupervisionOrder.objects.editable_by(cast["liaison_a"]).exists()


def test_the_liaison_answers_on_the_page_and_the_issuer_closes(cast, client_for):
    order = issue(cast, department=cast.dept_a)
    liaison = client_for(cast["liaison_a"])
    page = liaison.get(reverse("supervision:order_detail", args=[order.pk])).content.decode()
    assert "答复督办" in page and "督办人确认" not in page
    response = liaison.post(reverse("supervision:order_answer", args=[order.pk]),
                            {"text": "已组建志愿服务队", "version": order.version})
    assert response.status_code == 302
    stale = liaison.post(reverse("supervision:order_answer", args=[order.pk]), {"text": "再答", "version": 1})
    assert stale.status_code in (400, 409)
    office = client_for(cast["office"])
    order.refresh_from_db()
    assert "督办人确认" in office.get(reverse("supervision:order_detail", args=[order.pk])).content.decode()
    office.post(reverse("supervision:order_decide", args=[order.pk]), {"decision": "close", "version": order.version})
    order.refresh_from_db()
    assert order.status == SupervisionOrder.Status.CLOSED


def test_register_exports_xlsx_and_each_order_prints_as_word_with_chinese_fonts(cast, client_for):
    order = answered(cast)
    office = client_for(cast["office"])
    response = office.get(reverse("supervision:orders_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == ["编号", "督办事项", "承办部门"]
    assert sheet.cell(row=2, column=1).value == order.code
    response = office.get(reverse("supervision:order_docx", args=[order.pk]))
    assert response.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert order.code in xml and "已完成，材料见附件。" in xml
    assert 'w:eastAsia="仿宋_GB2312"' in xml and 'w:eastAsia="黑体"' in xml


def test_filters_answer_htmx_with_the_list_only(cast, client_for):
    issue(cast, department=cast.dept_a)
    issue(cast, department=cast.dept_b)
    office = client_for(cast["office"])
    part = office.get(reverse("supervision:orders"), {"department": cast.dept_b.pk}, HTTP_HX_REQUEST="true")
    html = part.content.decode()
    assert html.lstrip().startswith('<div id="order-table">') and "民二庭" in html and "民一庭" not in html
    part = office.get(reverse("supervision:index"), {"light": "red"}, HTTP_HX_REQUEST="true").content.decode()
    assert part.lstrip().startswith('<div id="warning-list">') and "组建志愿服务队" in part
