"""State changes of community life, one module per part of it. Each checks the policy,
validates, and saves with its history (who, when, what) in one transaction. Callers
name them `services.<name>`, so each module's public names are gathered here."""

from .constitution import *  # noqa: F403
from .jobs import *  # noqa: F403
