"""Two of everything (issue 10): how a city deployment grows past one machine.

Two gunicorn instances and two `wenming db_worker` processes share one PostgreSQL database (a throwaway one) and
one S3-compatible store (moto's server mode), each instance with its own data directory (nothing shared on local
disk) and the same SECRET_KEY — what the README's "Deployment" section describes behind nginx. Requests go to
both instances as a load balancer would send them, and the test checks that

- a session made on one instance works on the other (and a form posted to the other passes its CSRF check);
- a file uploaded through one is served by the other (streamed from the bucket: WENMING_S3_SIGNED_URL_SECONDS=0),
  and the other's workers, which keep the evidence list in memory (wenming.core.memo), show it at their next load;
- every background job runs exactly once: N trivial jobs (`record_run`, below) plus the upload's thumbnail job,
  picked up by two workers competing for the same queue.

Skips when PostgreSQL (127.0.0.1:5432, user postgres) or moto's server is not available — except in CI, where it
fails instead. About 30–60 s, most of it `migrate`.
"""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django_tasks import task

ROOT = Path(__file__).resolve().parents[3]
POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
JOBS = 30
REGION = "cn-north-1"


@task()
def record_run(index: int, directory: str) -> int:
    """A trivial background job: leaves one marker file per execution (index, worker pid)."""
    time.sleep(0.02)
    Path(directory, f"{index}-{os.getpid()}-{uuid.uuid4().hex[:8]}").touch()
    return index


# ---------------------------------------------------------------------------------------------- helpers
def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the two-of-everything test: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except (urllib.error.URLError, OSError):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{url} did not answer (exit code {process.poll()})") from None
            time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process group (gunicorn's workers too), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=wait)
            return
        except (ProcessLookupError, PermissionError):
            return
        except subprocess.TimeoutExpired:
            continue


class Site:
    """The processes of one installation, started in their own process groups and always stopped."""

    def __init__(self, env: dict, logs: Path):
        self.env, self.logs, self.processes = env, logs, []

    def run(self, *args: str, env: dict | None = None, timeout: float = 180) -> str:
        done = subprocess.run([sys.executable, "-m", "wenming", *args], env=env or self.env, cwd=ROOT,
                              capture_output=True, text=True, timeout=timeout, check=False)
        assert done.returncode == 0, f"wenming {args[0]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
        return done.stdout

    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        self.processes.append(process)
        return process

    def log_text(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(self.logs.glob("*.log")))

    def stop(self) -> None:
        for process in reversed(self.processes):
            _stop(process)


class Browser:
    """One person's browser: one cookie jar for both instances (cookies are per host, not per port — as behind
    nginx, where both instances answer on one address)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str, bytes]:
        with self.opener.open(url, timeout=30) as response:
            return response.status, response.url, response.read()

    def post(self, url: str, fields: dict, files: list[tuple[str, str, bytes]] = ()) -> tuple[int, str, bytes]:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            for item in value if isinstance(value, list) else [value]:
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{item}\r\n'.encode())
        for name, filename, content in files:
            quoted = urllib.parse.quote(filename)
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{quoted}"\r\n'
                         f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "X-CSRFToken": self.csrf()})
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.url, response.read()

    def csrf(self) -> str:
        return next((cookie.value for cookie in self.jar if cookie.name == "csrftoken"), "")


ENQUEUE = """
from wenming.core.tests.test_two_of_everything import record_run
for index in range(JOBS):
    record_run.enqueue(index, MARKS)
"""


def _sql(url: str, query: str, *params) -> list[tuple]:
    """Read the shared database directly (no Django start-up per poll)."""
    import psycopg

    with psycopg.connect(**POSTGRES, dbname=url.rsplit("/", 1)[1]) as connection:
        return connection.execute(query, params).fetchall()


def _plan(url: str, username: str) -> dict:
    (campaign, standard), = _sql(url, "SELECT id, standard_id FROM campaigns_campaign ORDER BY id LIMIT 1")
    (criterion,), = _sql(url, "SELECT c.id FROM standards_criterion c WHERE c.standard_id = %s AND NOT EXISTS "
                              "(SELECT 1 FROM standards_criterion k WHERE k.parent_id = c.id) ORDER BY c.id LIMIT 1",
                         standard)
    (name,), = _sql(url, "SELECT real_name FROM org_user WHERE username = %s", username)
    return {"campaign": campaign, "criterion": criterion, "name": name}


def _queue(url: str) -> dict:
    rows = _sql(url, "SELECT task_path, status FROM django_tasks_database_dbtaskresult")
    (thumbnails,), = _sql(url, "SELECT count(*) FROM evidence_evidencefile WHERE thumbnail <> ''")
    return {"rows": rows, "thumbnails": thumbnails}


# ---------------------------------------------------------------------------------------------- fixtures
@pytest.fixture
def postgres_url():
    """A throwaway database on the local PostgreSQL server, dropped afterwards."""
    try:
        import psycopg
    except ImportError as error:
        _unavailable(f"psycopg is not installed: {error}")
    name = f"wenming_two_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(**POSTGRES, dbname="postgres", connect_timeout=3, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        _unavailable(f"no PostgreSQL at 127.0.0.1:5432 (user postgres): {error}")
    yield f"postgres://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(**POSTGRES, dbname="postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def s3_bucket():
    """moto's S3 server on a free port with a fresh private bucket: (endpoint, bucket name)."""
    try:
        import boto3
        import moto.server  # noqa: F401
    except ImportError as error:
        _unavailable(f"moto[server] is not installed: {error}")
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        try:
            _wait_for(f"{endpoint}/moto-api/", server, 30)
        except AssertionError:
            _unavailable("moto_server did not start")
        name = f"wenming-{uuid.uuid4().hex[:12]}"
        client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="testing",
                              aws_secret_access_key="testing")
        client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        yield endpoint, name, client
    finally:
        _stop(server)


