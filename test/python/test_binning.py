"""histogram, histogram_bin_edges, repeat with per-element counts, choose and
rot90 against JAX (live): values, dtypes, shapes, jit, grad and JAX's
exceptions."""

import jax
import jax.numpy as jjnp
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest

RNG = np.random.default_rng(0)
X = RNG.standard_normal(100).astype(np.float32)

CASES = {
    "histogram": (lambda m: m.histogram, (X,)),
    "histogram-bins-range-density": (
        lambda m: lambda v: m.histogram(v, 7, range=(-1, 2), density=True),
        (X,),
    ),
    "histogram-edges-weights": (
        lambda m: lambda v: m.histogram(v, np.array([-2.0, 0, 1, 3]), weights=np.abs(v)),
        (X,),
    ),
    "histogram-int": (lambda m: m.histogram, (np.array([1, 2, 2, 3, 5]),)),
    "histogram-constant": (lambda m: m.histogram, (np.full(4, 2.0, np.float32),)),
    "bin-edges": (lambda m: m.histogram_bin_edges, (np.array([1, 2, 2, 3, 5]),)),
    "repeat-counts": (
        lambda m: lambda v: m.repeat(v, np.array([1, 0, 3])),
        (np.array([4.0, 5, 6]),),
    ),
    "repeat-axis0": (
        lambda m: lambda v: m.repeat(v, np.array([2, 1]), axis=0),
        (np.arange(6).reshape(2, 3),),
    ),
    "repeat-total-longer": (
        lambda m: lambda v: m.repeat(v, np.array([2, 1, 1]), total_repeat_length=6),
        (np.array([4.0, 5, 6]),),
    ),
    "repeat-total-shorter": (
        lambda m: lambda v: m.repeat(v, np.array([2, 1, 1]), total_repeat_length=2),
        (np.array([4.0, 5, 6]),),
    ),
    "repeat-int": (lambda m: lambda v: m.repeat(v, 2, axis=1), (np.arange(6).reshape(2, 3),)),
    "choose": (
        lambda m: lambda a: m.choose(a, [np.arange(4), np.arange(4) * 10, 100]),
        (np.array([0, 2, 1, 0]),),
    ),
    "choose-wrap": (
        lambda m: lambda a: m.choose(a, [np.arange(4.0), np.arange(4) * 10.0], mode="wrap"),
        (np.array([0, 3, -1, 0]),),
    ),
    "choose-clip": (
        lambda m: lambda a: m.choose(a, [np.arange(4.0), np.arange(4) * 10.0], mode="clip"),
        (np.array([0, 3, -1, 0]),),
    ),
    **{
        f"rot90-k{k}": (lambda m, k=k: lambda a: m.rot90(a, k), (np.arange(24).reshape(2, 3, 4),))
        for k in range(-1, 5)
    },
    "rot90-axes": (
        lambda m: lambda a: m.rot90(a, 1, axes=(2, 0)),
        (np.arange(24).reshape(2, 3, 4),),
    ),
}


def _check(got, want):
    got = got if isinstance(got, tuple) else (got,)
    want = want if isinstance(want, tuple) else (want,)
    for g, w in zip(got, want):
        g, w = np.asarray(g), np.asarray(w)
        assert g.shape == w.shape and g.dtype == w.dtype, (g.shape, w.shape, g.dtype, w.dtype)
        np.testing.assert_allclose(g, w, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_jax(name):
    make, args = CASES[name]
    _check(make(jnp)(*args), make(jjnp)(*args))


def test_under_jit():
    f = lambda m: lambda v: m.repeat(v, np.array([2, 1, 1]), total_repeat_length=5)
    _check(mlax.jit(f(jnp))(np.array([4.0, 5, 6])), jax.jit(f(jjnp))(np.array([4.0, 5, 6])))
    h = lambda m: lambda v: m.histogram(v, 5, range=(-2, 2))
    _check(mlax.jit(h(jnp))(X), jax.jit(h(jjnp))(X))
    c = lambda m: lambda a: m.choose(a, [np.arange(4.0), -np.arange(4.0)], mode="clip")
    _check(mlax.jit(c(jnp))(np.array([0, 1, 5, -1])), jax.jit(c(jjnp))(np.array([0, 1, 5, -1])))


def test_gradients_match_jax():
    f = lambda m: lambda v: (m.repeat(v, np.array([2, 0, 3])) ** 2).sum()
    v = np.array([1.0, 2.0, 3.0], np.float32)
    _check(mlax.grad(f(jnp))(v), jax.grad(f(jjnp))(v))
    g = lambda m: lambda v: (m.rot90(v) * np.arange(6.0).reshape(3, 2)).sum()
    w = np.ones((2, 3), np.float32)
    _check(mlax.grad(g(jnp))(w), jax.grad(g(jjnp))(w))


def test_bad_input_raises_jax_errors():
    with pytest.raises(mlax.errors.ConcretizationTypeError):
        mlax.jit(lambda v: jnp.repeat(v, v.astype(int)))(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="invalid entry"):
        jnp.choose(np.array([0, 2]), [np.zeros(2), np.ones(2)])
    with pytest.raises(ValueError, match="Axes must be different"):
        jnp.rot90(np.ones((2, 2)), axes=(0, 0))
    with pytest.raises(NotImplementedError, match="string values"):
        jnp.histogram(X, bins="auto")
