"""The guide's screenshots are current (fast: reads templates and the manifest, takes no picture)."""

from wenming.help import shots


def test_every_screenshot_the_guide_shows_is_current():
    found = shots.problems()
    assert found == [], (
        "The 操作手册's screenshots are missing or stale:\n  " + "\n  ".join(found)
        + f"\nTake them again with:\n  {shots.REFRESH}\nand commit wenming/help/static/help/shots/."
    )


def test_the_check_notices_a_changed_template(monkeypatch):
    """Proof the check bites: a template drawn in a screenshot reads differently → that screenshot is stale."""
    real = shots.template_source
    monkeypatch.setattr(shots, "template_source",
                        lambda name: real(name) + "<!-- changed -->" if name == "campaigns/task_list.html" else real(name))
    found = shots.problems()
    assert any(line.startswith("tasks:") and "campaigns/task_list.html" in line for line in found), found


def test_the_check_notices_a_picture_the_guide_uses_but_nobody_took(monkeypatch):
    monkeypatch.setattr(shots, "read_manifest", lambda: {})
    assert "login: no screenshot yet" in shots.problems()


def test_every_declared_screenshot_is_used_by_the_guide():
    assert set(shots.SHOTS) == shots.used_in_guide()
