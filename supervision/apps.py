from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"

    def ready(self):
        from django.db.models.signals import m2m_changed

        from dtc import corrections, home, versions

        from . import services
        from .models import SupervisionRequirement, SupervisionSession
        from .queue import work
        from .selectors import communities_of_people
        from .views import home_card

        home.register(home_card)
        home.register_queue(work)
        # A session is corrected, never deleted; its agreed actions follow the correction.
        corrections.register(
            SupervisionSession,
            prepare=services.session_correction_prepare,
            after=services.session_corrected,
        )
        # A team's compliance counts its people's sessions wherever they were held.
        versions.track(
            SupervisionSession,
            lambda row: communities_of_people(row.supervisees.values_list("pk", flat=True)),
        )
        versions.track(SupervisionRequirement, lambda row: communities_of_people([row.user_id]))
        m2m_changed.connect(
            _supervisees_changed,
            sender=SupervisionSession.supervisees.through,
            dispatch_uid="supervision-supervisees-versions",
        )


def _supervisees_changed(sender, instance, action, pk_set, **kwargs):
    from dtc import versions

    from .selectors import communities_of_people

    if action == "post_clear":
        versions.changed({versions.ALL})  # who was removed is not known
    elif action in ("post_add", "post_remove"):
        versions.changed(communities_of_people(pk_set or ()))
