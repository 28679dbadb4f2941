"""Read models kept until the data changes (wenming.core.memo): what counts as a write, when the count moves, and
that pages built on it show a write at once."""

import pytest
from django.db import transaction
from django.db.models import F
from django.template import Context, Template

from wenming.core import memo
from wenming.core.models import Revision
from wenming.org.models import Department


@pytest.mark.parametrize(("sql", "writes"), [
    ('INSERT INTO "campaigns_task" ("title") VALUES (%s)', True),
    ('UPDATE "evidence_evidence" SET "status" = %s', True),
    ('DELETE FROM "campaigns_task_criteria" WHERE 1', True),
    ('TRUNCATE "org_department", "org_unit" CASCADE', True),
    ("INSERT OR IGNORE INTO standards_criterion (id) VALUES (1)", True),
    ('SELECT "campaigns_task"."id" FROM "campaigns_task"', False),
    ('UPDATE "django_session" SET "session_data" = %s', False),  # every page view saves its session
    ('INSERT INTO "audit_auditevent" ("verb") VALUES (%s)', False),
    ('INSERT INTO "notifications_notification" ("title") VALUES (%s)', False),
    ('UPDATE "core_revision" SET "value" = ("core_revision"."value" + 1)', False),
    ('INSERT INTO "axes_accesslog" ("username") VALUES (%s)', False),
])
def test_what_counts_as_a_write(sql, writes):
    assert memo.writes_data(sql) is writes


def test_a_memoized_value_is_kept_until_a_write(cast):
    calls = []

    def compute():
        calls.append(1)
        return Department.objects.filter(unit=cast.unit).count()

    first = memo.memoized("test-count", cast.unit.pk, compute)
    assert memo.memoized("test-count", cast.unit.pk, compute) == first
    assert len(calls) == 1
    Department.objects.create(unit=cast.unit, name="新设部门")
    assert memo.memoized("test-count", cast.unit.pk, compute) == first + 1
    assert len(calls) == 2


def test_writes_beside_the_data_keep_the_value(cast, client_for):
    client = client_for(cast["office"])  # signing in writes last_login: a write
    client.get("/")
    calls = []
    memo.memoized("test-beside", 1, lambda: calls.append(1))
    client.get("/")  # saves the session, writes nothing a read model shows
    memo.memoized("test-beside", 1, lambda: calls.append(1))
    assert len(calls) == 1


def test_a_write_by_another_process_is_seen(cast):
    """Another process's commit moves the shared count, not ours: the value is computed again."""
    calls = []
    memo.memoized("test-other", 1, lambda: calls.append(1))
    Revision.objects.filter(pk=1).update(value=F("value") + 1)  # what the other process's commit does
    memo.memoized("test-other", 1, lambda: calls.append(1))
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_the_shared_count_moves_after_commit_and_not_on_rollback(cast):
    before = Revision.objects.get(pk=1).value
    with transaction.atomic():
        Department.objects.create(unit=cast.unit, name="甲")
        Department.objects.create(unit=cast.unit, name="乙")
        assert Revision.objects.get(pk=1).value == before  # nothing counted before the commit
    after = Revision.objects.get(pk=1).value
    assert after == before + 1  # one transaction, one count

    with pytest.raises(RuntimeError), transaction.atomic():
        Department.objects.create(unit=cast.unit, name="丙")
        raise RuntimeError
    assert Revision.objects.get(pk=1).value == after

    Department.objects.create(unit=cast.unit, name="丁")  # autocommit: counted at once
    assert Revision.objects.get(pk=1).value == after + 1


def test_the_least_recently_used_go(monkeypatch, db):
    monkeypatch.setattr(memo, "MAX_ENTRIES", 3)
    memo.clear()
    for key in range(5):
        memo.memoized("test-lru", key, lambda key=key: key)
    assert len(memo._entries) == 3


def test_the_memo_tag_keeps_markup_per_key_and_language(db):
    template = Template('{% load wenming %}{% memo "test-tag" who %}{{ shown }}{% endmemo %}')
    assert template.render(Context({"who": 1, "shown": "甲"})) == "甲"
    assert template.render(Context({"who": 1, "shown": "乙"})) == "甲"  # kept: same key, no write
    assert template.render(Context({"who": 2, "shown": "乙"})) == "乙"


