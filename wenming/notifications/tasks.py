"""Background work for notifications: thin wrappers over the services (the Django tasks API)."""

from django_tasks import default_task_backend, task


@task()
def send_deliveries(ids: list[int]) -> list[int]:
    """Send the deliveries once; those that failed and may be retried are enqueued again for later when the
    backend can defer (the database worker can), otherwise `wenming send_notifications --retry` picks them up."""
    from wenming.notifications.models import Delivery
    from wenming.notifications.services import deliveries_send

    deliveries_send(ids)
    waiting = list(Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING)
                   .values_list("pk", "next_attempt_at"))
    if waiting and default_task_backend.supports_defer:
        for pk, when in waiting:
            send_deliveries.using(run_after=when).enqueue([pk])
    return [pk for pk, _when in waiting]
