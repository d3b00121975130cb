"""mlax.scipy.stats.geom: jax.scipy.stats.geom's functions."""

from ..._src.scipy.stats import geom as _geom

logpmf = _geom.logpmf
pmf = _geom.pmf

del _geom
