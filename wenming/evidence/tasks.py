"""Background work for evidence: thin wrappers over the services (the Django tasks API)."""

from django_tasks import task


@task()
def make_thumbnails(file_ids: list[int]) -> int:
    from wenming.evidence.services import thumbnails_make

    return thumbnails_make(file_ids)


@task()
def build_archive(job_id: int) -> str:
    from wenming.evidence.archive import archive_build

    return archive_build(job_id=job_id).status
