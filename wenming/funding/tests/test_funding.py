"""工作经费: budget against spending per line and phase, receipts checked like evidence, the ledger export, the API,
stale edits, and query counts that do not grow with the data."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wenming.audit.models import AuditEvent
from wenming.core.recycle import recycle_delete
from wenming.evidence.tests import files
from wenming.funding import selectors, services
from wenming.funding.models import BudgetLine, Expense, Receipt
from wenming.funding.tests.conftest import make_expense, make_line

pytestmark = pytest.mark.django_db


def test_budget_against_spending_per_line_and_phase_with_the_over_budget_warning(cast, campaign):
    first, second = campaign.phases.order_by("order")[:2]
    boards = make_line(cast, campaign, amount="1000.00", phase=first)
    games = make_line(cast, campaign, amount="5000.00", title="运动会", category="culture", phase=second)
    make_line(cast, campaign, amount="800.00", title="培训", category="training")
    make_expense(cast, boards, amount="700.00")
    make_expense(cast, boards, amount="450.50")
    make_expense(cast, games, amount="4600.00")
    binned = make_expense(cast, games, amount="999.00")
    recycle_delete(actor=cast["office"], obj=binned)

    summary = selectors.budget_summary(user=cast["office"], campaign=campaign)

    by_title = {usage.line.title: usage for usage in summary.lines}
    assert by_title["宣传展板制作"].spent == Decimal("1150.50")
    assert by_title["宣传展板制作"].remaining == Decimal("-150.50")
    assert by_title["宣传展板制作"].state == "over" and by_title["宣传展板制作"].percent == 115
    assert by_title["运动会"].spent == Decimal("4600.00") and by_title["运动会"].state == "near"  # binned one left out
    assert by_title["培训"].state == "ok" and by_title["培训"].percent == 0
    assert [(p.name, p.budget, p.spent) for p in summary.phases] == [
        (first.name, Decimal("1000.00"), Decimal("1150.50")), (second.name, Decimal("5000.00"), Decimal("4600.00")),
        ("不分阶段", Decimal("800.00"), Decimal("0.00"))]
    assert summary.total.budget == Decimal("6800.00") and summary.total.spent == Decimal("5750.50")
    assert [usage.line.title for usage in summary.over_lines] == ["宣传展板制作"]


def test_the_budget_page_warns_in_red_and_the_leader_sees_no_edit_buttons(cast, campaign, client_for):
    line = make_line(cast, campaign, amount="100.00")
    make_expense(cast, line, amount="150.00")
    page = client_for(cast["office"]).get(reverse("funding:budget", args=[campaign.pk])).content.decode()
    assert "有 1 个预算项目已超支" in page and 'class="row-over"' in page and "150% 超支" in page
    assert reverse("funding:line_edit", args=[line.pk]) in page
    leader_page = client_for(cast["leader"]).get(reverse("funding:budget", args=[campaign.pk])).content.decode()
    assert "150% 超支" in leader_page and reverse("funding:line_edit", args=[line.pk]) not in leader_page


def test_an_expense_past_the_budget_is_saved_with_a_warning(cast, campaign, client_for):
    line = make_line(cast, campaign, amount="100.00")
    response = client_for(cast["office"]).post(reverse("funding:expense_create", args=[campaign.pk]), {
        "budget_line": line.pk, "spent_on": "2021-05-01", "amount": "120.00", "payee": "某某超市", "purpose": "饮用水",
        "receipts": [files.upload("发票.jpg", files.jpeg())]}, follow=True)
    assert "已支出 120.00 元，超出预算 100.00 元" in response.content.decode()
    expense = Expense.objects.get()
    receipt = expense.receipts.get()
    assert receipt.file_type == "jpg" and receipt.name == "发票.jpg"
    event = AuditEvent.objects.get(verb="funding.expense_created")
    assert event.after["amount"] == "120.00" and event.after["receipts"] == ["发票.jpg"]


def test_receipts_are_checked_by_content_and_one_refusal_keeps_nothing(cast, campaign):
    line = make_line(cast, campaign)
    with pytest.raises(ValidationError) as refused:
        make_expense(cast, line, receipts=[files.upload("发票.pdf", files.pdf(1)), files.upload("发票2.jpg", files.EXE)])
    assert "“发票2.jpg”实际是Windows 可执行程序" in str(refused.value)
    with pytest.raises(ValidationError) as wrong_type:
        make_expense(cast, line, receipts=[files.upload("明细.docx", files.docx())])
    assert "票据请上传 PDF 或图片" in str(wrong_type.value)
    assert not Expense.objects.exists() and not Receipt.objects.exists()


def test_amounts_must_be_positive_and_the_phase_of_the_same_campaign(cast, campaign):
    line = make_line(cast, campaign)
    with pytest.raises(ValidationError) as zero:
        make_expense(cast, line, amount="0")
    assert "支出金额必须大于 0" in str(zero.value)
    from wenming.funding.tests.conftest import make_campaign

    other = make_campaign(cast, year=2022)
    with pytest.raises(ValidationError) as phase:
        make_line(cast, campaign, phase=other.phases.first())
    assert "所选阶段不属于这个创建活动" in str(phase.value)


def test_an_expense_can_name_an_activity_of_the_campaign(cast, campaign):
    from wenming.activities.models import Activity, ActivityKind

    kind = ActivityKind.objects.create(unit=cast.unit, name="文体活动")
    start = timezone.make_aware(datetime(2021, 9, 18, 9))
    activity = Activity.objects.create(campaign=campaign, kind=kind, title="干警趣味运动会", starts_at=start,
                                       ends_at=start, created_by=cast["office"])
    expense = services.expense_create(actor=cast["office"], budget_line=make_line(cast, campaign),
                                      spent_on=date(2021, 9, 18), amount=Decimal("800"), payee="体育用品店",
                                      purpose="奖品", activity=activity)
    assert expense.activity == activity
    row = selectors.expense_list(user=cast["leader"], campaign=campaign).get()
    assert row.activity.title == "干警趣味运动会"


def test_a_stale_edit_shows_both_versions_and_saves_nothing(cast, campaign, client_for):
    expense = make_expense(cast, make_line(cast, campaign))
    services.expense_update(actor=cast["office"], expense=expense, values={"payee": "另一家公司"})
    response = client_for(cast["office"]).post(reverse("funding:expense_edit", args=[expense.pk]), {
        "budget_line": expense.budget_line_id, "spent_on": "2021-03-05", "amount": "300.00", "payee": "我的公司",
        "purpose": "展板 6 块", "version": "1"})
    assert response.status_code == 409
    assert "此记录已被他人修改" in response.content.decode()
    expense.refresh_from_db()
    assert expense.payee == "另一家公司"


def test_the_expense_list_filters(cast, campaign, client_for):
    boards, games = make_line(cast, campaign), make_line(cast, campaign, title="运动会", category="culture")
    make_expense(cast, boards, spent_on=date(2021, 3, 1))
    services.expense_create(actor=cast["office"], budget_line=games, spent_on=date(2021, 9, 1), amount=Decimal("50"),
                            payee="某某超市", purpose="矿泉水")
    client = client_for(cast["leader"])
    url = reverse("funding:expenses", args=[campaign.pk])
    assert "矿泉水" in client.get(url, {"category": "culture"}).content.decode()
    assert "矿泉水" not in client.get(url, {"line": boards.pk}).content.decode()
    assert "矿泉水" not in client.get(url, {"to": "2021-06-30"}).content.decode()
    partial = client.get(url, {"q": "矿泉"}, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="expense-table">') and "矿泉水" in partial and "展板" not in partial


def test_the_ledger_export_lists_lines_with_spent_and_remaining_and_every_expense(cast, campaign, client_for):
    line = make_line(cast, campaign, amount="1000.00")
    make_expense(cast, line, amount="1200.00", receipts=[files.upload("发票.pdf", files.pdf(1))])
    response = client_for(cast["leader"]).get(reverse("funding:export", args=[campaign.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["预算执行", "支出明细"]
    budget = [[c.value for c in row] for row in workbook["预算执行"].iter_rows(min_row=2)]
    assert budget[0][:4] == ["类别", "预算项目", "阶段", "预算（元）"]
    assert budget[1] == ["宣传品制作", "宣传展板制作", "不分阶段", 1000.0, 1200.0, -200.0, "120%", "超支"]
    assert budget[-1][0] == "合计"
    expenses = [[c.value for c in row] for row in workbook["支出明细"].iter_rows(min_row=2)]
    assert expenses[0][2:7] == ["宣传展板制作", 1200.0, "某某广告公司", "展板 6 块", "发票.pdf"]
    assert AuditEvent.objects.filter(verb="funding.ledger_exported").exists()


def test_the_api_records_an_expense_with_its_receipt_and_refuses_a_bad_one(cast, campaign, client_for):
    line = make_line(cast, campaign, amount="500.00")
    client = client_for(cast["office"])
    url = reverse("funding-expense-list")
    ok = client.post(url, {"budget_line": line.pk, "spent_on": "2021-04-01", "amount": "88.80", "payee": "某某店",
                           "purpose": "奖品", "receipts": files.upload("发票.png", files.png())})
    assert ok.status_code == 201, ok.content
    assert ok.json()["amount"] == "88.80" and ok.json()["receipts"][0]["file_type"] == "png"
    bad = client.post(url, {"budget_line": line.pk, "spent_on": "2021-04-01", "amount": "10", "payee": "某某店",
                            "purpose": "奖品", "receipts": files.upload("发票.jpg", files.EXE)})
    assert bad.status_code == 400 and "Windows 可执行程序" in bad.content.decode()
    lines = client_for(cast["leader"]).get(reverse("funding-budget-line-list"), {"campaign": campaign.pk}).json()
    assert [(row["spent"], row["remaining"], row["over_budget"]) for row in lines["results"]] == [
        ("88.80", "411.20", False)]


# ---------------------------------------------------------------------------------------------- query counts
def _fill(cast, campaign, size):
    phases = list(campaign.phases.all())
    lines = BudgetLine.objects.bulk_create([
        BudgetLine(campaign=campaign, category=BudgetLine.Category.values[i % 5], title=f"预算{i}",
                   amount=Decimal("1000"), phase=phases[i % 4] if i % 3 else None, created_by=cast["office"])
        for i in range(max(2, size // 5))])
    expenses = Expense.objects.bulk_create([
        Expense(budget_line=lines[i % len(lines)], spent_on=date(2021, 1 + i % 12, 1), amount=Decimal("10"),
                payee="某某", purpose=f"用途{i}", created_by=cast["office"]) for i in range(size)])
    Receipt.objects.bulk_create([
        Receipt(expense=e, file="funding/receipts/x.pdf", name="发票.pdf", sha256="0" * 64, size=1, file_type="pdf",
                mime="application/pdf", uploaded_by=cast["office"]) for e in expenses[::2]])


@pytest.mark.parametrize("size", [5, 60])
def test_funding_pages_and_endpoints_run_a_constant_number_of_queries(cast, campaign, client_for, size,
                                                                      django_assert_num_queries):
    _fill(cast, campaign, size)
    client = client_for(cast["office"])
    with django_assert_num_queries(13):
        assert client.get(reverse("funding:budget", args=[campaign.pk])).status_code == 200
    with django_assert_num_queries(14):
        assert client.get(reverse("funding:expenses", args=[campaign.pk])).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(reverse("funding-budget-line-list")).status_code == 200
    with django_assert_num_queries(9):
        assert client.get(reverse("funding-expense-list")).status_code == 200


def test_binning_a_budget_line_hides_its_expenses_until_it_is_restored(cast, campaign, client_for):
    line = make_line(cast, campaign)
    make_expense(cast, line)
    office = client_for(cast["office"])
    assert office.post(reverse("funding:line_delete", args=[line.pk])).status_code == 302
    assert not Expense.objects.visible_to(cast["leader"]).exists()
    assert "宣传展板制作" in office.get(reverse("recycle_bin")).content.decode()
    office.post(reverse("recycle_restore", args=["funding.budgetline", line.pk]))
    assert Expense.objects.visible_to(cast["leader"]).count() == 1
    office.post(reverse("funding:line_delete", args=[line.pk]))
    assert office.post(reverse("recycle_purge", args=["funding.budgetline", line.pk])).status_code == 302
    assert not BudgetLine.objects.exists() and not Expense.objects.exists()
