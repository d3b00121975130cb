"""NumPy parity of mlax.numpy's array creation (zeros, arange, linspace,
eye, array, scalar types, ...); machinery in parity.py."""

import jax.numpy as jax_np
import mlax.numpy as jnp
import numpy as np
import pytest
from parity import (
    S23,
    A,
    Case,
    bf16_of,
    check_against_jax,
    run_case,
)

CASES = []


def add(*args, **kw):
    CASES.append(Case(*args, **kw))


# Creation
add("zeros-tuple", lambda m: m.zeros((2, 3)))
add("zeros-int", lambda m: m.zeros(4, dtype=m.int32))
add("zeros-0d", lambda m: m.zeros(()))
add("zeros-bool", lambda m: m.zeros((2,), dtype=bool))
add("ones-tuple", lambda m: m.ones((3, 2)))
add("ones-bf16", lambda m: m.ones((3,), dtype=bf16_of(m)), dtype="bf16")
add("ones-dtype-str", lambda m: m.ones((2,), "int8"))
add("full-float", lambda m: m.full((2, 3), 1.5))
add("full-int", lambda m: m.full((4,), 7))
add("full-bool", lambda m: m.full((2,), True))
add("full-dtype", lambda m: m.full((2, 2), 3, dtype=m.float16))
add("full-array-fill", lambda m, v: m.full((2, 3), v), A((3,), "f32"))
add("empty-shape", lambda m: m.empty((2, 3)), values=False)
add("empty-dtype", lambda m: m.empty(4, dtype=m.int32), values=False)
add("empty_like", lambda m, x: m.empty_like(x), A(S23, "i32"), values=False)
add("zeros_like-f32", lambda m, x: m.zeros_like(x), A(S23, "f32"))
add("zeros_like-dtype", lambda m, x: m.zeros_like(x, dtype=m.int32), A(S23, "f32"))
add("ones_like-i32", lambda m, x: m.ones_like(x), A((4,), "i32"))
add("ones_like-bool", lambda m, x: m.ones_like(x), A((4,), "bool"))
add("full_like-f32", lambda m, x: m.full_like(x, 2.5), A(S23, "f32"))
add("full_like-int-from-float", lambda m, x: m.full_like(x, 2.7), A((4,), "i32"))
add("full_like-shape", lambda m, x: m.full_like(x, 3, shape=(2, 2)), A((4,), "f32"))
add("arange-stop", lambda m: m.arange(5))
add("arange-start-stop", lambda m: m.arange(2, 7))
add("arange-step", lambda m: m.arange(1, 10, 3))
add("arange-neg-step", lambda m: m.arange(5, -3, -2))
add("arange-float", lambda m: m.arange(0.0, 1.0, 0.25))
add("arange-float-stop", lambda m: m.arange(4.0))
add("arange-dtype", lambda m: m.arange(4, dtype=m.float32))
add("arange-empty", lambda m: m.arange(3, 3))
add("zeros-empty", lambda m: m.zeros((0, 3)) + 1.0)
add("array-empty-list", lambda m: m.array([]))
add("tile-zero", lambda m, x: m.tile(x, 0), A((3,)))
add("concatenate-empty-part", lambda m, x: m.concatenate([m.zeros((0,)), x]), A((3,)))
add("linspace-default", lambda m: m.linspace(0.0, 1.0))
add("linspace-5", lambda m: m.linspace(-1, 2, 5))
add("linspace-no-endpoint", lambda m: m.linspace(0.0, 1.0, 4, endpoint=False))
add("linspace-1", lambda m: m.linspace(2.0, 3.0, 1))
add("linspace-int", lambda m: m.linspace(0, 10, 4, dtype=m.int32))
add("linspace-retstep", lambda m: m.linspace(0.0, 1.0, 5, retstep=True)[0])
add("linspace-int-negative-floors", lambda m: m.linspace(-2.5, 2.5, 5, dtype=m.int32))
add("linspace-array-ends", lambda m, a, b: m.linspace(a, b, 4), A((2,)), A((3, 2)))
add("linspace-array-axis", lambda m, a, b: m.linspace(a, b, 3, axis=-1), A((2,)), A((3, 2)))
add(
    "linspace-array-no-endpoint",
    lambda m, a: m.linspace(a, 5.0, 4, endpoint=False, axis=1),
    A((3,)),
)
add("eye-3", lambda m: m.eye(3))
add("eye-rect-k", lambda m: m.eye(3, 4, k=1))
add("eye-k-neg", lambda m: m.eye(4, 3, k=-2, dtype=m.int32))
add("identity-2", lambda m: m.identity(2))
add("identity-bool", lambda m: m.identity(3, dtype=bool))
add("array-list-int", lambda m: m.array([1, 2, 3]))
add("array-list-float", lambda m: m.array([[1.0, 2.0], [3.0, 4.5]]))
add("array-list-mixed", lambda m: m.array([1, 2.5, True]))
add("array-list-bool", lambda m: m.array([True, False]))
add("array-pyfloat", lambda m: m.array(3.5))
add("array-pyint", lambda m: m.array(3))
add("array-dtype", lambda m: m.array([1, 2, 3], dtype=m.float16))
add("array-numpy-f64", lambda m: m.array(np.arange(3.0)))
add("array-numpy-i64", lambda m: m.array(np.arange(3)))
add("array-numpy-u8", lambda m: m.array(np.arange(3, dtype=np.uint8)))
add("array-of-array", lambda m, x: m.array(x), A(S23, "bf16"))
add("array-of-arrays", lambda m, x, y: m.array([x, y]), A((3,), "f32"), A((3,), "f32"))
add("array-ndmin", lambda m: m.array([1.0, 2.0], ndmin=3))
add("asarray-list", lambda m: m.asarray([[1, 2], [3, 4]]))
add("asarray-dtype", lambda m, x: m.asarray(x, dtype=m.int32), A(S23, "f32"))
add("asarray-array", lambda m, x: m.asarray(x), A((4,), "u32"))
add("float32-scalar-type", lambda m: m.float32(2.5), covers=("float32",))
add("int32-scalar-type", lambda m, x: m.int32(x), A((4,), "f32"), covers=("int32",))
add("bool-scalar-type", lambda m, x: m.bool_(x), A((4,), "i32"), covers=("bool_",))
add("uint8-scalar-type", lambda m: m.uint8(7), covers=("uint8",))
add(
    "bfloat16-scalar-type",
    lambda m, x: bf16_of(m)(x),
    A((4,), "f32"),
    dtype="bf16",
    jax=False,
    covers=("bfloat16",),
)


