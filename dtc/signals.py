from django.db.models.signals import post_save
from django.dispatch import receiver

from . import services
from .models import Community


@receiver(post_save, sender=Community)
def community_created(sender, instance, created, raw=False, **kwargs):
    # A signal rather than a service call because communities are also created in
    # the admin and in fixtures, and a new community must never fall outside its
    # Head of Psychotherapy's scope.
    if created and not raw:
        services.community_grants_sync(community=instance)


def sync_role_permissions(sender, **kwargs):
    services.role_permissions_sync()
