"""mlax.scipy.stats: jax.scipy.stats's distributions (one module each)."""

from . import (  # noqa: F401
    bernoulli,
    beta,
    binom,
    cauchy,
    chi2,
    dirichlet,
    expon,
    gamma,
    geom,
    laplace,
    logistic,
    norm,
    pareto,
    poisson,
    t,
    uniform,
)
