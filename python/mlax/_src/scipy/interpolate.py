"""jax.scipy.interpolate.RegularGridInterpolator on mlax, as JAX builds it
(after SciPy's): searchsorted finds each axis's cell, the normalised
distance weighs its corners (linear) or picks the nearer (nearest);
points outside the grid read fill_value. A pytree, as in JAX."""

from itertools import product

import numpy as np

from ..core import aval_of, dtypes, user_error
from ..core.tree_util import register_pytree_node
from ..numpy import ufuncs as uf
from ..numpy.creation import zeros
from ..numpy.selection import searchsorted
from ..numpy.shape import stack
from ..numpy.util import _promote_inexact, asarray, broadcast_arrays


def _ndim_coords_from_arrays(points, ndim=None):
    """A tuple of coordinate arrays as one (..., ndim) array."""
    if isinstance(points, tuple) and len(points) == 1:
        points = points[0]
    if isinstance(points, tuple):
        p = broadcast_arrays(*points)
        dt = dtypes.default_float()
        return stack([asarray(q).astype(dt) for q in p], axis=-1)
    points = asarray(points)
    if aval_of(points).ndim == 1:
        points = points.reshape(-1, 1) if ndim is None else points.reshape(-1, ndim)
    return points


class RegularGridInterpolator:
    """Like jax.scipy.interpolate.RegularGridInterpolator: methods 'linear'
    and 'nearest'; bounds_error=False only; fill_value (NaN by default, or
    None to extrapolate)."""

    def __init__(self, points, values, method="linear", bounds_error=False, fill_value=np.nan):
        if method not in ("linear", "nearest"):
            raise user_error(ValueError, f"method {method!r} is not defined")
        self.method = method
        self.bounds_error = bounds_error
        if self.bounds_error:
            raise user_error(NotImplementedError, "`bounds_error` takes no effect under JIT")
        values = asarray(values)
        if len(points) > aval_of(values).ndim:
            raise user_error(
                ValueError,
                f"there are {len(points)} point arrays, but values has "
                f"{aval_of(values).ndim} dimensions",
            )
        (values,) = _promote_inexact("RegularGridInterpolator", values)
        if fill_value is not None:
            fill_value = asarray(fill_value)
            fdt, vdt = np.dtype(aval_of(fill_value).dtype), np.dtype(aval_of(values).dtype)
            if not np.can_cast(fdt, vdt, casting="same_kind"):
                raise user_error(
                    ValueError,
                    "fill_value must be either 'None' or of a type compatible with values",
                )
        self.fill_value = fill_value
        self.grid = tuple(asarray(p) for p in points)
        self.values = values

    def __call__(self, xi, method=None):
        method = self.method if method is None else method
        if method not in ("linear", "nearest"):
            raise user_error(ValueError, f"method {method!r} is not defined")
        ndim = len(self.grid)
        xi = _ndim_coords_from_arrays(xi, ndim=ndim)
        xi_shape = tuple(aval_of(xi).shape)
        if xi_shape[-1] != ndim:
            raise user_error(
                ValueError,
                f"the requested sample points xi have dimension {xi_shape[1]}, but this "
                f"RegularGridInterpolator has dimension {ndim}",
            )
        xi = xi.reshape(-1, xi_shape[-1])
        indices, norm_distances, out_of_bounds = self._find_indices(xi.T)
        if method == "linear":
            result = self._evaluate_linear(indices, norm_distances)
        else:
            result = self._evaluate_nearest(indices, norm_distances)
        if not self.bounds_error and self.fill_value is not None:
            rshape = tuple(aval_of(result).shape)
            bc_shp = rshape[:1] + (1,) * (len(rshape) - 1)
            result = uf.where(out_of_bounds.reshape(bc_shp), self.fill_value, result)
        return result.reshape(xi_shape[:-1] + tuple(aval_of(self.values).shape)[ndim:])

    def _evaluate_linear(self, indices, norm_distances):
        vslice = (slice(None),) + (None,) * (aval_of(self.values).ndim - len(indices))
        values = asarray(0.0)
        for edge_indices in product(*[[i, i + 1] for i in indices]):
            weight = asarray(1.0)
            for ei, i, yi in zip(edge_indices, indices, norm_distances):
                weight = weight * ((1 - yi) if ei is i else yi)
            values = values + self.values[edge_indices] * weight[vslice]
        return values

    def _evaluate_nearest(self, indices, norm_distances):
        idx = [uf.where(yi <= 0.5, i, i + 1) for i, yi in zip(indices, norm_distances)]
        return self.values[tuple(idx)]

    def _find_indices(self, xi):
        indices, norm_distances = [], []
        out_of_bounds = zeros((aval_of(xi).shape[1],), dtype=bool)
        for k, g in enumerate(self.grid):
            x = xi[k]
            size = aval_of(g).size
            i = searchsorted(g, x) - 1
            i = uf.where(i < 0, 0, i)
            i = uf.where(i > size - 2, size - 2, i)
            indices.append(i)
            norm_distances.append((x - g[i]) / (g[i + 1] - g[i]))
            if not self.bounds_error:
                out_of_bounds = out_of_bounds | (x < g[0]) | (x > g[-1])
        return indices, norm_distances, out_of_bounds


register_pytree_node(
    RegularGridInterpolator,
    lambda obj: ((obj.grid, obj.values, obj.fill_value), (obj.method, obj.bounds_error)),
    lambda aux, children: RegularGridInterpolator(*children[:2], *aux, *children[2:]),
)
