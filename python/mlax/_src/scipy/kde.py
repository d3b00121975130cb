"""jax.scipy.stats.gaussian_kde, as JAX writes it (jax/_src/scipy/stats/kde.py):
a pytree of (neff, dataset, weights, covariance, inv_cov)."""

from dataclasses import dataclass
from functools import partial

import numpy as np

from ..core import aval_of, user_error
from ..core.tree_util import register_pytree_node_class
from ..numpy import creation, reductions, selection, shape, statistics
from ..numpy import linalg as jnp_linalg
from ..numpy import ufuncs as uf
from ..numpy.contractions import dot
from ..numpy.predicates import isscalar
from ..numpy.util import _promote_inexact, asarray
from ..random import keys as random_keys
from ..random import matrices as random_matrices
from ..random import samplers as random_samplers
from ..transforms.batching import vmap
from ..transforms.jit import jit
from . import linalg, special


def _is_complex(x):
    return np.issubdtype(aval_of(x).dtype, np.complexfloating)


@register_pytree_node_class
@dataclass(frozen=True, init=False, slots=True)
class gaussian_kde:
    neff: object
    dataset: object
    weights: object
    covariance: object
    inv_cov: object

    def __init__(self, dataset, bw_method=None, weights=None):
        dataset = shape.atleast_2d(asarray(dataset))
        if _is_complex(dataset):
            raise user_error(NotImplementedError, "gaussian_kde does not support complex data")
        if not int(np.prod(aval_of(dataset).shape)) > 1:
            raise user_error(ValueError, "`dataset` input should have multiple elements.")
        d, n = aval_of(dataset).shape
        if weights is not None:
            dataset, weights = _promote_inexact("gaussian_kde", dataset, weights)
            weights = shape.atleast_1d(weights)
            weights = weights / reductions.sum(weights)
            if len(aval_of(weights).shape) != 1:
                raise user_error(ValueError, "`weights` input should be one-dimensional.")
            if aval_of(weights).shape[0] != n:
                raise user_error(ValueError, "`weights` input should be of length n")
        else:
            (dataset,) = _promote_inexact("gaussian_kde", dataset)
            weights = creation.full(n, 1.0 / n, dtype=aval_of(dataset).dtype)
        self._setattr("dataset", dataset)
        self._setattr("weights", weights)
        neff = self._setattr("neff", 1 / reductions.sum(weights**2))
        bw_method = "scott" if bw_method is None else bw_method
        if isinstance(bw_method, str) and bw_method == "scott":
            factor = uf.power(neff, -1.0 / (d + 4))
        elif isinstance(bw_method, str) and bw_method == "silverman":
            factor = uf.power(neff * (d + 2) / 4.0, -1.0 / (d + 4))
        elif isscalar(bw_method) and not isinstance(bw_method, str):
            factor = bw_method
        elif callable(bw_method):
            factor = bw_method(self)
        else:
            raise user_error(
                ValueError,
                "`bw_method` should be 'scott', 'silverman', a scalar, or a callable.",
            )
        data_covariance = shape.atleast_2d(
            statistics.cov(dataset, rowvar=1, bias=False, aweights=weights)
        )
        data_inv_cov = jnp_linalg.inv(data_covariance)
        self._setattr("covariance", data_covariance * factor**2)
        self._setattr("inv_cov", data_inv_cov / factor**2)

    def _setattr(self, name, value):
        object.__setattr__(self, name, value)
        return value

    def tree_flatten(self):
        return ((self.neff, self.dataset, self.weights, self.covariance, self.inv_cov), None)

    @classmethod
    def tree_unflatten(cls, aux_data, children):
        kde = cls.__new__(cls)
        for name, value in zip(("neff", "dataset", "weights", "covariance", "inv_cov"), children):
            kde._setattr(name, value)
        return kde

    @property
    def d(self):
        return aval_of(self.dataset).shape[0]

    @property
    def n(self):
        return aval_of(self.dataset).shape[1]

    def evaluate(self, points):
        points = self._reshape_points(asarray(points))
        result = _gaussian_kernel_eval(
            False, self.dataset.T, self.weights[:, None], points.T, self.inv_cov
        )
        return result[:, 0]

    def __call__(self, points):
        return self.evaluate(points)

    def integrate_gaussian(self, mean, cov):
        mean = shape.atleast_1d(shape.squeeze(asarray(mean)))
        cov = shape.atleast_2d(asarray(cov))
        if aval_of(mean).shape != (self.d,):
            raise user_error(ValueError, f"mean does not have dimension {self.d}")
        if aval_of(cov).shape != (self.d, self.d):
            raise user_error(ValueError, f"covariance does not have dimension {self.d}")
        chol = linalg.cho_factor(self.covariance + cov)
        norm = 1.0 / (uf.sqrt(2 * np.pi) ** self.d * reductions.prod(selection.diag(chol[0])))
        return _gaussian_kernel_convolve(chol, norm, self.dataset, self.weights, mean)

    @jit
    def integrate_box_1d(self, low, high):
        if self.d != 1:
            raise user_error(ValueError, "integrate_box_1d() only handles 1D pdfs")
        if np.ndim(low) != 0 or np.ndim(high) != 0:
            raise user_error(
                ValueError, "the limits of integration in integrate_box_1d must be scalars"
            )
        sigma = shape.squeeze(uf.sqrt(self.covariance))
        low = shape.squeeze((low - self.dataset) / sigma)
        high = shape.squeeze((high - self.dataset) / sigma)
        return reductions.sum(self.weights * (special.ndtr(high) - special.ndtr(low)))

    def integrate_kde(self, other):
        if other.d != self.d:
            raise user_error(ValueError, "KDEs are not the same dimensionality")
        chol = linalg.cho_factor(self.covariance + other.covariance)
        norm = 1.0 / (uf.sqrt(2 * np.pi) ** self.d * reductions.prod(selection.diag(chol[0])))
        sm, lg = (self, other) if self.n < other.n else (other, self)
        convolve = partial(_gaussian_kernel_convolve, chol, norm, lg.dataset, lg.weights)
        result = vmap(convolve, in_axes=1)(sm.dataset)
        return reductions.sum(result * sm.weights)

    @partial(jit, static_argnames=("shape",))
    def resample(self, key, shape=()):
        ind_key, eps_key = random_keys.split(key)
        ind = random_samplers.choice(ind_key, self.n, shape=shape, p=self.weights)
        dtype = aval_of(self.dataset).dtype
        mean = creation.zeros(self.d, aval_of(self.covariance).dtype)
        eps = random_matrices.multivariate_normal(
            eps_key, mean, self.covariance, shape=shape, dtype=dtype
        ).T
        return self.dataset[:, ind] + eps

    def pdf(self, x):
        return self.evaluate(x)

    def logpdf(self, x):
        x = self._reshape_points(asarray(x))
        result = _gaussian_kernel_eval(
            True, self.dataset.T, self.weights[:, None], x.T, self.inv_cov
        )
        return result[:, 0]

    def integrate_box(self, low_bounds, high_bounds, maxpts=None):
        raise user_error(
            NotImplementedError, "only 1D box integrations are supported; use `integrate_box_1d`"
        )

    def set_bandwidth(self, bw_method=None):
        raise user_error(
            NotImplementedError, "dynamically changing the bandwidth method is not supported"
        )

    def _reshape_points(self, points):
        if _is_complex(points):
            raise user_error(
                NotImplementedError, "gaussian_kde does not support complex coordinates"
            )
        points = shape.atleast_2d(points)
        d, m = aval_of(points).shape
        if d != self.d:
            if d == 1 and m == self.d:
                points = shape.reshape(points, (self.d, 1))
            else:
                raise user_error(
                    ValueError, f"points have dimension {d}, dataset has dimension {self.d}"
                )
        return points


