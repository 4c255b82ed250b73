"""``lotse send_digests``: send the daily notification digests now (for cron)."""

from django.core.management.base import BaseCommand

from lotse.participation.tasks import send_daily_digests


class Command(BaseCommand):
    help = "Mail each person in daily-digest mode their notifications of the last day."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the work to the task worker instead of sending from this process.",
        )

    def handle(self, *args, enqueue: bool = False, **options):
        from lotse.core.management.checks import require_migrated

        require_migrated()
        if enqueue:
            send_daily_digests.enqueue()
            self.stdout.write("Digest-Versand an den Task-Worker übergeben.")
            return
        sent = send_daily_digests.call()
        self.stdout.write(f"Tageszusammenfassungen versendet: {sent}")
