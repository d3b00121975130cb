"""mlax.scipy.stats.betabinom: jax.scipy.stats.betabinom's functions."""

from ..._src.scipy.stats_extra import betabinom as _betabinom

logpmf = _betabinom.logpmf
pmf = _betabinom.pmf

del _betabinom
