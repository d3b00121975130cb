"""jax.scipy.cluster.vq: vq, nearest-code assignment."""

from ..core import aval_of, user_error
from ..numpy import linalg as jnp_linalg
from ..numpy.advanced_indexing import take_along_axis
from ..numpy.reductions import argmin
from ..numpy.util import _check_arraylike, _promote_inexact
from ..transforms.batching import vmap


def vq(obs, code_book, check_finite=True):
    """Assign each observation (a row of obs, shape (M, N), or an entry
    of a 1-D obs) the index of its nearest code in code_book ((K, N) or
    1-D) by Euclidean distance (jax.scipy.cluster.vq.vq): (code, dist),
    each of shape (M,). check_finite is unused, as in JAX."""
    del check_finite
    _check_arraylike("scipy.cluster.vq.vq", obs, code_book)
    obs_arr, cb_arr = _promote_inexact("scipy.cluster.vq.vq", obs, code_book)
    ndim = len(aval_of(obs_arr).shape)
    if ndim != len(aval_of(cb_arr).shape):
        raise user_error(ValueError, "Observation and code_book should have the same rank")
    if ndim == 1:
        obs_arr, cb_arr = obs_arr[..., None], cb_arr[..., None]
        ndim = 2
    if ndim != 2:
        raise user_error(ValueError, "ndim different than 1 or 2 are not supported")
    dist = vmap(lambda ob: jnp_linalg.norm(ob[None] - cb_arr, axis=-1))(obs_arr)
    code = argmin(dist, axis=-1)
    dist_min = take_along_axis(dist, code[:, None], axis=-1)[:, 0]
    return code, dist_min
