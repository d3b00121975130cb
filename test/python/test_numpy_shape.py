"""NumPy parity of mlax.numpy's shape manipulation and basic indexing
(reshape, transpose, concatenate, split, tile, flip, x[...]); machinery in
parity.py."""

import jax.numpy as jax_np
import mlax.numpy as jnp
import numpy as np
import pytest
from parity import (
    R3,
    S23,
    A,
    Case,
    call,
    check_against_jax,
    run_case,
)

CASES = []


def add(*args, **kw):
    CASES.append(Case(*args, **kw))


# Shape manipulation
add("reshape-tuple", lambda m, x: m.reshape(x, (3, 2)), A(S23))
add("reshape-minus1", lambda m, x: m.reshape(x, (-1, 2)), A(R3))
add("reshape-int", lambda m, x: m.reshape(x, 6), A(S23, "i32"))
add("reshape-0d", lambda m, x: m.reshape(x, (1, 1)), A(()))
add("reshape-to-0d", lambda m, x: m.reshape(x, ()), A((1,)))
add("ravel", call("ravel"), A(R3))
# order="F" was ignored by ravel (C order) and refused by reshape.
add("ravel-F", lambda m, x: m.ravel(x, order="F"), A(R3))
add("reshape-F", lambda m, x: m.reshape(x, (4, -1), order="F"), A(R3))
add("meth_flatten-F", lambda m, x: x.flatten(order="F"), A(S23, "i32"))
add("meth_reshape-F", lambda m, x: x.reshape(3, 2, order="F"), A(S23))
add("transpose-default", call("transpose"), A(R3))
add("transpose-axes", lambda m, x: m.transpose(x, (1, 0, 2)), A(R3))
add("transpose-neg-axes", lambda m, x: m.transpose(x, (-1, 0, 1)), A(R3, "i32"))
add("swapaxes", lambda m, x: m.swapaxes(x, 0, 2), A(R3))
add("swapaxes-neg", lambda m, x: m.swapaxes(x, -1, 1), A(R3))
add("swapaxes-same", lambda m, x: m.swapaxes(x, 1, 1), A(R3))
add("moveaxis-int", lambda m, x: m.moveaxis(x, 0, -1), A(R3))
add("moveaxis-tuple", lambda m, x: m.moveaxis(x, (0, 1), (2, 0)), A(R3))
add("expand_dims-0", lambda m, x: m.expand_dims(x, 0), A(S23))
add("expand_dims-neg", lambda m, x: m.expand_dims(x, -1), A(S23))
add("expand_dims-tuple", lambda m, x: m.expand_dims(x, (0, 3)), A(S23))
add("expand_dims-0d", lambda m, x: m.expand_dims(x, 0), A(()))
add("squeeze-all", call("squeeze"), A((1, 3, 1)))
add("squeeze-axis", lambda m, x: m.squeeze(x, 2), A((1, 3, 1)))
add("squeeze-tuple", lambda m, x: m.squeeze(x, (0, -1)), A((1, 3, 1)))
add("broadcast_to", lambda m, x: m.broadcast_to(x, (2, 3, 4)), A((3, 1)))
add("broadcast_to-int", lambda m, x: m.broadcast_to(x, 4), A(()))
add("broadcast_to-scalar", lambda m: m.broadcast_to(2.0, (2,)))
add("broadcast_arrays", call("broadcast_arrays"), A((3, 1)), A((4,), "i32"))
add("concatenate-0", lambda m, x, y: m.concatenate([x, y]), A((2, 3)), A((1, 3)))
add("concatenate-1", lambda m, x, y: m.concatenate([x, y], axis=1), A((2, 3)), A((2, 2)))
add(
    "concatenate-neg",
    lambda m, x, y, z: m.concatenate((x, y, z), axis=-1),
    A((2, 1)),
    A((2, 2)),
    A((2, 3)),
)
add("concatenate-none", lambda m, x, y: m.concatenate([x, y], axis=None), A((2, 2)), A((3,)))
add("concatenate-mixed", lambda m, x, y: m.concatenate([x, y]), A((2,), "i32"), A((3,), "f32"))
add("concatenate-one", lambda m, x: m.concatenate([x]), A((2, 3)))
add("stack-0", lambda m, x, y: m.stack([x, y]), A(S23), A(S23))
add("stack-1", lambda m, x, y: m.stack([x, y], axis=1), A(S23), A(S23))
add("stack-neg", lambda m, x, y, z: m.stack([x, y, z], axis=-1), A((3,)), A((3,)), A((3,)))
add("stack-0d", lambda m, x, y: m.stack([x, y]), A(()), A(()))
add("vstack-1d", lambda m, x, y: m.vstack([x, y]), A((3,)), A((3,)))
add("vstack-2d", lambda m, x, y: m.vstack([x, y]), A((2, 3)), A((1, 3)))
add("hstack-1d", lambda m, x, y: m.hstack([x, y]), A((3,)), A((2,)))
add("hstack-2d", lambda m, x, y: m.hstack([x, y]), A((2, 3)), A((2, 1)))
add("hstack-0d", lambda m, x, y: m.hstack([x, y]), A(()), A(()))
add("split-sections", lambda m, x: m.split(x, 3), A((6, 2)))
add("split-indices", lambda m, x: m.split(x, [1, 3], axis=1), A((2, 5)))
# Empty slices starting at the end of an axis (start == size).
add("split-empty-tail", lambda m, x: m.split(x, [2, 4]), A((4,)))
add("split-empty-tail-axis1", lambda m, x: m.split(x, [3], axis=1), A(S23))
add("tile-int", lambda m, x: m.tile(x, 3), A((2,)))
add("tile-tuple", lambda m, x: m.tile(x, (2, 1)), A(S23))
add("tile-more-reps", lambda m, x: m.tile(x, (2, 1, 2)), A((3,)))
add("tile-0d", lambda m, x: m.tile(x, 2), A(()))
add("repeat-none", lambda m, x: m.repeat(x, 2), A(S23))
add("repeat-axis", lambda m, x: m.repeat(x, 3, axis=1), A(S23))
add("repeat-axis-neg", lambda m, x: m.repeat(x, 2, axis=-2), A(S23, "i32"))
add("flip-none", call("flip"), A(S23))
add("flip-0", lambda m, x: m.flip(x, 0), A(R3))
add("flip-tuple", lambda m, x: m.flip(x, (0, -1)), A(R3))
add("fliplr", call("fliplr"), A(S23))
add("flipud", call("flipud"), A(S23))
add("atleast_1d-0d", call("atleast_1d"), A(()))
add("atleast_1d-1d", call("atleast_1d"), A((3,)))
add("atleast_1d-many", call("atleast_1d"), A(()), A(S23))
add("atleast_2d-0d", call("atleast_2d"), A(()))
add("atleast_2d-1d", call("atleast_2d"), A((3,)))
add("atleast_2d-2d", call("atleast_2d"), A(S23))

