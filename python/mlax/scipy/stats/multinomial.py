"""mlax.scipy.stats.multinomial: jax.scipy.stats.multinomial's functions."""

from ..._src.scipy.stats_extra import multinomial as _multinomial

logpmf = _multinomial.logpmf
pmf = _multinomial.pmf

del _multinomial