@pytest.mark.slow
# ---------------------------------------------------------------------------------------------- the test
def test_two_instances_two_workers_one_database_one_bucket(postgres_url, s3_bucket, tmp_path):
    from wenming.evidence.scale import PASSWORD, office_username
    from wenming.evidence.tests import files

    endpoint, bucket, s3 = s3_bucket
    marks = tmp_path / "runs"
    marks.mkdir()
    (tmp_path / "logs").mkdir()
    base = {key: value for key, value in os.environ.items()
            if not key.startswith(("WENMING_", "DATABASE_URL", "SECRET_KEY", "DJANGO_"))}
    shared = {
        **base,
        "DJANGO_SETTINGS_MODULE": "wenming.settings",
        "DATABASE_URL": postgres_url,
        "SECRET_KEY": f"two-of-everything-{uuid.uuid4().hex}-{uuid.uuid4().hex}",  # the same on every machine
        "WENMING_S3_BUCKET": bucket, "WENMING_S3_ENDPOINT_URL": endpoint, "WENMING_S3_REGION": REGION,
        "WENMING_S3_ACCESS_KEY_ID": "testing", "WENMING_S3_SECRET_ACCESS_KEY": "testing",
        "WENMING_S3_SIGNED_URL_SECONDS": "0",  # stream through the app: the *other* instance reads the bucket
        "PYTHONPATH": str(ROOT),
    }

    def machine(name: str) -> dict:  # each instance its own data directory: nothing shared on local disk
        return {**shared, "WENMING_DATA_DIR": str(tmp_path / name)}

    site = Site(machine("setup"), tmp_path / "logs")
    started = time.monotonic()

    def phase(name: str) -> None:  # shown with -s: where the time goes
        print(f"{time.monotonic() - started:6.1f} s  {name}", flush=True)

    try:
        site.run("migrate", "--noinput", timeout=300)
        phase("migrated")
        site.run("seed_scale", "--units", "1", "--departments", "3", "--users", "6", "--criteria", "12",
                 "--tasks", "6", "--evidence", "0")
        username = office_username("", 0)
        plan = _plan(postgres_url, username)

        ports = [_free_port(), _free_port()]
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        servers = [site.start(f"gunicorn-{index}", [sys.executable, "-m", "gunicorn", "wenming.wsgi", "--bind",
                                                    f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60"],
                              machine(f"machine-{index}")) for index, port in enumerate(ports)]
        for index in range(2):
            site.start(f"worker-{index}", [sys.executable, "-m", "wenming", "db_worker", "--no-reload",
                                           "--interval", "0.2"], machine(f"machine-{index}"))
        for url, server in zip(urls, servers, strict=True):
            _wait_for(f"{url}/healthz", server)
        phase("seeded; two instances and two workers up")

        # A session made on instance 0 works on instance 1.
        browser = Browser()
        browser.get(f"{urls[0]}/accounts/login/")
        status, landed, _body = browser.post(f"{urls[0]}/accounts/login/",
                                             {"username": username, "password": PASSWORD,
                                              "csrfmiddlewaretoken": browser.csrf()})
        assert status == 200 and "/accounts/login/" not in landed, site.log_text()
        status, landed, body = browser.get(f"{urls[1]}/evidence/campaigns/{plan['campaign']}/")
        assert status == 200 and "/accounts/login/" not in landed
        assert plan["name"] in body.decode()

        # Instance 0's workers keep the evidence list in memory (wenming.core.memo) ...
        evidence_list = f"{urls[0]}/evidence/campaigns/{plan['campaign']}/"
        for _round in range(4):  # enough loads to reach both of its workers
            assert "两台服务器上传测试" not in browser.get(evidence_list)[2].decode()

        # A file uploaded through instance 1 (CSRF token from instance 0's page) is served by instance 0.
        photo, pdf = files.jpeg(), files.pdf(pages=2)
        status, landed, _body = browser.post(f"{urls[1]}/evidence/campaigns/{plan['campaign']}/new/", {
            "title": "两台服务器上传测试", "kind": "photo", "occurred_on": "2021-03-05",
            "criteria": str(plan["criterion"]), "description": "经第二台上传，由第一台提供下载。",
        }, files=[("files", "现场照片.jpg", photo), ("files", "活动通知.pdf", pdf)])
        match = re.search(r"/evidence/(\d+)/$", landed)
        assert status == 200 and match, (landed, site.log_text())
        status, _landed, detail = browser.get(f"{urls[0]}/evidence/{match.group(1)}/")
        file_ids = sorted({int(pk) for pk in re.findall(r"/evidence/files/(\d+)/", detail.decode())})
        assert status == 200 and len(file_ids) == 2, detail.decode()[:3000]
        served = {browser.get(f"{urls[0]}/evidence/files/{pk}/")[2] for pk in file_ids}
        assert served == {photo, pdf}
        # ... and show the upload made through instance 1 at their next load.
        for _round in range(4):
            assert "两台服务器上传测试" in browser.get(evidence_list)[2].decode()
        stored = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
        assert len([key for key in stored if key.startswith("evidence/files/")]) == 2, stored
        for name in ("machine-0", "machine-1"):
            media = tmp_path / name / "media"
            assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()], "files on local disk"

        phase("session and file checked across instances")
        # Every background job runs exactly once with two workers competing for the queue.
        enqueue = ENQUEUE.replace("JOBS", str(JOBS)).replace("MARKS", repr(str(marks)))
        site.run("shell", "--no-imports", "-c", enqueue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            queue = _queue(postgres_url)
            if len(list(marks.iterdir())) >= JOBS and queue["thumbnails"] and not any(
                    status in ("READY", "RUNNING") for _path, status in queue["rows"]):
                break
            time.sleep(0.2)
        time.sleep(1)  # a duplicate run would show up now
        runs = [path.name.split("-") for path in marks.iterdir()]
        per_job = {index: sum(1 for run in runs if run[0] == str(index)) for index in range(JOBS)}
        assert per_job == dict.fromkeys(range(JOBS), 1), (per_job, site.log_text())
        queue = _queue(postgres_url)
        statuses = [status for _path, status in queue["rows"]]
        ours = [status for path, status in queue["rows"] if path.endswith(".record_run")]
        assert ours == ["SUCCESSFUL"] * JOBS and set(statuses) == {"SUCCESSFUL"}, (queue, site.log_text())
        assert queue["thumbnails"] == 1  # the photo's thumbnail, made once, into the bucket
        workers = {run[1] for run in runs}
        phase(f"{JOBS} jobs ran once each, on {len(workers)} worker process(es)")
        logs = site.log_text()
        assert "Traceback" not in logs, logs
    finally:
        site.stop()
