"""宣传报道: items become evidence, monthly counts against targets, reports to superiors, the practice library, the
xlsx ledgers, the API, and query counts that do not grow with the data."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from wenming.evidence.models import Evidence
from wenming.evidence.tests import files
from wenming.publicity import selectors, services
from wenming.publicity.models import Practice, PublicityItem, PublicityTarget, SuperiorReport
from wenming.publicity.tests.conftest import criterion, make_item, make_practice, make_report

pytestmark = pytest.mark.django_db


def test_an_item_with_a_screenshot_is_filed_as_evidence_for_its_criteria(cast, campaign):
    item = make_item(cast, campaign)
    evidence = item.evidence
    assert evidence.kind == Evidence.Kind.SCREENSHOT and evidence.status == Evidence.Status.PENDING
    assert evidence.title == item.title and evidence.occurred_on == item.published_on
    assert list(evidence.criteria.all()) == [criterion(campaign)] == list(item.criteria.all())
    assert evidence.department == cast.dept_a and evidence.uploader == cast["liaison_a"]
    assert evidence.files.get().file_type == "png"
    assert "微信公众号（本单位）" in evidence.description


def test_an_item_needs_a_screenshot_or_a_link_and_a_screenshot_must_be_an_image(cast, campaign):
    with pytest.raises(ValidationError) as nothing:
        services.item_create(actor=cast["office"], campaign=campaign, channel="wechat", level="unit", title="无附件",
                             published_on=date(2021, 3, 1))
    assert "请上传截图，或填写已发布内容的链接" in str(nothing.value)
    with pytest.raises(ValidationError) as pdf:
        services.item_create(actor=cast["office"], campaign=campaign, channel="wechat", level="unit", title="PDF",
                             published_on=date(2021, 3, 1), screenshot=files.upload("截图.pdf", files.pdf(1)))
    assert "截图请上传图片" in str(pdf.value)
    assert not PublicityItem.objects.exists() and not Evidence.objects.exists()
    linked = make_item(cast, campaign, screenshot=False)
    assert linked.evidence.kind == Evidence.Kind.LINK and linked.evidence.link == "https://mp.example.cn/s/1"


def test_a_liaison_registers_for_their_own_department_and_edits_follow_into_the_evidence(cast, campaign, client_for):
    client = client_for(cast["liaison_b"])
    form = client.get(reverse("publicity:item_create", args=[campaign.pk])).content.decode()
    assert 'name="department"' not in form
    response = client.post(reverse("publicity:item_create", args=[campaign.pk]), {
        "title": "金融纠纷巡回审判进企业", "channel": "new_media", "level": "city", "published_on": "2021-09-25",
        "department": cast.dept_a.pk, "criteria": [criterion(campaign).pk],
        "screenshot": files.upload("抖音截图.png", files.png())})
    assert response.status_code == 302
    item = PublicityItem.objects.get()
    assert item.department == cast.dept_b and item.evidence.department == cast.dept_b
    response = client.post(reverse("publicity:item_edit", args=[item.pk]), {
        "title": "金融纠纷巡回审判走进企业", "channel": "new_media", "level": "city", "published_on": "2021-09-26",
        "link": "https://v.example.cn/1", "criteria": [], "version": item.version})
    assert response.status_code == 302
    item.refresh_from_db()
    item.evidence.refresh_from_db()
    assert item.evidence.title == "金融纠纷巡回审判走进企业" and item.evidence.occurred_on == date(2021, 9, 26)
    assert item.evidence.link == "https://v.example.cn/1" and not item.evidence.criteria.exists()
    assert client_for(cast["liaison_a"]).get(reverse("publicity:item_edit", args=[item.pk])).status_code == 403


def test_monthly_counts_per_level_and_months_below_target_are_marked(cast, campaign):
    services.target_set(actor=cast["office"], campaign=campaign, channel="wechat", per_month=1)
    services.target_set(actor=cast["office"], campaign=campaign, level="city", per_month=2)
    for day in (date(2021, 1, 9), date(2021, 3, 2), date(2021, 3, 20), date(2021, 4, 2)):
        make_item(cast, campaign, published_on=day)
    make_item(cast, campaign, published_on=date(2021, 3, 5), channel="press", level="city")

    table = selectors.monthly_table(user=cast["staff_a"], campaign=campaign, today=date(2021, 4, 15))

    assert len(table.months) == 12 and table.months[0] == date(2021, 1, 1)
    units = next(row for row in table.level_rows if row.label == "本单位")
    assert [c.count for c in units.cells][:4] == [1, 0, 2, 1] and units.total == 4
    assert [c.count for c in table.total_row.cells][:4] == [1, 0, 3, 1]
    wechat = next(row for row in table.target_rows if row.target.channel == "wechat")
    assert [c.state for c in wechat.cells][:5] == ["met", "short", "met", "met", "future"]
    city = next(row for row in table.target_rows if row.target.level == "city")
    assert [c.state for c in city.cells][:5] == ["short", "short", "short", "open", "future"]
    assert table.short_count == 4


def test_setting_a_target_again_changes_it(cast, campaign, client_for):
    client = client_for(cast["office"])
    url = reverse("publicity:targets", args=[campaign.pk])
    client.post(url, {"channel": "wechat", "level": "", "per_month": "1"})
    client.post(url, {"channel": "wechat", "level": "", "per_month": "3", "note": "每月至少3篇"})
    assert list(PublicityTarget.objects.values_list("channel", "per_month", "note")) == [("wechat", 3, "每月至少3篇")]
    page = client.get(reverse("publicity:ledger", args=[campaign.pk])).content.decode()
    assert "微信公众号（每月至少 3 篇）" in page


def test_the_ledger_filters_by_month_and_level(cast, campaign, client_for):
    make_item(cast, campaign, published_on=date(2021, 3, 5), title="三月公众号")
    make_item(cast, campaign, published_on=date(2021, 5, 5), title="五月报刊", channel="press", level="city")
    client = client_for(cast["staff_a"])
    url = reverse("publicity:ledger", args=[campaign.pk])
    march = client.get(url, {"month": "2021-03"}, headers={"HX-Request": "true"}).content.decode()
    assert "三月公众号" in march and "五月报刊" not in march and "每月宣传情况" not in march
    city = client.get(url, {"level": "city"}).content.decode()
    assert "五月报刊" in city and "三月公众号" not in city


def test_the_publicity_and_report_ledgers_export(cast, campaign, client_for):
    services.target_set(actor=cast["office"], campaign=campaign, channel="wechat", per_month=1)
    make_item(cast, campaign, published_on=date(2021, 3, 5))
    make_report(cast, campaign)
    client = client_for(cast["leader"])
    workbook = load_workbook(io.BytesIO(client.get(reverse("publicity:ledger_export", args=[campaign.pk])).content))
    assert workbook.sheetnames == ["宣传报道台账", "每月统计"]
    rows = [[c.value for c in row] for row in workbook["宣传报道台账"].iter_rows(min_row=3)]
    assert rows[0][1:4] == ["我院召开创建动员大会", "微信公众号", "本单位"] and rows[0][9] == "待审核"
    monthly = [[c.value for c in row] for row in workbook["每月统计"].iter_rows()]
    assert monthly[0][:4] == ["项目", "2021-01", "2021-02", "2021-03"]
    target_row = monthly[-1]
    assert target_row[0] == "微信公众号（每月至少 1 篇）" and target_row[3] == 1
    assert workbook["每月统计"].cell(row=len(monthly), column=2).fill.fgColor.rgb.endswith("FDECEA")
    reports = load_workbook(io.BytesIO(client.get(reverse("publicity:reports_export", args=[campaign.pk])).content))
    sheet = reports.active
    assert "共 1 篇，被采用 1 篇" in sheet["A1"].value
    assert [c.value for c in sheet[3]][1:5] == ["市文明办", "创建工作动员部署情况", "市级", "是"]


def test_reports_keep_their_file_and_can_be_filtered_by_adoption(cast, campaign, client_for):
    make_report(cast, campaign)
    services.report_create(actor=cast["office"], campaign=campaign, recipient="上级法院", title="未采用的稿件",
                           reported_on=date(2021, 4, 1))
    with pytest.raises(ValidationError) as refused:
        services.report_create(actor=cast["office"], campaign=campaign, recipient="市文明办", title="坏文件",
                               reported_on=date(2021, 4, 1), file=files.upload("稿件.pdf", files.EXE))
    assert "Windows 可执行程序" in str(refused.value)
    assert SuperiorReport.objects.count() == 2
    client = client_for(cast["staff_a"])
    adopted = client.get(reverse("publicity:reports", args=[campaign.pk]), {"adopted": "yes"}).content.decode()
    assert "创建工作动员部署情况" in adopted and "未采用的稿件" not in adopted
    months = {m.month: (m.total, m.adopted) for m in selectors.report_months(user=cast["staff_a"], campaign=campaign)}
    assert months[date(2021, 2, 1)] == (1, 1) and months[date(2021, 4, 1)] == (1, 0)
    assert months[date(2021, 3, 1)] == (0, 0)
    report = SuperiorReport.objects.get(title="创建工作动员部署情况")
    download = client.get(reverse("publicity:report_file", args=[report.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_practice_tags_are_cleaned_and_filter_exactly(cast, client_for):
    practice = make_practice(cast, tags="志愿服务，道德讲堂、 志愿服务;迎检")
    assert practice.tags == "志愿服务,道德讲堂,迎检"
    make_practice(cast, tags="志愿", with_file=False)
    assert selectors.practice_list(user=cast["staff_a"], tag="志愿").count() == 1
    assert selectors.practice_list(user=cast["staff_a"], tag="道德讲堂").get() == practice
    assert selectors.practice_list(user=cast["staff_a"], q="网格").count() == 2
    assert dict(selectors.practice_tags(user=cast["staff_a"])) == {"志愿服务": 1, "道德讲堂": 1, "迎检": 1, "志愿": 1}
    page = client_for(cast["leader"]).get(reverse("publicity:practices"), {"tag": "迎检"}).content.decode()
    assert page.count('class="card practice"') == 1
    assert not Practice.objects.visible_to(cast["outsider"]).exists()


def test_the_api_registers_an_item_as_evidence(cast, campaign, client_for):
    response = client_for(cast["liaison_a"]).post(reverse("publicity-item-list"), {
        "campaign": campaign.pk, "channel": "wechat", "level": "unit", "title": "道德讲堂", "published_on": "2021-03-05",
        "criteria": [criterion(campaign).pk], "screenshot": files.upload("截图.png", files.png())})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["department_name"] == "民一庭" and body["criteria"] == [criterion(campaign).pk]
    assert Evidence.objects.get(pk=body["evidence"]).kind == Evidence.Kind.SCREENSHOT
    bad = client_for(cast["office"]).post(reverse("publicity-item-list"), {
        "campaign": campaign.pk, "channel": "wechat", "level": "unit", "title": "空", "published_on": "2021-03-05"})
    assert bad.status_code == 400 and "请上传截图" in bad.content.decode()


# ---------------------------------------------------------------------------------------------- query counts
def _fill(cast, campaign, size):
    evidence = Evidence.objects.bulk_create([
        Evidence(campaign=campaign, title=f"报道{i}", occurred_on=date(2021, 1 + i % 12, 1), link="https://e.cn",
                 kind=Evidence.Kind.LINK, uploader=cast["office"]) for i in range(size)])
    items = PublicityItem.objects.bulk_create([
        PublicityItem(campaign=campaign, channel=("wechat", "press")[i % 2], level=("unit", "city")[i % 2],
                      title=f"报道{i}", published_on=date(2021, 1 + i % 12, 1), department=cast.dept_a,
                      evidence=evidence[i], created_by=cast["office"]) for i in range(size)])
    through = PublicityItem.criteria.through
    through.objects.bulk_create([through(publicityitem=item, criterion=criterion(campaign)) for item in items])
    PublicityTarget.objects.create(campaign=campaign, channel="wechat", per_month=1)
    SuperiorReport.objects.bulk_create([
        SuperiorReport(campaign=campaign, recipient=("市文明办", "上级法院")[i % 2], title=f"报送{i}",
                       reported_on=date(2021, 1 + i % 12, 1), created_by=cast["office"]) for i in range(size)])
    Practice.objects.bulk_create([
        Practice(unit=cast.unit, source_unit="某法院", title=f"做法{i}", summary="做法", tags=f"标签{i % 7},志愿服务",
                 added_by=cast["liaison_a"]) for i in range(size)])


@pytest.mark.parametrize("size", [5, 60])
def test_publicity_pages_and_endpoints_run_a_constant_number_of_queries(cast, campaign, client_for, size,
                                                                        django_assert_num_queries):
    _fill(cast, campaign, size)
    client = client_for(cast["liaison_a"])
    with django_assert_num_queries(17):
        assert client.get(reverse("publicity:ledger", args=[campaign.pk])).status_code == 200
    with django_assert_num_queries(12):
        assert client.get(reverse("publicity:reports", args=[campaign.pk])).status_code == 200
    with django_assert_num_queries(10):
        assert client.get(reverse("publicity:practices")).status_code == 200
    for name in ("publicity-item-list", "publicity-report-list", "publicity-practice-list"):
        with django_assert_num_queries(9 if name == "publicity-item-list" else 8):
            assert client.get(reverse(name)).status_code == 200


def test_a_binned_item_leaves_the_ledger_and_the_office_restores_it(cast, campaign, client_for):
    item = make_item(cast, campaign)
    client = client_for(cast["liaison_a"])
    assert client.post(reverse("publicity:item_delete", args=[item.pk])).status_code == 302
    assert item.title not in client.get(reverse("publicity:ledger", args=[campaign.pk])).content.decode()
    assert Evidence.objects.filter(pk=item.evidence_id, deleted_at__isnull=True).exists()  # the evidence stays
    office = client_for(cast["office"])
    assert item.title in office.get(reverse("recycle_bin")).content.decode()
    office.post(reverse("recycle_restore", args=["publicity.publicityitem", item.pk]))
    assert item.title in client.get(reverse("publicity:ledger", args=[campaign.pk])).content.decode()
