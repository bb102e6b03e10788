"""Reads of community life, one module per part of it, each already narrowed to what the
user may see. Callers name them `selectors.<name>`, so each module's public names are
gathered here."""

from .constitution import *  # noqa: F403
from .jobs import *  # noqa: F403
