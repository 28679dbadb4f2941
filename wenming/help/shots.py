"""The guide's screenshots, and how we know they are current.

Each screenshot is a page of the app seen by one demo account on the demo data (`wenming demo`), at desk width
(1366 px) and phone width (390 px). `WENMING_REFRESH_SHOTS=1 pytest wenming/help/tests/test_shots_refresh.py`
takes them in Chromium and writes `static/help/shots/<name>-desk.png`, `<name>-phone.png` and `manifest.json`;
the manifest records, per screenshot, the page's URL name and a hash of the source of every template that drew
it. The fast check (`tests/test_shots.py`, in every CI run) recomputes the hashes: a
template that changed since its screenshot was taken, or a `{% shot %}` in the guide without a current picture,
fails it.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.template import TemplateDoesNotExist
from django.template.loader import get_template

FOLDER = Path(__file__).resolve().parent / "static" / "help" / "shots"
MANIFEST = FOLDER / "manifest.json"
SCREENS = {"desk": (1366, 768), "phone": (390, 844)}
REFRESH = "make shots  (= WENMING_REFRESH_SHOTS=1 .venv/bin/pytest -n0 wenming/help/tests/test_shots_refresh.py)"


@dataclass(frozen=True)
class Shot:
    persona: str | None  # the demo account (None: not signed in)
    url_name: str
    args: str = ""  # which demo row the URL needs: see `locate` in the refresh test


SHOTS = {
    "login": Shot(None, "login"),
    "home-office": Shot("office", "home"),
    "campaign-create": Shot("office", "campaigns:create"),
    "campaign-home": Shot("office", "campaigns:home", "campaign"),
    "standards-library": Shot("office", "standards:library"),
    "standards-import": Shot("office", "standards:import"),
    "tasks-import": Shot("office", "campaigns:import", "campaign"),
    "tasks": Shot("office", "campaigns:tasks", "campaign"),
    "roster": Shot("office", "campaigns:roster", "campaign"),
    "evidence-review": Shot("office", "evidence:detail", "pending_evidence"),
    "gaps": Shot("office", "evidence:gaps", "campaign"),
    "self-check": Shot("office", "assessments:detail", "self_check"),
    "ledger": Shot("office", "assessments:ledger", "campaign"),
    "supervision": Shot("office", "supervision:index"),
    "attendance": Shot("office", "activities:attendance", "activity"),
    "survey": Shot("office", "surveys:detail", "survey"),
    "archive": Shot("office", "evidence:archive", "campaign"),
    "report": Shot("office", "reports:list", "campaign"),
    "my-work": Shot("liaison_a", "campaigns:my_work"),
    "task-liaison": Shot("liaison_a", "campaigns:task", "liaison_task"),
    "upload": Shot("staff_a", "evidence:create", "campaign"),
    "dashboard": Shot("leader", "supervision:dashboard"),
    "evaluator": Shot("evaluator", "assessments:index"),
    "people": Shot("admin", "org:people"),
    "security-policy": Shot("security", "org:security_policy"),
    "tokens": Shot("admin", "org:tokens"),
    "audit": Shot("auditor", "audit:events"),
}


def static_path(name: str, screen: str) -> str:
    return f"help/shots/{name}-{screen}.png"


def template_source(name: str) -> str:
    """The source of a template by name ("file.html#partial" is the file's); "" when it no longer exists."""
    try:
        return get_template(name.partition("#")[0]).template.source
    except TemplateDoesNotExist:
        return ""


def template_hash(name: str) -> str:
    return hashlib.sha256(template_source(name).encode()).hexdigest()[:12]


def entry_for(url_name: str, templates) -> dict:
    """What the manifest records for a screenshot: the URL name and a hash of each template that drew it."""
    ours = sorted({name for name in templates if not name.startswith("django/")})  # Django's own form widgets
    return {"url_name": url_name, "templates": {name: template_hash(name) for name in ours}}


def read_manifest() -> dict:
    return json.loads(MANIFEST.read_text()) if MANIFEST.exists() else {}


def write_manifest(manifest: dict) -> None:
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def used_in_guide() -> set[str]:
    """Every screenshot name a chapter places with {% shot "name" … %}, in either language."""
    folder = Path(__file__).resolve().parent / "templates" / "help"
    return {match for path in folder.glob("*/*.html") for match in SHOT_TAG.findall(path.read_text())}


SHOT_TAG = re.compile(r"""\{%\s*shot\s+["']([\w-]+)["']""")


def problems() -> list[str]:
    """What is missing or stale, one line each (empty when every screenshot the guide shows is current)."""
    manifest = read_manifest()
    found = [f"{name}: used in the guide but not declared in shots.SHOTS" for name in sorted(used_in_guide() - set(SHOTS))]
    for name, spec in SHOTS.items():
        entry = manifest.get(name)
        if entry is None:
            found.append(f"{name}: no screenshot yet")
            continue
        missing = [f"{name}-{screen}.png" for screen in SCREENS if not (FOLDER / f"{name}-{screen}.png").exists()]
        if missing:
            found.append(f"{name}: {', '.join(missing)} missing")
        if entry.get("url_name") != spec.url_name:
            found.append(f"{name}: taken of {entry.get('url_name')}, the guide now shows {spec.url_name}")
            continue
        changed = [template for template, digest in entry.get("templates", {}).items()
                   if template_hash(template) != digest]
        if changed:
            found.append(f"{name}: {spec.url_name} changed since its screenshot (templates: {', '.join(changed)})")
    return found
