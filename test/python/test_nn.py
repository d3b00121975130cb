"""mlax.nn against jax.nn (live): values, dtypes and shapes, under jit and
vmap. So far one_hot (the rest of jax.nn is issue 15)."""

import jax
import mlax
import numpy as np
import pytest

ONE_HOT = {
    "ints": ((np.array([0, 2, 5, -1]), 3), {}),
    "axis0": ((np.array([[0, 1], [2, 2]]), 3), {"axis": 0}),
    "floats": ((np.array([0.0, 1.7, 2.0]), 3), {}),
    "dtype": ((np.array([1, 0], np.uint8), 2), {"dtype": np.int32}),
    "scalar": ((np.int32(1), 4), {}),
    "bool-dtype": ((np.array([1, 3]), 4), {"dtype": np.bool_}),
}


@pytest.mark.parametrize("name", sorted(ONE_HOT))
def test_one_hot_matches_jax(name):
    args, kw = ONE_HOT[name]
    if name == "floats":  # JAX deprecates non-integer input; so does mlax
        with pytest.warns(DeprecationWarning, match="integer-typed"):
            got = np.asarray(mlax.nn.one_hot(*args, **kw))
        with pytest.warns(DeprecationWarning, match="integer-typed"):
            want = np.asarray(jax.nn.one_hot(*args, **kw))
    else:
        got = np.asarray(mlax.nn.one_hot(*args, **kw))
        want = np.asarray(jax.nn.one_hot(*args, **kw))
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


def test_one_hot_under_jit_and_vmap():
    labels = np.array([[0, 3], [2, 1]])
    f = lambda n: lambda v: n.one_hot(v, 4)
    np.testing.assert_array_equal(
        np.asarray(mlax.jit(f(mlax.nn))(labels)), np.asarray(jax.jit(f(jax.nn))(labels))
    )
    np.testing.assert_array_equal(
        np.asarray(mlax.vmap(f(mlax.nn), in_axes=1)(labels)),
        np.asarray(jax.vmap(f(jax.nn), in_axes=1)(labels)),
    )
    with pytest.raises(TypeError, match="num_classes"):
        mlax.nn.one_hot(labels, 2.5)
