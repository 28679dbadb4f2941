"""通知公告: publishing to the unit or to departments, attachments checked, read receipts and their export."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from wenming.evidence.tests import files
from wenming.notifications import selectors, services
from wenming.notifications.models import Announcement, Attachment, Notification, ReadReceipt

pytestmark = pytest.mark.django_db


def publish(cast, departments=(), files_=(), title="关于开展文明庭室评选的通知"):
    return services.announcement_publish(actor=cast["office"], title=title, body="请各部门于5月10日前报送。",
                                         departments=departments, files=files_)


def test_publishing_to_a_department_notifies_only_its_people_and_only_they_see_it(cast):
    item = publish(cast, departments=[cast.dept_a])
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"p_liaison_a", "p_staff_a"}
    assert list(Announcement.objects.visible_to(cast["staff_a"])) == [item]
    assert list(Announcement.objects.visible_to(cast["liaison_b"])) == []
    assert list(Announcement.objects.visible_to(cast["leader"])) == [item]  # leaders see all of the unit's
    assert list(Announcement.objects.visible_to(cast["outsider"])) == []


def test_whole_unit_announcement_reaches_everyone_active_but_the_author(cast):
    publish(cast)
    assert Notification.objects.count() == 7  # 8 people of the unit, minus the author


def test_attachments_are_checked_by_content_and_nothing_is_half_saved(cast):
    fake = SimpleUploadedFile("评选方案.pdf", files.EXE)
    with pytest.raises(ValidationError) as refused:
        publish(cast, files_=[SimpleUploadedFile("评分表.jpg", files.jpeg()), fake])
    assert "评选方案.pdf" in str(refused.value)
    assert not Announcement.objects.exists() and not Notification.objects.exists()
    item = publish(cast, files_=[SimpleUploadedFile("评分表.jpg", files.jpeg())])
    assert item.attachments.get().name == "评分表.jpg"


def test_opening_records_one_receipt_and_the_office_sees_who_has_not_read(cast, client_for):
    item = publish(cast, departments=[cast.dept_a, cast.dept_b])
    for _ in range(2):
        assert client_for(cast["staff_a"]).get(reverse("notifications:announcement_detail", args=[item.pk])).status_code == 200
    assert ReadReceipt.objects.filter(announcement=item).count() == 1
    assert Notification.objects.get(recipient=cast["staff_a"]).read_at is not None  # its notification too
    rows, read, unread = selectors.announcement_receipts(item)
    assert (read, unread) == (1, 2)
    assert [(row.name, [p.username for p in row.unread]) for row in rows] == [
        ("民一庭", ["p_liaison_a"]), ("民二庭", ["p_liaison_b"])]

    page = client_for(cast["office"]).get(reverse("notifications:announcement_receipts", args=[item.pk]))
    assert "联络员乙" in page.content.decode() and "已读" in page.content.decode()
    export = client_for(cast["office"]).get(reverse("notifications:announcement_receipts", args=[item.pk]),
                                            {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert ["民一庭", "联络员甲", "未读", None] in values and values[1][:3] == ["民一庭", "干警甲", "已读"]


def test_the_list_marks_unread_and_the_attachment_downloads_for_the_audience_only(cast, client_for):
    item = publish(cast, departments=[cast.dept_a], files_=[SimpleUploadedFile("评分表.jpg", files.jpeg())])
    page = client_for(cast["staff_a"]).get(reverse("notifications:announcements")).content.decode()
    assert "未读" in page and "关于开展文明庭室评选的通知" in page
    attachment = Attachment.objects.get()
    url = reverse("notifications:attachment", args=[attachment.pk])
    assert client_for(cast["staff_a"]).get(url).status_code == 200
    assert client_for(cast["liaison_b"]).get(url).status_code == 404
    assert item.pk


def test_a_published_announcement_is_corrected_audited_and_optionally_sent_again(cast, client_for):
    from wenming.audit.models import AuditEvent

    item = publish(cast, departments=[cast.dept_a])
    client = client_for(cast["office"])
    url = reverse("notifications:announcement_edit", args=[item.pk])
    assert "关于开展文明庭室评选的通知" in client.get(url).content.decode()
    empty = client.post(url, {"title": "  ", "body": "请报送。", "version": item.version})
    assert empty.status_code == 400 and Announcement.objects.get(pk=item.pk).version == 1

    saved = client.post(url, {"title": "关于开展文明庭室评选的通知", "body": "请各部门于5月12日前报送。",
                              "version": 1})
    assert saved.status_code == 302
    item.refresh_from_db()
    assert item.body == "请各部门于5月12日前报送。" and item.version == 2
    assert Notification.objects.count() == 2  # not sent again unless asked
    event = AuditEvent.objects.get(verb="notifications.announcement_corrected")
    assert "5月10日" in event.before["body"] and "5月12日" in event.after["body"]
    assert "已更正" in client.get(reverse("notifications:announcement_detail", args=[item.pk])).content.decode()

    stale = client.post(url, {"title": "另一人的更正", "body": "改期。", "version": 1})
    assert stale.status_code == 409 and "此记录已被他人修改" in stale.content.decode()
    assert Announcement.objects.get(pk=item.pk).title == "关于开展文明庭室评选的通知"

    again = client.post(url, {"title": "关于开展文明庭室评选的通知（时间调整）", "body": "请于5月12日前报送。",
                              "version": 2, "notify_again": "on"})
    assert again.status_code == 302
    resent = Notification.objects.filter(title__startswith="通知公告（更正）")
    assert set(resent.values_list("recipient__username", flat=True)) == {"p_liaison_a", "p_staff_a"}

    assert client_for(cast["staff_a"]).get(url).status_code == 403  # only the 创建办 corrects
