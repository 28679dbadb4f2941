"""Two issuers at the same moment never get the same number (the counter row is locked while a number is taken).

Real concurrency needs a server database; SQLite serialises writers anyway, so this runs on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from wenming.supervision.models import SupervisionOrder
from wenming.supervision.tests.conftest import issue, late_task, make_campaign

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs concurrent writers (PostgreSQL)")
def test_concurrent_issues_get_distinct_consecutive_numbers(cast):
    campaign = make_campaign(cast)
    tasks = [late_task(cast, campaign) for _ in range(6)]
    start, errors = threading.Barrier(len(tasks)), []

    def run(task):
        try:
            start.wait()
            issue(cast, task=task)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(SupervisionOrder.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