# Basic indexing: ints, negative ints, slices with steps, None, Ellipsis.
_INDEXES = [
    ("int", lambda x: x[1]),
    ("negint", lambda x: x[-1]),
    ("int2", lambda x: x[1, 2]),
    ("negint2", lambda x: x[-2, -1]),
    ("slice", lambda x: x[1:]),
    ("slice-stop", lambda x: x[:1]),
    ("step", lambda x: x[:, ::2]),
    ("negstep", lambda x: x[::-1]),
    ("negstep2", lambda x: x[:, ::-2]),
    ("negstep-bounds", lambda x: x[:, 3:0:-2]),
    ("negstep-start", lambda x: x[:, -2::-1]),
    ("negstep-last", lambda x: x[..., ::-3]),
    ("mixed", lambda x: x[1:, ::-1, 2]),
    ("none", lambda x: x[None]),
    ("none-mid", lambda x: x[:, None, 1]),
    ("ellipsis", lambda x: x[..., 0]),
    ("ellipsis-none", lambda x: x[0, ..., None]),
    ("ellipsis-only", lambda x: x[...]),
    ("empty-slice", lambda x: x[:, 2:1]),
    ("neg-slice", lambda x: x[:, -3:-1]),
    ("numpy-int", lambda x: x[np.int64(1), np.int32(-1)]),
    ("tuple-slices", lambda x: x[0:2:1, 1::2, ::3]),
]
for _name, _ix in _INDEXES:
    add(f"getitem-{_name}", lambda m, x, _ix=_ix: _ix(x), A(R3), covers=("getitem",))
