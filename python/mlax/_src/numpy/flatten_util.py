"""jax.flatten_util.ravel_pytree: a pytree of arrays as one 1-d array, and
the function that rebuilds the pytree from such an array."""

import functools

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..core.tree_util import tree_flatten, tree_unflatten
from ..lax.extras import split
from .util import asarray


def ravel_pytree(pytree):
    """(flat, unravel): the leaves raveled and concatenated in the promoted
    dtype (float32 and empty for no leaves); unravel(flat) rebuilds the
    pytree with each leaf's shape and dtype."""
    leaves, treedef = tree_flatten(pytree)
    flat, unravel_list = _ravel_list([asarray(leaf) for leaf in leaves])
    return flat, functools.partial(_unravel_pytree, treedef, unravel_list)


def _unravel_pytree(treedef, unravel_list, flat):
    return tree_unflatten(treedef, unravel_list(flat))


def _ravel_list(leaves):
    if not leaves:
        return lax.full((0,), 0, np.float32), lambda _: []
    from_dtypes = tuple(aval_of(leaf).dtype for leaf in leaves)
    to_dtype = dtypes.result_type(*from_dtypes)
    sizes = tuple(aval_of(leaf).size for leaf in leaves)
    shapes = tuple(aval_of(leaf).shape for leaf in leaves)
    raveled = lax.concatenate(
        [
            lax.reshape(lax.convert_element_type(leaf, to_dtype), (size,))
            for leaf, size in zip(leaves, sizes)
        ],
        0,
    )
    if all(d == to_dtype for d in from_dtypes):
        # One dtype: unravel keeps whatever dtype it is given (as JAX's).
        return raveled, functools.partial(_unravel_list, sizes, shapes, None, None)
    return raveled, functools.partial(_unravel_list, sizes, shapes, from_dtypes, to_dtype)


def _unravel_list(sizes, shapes, from_dtypes, to_dtype, flat):
    flat = asarray(flat)
    if to_dtype is not None and aval_of(flat).dtype != to_dtype:
        raise user_error(
            TypeError,
            f"unravel function given array of dtype {aval_of(flat).dtype}, but expected dtype {to_dtype}",
        )
    chunks = split(flat, sizes)
    chunks = [lax.reshape(chunk, shape) for chunk, shape in zip(chunks, shapes)]
    if from_dtypes is None:
        return chunks
    return [lax.convert_element_type(chunk, dtype) for chunk, dtype in zip(chunks, from_dtypes)]