def _gaussian_kernel_convolve(chol, norm, target, weights, mean):
    diff = target - mean[:, None]
    alpha = linalg.cho_solve(chol, diff)
    arg = 0.5 * reductions.sum(diff * alpha, axis=0)
    return norm * reductions.sum(uf.exp(-arg) * weights)


@partial(jit, static_argnums=0)
def _gaussian_kernel_eval(in_log, points, values, xi, precision):
    points, values, xi, precision = _promote_inexact("gaussian_kde", points, values, xi, precision)
    d = aval_of(points).shape[1]
    if aval_of(xi).shape[1] != d:
        raise user_error(ValueError, "points and xi must have same trailing dim")
    if aval_of(precision).shape != (d, d):
        raise user_error(ValueError, "precision matrix must match data dims")
    whitening = linalg.cholesky(precision, lower=True)
    points = dot(points, whitening)
    xi = dot(xi, whitening)
    log_norm = reductions.sum(uf.log(selection.diag(whitening))) - 0.5 * d * uf.log(2 * np.pi)

    def kernel(x_test, x_train, y_train):
        arg = log_norm - 0.5 * reductions.sum(uf.square(x_train - x_test))
        if in_log:
            return uf.log(y_train) + arg
        return y_train * uf.exp(arg)

    reduce = special.logsumexp if in_log else reductions.sum

    def reduced_kernel(x):
        return reduce(vmap(kernel, in_axes=(None, 0, 0))(x, points, values), axis=0)

    return vmap(reduced_kernel)(xi)
