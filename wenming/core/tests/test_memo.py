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
