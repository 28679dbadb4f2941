"""Evidence on S3-compatible storage, against a real S3 server process (moto's server mode), through the real views.

Upload as 干警, the files land in the bucket (nothing on local disk); the download view checks access, writes the
audit row and redirects to a short-lived signed URL (or streams when signed URLs are off); the archive is built
into the bucket and read back. Skips only outside CI when the server cannot start.
"""

import io
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from wenming.audit.models import AuditEvent
from wenming.evidence import archive, services
from wenming.evidence.models import ArchiveJob, Evidence
from wenming.evidence.tests import files
from wenming.evidence.tests.conftest import line

pytestmark = pytest.mark.django_db
REGION = "cn-north-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the S3 test: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def s3_endpoint():
    """A moto S3 server on a free local port, for the module's tests."""
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError as error:
        _unavailable(f"moto[server] is not installed: {error}")
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
            break
        except (urllib.error.URLError, ConnectionError, OSError):
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                _unavailable("moto_server did not start")
            time.sleep(0.1)
    yield endpoint
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh private bucket, and STORAGES["default"] pointed at it as settings.py does for WENMING_S3_BUCKET."""
    import boto3

    name = f"wenming-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, aws_access_key_id="testing",
                          aws_secret_access_key="testing")
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": name, "endpoint_url": s3_endpoint, "access_key": "testing", "secret_key": "testing",
            "region_name": REGION, "default_acl": None, "querystring_auth": True, "querystring_expire": 300,
            "file_overwrite": False, "signature_version": "s3v4"}},
    }
    settings.WENMING_S3_SIGNED_URL_SECONDS = 300

    def keys(prefix=""):
        return sorted(o["Key"] for o in client.list_objects_v2(Bucket=name, Prefix=prefix).get("Contents", []))

    client.keys = keys
    client.bucket = name
    return client


def _fetch(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), response.headers


def _local_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _upload_as_staff(cast, campaign, task, client_for, capture):
    photo, pdf = files.jpeg(), files.pdf(pages=3)
    client = client_for(cast["staff_a"])
    with capture(execute=True):  # the thumbnail is made on commit (immediate task backend in tests)
        response = client.post(reverse("evidence:create", args=[campaign.pk]), {
            "title": "道德讲堂活动照片和通知", "kind": "photo", "occurred_on": "2021-03-05", "task": task.pk,
            "criteria": [line(campaign, "3").pk], "description": "3月5日在五楼会议室举办道德讲堂。",
            "files": [files.upload("现场照片.jpg", photo), files.upload("活动通知.pdf", pdf)]})
    assert response.status_code == 302, response.content.decode()[:2000]
    evidence = Evidence.objects.get(title="道德讲堂活动照片和通知")
    return client, evidence, photo, pdf


def test_upload_download_and_archive_through_s3(cast, campaign, task_a, client_for, bucket, settings,
                                               django_capture_on_commit_callbacks):
    client, evidence, photo, pdf = _upload_as_staff(cast, campaign, task_a, client_for,
                                                    django_capture_on_commit_callbacks)
    rows = {row.file_type: row for row in evidence.files.all()}
    assert set(rows) == {"jpg", "pdf"} and rows["pdf"].page_count == 3
    stored = bucket.keys("evidence/files/")
    assert sorted(stored) == sorted(row.file.name for row in rows.values())
    assert bucket.get_object(Bucket=bucket.bucket, Key=rows["jpg"].file.name)["Body"].read() == photo
    assert _local_files(settings) == [], "nothing may be written to local disk when storage is S3"

    # The thumbnail was made from the bucket into the bucket, and is streamed by the access-checking view.
    thumb = evidence.files.get(file_type="jpg").thumbnail
    assert thumb.name in bucket.keys("evidence/thumbs/")
    response = client.get(reverse("evidence:thumbnail", args=[rows["jpg"].pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"

    # Download: access checked and audited first, then a redirect to a short-lived signed URL.
    before = AuditEvent.objects.filter(verb="evidence.downloaded").count()
    response = client.get(reverse("evidence:file", args=[rows["pdf"].pk]))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb="evidence.downloaded").count() == before + 1
    url = response["Location"]
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(bucket.meta.endpoint_url) and query["X-Amz-Expires"] == ["300"] and "X-Amz-Signature" in query
    assert response["Cache-Control"] == "private, no-store"
    body, headers = _fetch(url)
    assert body == pdf
    assert headers["Content-Disposition"].startswith("attachment") and "%E6%B4%BB%E5%8A%A8" in headers[
        "Content-Disposition"]
    assert headers["Content-Type"] == "application/octet-stream"
    # Without the signature the bucket answers nothing.
    with pytest.raises(urllib.error.HTTPError):
        _fetch(url.split("?")[0])

    # A photo opened inline keeps its image type.
    response = client.get(reverse("evidence:file", args=[rows["jpg"].pk]) + "?inline=1")
    body, headers = _fetch(response["Location"])
    assert body == photo and headers["Content-Type"] == "image/jpeg" and headers[
        "Content-Disposition"].startswith("inline")

    # Someone outside the unit gets no URL at all, and no audit row.
    count = AuditEvent.objects.filter(verb="evidence.downloaded").count()
    assert client_for(cast["outsider"]).get(reverse("evidence:file", args=[rows["pdf"].pk])).status_code == 404
    assert AuditEvent.objects.filter(verb="evidence.downloaded").count() == count

    # The office approves; the archive is built from the bucket into the bucket and downloads by signed URL.
    services.evidence_review(actor=cast["office"], evidence=evidence, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        job = archive.archive_start(actor=cast["office"], campaign=campaign)
    job.refresh_from_db()
    assert job.status == ArchiveJob.Status.DONE, job.error
    assert job.file.name in bucket.keys(f"evidence/archives/{campaign.pk}/")
    assert not [k for k in bucket.keys("evidence/archives/") if k.endswith(".part")]
    response = client_for(cast["office"]).get(reverse("evidence:archive_download", args=[job.pk]))
    assert response.status_code == 302
    body, headers = _fetch(response["Location"])
    assert headers["Content-Type"] == "application/zip" and len(body) == job.size
    with zipfile.ZipFile(io.BytesIO(body)) as built:
        assert built.testzip() is None
        contents = {name: built.read(name) for name in built.namelist() if not name.startswith("00-")}
        assert "00-目录.xlsx" in built.namelist()
    assert sorted(contents.values()) == sorted([photo, pdf])
    assert _local_files(settings) == []


def test_downloads_stream_through_the_app_when_signed_urls_are_off(cast, campaign, task_a, client_for, bucket,
                                                                   settings, django_capture_on_commit_callbacks):
    """For object stores the browsers cannot reach (an intranet's MinIO behind the app), WENMING_S3_SIGNED_URL_SECONDS=0."""
    settings.WENMING_S3_SIGNED_URL_SECONDS = 0
    client, evidence, _photo, pdf = _upload_as_staff(cast, campaign, task_a, client_for,
                                                     django_capture_on_commit_callbacks)
    row = evidence.files.get(file_type="pdf")
    response = client.get(reverse("evidence:file", args=[row.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_missing_from_the_bucket_is_404_and_not_audited(cast, campaign, task_a, client_for, bucket,
                                                              django_capture_on_commit_callbacks):
    client, evidence, _photo, _pdf = _upload_as_staff(cast, campaign, task_a, client_for,
                                                      django_capture_on_commit_callbacks)
    row = evidence.files.get(file_type="pdf")
    bucket.delete_object(Bucket=bucket.bucket, Key=row.file.name)
    count = AuditEvent.objects.filter(verb="evidence.downloaded").count()
    assert client.get(reverse("evidence:file", args=[row.pk])).status_code == 404
    assert AuditEvent.objects.filter(verb="evidence.downloaded").count() == count


def test_settings_point_the_default_storage_at_the_bucket_named_in_the_environment(s3_endpoint, bucket, tmp_path):
    """`WENMING_S3_*` (keys from `_FILE`) make settings.py choose S3Storage: a fresh process writes and reads back."""
    secret = tmp_path / "s3_secret"
    secret.write_text("testing\n", encoding="utf-8")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wenming.settings", "WENMING_DATA_DIR": str(tmp_path / "var"),
           "WENMING_S3_BUCKET": bucket.bucket, "WENMING_S3_ENDPOINT_URL": s3_endpoint,
           "WENMING_S3_ACCESS_KEY_ID": "testing", "WENMING_S3_SECRET_ACCESS_KEY_FILE": str(secret),
           "WENMING_S3_REGION": REGION, "WENMING_S3_PREFIX": "court", "WENMING_S3_ADDRESSING_STYLE": "path"}
    script = (
        "import django; django.setup()\n"
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage as s\n"
        "name = s.save('evidence/probe.txt', ContentFile(b'wenming'))\n"
        "print(type(s._wrapped).__name__, name, s.open(name).read().decode(), 'X-Amz-Signature' in s.url(name))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["S3Storage", "evidence/probe.txt", "wenming", "True"]
    assert bucket.keys() == ["court/evidence/probe.txt"]
