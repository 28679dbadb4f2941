"""Uploads checked beyond their first bytes, and absurd dates refused (issue 19, point 12)."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from wenming.evidence import services
from wenming.evidence.models import Evidence
from wenming.evidence.tests import files
from wenming.evidence.tests.conftest import line
from wenming.files import sniffing

pytestmark = pytest.mark.django_db


def create(cast, campaign, upload_files, occurred_on=date(2021, 3, 5)):
    return services.evidence_create(actor=cast["staff_a"], campaign=campaign, title="道德讲堂", kind="photo",
                                    occurred_on=occurred_on, department=cast.dept_a,
                                    criteria=[line(campaign, "3")], files=upload_files)


def jpeg_header_then_zeros() -> bytes:
    real = files.jpeg()
    return real[:600] + b"\0" * (len(real) - 600)


@pytest.mark.parametrize("data", [
    b"\xff\xd8\xff\xe0" + b"\0" * 5000,  # the magic bytes and nothing else
    jpeg_header_then_zeros(),  # a real JPEG's headers, its picture data zeroed
    files.jpeg()[:-400],  # cut short
    files.png()[:40] + b"\0" * 200,
])
def test_a_picture_that_does_not_decode_is_refused(data):
    with pytest.raises(sniffing.Refused, match="不是完整的"):
        sniffing.sniff(io.BytesIO(data), "照片.jpg")


def test_a_damaged_picture_is_refused_through_the_service_and_nothing_is_kept(cast, campaign):
    with pytest.raises(ValidationError) as refused:
        create(cast, campaign, [files.upload("现场照片.jpg", jpeg_header_then_zeros())])

    assert "“现场照片.jpg”不是完整的JPEG 图片" in str(refused.value)
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("data", [b"%PDF-1.4\n" + b"\0" * 4000, files.pdf()[:-40], b"%PDF-1.7 just text %%EOF"])
def test_a_pdf_without_its_structure_is_refused(data):
    with pytest.raises(sniffing.Refused, match="不是完整的 PDF"):
        sniffing.sniff(io.BytesIO(data), "通知.pdf")


@pytest.mark.parametrize("maker", [files.jpeg, files.png, files.pdf])
def test_real_files_still_pass(maker):
    assert sniffing.sniff(io.BytesIO(maker()), "材料").key in ("jpg", "png", "pdf")


def test_a_phone_photo_with_a_large_size_passes_quickly():
    data = files.jpeg(size=(4000, 3000))
    started = timezone.now()
    assert sniffing.sniff(io.BytesIO(data), "IMG_0001.jpg").key == "jpg"
    assert (timezone.now() - started).total_seconds() < 2


@pytest.mark.parametrize("day", [date(9999, 12, 31), date(1999, 12, 31), date(1921, 3, 5), "future"])
def test_an_absurd_date_is_refused_with_a_clear_message(cast, campaign, day):
    day = timezone.localdate() + timedelta(days=400) if day == "future" else day
    with pytest.raises(ValidationError) as refused:
        create(cast, campaign, [files.upload("照片.jpg", files.jpeg())], occurred_on=day)

    assert "形成日期" in refused.value.message_dict["occurred_on"][0]
    assert day.isoformat() in refused.value.message_dict["occurred_on"][0]
    assert not Evidence.objects.exists()


def test_the_api_refuses_evidence_dated_9999(cast, campaign, client_for):
    response = client_for(cast["staff_a"]).post("/api/v1/evidence/", {
        "campaign": campaign.pk, "title": "道德讲堂", "kind": "photo", "occurred_on": "9999-12-31",
        "criteria": [line(campaign, "3").pk], "files": [files.upload("照片.jpg", files.jpeg())]})

    assert response.status_code == 400, response.content
    assert "形成日期 9999-12-31 不合理" in response.json()["occurred_on"][0]


def test_a_date_within_a_year_ahead_is_kept(cast, campaign):
    ahead = timezone.localdate() + timedelta(days=30)
    assert create(cast, campaign, [files.upload("照片.jpg", files.jpeg())], occurred_on=ahead).occurred_on == ahead


def test_the_archive_download_is_not_cached(cast, campaign, client_for, django_capture_on_commit_callbacks):
    from wenming.evidence import archive

    services.evidence_review(actor=cast["office"], evidence=create(cast, campaign, [
        files.upload("照片.jpg", files.jpeg())]), approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        job = archive.archive_start(actor=cast["office"], campaign=campaign)

    response = client_for(cast["office"]).get(f"/api/v1/evidence-archives/{job.pk}/download/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
