"""Background work for reports: a thin wrapper over the service (the Django tasks API)."""

from django_tasks import task


@task()
def build_report(job_id: int) -> str:
    from wenming.reports.services import report_build

    return report_build(job_id=job_id).status
