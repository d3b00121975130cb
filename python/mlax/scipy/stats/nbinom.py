"""mlax.scipy.stats.nbinom: jax.scipy.stats.nbinom's functions."""

from ..._src.scipy.stats_extra import nbinom as _nbinom

logpmf = _nbinom.logpmf
pmf = _nbinom.pmf

del _nbinom
