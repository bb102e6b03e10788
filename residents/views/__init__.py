"""The resident pages, one module per sub-domain (as residents/services/): the record,
progress, plans, groups and the register, and clinical documents. residents/urls.py
names them `views.<name>`, so each module's public names are gathered here."""

from .corrections import *  # noqa: F403
from .documents import *  # noqa: F403
from .groups import *  # noqa: F403
from .plans import *  # noqa: F403
from .progress import *  # noqa: F403
from .record import *  # noqa: F403
from .small_groups import *  # noqa: F403
