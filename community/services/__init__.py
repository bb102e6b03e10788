"""State changes of community life, one module per part (as community/models/). Callers
name them `services.<name>`, so each module's public names are gathered here."""

from .constitution import *  # noqa: F403
from .jobs import *  # noqa: F403
from .meetings import *  # noqa: F403
from .motions import *  # noqa: F403
from .staff_meetings import *  # noqa: F403
from .timetable import *  # noqa: F403
