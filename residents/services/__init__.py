"""State changes of the resident record, one module per sub-domain (as residents/views/):
the record (admission, allocation, phase, restriction, leaving), plans, groups and
attendance, progress (reviews, votes, incidents, risk, ACCT, decisions), documents and
reminders. Each checks the policy on the resident (which applies the restriction to
named staff too), validates, and saves with its history (who, when, what) in one
transaction. Callers name them `services.<name>`, so each module's public names are
gathered here."""

from .corrections import *  # noqa: F403
from .documents import *  # noqa: F403
from .groups import *  # noqa: F403
from .plans import *  # noqa: F403
from .progress import *  # noqa: F403
from .record import *  # noqa: F403
from .reminders import *  # noqa: F403
from .small_groups import *  # noqa: F403
