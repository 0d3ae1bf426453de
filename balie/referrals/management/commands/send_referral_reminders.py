"""python manage.py send_referral_reminders [--enqueue]: daily via cron."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from balie.referrals import services, tasks


class Command(BaseCommand):
    help = "Stuur partners een herinnering voor verwijzingen zonder update na 10 werkdagen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Zet het werk klaar voor de worker (run_worker) in plaats van het nu te doen.")

    def handle(self, *args, **options) -> None:
        if options["enqueue"]:
            tasks.send_reminders_task.enqueue()
            self.stdout.write("Herinneringen klaargezet voor de worker.")
            return
        self.stdout.write(f"{services.send_reminders()} herinnering(en) klaargezet; de worker verstuurt ze (run_worker).")
