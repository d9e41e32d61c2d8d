from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledJobRun(models.Model):
    """A periodic job enqueued for one day; the unique key keeps the scheduler from enqueuing twice."""

    job_name = models.CharField(_("job"), max_length=100)
    run_date = models.DateField(_("date"))
    enqueued_at = models.DateTimeField(_("enqueued"), auto_now_add=True)
    task_result_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled job run")
        verbose_name_plural = _("scheduled job runs")
        constraints = [models.UniqueConstraint(fields=["job_name", "run_date"], name="scheduled_job_once_per_day")]

    def __str__(self) -> str:
        return f"{self.job_name} {self.run_date}"
