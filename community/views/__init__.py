"""The community's pages, one module per part of its life. community/urls.py names them
`views.<name>`, so each module's public names are gathered here."""

from .constitution import *  # noqa: F403
from .corrections import *  # noqa: F403
from .jobs import *  # noqa: F403
from .meetings import *  # noqa: F403
from .motions import *  # noqa: F403
from .staff_meetings import *  # noqa: F403
from .timetable import *  # noqa: F403
