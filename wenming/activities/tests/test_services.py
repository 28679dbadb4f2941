"""Activities keep their documents as evidence of their criteria; sign-in and volunteer imports keep their rules."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wenming.activities import services
from wenming.activities.models import Attendance, VolunteerImportDraft, VolunteerRecord
from wenming.activities.tests.conftest import make_activity
from wenming.evidence.models import Evidence
from wenming.evidence.tests import files

pytestmark = pytest.mark.django_db


def criterion(campaign, code):
    return campaign.standard.criteria.get(code=code)


def test_photos_become_evidence_of_every_criterion_and_follow_changes(cast, campaign, activity):
    activity = services.activity_update(actor=cast["office"], activity=activity,
                                        criteria=[criterion(campaign, "3"), criterion(campaign, "4")])
    link = services.activity_document_add(actor=cast["liaison_a"], activity=activity, step="photos",
                                          files=[files.upload("现场.jpg", files.jpeg())])
    evidence = link.evidence
    assert evidence.kind == Evidence.Kind.PHOTO and evidence.files.count() == 1
    assert set(evidence.criteria.values_list("code", flat=True)) == {"3", "4"}
    # the evidence app lists it under each criterion without a second upload
    for code in ("3", "4"):
        assert Evidence.objects.visible_to(cast["office"]).filter(criteria=criterion(campaign, code),
                                                                  pk=evidence.pk).exists()
    services.activity_update(actor=cast["office"], activity=activity, criteria=[criterion(campaign, "4")])
    assert list(evidence.criteria.values_list("code", flat=True)) == ["4"]


def test_qr_sign_in_needs_the_token_and_happens_once(cast, activity):
    with pytest.raises(ValidationError):
        services.attendance_sign_in(person=cast["staff_a"], activity=activity, token="guess")
    row, created = services.attendance_sign_in(person=cast["staff_a"], activity=activity,
                                               token=activity.attendance_token)
    again, created_again = services.attendance_sign_in(person=cast["staff_a"], activity=activity,
                                                       token=activity.attendance_token)
    assert created and not created_again and row.pk == again.pk
    with pytest.raises(ValidationError, match="本单位"):
        services.attendance_sign_in(person=cast["outsider"], activity=activity, token=activity.attendance_token)


def test_expired_code_refuses_and_a_new_code_retires_the_old(cast, activity):
    old = activity.attendance_token
    activity = services.attendance_code_reset(actor=cast["liaison_a"], activity=activity,
                                              expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="截止"):
        services.attendance_sign_in(person=cast["staff_a"], activity=activity, token=activity.attendance_token)
    activity = services.attendance_code_reset(actor=cast["liaison_a"], activity=activity)
    with pytest.raises(ValidationError):
        services.attendance_sign_in(person=cast["staff_a"], activity=activity, token=old)


def test_attendance_sheet_exports_as_word_with_minutes_and_as_excel(cast, client_for):
    from docx import Document
    from openpyxl import load_workbook

    meeting = make_activity(cast, kind_name="党组会议", title="党组会议（第3次）")
    services.attendance_sign_in(person=cast["leader"], activity=meeting, recorded_by=cast["liaison_a"],
                                method=Attendance.Method.ROSTER)
    services.activity_minutes_save(actor=cast["liaison_a"], activity=meeting, minutes="传达学习上级精神。",
                                   decisions=["开展道德讲堂", "", "评选文明庭室"])
    client = client_for(cast["liaison_a"])
    word = Document(io.BytesIO(client.get(reverse("activities:attendance_docx", args=[meeting.pk])).content))
    table = word.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "姓名", "部门", "签到时间", "签名"]
    assert table.rows[1].cells[1].text == "院领导"
    text = "\n".join(p.text for p in word.paragraphs)
    assert "会议纪要" in text and "2. 评选文明庭室" in text and "参会人员：院领导" in text
    assert 'w:eastAsia="仿宋"' in word.element.xml or "w:eastAsia" in word.styles.element.xml
    sheet = load_workbook(io.BytesIO(client.get(reverse("activities:attendance_xlsx", args=[meeting.pk])).content)).active
    assert [c.value for c in sheet[2]][:4] == ["序号", "姓名", "部门", "签到时间"]
    assert sheet.cell(row=3, column=2).value == "院领导"


def volunteer_export(rows, *, title_row=True) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if title_row:
        sheet.append(["志愿汇 · 志愿者服务时长明细"])
    sheet.append(["序号", "姓名", "手机号码", "证件号码", "活动名称", "服务日期", "服务时长（小时）"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_volunteer_import_previews_then_imports_only_the_good_rows(cast, campaign, client_for):
    from wenming.org.models import User

    User.objects.filter(pk=cast["staff_a"].pk).update(phone="13800000001")
    content = volunteer_export([
        [1, "干警（甲）", "138 0000 0001", "", "文明交通劝导", date(2021, 3, 5), 2.5],   # by phone, name differs
        [2, "联络员乙", "", "", "文明交通劝导", "2021/3/5", "3"],                       # by unique name
        [3, "张三", "13900000000", "", "文明交通劝导", "2021-03-05", 2],                 # unknown person
        [4, "联络员甲", "", "", "敬老院慰问", "2021-03-06", "两小时"],                   # bad number
        [5, "院领导", "", "", "敬老院慰问", "三月六日", 2],                              # bad date
        [6, "院领导", "", "", "敬老院慰问", "2021年3月6日", 30],                         # hours out of range
    ])
    client = client_for(cast["office"])
    response = client.post(reverse("activities:volunteer_import"),
                           {"file": SimpleUploadedFile("志愿汇导出.xlsx", content)})
    draft = VolunteerImportDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("activities:volunteer_preview",
                                                                           args=[draft.token])
    page = client.get(response["Location"]).content.decode()
    assert VolunteerRecord.objects.count() == 0  # nothing saved by the preview
    for expected in ("第 5 行", "本单位人员中没有“张三”", "第 6 行", "不是 0 到 24 之间的数字", "第 7 行", "无法识别",
                     "第 8 行", "确认导入 2 行"):
        assert expected in page, expected
    response = client.post(reverse("activities:volunteer_preview", args=[draft.token]))
    assert response.status_code == 302
    records = {r.person.real_name: r for r in VolunteerRecord.objects.select_related("person")}
    assert set(records) == {"干警甲", "联络员乙"}
    assert records["干警甲"].hours == Decimal("2.50") and records["联络员乙"].served_on == date(2021, 3, 5)
    assert not VolunteerImportDraft.objects.exists()
    # the same file again: everything is either already imported or bad
    preview = services.volunteers.parse(content, "again.xlsx", unit_id=cast.unit.pk, campaign_id=campaign.pk)
    assert not preview.good and "已导入过" in preview.bad[0].reason


def test_volunteer_csv_in_gbk_and_ambiguous_names(cast, campaign):
    from wenming.org.roles import Role
    from wenming.testing import make_user

    make_user("dup1", cast.unit, cast.dept_b, [Role.STAFF], "王芳")
    make_user("dup2", cast.unit, cast.dept_a, [Role.STAFF], "王芳")
    text = "姓名,身份证号,服务时长,服务日期,项目名称\n王芳,110101199001011234,2,2021-04-01,文明餐桌\n干警甲,,1.5,20210402,文明餐桌\n"
    preview = services.volunteers.parse(text.encode("gbk"), "全国志愿服务信息系统.csv", unit_id=cast.unit.pk,
                                        campaign_id=campaign.pk)
    assert [r.person_name for r in preview.good] == ["干警甲"]
    assert preview.bad[0].row == 2 and "2 人叫“王芳”" in preview.bad[0].reason


def test_volunteer_file_without_the_needed_columns_is_refused_whole(cast, campaign):
    with pytest.raises(ValidationError, match="表头"):
        services.volunteer_draft_create(actor=cast["office"], campaign=campaign,
                                        upload=SimpleUploadedFile("x.csv", "甲,乙\n1,2\n".encode()))
    assert not VolunteerImportDraft.objects.exists()


def test_volunteer_summary_counts_registration_rate_and_hours_per_head(cast, campaign, client_for):
    VolunteerRecord.objects.create(campaign=campaign, person=cast["staff_a"], hours=Decimal("4"),
                                   served_on=date(2021, 3, 5), activity_name="劝导")
    VolunteerRecord.objects.create(campaign=campaign, person=cast["staff_a"], hours=Decimal("2"),
                                   served_on=date(2021, 3, 6), activity_name="劝导")
    VolunteerRecord.objects.create(campaign=campaign, person=cast["liaison_a"], hours=Decimal("2"),
                                   served_on=date(2021, 3, 6), activity_name="劝导")
    summary = services_summary(campaign)
    dept_a = next(r for r in summary.departments if r.name == "民一庭")
    assert (dept_a.staff, dept_a.registered, dept_a.hours, dept_a.per_head) == (2, 2, Decimal("8"), Decimal("4.0"))
    assert summary.total.registered == 2 and summary.total.staff == 5
    page = client_for(cast["office"]).get(reverse("activities:volunteers")).content.decode()
    assert "40.0%" in page and "2 / 5" in page  # the 三员 accounts alone are not counted as 干警
    assert "对应的测评指标" in page or not campaign.standard.criteria.filter(title__contains="志愿").exists()
    from openpyxl import load_workbook

    export = client_for(cast["office"]).get(reverse("activities:volunteer_export"))
    book = load_workbook(io.BytesIO(export.content))
    rows = list(book["部门汇总"].iter_rows(values_only=True))
    assert rows[0][:4] == ("部门", "人数", "有时长人数", "注册率（%）")
    assert ("民一庭", 2, 2, 100.0, 8.0, 4.0, 4.0) in rows
    assert [r[0] for r in book["个人明细"].iter_rows(min_row=2, values_only=True)] == ["干警甲", "联络员甲"]


def services_summary(campaign):
    from wenming.activities.selectors import volunteer_summary

    return volunteer_summary(campaign=campaign)


def test_a_kind_is_renamed_or_retired_and_registered_activities_keep_it(cast, campaign, activity, client_for):
    from wenming.activities.models import ActivityKind
    from wenming.audit.models import AuditEvent

    kind = activity.kind
    other = ActivityKind.objects.filter(unit=cast.unit).exclude(pk=kind.pk).first()
    client = client_for(cast["office"])
    url = reverse("activities:kind_edit", args=[kind.pk])
    taken = client.post(url, {"name": other.name, "is_active": "on"})
    assert taken.status_code == 400 and "本单位已有同名的活动类型" in taken.content.decode()
    assert client.post(url, {"name": "  道德讲堂（月度）", "is_meeting": "on"}).status_code == 302  # and retired
    kind.refresh_from_db()
    assert (kind.name, kind.is_meeting, kind.is_active) == ("道德讲堂（月度）", True, False)
    event = AuditEvent.objects.get(verb="activities.kind_changed")
    assert event.before["name"] == "道德讲堂" and event.after["is_active"] is False
    assert "道德讲堂（月度）" in client.get(reverse("activities:detail", args=[activity.pk])).content.decode()

    new_form = client.get(reverse("activities:create")).content.decode()
    assert "道德讲堂（月度）" not in new_form  # retired: not offered for new activities
    edit_form = client.get(reverse("activities:edit", args=[activity.pk])).content.decode()
    assert "道德讲堂（月度）" in edit_form  # but an activity that has it keeps it
    assert "停用" in client.get(reverse("activities:kinds")).content.decode()