add("getitem-1d-int", lambda m, x: x[2], A((5,), "i32"), covers=("getitem",))
add("getitem-0d-empty-tuple", lambda m, x: x[()], A(()), covers=("getitem",))
add("getitem-0d-none", lambda m, x: x[None], A(()), covers=("getitem",))
add("getitem-bool-array", lambda m, x: x[::-1], A((5,), "bool"), covers=("getitem",))
for _sid, _sl in [
    ("negstep-past-start", slice(-1, -10, -1)),
    ("negstep-start-beyond", slice(10, 0, -1)),
    ("negstep-big", slice(None, None, -7)),
    ("wide-bounds", slice(-100, 100, 3)),
    ("reversed-empty", slice(3, 1)),
    ("end", slice(5, None)),
    ("end-empty", slice(5, 5)),
]:
    add(f"getitem-1d-{_sid}", lambda m, x, _s=_sl: x[_s], A((5,), "i32"), covers=("getitem",))
add("getitem-oob-slice", lambda m, x: x[5:], A(R3), covers=("getitem",))
add("getitem-end-slice", lambda m, x: x[:, :, 4:], A(R3), covers=("getitem",))
add("getitem-end-slice-1d", lambda m, x: x[4:], A((4,)), covers=("getitem",))


# Indexing by arrays (more in test_indexing.py)
add("take-axis", lambda m, x: m.take(x, np.array([[2, 0], [1, 1]]), axis=1), A(R3))
add("take-flat", lambda m, x: m.take(x, np.array([5, 0, 3])), A(S23, "i32"))
add("take-clip", lambda m, x: m.take(x, np.array([9, -1]), axis=0, mode="clip"), A(S23))
add(
    "take_along_axis",
    lambda m, x: m.take_along_axis(x, np.array([[[1], [0], [2], [1]]] * 2), axis=1),
    A(R3),
)
add("getitem-array", lambda m, x: x[np.array([1, 0, 1])], A(S23))
add("getitem-mixed", lambda m, x: x[:, np.array([2, 0]), 1], A(R3))

# Selection helpers (selection.py)


def _np_fill_diagonal(x, v):
    out = x.copy()
    np.fill_diagonal(out, v)
    return out


def _np_put_along_axis(x, idx, v, axis):
    out = x.copy()
    np.put_along_axis(out, idx, v, axis)
    return out


