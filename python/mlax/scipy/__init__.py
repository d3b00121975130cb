"""mlax.scipy: jax.scipy's `special` and `stats` (see docs/status.md for
what they cover)."""

from . import special, stats  # noqa: F401
from . import linalg  # noqa: F401
