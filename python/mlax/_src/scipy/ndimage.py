"""jax.scipy.ndimage.map_coordinates on mlax, as JAX builds it: per axis,
the nearest (order 0) or the two linear (order 1) sample indices and
weights, the mode's index fixer, and a weighted sum of gathers over every
corner (values outside the input read cval in mode 'constant')."""

import functools
import itertools
import operator

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..numpy import ufuncs as uf
from ..numpy.util import asarray
from ..transforms.jit import jit


def _mirror_index_fixer(index, size):
    s = size - 1  # the half wavelength of the triangular wave
    return uf.abs((index + s) % (2 * s) - s)


def _reflect_index_fixer(index, size):
    return uf.floor_divide(_mirror_index_fixer(2 * index + 1, 2 * size + 1) - 1, 2)


_INDEX_FIXERS = {
    "constant": lambda index, size: index,
    "nearest": lambda index, size: uf.clip(index, 0, size - 1),
    "wrap": lambda index, size: index % size,
    "mirror": _mirror_index_fixer,
    "reflect": _reflect_index_fixer,
}


def _round_half_away_from_zero(a):
    return a if dtypes.issubdtype(aval_of(a).dtype, np.integer) else lax.round(a)


def _nearest_indices_and_weights(coordinate):
    index = _round_half_away_from_zero(coordinate).astype(np.int32)
    return [(index, None)]


def _linear_indices_and_weights(coordinate):
    lower = uf.floor(coordinate)
    upper_weight = coordinate - lower
    lower_weight = 1 - upper_weight
    index = lower.astype(np.int32)
    return [(index, lower_weight), (index + 1, upper_weight)]


@functools.partial(jit, static_argnums=(2, 3, 4))
def _map_coordinates(input, coordinates, order, mode, cval):
    input_arr = asarray(input)
    coords = [asarray(c) for c in coordinates]
    in_dtype = aval_of(input_arr).dtype
    cval = asarray(cval).astype(in_dtype)
    shape = aval_of(input_arr).shape
    if len(coords) != len(shape):
        raise user_error(
            ValueError,
            "coordinates must be a sequence of length input.ndim, but "
            f"{len(coords)} != {len(shape)}",
        )
    index_fixer = _INDEX_FIXERS.get(mode)
    if index_fixer is None:
        raise user_error(
            NotImplementedError,
            f"jax.scipy.ndimage.map_coordinates does not yet support mode {mode}. "
            f"Currently supported modes are {set(_INDEX_FIXERS)}.",
        )
    if order == 0:
        interp_fun = _nearest_indices_and_weights
    elif order == 1:
        interp_fun = _linear_indices_and_weights
    else:
        raise user_error(
            NotImplementedError, "jax.scipy.ndimage.map_coordinates currently requires order<=1"
        )
    per_axis = []
    for coordinate, size in zip(coords, shape):
        items = []
        for index, weight in interp_fun(coordinate):
            valid = ((index >= 0) & (index < size)) if mode == "constant" else None
            items.append((index_fixer(index, size), valid, weight))
        per_axis.append(items)
    outputs = []
    for items in itertools.product(*per_axis):
        indices, validities, weights = zip(*items)
        contribution = input_arr[tuple(indices)]
        valid = [v for v in validities if v is not None]
        if valid:
            contribution = uf.where(functools.reduce(operator.and_, valid), contribution, cval)
        ws = [w for w in weights if w is not None]
        if ws:
            contribution = functools.reduce(operator.mul, ws) * contribution
        outputs.append(contribution)
    result = functools.reduce(operator.add, outputs[1:], outputs[0])
    if dtypes.issubdtype(in_dtype, np.integer):
        result = _round_half_away_from_zero(result)
    return result.astype(in_dtype)


def map_coordinates(input, coordinates, order, mode="constant", cval=0.0):
    """Like jax.scipy.ndimage.map_coordinates (order 0 or 1; modes
    'constant', 'nearest', 'wrap', 'mirror', 'reflect')."""
    return _map_coordinates(input, coordinates, order, mode, cval)
