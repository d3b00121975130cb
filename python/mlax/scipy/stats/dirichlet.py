"""mlax.scipy.stats.dirichlet: jax.scipy.stats.dirichlet's functions."""

from ..._src.scipy.stats import dirichlet as _dirichlet

logpdf = _dirichlet.logpdf
pdf = _dirichlet.pdf

del _dirichlet