@pytest.mark.parametrize("case", [c.param() for c in CASES])
def test_numpy_parity(case):
    run_case(case)


@pytest.mark.parametrize("case", [c.param(jax=True) for c in CASES if c.jax])
def test_numpy_matches_jax(case):
    check_against_jax(case, jnp, jax_np)


def test_linspace_values_are_jaxs_to_the_bit():
    # linspace(-3, 3, 7) printed 1.0000001 and 2.0000002 where JAX prints
    # 1. and 2.: JAX's values are XLA's (a multiply by 1/div, one fma).
    for args, kw in [
        ((-3, 3, 7), {}),
        ((0.1, 0.9, 11), {}),
        ((-1.5, 2.7, 13), {}),
        ((0, 10, 7), {"endpoint": False}),
        ((np.float32([0.0, 1.5]), np.float32([3.0, -7.25]), 9), {"axis": 1}),
    ]:
        got, want = np.asarray(jnp.linspace(*args, **kw)), np.asarray(jax_np.linspace(*args, **kw))
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


def test_explicit_64_bit_dtypes_warn_as_jax_with_x64_off():
    import warnings

    import jax
    import mlax

    def messages(lib):
        xnp = lib.numpy
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            xnp.zeros(3, dtype=np.int64)
            xnp.asarray([1, 2], dtype="float64")
            xnp.arange(3, dtype=xnp.int64)
            xnp.ones(2, xnp.uint64)
            xnp.array(1.0, dtype=np.float64)
            xnp.ones(2).astype(np.float64)
            xnp.full(2, 1, dtype=np.int64)
            xnp.eye(2, dtype=np.float64)
            xnp.zeros(3, dtype=int)  # Python's types never warn
            xnp.zeros(3, dtype=float)
            xnp.asarray(np.ones(2))  # nor a NumPy array's own dtype
        return [str(w.message) for w in seen if issubclass(w.category, UserWarning)]

    got = messages(mlax)
    assert got == messages(jax)
    assert len(got) == 8 and got[0].startswith(
        "Explicitly requested dtype int64 requested in zeros is not available, and will be "
        "truncated to dtype int32."
    )


HOST_CONSTANTS = [
    lambda m: m.arange(0, 1, 0.1),
    lambda m: m.arange(1, 4.5),
    lambda m: m.arange(0, 2, 0.3, dtype=m.bfloat16),
    lambda m: m.arange(5, 0, -2),
    lambda m: m.arange(10),
    lambda m: m.arange(2, 9, 3, dtype=m.float16),
    lambda m: m.arange(0.5, 7, 1.7),
    lambda m: m.arange(5, 1),
    lambda m: m.eye(3, 4, 1, dtype=bool),
    lambda m: m.eye(2, dtype=m.int8),
    lambda m: m.identity(3),
    lambda m: m.tri(2, 3, -1, dtype=m.int8),
    lambda m: m.full((2,), 3),
    lambda m: m.full((2, 2), 3.0),
    lambda m: m.zeros((0, 3)),
    lambda m: m.ones((2,), m.bfloat16),
    lambda m: m.zeros_like(m.ones((2, 3), m.int16)),
    lambda m: m.full_like(m.ones(3), 7, dtype=m.uint8),
]


@pytest.mark.parametrize("case", range(len(HOST_CONSTANTS)))
def test_eager_constants_match_jax_without_compiling(case):
    """Eager creation runs on the host (no executable) and gives JAX's
    values, dtypes and weak types; under jit the same values come from the
    compiled iota/broadcast."""
    import mlax
    from mlax._src.runtime import compiler

    f = HOST_CONSTANTS[case]
    want = f(jax_np)
    before = sum(compiler.stats[k] for k in ("iree_compiles", "disk_hits", "memory_hits"))
    got = f(jnp)
    after = sum(compiler.stats[k] for k in ("iree_compiles", "disk_hits", "memory_hits"))
    assert after == before, "an eager constant compiled"
    for out in (got, mlax.jit(lambda: f(jnp))()):
        assert out.dtype == want.dtype and out.shape == want.shape
        np.testing.assert_array_equal(np.asarray(out, np.float64), np.asarray(want, np.float64))
    assert got.weak_type == want.weak_type
