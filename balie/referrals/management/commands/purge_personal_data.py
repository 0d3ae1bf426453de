"""python manage.py purge_personal_data [--enqueue]: daily via cron. Deletes contact data after the retention period."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from balie.announcements import services as announcement_services
from balie.courses import services as course_services
from balie.referrals import services, tasks


class Command(BaseCommand):
    help = "Wis contactgegevens van verwijzingen, cursusinschrijvingen en aanmeldingen waarvan de bewaartermijn voorbij is."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Zet het werk klaar voor de worker (run_worker) in plaats van het nu te doen.")

    def handle(self, *args, **options) -> None:
        if options["enqueue"]:
            tasks.purge_personal_data_task.enqueue()
            self.stdout.write("Wissen klaargezet voor de worker.")
            return
        referrals = services.purge_personal_data()
        enrolments = course_services.purge_personal_data()
        announcements = announcement_services.purge_personal_data()
        self.stdout.write(f"Gewist na {settings.BALIE_REFERRAL_RETENTION_DAYS} dagen: {referrals} verwijzing(en), {enrolments} inschrijving(en), "
                          f"{announcements} aanmelding(en).")
