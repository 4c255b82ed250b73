"""``lotse demo``: load the demo installation. Running it again changes nothing."""

import contextlib
from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Loads the demo (Musterkreis, Musterstadt, Beispielstadt). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--logins", action="store_true", help="Print the demo logins.")
        parser.add_argument(
            "--scale",
            choices=["normal", "large"],
            default="normal",
            help="“large” adds the data of a large town (PRODUCT.md, “Scale to design for”) "
            "to Musterstadt, for benchmarks.",
        )

    def handle(self, *args, **options):
        from lotse.core.management.checks import require_migrated

        require_migrated()
        modules = []
        with self.index_paused(), transaction.atomic():
            # Each Lotse app may have a demo module; they run in INSTALLED_APPS order, which
            # is the order of the loop (bodies and accounts first).
            for config in apps.get_app_configs():
                if not config.name.startswith("lotse."):
                    continue
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.demo":
                        raise
                    continue
                module.load(self.stdout)
                modules.append(module)
        if options["scale"] == "large":
            # A module may add bulk data with ``load_large(out)``; in its own transaction, so
            # the normal demo stays even if this part is interrupted.
            with self.index_paused(), transaction.atomic():
                for module in modules:
                    if hasattr(module, "load_large"):
                        module.load_large(self.stdout)
        if apps.is_installed("lotse.search"):
            # Demo modules create much in bulk, which sends no signals, and the rows saved one
            # by one were not indexed either (index_paused): index it all at once.
            call_command("search_rebuild", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo geladen."))
        if options["logins"]:
            self.print_logins(modules)

    @staticmethod
    def index_paused():
        """The search index is rebuilt once at the end; refreshing it on every save of the
        demo would cost about half of the load."""
        if apps.is_installed("lotse.search"):
            from lotse.search.registry import paused

            return paused()
        return contextlib.nullcontext()

    def print_logins(self, modules):
        from django.utils import translation

        from lotse.accounts.demo import DEMO_PASSWORD

        translation.activate("de")

        self.stdout.write("")
        self.stdout.write(f"Demo-Anmeldungen (Passwort für alle: {DEMO_PASSWORD})")
        self.stdout.write(
            "Konten mit Rollen und Sitzungsleitungen (Vorsitz) richten bei der ersten "
            "Anmeldung einen zweiten Faktor (TOTP-App oder Sicherheitsschlüssel) ein. Die "
            "Ausschussmitglieder von Musterstadt stimmen ohne ab: die Demo schaltet dort die "
            "Einstellung "
            "„Stimmberechtigte brauchen Zwei-Faktor“ aus."
        )
        # Each demo module may name its accounts (``demo_logins()``), in the order of the loop.
        for module in modules:
            for label, email in getattr(module, "demo_logins", list)():
                self.stdout.write(f"  {email:<40} {label}")
