"""mlax.scipy.stats.binom: jax.scipy.stats.binom's functions."""

from ..._src.scipy.stats import binom as _binom

logpmf = _binom.logpmf
pmf = _binom.pmf

del _binom
