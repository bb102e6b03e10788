"""Reads of community life, already narrowed to what the user may see, one module per
part (as community/models/); their public names are gathered here."""

from .constitution import *  # noqa: F403
from .jobs import *  # noqa: F403
from .meetings import *  # noqa: F403
from .motions import *  # noqa: F403
from .staff_meetings import *  # noqa: F403
from .timetable import *  # noqa: F403