def test_the_gap_view_shows_an_upload_at_once(cast, client_for):
    """The gap view and the dashboard are memoized: a new piece of evidence must still show on the next load."""
    from django.urls import reverse

    from wenming.evidence.tests.conftest import make_campaign, upload_photos

    campaign = make_campaign(cast)
    client = client_for(cast["office"])
    url = reverse("evidence:gaps", args=[campaign.pk])
    before = client.get(url).context["gap"].totals
    assert client.get(url).context["gap"].totals == before  # the second load is the kept one
    upload_photos(cast, campaign, codes=("3",))
    after = client.get(url).context["gap"].totals
    assert after["missing"] == before["missing"] - 1
    assert after["pending"] == before["pending"] + 1


def test_what_was_kept_for_an_older_revision_is_dropped(cast):
    memo.memoized("test-old", 1, lambda: "旧")
    Department.objects.create(unit=cast.unit, name="新设部门")
    memo.memoized("test-new", 1, lambda: "新")
    assert [key[0] for key in memo._entries] == ["test-new"]


# -------------------------------------------------------------------------------------- the three holes (issue 17)
def test_hole_1_rolled_back_data_is_never_served(cast):
    """Inside atomic(): change the campaign's title, read the kept current campaign, raise — the next read shows
    the title the database holds (what a transaction reads after writing is computed for it and never kept)."""
    from wenming.campaigns.selectors import current_campaign
    from wenming.evidence.tests.conftest import make_campaign

    campaign = make_campaign(cast)
    office = cast["office"]
    title = current_campaign(user=office).title
    with pytest.raises(RuntimeError), transaction.atomic():
        type(campaign).objects.filter(pk=campaign.pk).update(title="未提交的标题")
        assert current_campaign(user=office).title == "未提交的标题"  # the transaction sees its own write
        raise RuntimeError
    assert current_campaign(user=office).title == title
    with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint rolled back inside a committed block
        with transaction.atomic():
            type(campaign).objects.filter(pk=campaign.pk).update(title="另一个标题")
            current_campaign(user=office)
        raise RuntimeError
    assert current_campaign(user=office).title == title


def test_hole_2_the_api_task_list_is_kept_per_language(cast, client_for):
    from django.conf import settings
    from django.urls import reverse

    from wenming.evidence.tests.conftest import make_campaign, task_of

    campaign = make_campaign(cast)
    task_of(cast, campaign, cast["staff_a"].department)
    client = client_for(cast["office"])
    url = f"{reverse('task-list')}?campaign={campaign.pk}"
    chinese = client.get(url).json()["results"][0]["status_label"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).json()["results"][0]["status_label"]
    assert chinese == "未开始"
    assert english != chinese and english.isascii()


@pytest.mark.django_db(transaction=True)
def test_hole_3_a_failing_publication_is_retried_then_logged(cast, monkeypatch, caplog):
    """After a commit, publishing it to the other processes is tried again ("database is locked") and a final
    failure is logged as an error, never swallowed."""
    from django.db import OperationalError

    monkeypatch.setattr(memo.time, "sleep", lambda seconds: None)
    real_update = type(Revision.objects.all()).update
    failures = {"left": 2}

    def flaky(self, **kwargs):
        if self.model is Revision and failures["left"]:
            failures["left"] -= 1
            raise OperationalError("database is locked")
        return real_update(self, **kwargs)

    monkeypatch.setattr(type(Revision.objects.all()), "update", flaky)
    before = Revision.objects.get(pk=1).value
    Department.objects.create(unit=cast.unit, name="重试部门")
    assert Revision.objects.get(pk=1).value == before + 1  # third attempt published it

    failures["left"] = memo.BUMP_ATTEMPTS
    with caplog.at_level("ERROR", logger="wenming.core.memo"):
        Department.objects.create(unit=cast.unit, name="失败部门")
    assert any("数据版本号未能更新" in record.getMessage() for record in caplog.records)


def test_hole_3_what_is_kept_expires(db, monkeypatch):
    """Should a commit never reach the other processes, they serve what they kept at most MAX_AGE_SECONDS."""
    clock = {"now": 1000.0}
    monkeypatch.setattr(memo.time, "monotonic", lambda: clock["now"])
    calls = []
    memo.memoized("test-age", 1, lambda: calls.append(1))
    memo.memoized("test-age", 1, lambda: calls.append(1))
    clock["now"] += memo.MAX_AGE_SECONDS + 1
    memo.memoized("test-age", 1, lambda: calls.append(1))
    assert len(calls) == 2
