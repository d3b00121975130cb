"""jax.nn functions. So far: one_hot (the rest of jax.nn is issue 15)."""

import operator
import warnings

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..numpy.advanced_indexing import _canonical_axis
from ..numpy.util import asarray


def one_hot(x, num_classes, *, dtype=None, axis=-1):
    """Like jax.nn.one_hot: `x == arange(num_classes)` on a new `axis`;
    out-of-range and non-integral values give all zeros."""
    try:
        num_classes = operator.index(num_classes)
    except TypeError:
        raise user_error(
            TypeError,
            f"num_classes must be a concrete integer, got {num_classes!r} (one_hot needs a "
            "static number of classes)",
        ) from None
    x = asarray(x)
    if not dtypes.is_int(aval_of(x).dtype):
        warnings.warn(
            f"jax.nn.one_hot input should be integer-typed; got dtype={aval_of(x).dtype}",
            DeprecationWarning,
            stacklevel=2,
        )
    dtype = dtypes.default_float() if dtype is None else np.dtype(dtype)
    out_ndim = aval_of(x).ndim + 1
    axis = _canonical_axis("one_hot", operator.index(axis), out_ndim)
    shape = list(aval_of(x).shape)
    shape.insert(axis, num_classes)
    shape = tuple(shape)
    keep = tuple(d for d in range(out_ndim) if d != axis)
    xs = lax.broadcast_in_dim(x, shape, keep)
    classes = lax.broadcasted_iota(aval_of(x).dtype, shape, axis)
    return lax.convert_element_type(lax.eq(xs, classes), dtype)
