"""The community's forms, one module per part (as community/models/); their public names
are gathered here."""

from .meetings import *  # noqa: F403
from .motions import *  # noqa: F403
from .staff_meetings import *  # noqa: F403
from .timetable import *  # noqa: F403
