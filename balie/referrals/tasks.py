"""Daily background work for referrals and courses. django-tasks has no scheduler: cron enqueues it or runs the commands."""

from __future__ import annotations

from django_tasks import task

from balie.announcements import services as announcement_services
from balie.courses import services as course_services

from . import services


@task()
def send_reminders_task() -> int:
    """Remind partners of referrals without an update for 10 working days. Returns the number of e-mails sent."""
    return services.send_reminders()


@task()
def purge_personal_data_task() -> int:
    """Delete contact data whose retention period has ended (referrals, course enrolments, announcements; overdue
    announcements expire first). Returns the number erased."""
    return services.purge_personal_data() + course_services.purge_personal_data() + announcement_services.purge_personal_data()
