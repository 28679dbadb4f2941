"""The people of the load test (`python -m bench.load_test` starts locust with this file; not a bench_*.py module).

Each simulated person signs in with one of the demo accounts (round robin, so several people share an account,
each with a session of their own), then walks the main pages and now and then uploads a photo to a task of
their department through the real upload form. Every request must get exactly the status a browser gets
(redirects are not followed, so a bounce to the sign-in page counts as a failure).

The installation's particulars (campaign, standard, each account's department and tasks) come from the
WENMING_LOAD_PLAN environment variable, written by bench/load_test.py after `wenming demo`.
"""

import io
import itertools
import json
import os
import random
import re
from datetime import date

from locust import HttpUser, between, task

PLAN = json.loads(os.environ.get("WENMING_LOAD_PLAN", "{}"))
ACCOUNTS = itertools.cycle(PLAN.get("accounts", [{"username": "office"}]))
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OPTION = re.compile(r'<option value="(\d+)"')


def small_jpeg(seed: int) -> bytes:
    """A small photo that differs every time (so no two uploads share a hash), made with Pillow."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (320, 240), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(300), rng.randrange(220)
        draw.rectangle((x, y, x + rng.randrange(10, 80), y + rng.randrange(10, 60)),
                       fill=tuple(rng.randrange(256) for _ in range(3)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


class CampaignMember(HttpUser):
    """A member of the court's campaign: 创建办, a department liaison, a 干警 or a leader."""

    wait_time = between(1, 3)

    def on_start(self):
        self.account = next(ACCOUNTS)
        self.campaign = PLAN["campaign"]
        self.standard = PLAN["standard"]
        self.uploads = 0
        self.sign_in()

    # ------------------------------------------------------------------------------------------ helpers
    def get(self, url: str, name: str, expect: int = 200):
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            self._check(response, expect)
            return response

    def _check(self, response, expect: int) -> None:
        if response.status_code != expect:
            where = response.headers.get("Location", "")
            response.failure(f"HTTP {response.status_code}, expected {expect}" + (f" → {where}" if where else ""))
        else:
            response.success()

    def token(self, html: str) -> str:
        found = CSRF_INPUT.search(html)
        return found.group(1) if found else self.client.cookies.get("csrftoken", "")

    # ------------------------------------------------------------------------------------------ sign-in
    def sign_in(self) -> None:
        page = self.get("/accounts/login/", "sign in (form)")
        with self.client.post(
            "/accounts/login/", name="sign in (post)", allow_redirects=False, catch_response=True,
            data={"username": self.account["username"], "password": PLAN.get("password", ""),
                  "csrfmiddlewaretoken": self.token(page.text), "next": ""},
        ) as response:
            if response.status_code == 302 and "/accounts/" not in response.headers.get("Location", ""):
                response.success()
            else:
                response.failure(f"sign-in of {self.account['username']} answered HTTP {response.status_code}")

    # ------------------------------------------------------------------------------------------ pages
    @task(3)
    def home(self):
        self.get("/", "home")

    @task(2)
    def people(self):
        self.get("/org/people/", "people list")

    @task(2)
    def standard_tree(self):
        self.get(f"/standards/{self.standard}/", "standard tree")

    @task(3)
    def task_list_filtered(self):
        query = f"department={self.account['department']}"
        if random.random() < 0.5:
            query += "&status=" + random.choice(PLAN.get("task_statuses") or ["todo"])
        self.get(f"/campaigns/{self.campaign}/tasks/?{query}", "task list (filtered)")

    @task(3)
    def my_work(self):
        self.get("/campaigns/my/", "my work")

    @task(2)
    def gaps(self):
        self.get(f"/evidence/gaps/{self.campaign}/", "gap view")

    @task(3)
    def evidence_list(self):
        self.get(f"/evidence/campaigns/{self.campaign}/", "evidence list")

    @task(2)
    def upload(self):
        """The upload form as the page's script sends it (multipart, Accept: JSON), then the new item's page."""
        form = self.get(f"/evidence/campaigns/{self.campaign}/new/", "upload (form)")
        if form.status_code != 200:
            return
        offered = {int(pk) for pk in OPTION.findall(form.text)}
        tasks = [pk for pk in self.account["tasks"] if pk in offered]
        if not tasks:
            self.environment.events.request.fire(
                request_type="POST", name="upload (post)", response_time=0, response_length=0, context={},
                exception=RuntimeError(f"no task of {self.account['username']}'s department in the form"))
            return
        self.uploads += 1
        seed = random.getrandbits(48)
        data = {
            "csrfmiddlewaretoken": self.token(form.text), "title": f"压力测试照片 {self.account['username']} {seed}",
            "kind": "photo", "occurred_on": date.today().isoformat(), "task": str(random.choice(tasks)),
            "description": "负载测试自动上传。", "link": "", "version": "",
        }
        files = {"files": (f"活动照片{self.uploads}.jpg", small_jpeg(seed), "image/jpeg")}
        with self.client.post(
            f"/evidence/campaigns/{self.campaign}/new/", name="upload (post)", data=data, files=files,
            headers={"Accept": "application/json", "Referer": form.url}, allow_redirects=False, catch_response=True,
        ) as response:
            try:
                body = response.json()
            except ValueError:
                body = {}
            if response.status_code == 200 and body.get("ok"):
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}: {json.dumps(body.get('errors', body), ensure_ascii=False)[:300]}")
                return
        self.get(body["redirect"].split("?")[0], "evidence detail")