_V = np.array([3, 0, 2, 0, 5], np.int32)
add("roll", lambda m, x: m.roll(x, 1), A(R3))
add("roll-axes", lambda m, x: m.roll(x, (1, -2), axis=(0, 2)), A(R3))
add("tril", lambda m, x: m.tril(x, -1), A(R3))
add("triu", lambda m, x: m.triu(x, 1), A((3, 4)))
add("diag", lambda m, x: m.diag(x, -1), A((3,)))
add("diag-of-matrix", lambda m, x: m.diag(x, 1), A((3, 4)))
add("diagonal", lambda m, x: m.diagonal(x, 1, 1, 2), A(R3))
add("trace", lambda m, x: m.trace(x), A((3, 4)))
add("diff", lambda m, x: m.diff(x, n=2, axis=1), A(R3))
add("diff-prepend", lambda m, x: m.diff(x, prepend=0.0, append=1.0), A((5,)))
add("ediff1d", lambda m, x: m.ediff1d(x, to_begin=-1.0, to_end=2.0), A(S23))
add("nonzero", lambda m, x: m.nonzero(x > 0)[1], A(S23), jax=False)
add(
    "nonzero-size",
    lambda m, x: m.nonzero(x > 0, size=4, fill_value=-1)[0],
    A((6,)),
    ref=lambda x: np.concatenate([np.nonzero(x > 0)[0], [-1] * 4])[:4].astype(np.int32),
)
add("flatnonzero", lambda m, x: m.flatnonzero(x > 0), A(S23), jax=False)
add("argwhere", lambda m, x: m.argwhere(x > 0), A(S23), jax=False)
add("bincount", lambda m: m.bincount(_V), jax=False)
add(
    "bincount-weights",
    lambda m, w: m.bincount(_V, weights=w, length=7),
    A((5,)),
    ref=lambda w: np.bincount(_V, weights=w, minlength=7).astype(np.float32),
)
add("select", lambda m, x: m.select([x > 0.5, x < -0.5], [x, -x], 0.0), A(S23))
add(
    "compress",
    lambda m, x: m.compress(np.array([True, False, True]), x, axis=1),
    A(S23),
    jax=False,
)
add("extract", lambda m, x: m.extract(x > 0, x), A(S23), jax=False)
add(
    "searchsorted",
    lambda m, v: m.searchsorted(np.array([-1.0, 0.0, 0.5, 2.0], np.float32), v, side="right"),
    A((5,)),
)
add(
    "digitize",
    lambda m, v: m.digitize(v, np.array([-1.0, 0.0, 0.5, 2.0], np.float32)),
    A((5,)),
)
add(
    "put_along_axis",
    lambda m, x: m.put_along_axis(x, np.array([[0], [2]]), 9.0, axis=1, inplace=False),
    A(S23),
    ref=lambda x: _np_put_along_axis(x, np.array([[0], [2]]), 9.0, 1),
)
add(
    "where-one-argument",
    lambda m, x: m.where(x > 0, size=5, fill_value=-1)[0],
    A((6,)),
    ref=lambda x: np.concatenate([np.nonzero(x > 0)[0], [-1] * 5])[:5].astype(np.int32),
    covers=("where",),
)
add(
    "fill_diagonal",
    lambda m, x: m.fill_diagonal(x, 5.0, inplace=False),
    A((3, 4)),
    ref=lambda x: _np_fill_diagonal(x, 5.0),
)
add(
    "fill_diagonal-values",
    lambda m, x: m.fill_diagonal(x, np.array([1.0, 2.0], np.float32), inplace=False),
    A((3, 3, 3)),
    ref=lambda x: _np_fill_diagonal(x, np.array([1.0, 2.0], np.float32)),
)
add("tril_indices", lambda m: m.tril_indices(3, 0, 4)[1])
add("triu_indices", lambda m: m.triu_indices(4, 1)[0])
add("diag_indices", lambda m: m.diag_indices(3)[0])


# Sorting and set-like functions (sorting.py; more in test_sorting.py)


def _np_partition(x, kth):
    n = x.shape[-1]
    return np.concatenate(
        [np.sort(x, -1)[..., : kth + 1], -np.sort(-x, -1)[..., : n - kth - 1]], -1
    )


def _np_argpartition(x, kth):
    bottom = np.argsort(x, -1, kind="stable")[..., : kth + 1]
    rest = [np.sort(np.setdiff1d(np.arange(x.shape[-1]), b)) for b in bottom.reshape(-1, kth + 1)]
    return np.concatenate([bottom, np.stack(rest).reshape(bottom.shape[:-1] + (-1,))], -1)


