from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"

    def ready(self):
        from dtc import home

        from . import kpi_cache
        from .views.home import home_card

        home.register(home_card)
        kpi_cache.connect()
