from django.apps import AppConfig


class CommunityConfig(AppConfig):
    """The community's own life: its timetable, meetings, democratic decisions,
    constitution, jobs and staff meetings. Reads and writes residents through the
    residents app's selectors and services; nothing in residents imports it."""

    name = "community"