add("sort", lambda m, x: m.sort(x, axis=1), A(R3))
add("sort-flat", lambda m, x: m.sort(x, axis=None), A(S23, "i32"))
add("argsort", lambda m, x: m.argsort(x, axis=0, stable=True), A(R3), dtype=np.int32)
add(
    "argsort-descending",
    lambda m, x: m.argsort(x, descending=True),
    A((7,)),
    ref=lambda x: np.argsort(-x, kind="stable").astype(np.int32),
)
add("lexsort", lambda m, a, b: m.lexsort((a, b)), A((9,), "i32"), A((9,), "i32"), dtype=np.int32)
add("partition", lambda m, x: m.partition(x, 2), A((3, 6)), ref=lambda x: _np_partition(x, 2))
add(
    "argpartition",
    lambda m, x: m.argpartition(x, 1),
    A((3, 6)),
    ref=lambda x: _np_argpartition(x, 1).astype(np.int32),
)
add("unique", lambda m, x: m.unique(x), A((12,), "i32"), jax=False)
add(
    "unique-size",
    lambda m, x: m.unique(x, size=4, fill_value=0)[:2],
    np.array([3, 1, 3, 2, 1], np.int32),
    ref=lambda x: np.array([1, 2], np.int32),
    covers=("unique",),
)
add("unique_values", lambda m, x: m.unique_values(x), A((12,), "i32"), ref=np.unique, jax=False)
add(
    "unique_counts",
    lambda m, x: tuple(m.unique_counts(x)),
    A((12,), "i32"),
    jax=False,
    ref=lambda x: tuple(a.astype(np.int32) for a in np.unique(x, return_counts=True)),
)
add(
    "unique_inverse",
    lambda m, x: tuple(m.unique_inverse(x)),
    A((12,), "i32"),
    jax=False,
    ref=lambda x: tuple(a.astype(np.int32) for a in np.unique(x, return_inverse=True)),
)
add(
    "unique_all",
    lambda m, x: tuple(m.unique_all(x)),
    A((12,), "i32"),
    jax=False,
    ref=lambda x: tuple(
        a.astype(np.int32)
        for a in np.unique(x, return_index=True, return_inverse=True, return_counts=True)
    ),
)


def _np_place(x, mask, vals):
    out = x.copy()
    np.place(out, mask, vals)
    return out


def _np_put(x, ind, v, mode):
    out = x.copy()
    np.put(out, ind, v, mode=mode)
    return out


_PM = np.array([[True, False, True], [False, False, True]])
add(
    "place",
    lambda m, x: m.place(x, _PM, np.array([10.0, 20.0], np.float32), inplace=False),
    A(S23),
    ref=lambda x: _np_place(x, _PM, np.array([10.0, 20.0], np.float32)),
)
add(
    "put",
    lambda m, x: m.put(
        x, np.array([1, 7, -1]), np.array([5.0, 6.0], np.float32), mode="clip", inplace=False
    ),
    A(S23),
    ref=lambda x: _np_put(x, np.array([1, 7, -1]), np.array([5.0, 6.0], np.float32), "clip"),
)
add(
    "put-wrap",
    lambda m, x: m.put(
        x, np.array([1, 7, -1]), np.array([5.0], np.float32), mode="wrap", inplace=False
    ),
    A(S23),
    ref=lambda x: _np_put(x, np.array([1, 7, -1]), np.array([5.0], np.float32), "wrap"),
    covers=("put",),
)

# Binning and rearranging (binning.py; more in test_binning.py)
add(
    "histogram",
    lambda m, x: m.histogram(x, 5, range=(-1.0, 1.0))[0],
    A((20,)),
    dtype=np.float32,
)
add("histogram_bin_edges", lambda m, x: m.histogram_bin_edges(x, 4, range=(-1.0, 1.0)), A((20,)))
add(
    "repeat-counts",
    lambda m, x: m.repeat(x, np.array([1, 0, 2]), axis=1),
    A((2, 3)),
    covers=("repeat",),
)
add(
    "choose",
    lambda m, a, b: m.choose(np.array([0, 1, 1, 0]), [a, b], mode="clip"),
    A((4,)),
    A((4,)),
)
add("rot90", lambda m, x: m.rot90(x, 3, axes=(1, 2)), A(R3))


@pytest.mark.parametrize("case", [c.param() for c in CASES])
def test_numpy_parity(case):
    run_case(case)


@pytest.mark.parametrize("case", [c.param(jax=True) for c in CASES if c.jax])
def test_numpy_matches_jax(case):
    check_against_jax(case, jnp, jax_np)
