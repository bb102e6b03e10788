from importlib import import_module, util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dtc.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Seed a fully synthetic demo establishment. Each app adds its part in its own "
        "demo.py (seed(stdout) -> logins to print). Running it twice changes nothing."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo writes synthetic people: it does not run in production mode."
            )
        logins = []
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if util.find_spec(module_name) is None:
                    continue
                self.stdout.write(f"Seeding {app_config.verbose_name}…")
                logins.extend(import_module(module_name).seed(self.stdout) or [])
        self.stdout.write(
            self.style.SUCCESS("\nDemo data ready. Sign in at http://127.0.0.1:8000/ as:")
        )
        width = max(len(username) for username, _ in logins)
        for username, description in logins:
            self.stdout.write(f"  {username.ljust(width)}  {description}")
        self.stdout.write(f"\nEvery demo account's password is: {DEMO_PASSWORD}")
