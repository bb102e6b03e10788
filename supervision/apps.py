from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"

    def ready(self):
        from dtc import home

        from .views import home_card

        home.register(home_card)
