"""Background tasks (django-tasks). See settings.TASKS for which backend runs them."""

from django_tasks import task

from sheets.jobs import job_run


@task()
def run_import_job(job_id: str) -> None:
    job_run(job_id)
