"""mlax.scipy.stats: jax.scipy.stats's distributions (one module each)
and its summary functions."""

from ..._src.scipy.kde import gaussian_kde  # noqa: F401
from ..._src.scipy.stats_extra import mode, rankdata, sem  # noqa: F401
from . import (  # noqa: F401
    bernoulli,
    beta,
    betabinom,
    binom,
    cauchy,
    chi2,
    dirichlet,
    expon,
    gamma,
    gennorm,
    geom,
    gumbel_l,
    gumbel_r,
    laplace,
    logistic,
    multinomial,
    multivariate_normal,
    nbinom,
    norm,
    pareto,
    poisson,
    t,
    truncnorm,
    uniform,
    vonmises,
    wrapcauchy,
)
