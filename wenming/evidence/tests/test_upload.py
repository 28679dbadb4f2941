"""Upload and hardening: type by content, the allow-list, sizes, names, zip bombs; nothing stored on refusal."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from wenming.audit.models import AuditEvent
from wenming.evidence import services
from wenming.evidence.models import Evidence, EvidenceFile, Review
from wenming.evidence.tests import files
from wenming.evidence.tests.conftest import line
from wenming.files import sniffing

pytestmark = pytest.mark.django_db


def stored_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def create(cast, campaign, upload_files, **extra):
    return services.evidence_create(actor=cast["staff_a"], campaign=campaign, title="道德讲堂", kind="photo",
                                    occurred_on=date(2021, 3, 5), department=cast.dept_a,
                                    criteria=[line(campaign, "3")], files=upload_files, **extra)


@pytest.mark.parametrize(("maker", "expected"), [
    (files.jpeg, "jpg"), (files.png, "png"), (files.pdf, "pdf"), (files.docx, "docx"), (files.xlsx, "xlsx"),
    (lambda: files.zip_of({"a.jpg": files.jpeg(), "b.pdf": files.pdf()}), "zip"),
    (lambda: b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom" + b"\0" * 64, "mp4"),
    (lambda: files.OLE_DOC, "doc"),
])
def test_types_are_decided_by_content(maker, expected):
    import io

    assert sniffing.sniff(io.BytesIO(maker()), "随便起的名字.bin").key == expected


def test_hostile_files_are_refused_in_chinese_and_nothing_is_stored(cast, campaign):
    for hostile in files.hostile_set():
        with pytest.raises(ValidationError) as refused:
            create(cast, campaign, [files.upload("好照片.jpg", files.jpeg()), hostile])
        message = " ".join(refused.value.messages)
        assert "“" in message and any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    assert not Evidence.objects.exists() and not EvidenceFile.objects.exists() and not Review.objects.exists()
    assert stored_files() == []


def test_each_refusal_names_the_file_and_says_why(cast, campaign):
    with pytest.raises(ValidationError) as refused:
        create(cast, campaign, files.hostile_set())
    messages = refused.value.message_dict["files"]
    assert len(messages) == 6
    text = "\n".join(messages)
    assert "“活动照片.jpg”实际是Windows 可执行程序" in text
    assert "“通知.html”实际是网页（HTML）" in text
    assert "“标志.svg”实际是SVG 图形（可含脚本）" in text
    assert "“空白.jpg”是空文件" in text
    assert "文件名“../../etc/passwd.jpg”含有路径" in text
    assert "疑似“压缩炸弹”" in text


def test_zip_over_the_total_limit_is_refused_before_reading(cast, campaign, settings):
    settings.WENMING_EVIDENCE_ZIP_MAX_UNCOMPRESSED = 1024
    with pytest.raises(ValidationError, match="解压后共"):
        create(cast, campaign, [files.upload("打包.zip", files.zip_of({"a.pdf": files.pdf() * 20}))])


def test_zip_with_an_executable_inside_is_refused(cast, campaign):
    with pytest.raises(ValidationError, match="“打包.zip”中的“setup.jpg”是Windows 可执行程序"):
        create(cast, campaign, [files.upload("打包.zip", files.zip_of({"setup.jpg": files.EXE}))])


def test_size_caps_per_file_and_per_request(cast, campaign, settings):
    settings.WENMING_EVIDENCE_MAX_FILE_SIZE = 1000
    with pytest.raises(ValidationError, match="超过单个文件上限"):
        create(cast, campaign, [files.upload("大照片.jpg", files.jpeg())])
    settings.WENMING_EVIDENCE_MAX_FILE_SIZE = 10**8
    settings.WENMING_EVIDENCE_MAX_REQUEST_SIZE = 1000
    with pytest.raises(ValidationError, match="超过单次上限"):
        create(cast, campaign, [files.upload("照片.jpg", files.jpeg())])


def test_the_allow_list_is_configurable(cast, campaign, settings):
    settings.WENMING_EVIDENCE_ALLOWED = ["jpg", "pdf"]
    with pytest.raises(ValidationError, match="不在允许上传的类型中"):
        create(cast, campaign, [files.upload("计划.docx", files.docx())])


def test_a_photo_keeps_its_exif_time_gets_a_thumbnail_and_a_random_stored_name(cast, campaign,
                                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = create(cast, campaign, [files.upload("活动 现场<1>.jpg", files.jpeg()),
                                           files.upload("通知.pdf", files.pdf(3))])
    photo, notice = evidence.files.order_by("id")
    photo.refresh_from_db()
    assert photo.name == "活动 现场_1_.jpg" and "活动" not in photo.file.name
    assert photo.file_type == "jpg" and timezone.localtime(photo.taken_at).isoformat() == "2021-03-05T09:30:00+08:00"
    assert photo.thumbnail and photo.thumbnail.size > 0
    assert notice.page_count == 3 and notice.size == len(files.pdf(3)) and len(notice.sha256) == 64


def test_a_png_named_jpg_is_kept_as_png(cast, campaign):
    evidence = create(cast, campaign, [files.upload("截图.jpg", files.png())])
    assert evidence.files.get().name == "截图.png"


def test_a_link_alone_is_evidence(cast, campaign):
    evidence = services.evidence_create(actor=cast["staff_a"], campaign=campaign, title="公众号文章", kind="link",
                                        occurred_on=date(2021, 3, 5), link="https://mp.weixin.qq.com/s/abc")
    assert evidence.link and not evidence.files.exists()
    with pytest.raises(ValidationError, match="请至少上传一个文件"):
        services.evidence_create(actor=cast["staff_a"], campaign=campaign, title="空的", kind="file",
                                 occurred_on=date(2021, 3, 5))


def test_download_is_an_audited_attachment_and_only_rasters_are_inline(cast, campaign, client_for):
    evidence = create(cast, campaign, [files.upload("照片.jpg", files.jpeg()), files.upload("通知.pdf", files.pdf())])
    photo, notice = evidence.files.order_by("id")
    client = client_for(cast["office"])
    response = client.get(f"/evidence/files/{notice.pk}/?inline=1")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/octet-stream"
    assert b"".join(response.streaming_content) == files.pdf()
    response = client.get(f"/evidence/files/{photo.pk}/?inline=1")
    assert response["Content-Disposition"].startswith("inline") and response["Content-Type"] == "image/jpeg"
    assert AuditEvent.objects.filter(verb="evidence.downloaded").count() == 2


def test_upload_through_the_page_answers_json_for_the_script(cast, campaign, task_a, client_for):
    client = client_for(cast["staff_a"])
    response = client.post(f"/evidence/campaigns/{campaign.pk}/new/", {
        "title": "活动照片", "kind": "photo", "occurred_on": "2021-03-05", "task": task_a.pk,
        "criteria": [line(campaign, "3").pk, line(campaign, "8").pk],
        "files": [files.upload("一.jpg", files.jpeg()), files.upload("网页.jpg", files.HTML)],
    }, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "“网页.jpg”实际是网页（HTML）" in response.json()["errors"]["__all__"][0]
    assert not Evidence.objects.exists() and stored_files() == []
    response = client.post(f"/evidence/campaigns/{campaign.pk}/new/", {
        "title": "活动照片", "kind": "photo", "occurred_on": "2021-03-05", "task": task_a.pk,
        "criteria": [line(campaign, "3").pk, line(campaign, "8").pk],
        "files": [files.upload("一.jpg", files.jpeg()), files.upload("二.jpg", files.jpeg())],
    }, headers={"Accept": "application/json"})
    assert response.json()["ok"] is True
    evidence = Evidence.objects.get()
    assert evidence.department == cast.dept_a and evidence.criteria.count() == 2 and evidence.files.count() == 2


def test_staff_cannot_file_on_a_task_it_cannot_see(cast, campaign, client_for):
    from wenming.evidence.tests.conftest import task_of

    task_b = task_of(cast, campaign, cast.dept_b)
    response = client_for(cast["staff_a"]).post(f"/evidence/campaigns/{campaign.pk}/new/", {
        "title": "x", "kind": "photo", "occurred_on": "2021-03-05", "task": task_b.pk,
        "files": [files.upload("一.jpg", files.jpeg())]})
    assert response.status_code == 200 and not Evidence.objects.exists()
