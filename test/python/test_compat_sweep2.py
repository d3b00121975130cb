"""Regressions from the second compatibility sweep: short JAX programs run
with `jax` replaced by `mlax`, compared live against JAX."""

import jax
import jax.numpy as jax_np
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest


def test_softmax_and_attention_on_4d_arrays():
    # A 4-D eager call used to abort the process: the dimension-polymorphic
    # kernel's sentinel sizes overflowed MLIR's int64 element count.
    x = np.linspace(-2, 2, 2 * 2 * 5 * 5, dtype=np.float32).reshape(2, 2, 5, 5)
    np.testing.assert_allclose(
        mlax.nn.softmax(jnp.asarray(x), axis=-1), jax.nn.softmax(x, axis=-1), rtol=1e-6
    )
    y = np.linspace(-1, 1, 2 * 2 * 1 * 5 * 5, dtype=np.float32).reshape(2, 2, 1, 5, 5)
    np.testing.assert_allclose(mlax.nn.softmax(jnp.asarray(y)), jax.nn.softmax(y), rtol=1e-6)
    q = np.linspace(-1, 1, 2 * 5 * 2 * 4, dtype=np.float32).reshape(2, 5, 2, 4)
    for causal in (False, True):
        got = mlax.nn.dot_product_attention(q, q * 2, q * 3, is_causal=causal)
        want = jax.nn.dot_product_attention(q, q * 2, q * 3, is_causal=causal)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_array_type_name():
    assert type(jnp.ones(2)).__name__ == type(jax_np.ones(2)).__name__ == "ArrayImpl"
    assert isinstance(jnp.ones(2), mlax.Array)


def test_grad_allow_int_and_holomorphic_arguments():
    np.testing.assert_array_equal(
        mlax.grad(lambda x: jnp.sum(x), allow_int=False)(jnp.ones(2)),
        jax.grad(lambda x: jax_np.sum(x), allow_int=False)(jax_np.ones(2)),
    )
    g = mlax.grad(lambda x, y: x * y, argnums=(0, 1), allow_int=True)(2.0, 3)
    want = jax.grad(lambda x, y: x * y, argnums=(0, 1), allow_int=True)(2.0, 3)
    assert float(g[0]) == float(want[0]) == 3.0
    assert g[1].dtype == want[1].dtype == jax.dtypes.float0
    assert g[1].shape == want[1].shape
    _, g = mlax.value_and_grad(lambda d: jnp.sum(d["a"] * d["b"]), allow_int=True)(
        {"a": jnp.arange(3), "b": 2.0}
    )
    assert g["a"].dtype == jax.dtypes.float0 and g["a"].shape == (3,)
    np.testing.assert_array_equal(g["b"], np.float32(3.0))
    for f in (mlax.grad, jax.grad):
        with pytest.raises(TypeError):
            f(lambda x: x, holomorphic=True)(1.0)
    np.testing.assert_allclose(
        mlax.jacrev(lambda x: x**2, holomorphic=False, allow_int=False)(jnp.arange(2.0)),
        jax.jacrev(lambda x: x**2, holomorphic=False, allow_int=False)(jax_np.arange(2.0)),
    )
    np.testing.assert_allclose(
        mlax.hessian(lambda x: jnp.sum(x**3), holomorphic=False)(jnp.arange(2.0)),
        jax.hessian(lambda x: jax_np.sum(x**3), holomorphic=False)(jax_np.arange(2.0)),
    )


def test_integer_division_by_zero():
    a = np.array([5, -5, 0, 7], np.int32)
    z = np.array([0, 0, 0, -2], np.int32)
    for name in ("floor_divide", "remainder", "mod", "fmod"):
        got = getattr(jnp, name)(a, z)
        want = getattr(jax_np, name)(a, z)
        np.testing.assert_array_equal(got, want, err_msg=name)
    for got, want in zip(jnp.divmod(a, z), jax_np.divmod(a, z)):
        np.testing.assert_array_equal(got, want)
    u = np.array([5, 0], np.uint8)
    for name in ("floor_divide", "remainder", "fmod"):
        np.testing.assert_array_equal(
            getattr(jnp, name)(u, np.uint8(0)), getattr(jax_np, name)(u, np.uint8(0)), name
        )
    np.testing.assert_array_equal(jnp.asarray(a) % 0, jax_np.asarray(a) % 0)
    np.testing.assert_array_equal(jnp.asarray(a) // 0, jax_np.asarray(a) // 0)


def test_array_isinstance_holds_for_tracers_and_keys():
    def check(mod, np_mod):
        seen = []

        def f(x):
            seen.append((isinstance(x, mod.Array), isinstance(x, np_mod.ndarray)))
            return x

        mod.jit(f)(1.0)
        mod.vmap(f)(np_mod.ones(2))
        mod.grad(f)(1.0)
        seen.append((isinstance(np_mod.ones(2), mod.Array), isinstance(np.ones(2), mod.Array)))
        seen.append((isinstance(mod.random.key(0), mod.Array), isinstance(2.0, mod.Array)))
        return seen

    assert check(mlax, jnp) == check(jax, jax_np)


def test_array_view_same_width():
    x = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    for src, dtype in [
        (x, np.int32),
        (x, np.uint32),
        (np.array([1, 0, 1], np.int8), np.bool_),
        (np.array([True, False]), np.int8),
        (np.ones(3, np.float16), jax_np.bfloat16),
    ]:
        got, want = jnp.asarray(src).view(dtype), jax_np.asarray(src).view(dtype)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
    assert jnp.asarray(x).view().dtype == np.float32
    np.testing.assert_array_equal(
        mlax.jit(lambda v: v.view(jnp.int32))(np.float32(1.0)),
        jax.jit(lambda v: v.view(jax_np.int32))(np.float32(1.0)),
    )


def _outcome(fn):
    try:
        out = fn()
    except Exception as e:  # noqa: BLE001 - the exception type is the result
        return type(e).__name__
    return [(np.asarray(o).tolist(), o.dtype, o.weak_type) for o in jax.tree.leaves(out)]


@pytest.mark.parametrize(
    "case",
    [
        lambda m, np_: m.lax.while_loop(lambda c: c < 3, lambda c: c + 1.0, 0),
        lambda m, np_: m.lax.while_loop(lambda c: c < 3, lambda c: c + np_.float32(1), 0),
        lambda m, np_: m.jit(
            lambda: m.lax.while_loop(lambda c: c[0] < 3, lambda c: (c[0] + 1, c[1] * 0.5), (0, 1))
        )(),
        lambda m, np_: m.lax.fori_loop(0, 3, lambda i, c: c + 1.0, 0),
        lambda m, np_: m.lax.fori_loop(0, np_.int32(3), lambda i, c: c + 0.5, 0),
        lambda m, np_: m.lax.fori_loop(0, 3, lambda i, c: c + np_.int8(1), 0),
        lambda m, np_: m.lax.scan(lambda c, x: (c + 1.0, x), 0, np_.ones(2)),
        lambda m, np_: m.lax.scan(lambda c, x: (c * x, c), 1, np_.arange(1.0, 4.0)),
        lambda m, np_: m.lax.scan(lambda c, x: (c.astype(np_.int32), x), 0.0, np_.ones(2)),
        lambda m, np_: m.lax.while_loop(lambda c: c < 3, lambda c: c + 1.0, np_.int32(0)),
        lambda m, np_: m.grad(lambda x: m.lax.fori_loop(0, 3, lambda i, c: c * x, 1))(2.0),
    ],
)
def test_loops_promote_weakly_typed_carries(case):
    assert _outcome(lambda: case(mlax, jnp)) == _outcome(lambda: case(jax, jax_np))


@pytest.mark.parametrize(
    "f",
    [
        lambda np_, n: np_.arange(n),
        lambda np_, n: np_.arange(0, 5, n),
        lambda np_, n: np_.linspace(0, 5, n),
    ],
)
def test_traced_sizes_raise_concretization_errors(f):
    errors = []
    for mod, np_ in ((mlax, jnp), (jax, jax_np)):
        with pytest.raises(TypeError) as info:
            mod.jit(lambda n, np_=np_: f(np_, n))(3)
        errors.append(type(info.value).__name__)
    assert errors[0] == errors[1] == "ConcretizationTypeError"


@pytest.mark.parametrize(
    "value",
    [
        np.linspace(0, 1, 20, dtype=np.float32),
        np.linspace(0, 1, 7, dtype=np.float32),
        np.arange(1001, dtype=np.int32),
        np.arange(2000, dtype=np.float32).reshape(40, 50),
        np.array([1e-8, 1.0, 1e8], np.float32),
        np.zeros((2, 0), np.float32),
        np.ones((3, 1), bool),
        np.array(2.5, np.float32),
    ],
)
def test_array_repr_matches_jax(value):
    assert repr(jnp.asarray(value)) == repr(jax_np.asarray(value))
    assert str(jnp.asarray(value)) == str(jax_np.asarray(value))


def test_mean_multiplies_by_the_reciprocal_count_as_xla():
    # XLA rewrites JAX's division by the constant count into a product with
    # its reciprocal: mean([1, 4, 9]) is 4.666667, not 4.6666665.
    rng = np.random.default_rng(0)
    for n in (3, 7, 13):
        x = rng.standard_normal(n).astype(np.float32)
        for fn in (
            lambda np_, v: np_.mean(v),
            lambda np_, v: np_.mean(v.reshape(1, -1), axis=1),
            lambda np_, v, n=n: np_.mean(np_.arange(n)),
        ):
            got, want = fn(jnp, jnp.asarray(x)), fn(jax_np, jax_np.asarray(x))
            np.testing.assert_array_equal(got, want)
            assert got.dtype == want.dtype
            got = mlax.jit(lambda v, fn=fn: fn(jnp, v))(x)
            np.testing.assert_array_equal(got, jax.jit(lambda v, fn=fn: fn(jax_np, v))(x))
    np.testing.assert_array_equal(
        jnp.mean(jnp.array([1.0, 4.0, 9.0])), jax_np.mean(jax_np.array([1.0, 4.0, 9.0]))
    )
    for ddof in (0, 1, 2):
        np.testing.assert_array_equal(
            jnp.var(np.ones(1, np.float32), ddof=ddof),
            jax_np.var(np.ones(1, np.float32), ddof=ddof),
        )


@pytest.mark.parametrize("dtype", [jax_np.bfloat16, np.float16])
def test_half_precision_reductions_compute_in_float32(dtype):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(100).astype(np.float32).astype(dtype)
    for name, kw in [
        ("sum", {}),
        ("sum", {"axis": 0}),
        ("prod", {}),
        ("mean", {}),
        ("var", {}),
        ("std", {"ddof": 1}),
        ("sum", {"dtype": np.float32}),
    ]:
        v = x.reshape(10, 10) if "axis" in kw else (x[:5] if name == "prod" else x)
        got = getattr(jnp, name)(jnp.asarray(v), **kw)
        want = getattr(jax_np, name)(jax_np.asarray(v), **kw)
        assert got.dtype == want.dtype, name
        np.testing.assert_allclose(
            np.asarray(got, np.float32), np.asarray(want, np.float32), rtol=1e-2, err_msg=name
        )
        # Rounded once from float32: at most one unit in the last place.
        ulp = np.abs(np.spacing(np.asarray(want).astype(dtype))).astype(np.float32)
        assert np.all(np.abs(np.asarray(got, np.float32) - np.asarray(want, np.float32)) <= ulp)


def test_integers_to_bfloat16():
    # Vectors of integers converted to bfloat16 failed to link (IREE lacks
    # __truncsfbf2); bf16_array + 1 converts the weak int the same way.
    ints = np.array([0, 1, -7, 257, 259, 16777217, 33554435, 2**31 - 1, -(2**31)], np.int32)
    cases = [
        lambda np_, m: np_.asarray(ints).astype(np_.bfloat16),
        lambda np_, m: np_.asarray(np.array([True, False, True])).astype(np_.bfloat16),
        lambda np_, m: np_.asarray(np.arange(3, dtype=np.uint8)).astype(np_.bfloat16),
        lambda np_, m: np_.asarray(np.array([3, 4294967295], np.uint32)).astype(np_.bfloat16),
        lambda np_, m: np_.ones(3, np_.bfloat16) * 3,
        lambda np_, m: np_.ones(2, np_.bfloat16) + 1,
        lambda np_, m: m.jit(lambda x, y: x + y.astype(np_.bfloat16))(
            np_.ones(3, np_.bfloat16), np_.arange(3)
        ),
        lambda np_, m: m.vmap(lambda x: x.astype(np_.bfloat16))(np_.arange(6).reshape(2, 3)),
    ]
    for case in cases:
        got, want = case(jnp, mlax), case(jax_np, jax)
        assert got.dtype == want.dtype and got.weak_type == want.weak_type
        np.testing.assert_array_equal(np.asarray(got, np.float32), np.asarray(want, np.float32))


def test_negative_zero_python_scalar_arguments():
    # Scalar argument buffers were cached by value, and -0.0 == 0.0.
    for mod, np_ in ((mlax, jnp), (jax, jax_np)):
        f = mod.jit(lambda a, b, np_=np_: np_.copysign(a, b))
        assert [float(f(1.0, 0.0)), float(f(1.0, -0.0)), float(f(1.0, 0.0))] == [1.0, -1.0, 1.0]
        assert float(np_.copysign(2.0, 0.0)) == 2.0 and float(np_.copysign(2.0, -0.0)) == -2.0


def test_array_of_mixed_list_promotes_items_weakly():
    cases = [
        [np.int8(1), 2],
        [np.float16(1), 2.0],
        [np.int8(1), 2.5],
        [[np.int8(1)], [2]],
        [np.int8(1), True],
        [1, np.float32(2)],
        (np.bool_(True), 1),
        [],
        [[]],
        [1, 2],
        [1.5, 2],
        [True, False],
        [np.arange(2, dtype=np.int8), np.arange(2, dtype=np.int8)],
    ]
    for obj in cases:
        got, want = jnp.array(obj), jax_np.array(obj)
        assert (got.dtype, got.shape, got.weak_type) == (want.dtype, want.shape, want.weak_type)
        np.testing.assert_array_equal(got, want)
    for obj in ([1, 2**40], [np.int8(1), 300], [np.uint8(1), -1]):
        for np_ in (jnp, jax_np):
            with pytest.raises(OverflowError):
                np_.array(obj)


def test_einsum_interleaved_sublists():
    a = np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)
    cases = [
        lambda np_: np_.einsum(a, [0, 1, 2], [2, 0]),
        lambda np_: np_.einsum(a, [0, 1, 2], np.ones(4, np.float32), [2], [0, 1]),
        lambda np_: np_.einsum(np.ones((2, 3), np.float32), [Ellipsis, 1], np.ones(3), [1]),
        lambda np_: np_.einsum(np.arange(4.0, dtype=np.float32).reshape(2, 2), [0, 0]),
    ]
    for case in cases:
        got, want = case(jnp), case(jax_np)
        assert got.shape == want.shape and got.dtype == want.dtype
        np.testing.assert_allclose(got, want)


def test_polyfit():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0], np.float32)
    y = np.array([2.1, 3.9, 6.2, 8.1, 9.8], np.float32)
    w = np.array([1.0, 2, 1, 1, 1], np.float32)
    for kw in ({}, {"w": w}):
        for deg in (1, 2):
            np.testing.assert_allclose(
                jnp.polyfit(x, y, deg, **kw), jax_np.polyfit(x, y, deg, **kw), rtol=2e-5, atol=2e-5
            )
    y2 = np.stack([y, 2 * y], 1)
    np.testing.assert_allclose(
        jnp.polyfit(x, y2, 1), jax_np.polyfit(x, y2, 1), rtol=2e-5, atol=2e-5
    )
    for got, want in zip(jnp.polyfit(x, y, 1, full=True), jax_np.polyfit(x, y, 1, full=True)):
        np.testing.assert_allclose(got, want, rtol=2e-4, atol=1e-5)
    for got, want in zip(jnp.polyfit(x, y, 1, cov=True), jax_np.polyfit(x, y, 1, cov=True)):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)
    for np_ in (jnp, jax_np):
        with pytest.raises(ValueError):
            np_.polyfit(np.arange(4), np.arange(4) ** 2, 2)


@pytest.mark.parametrize(
    "case",
    [
        lambda m, np_: np_.transpose(np_.ones((2, 3)), (0, 0)),
        lambda m, np_: np_.transpose(np_.ones((2, 3)), (0,)),
        lambda m, np_: np_.transpose(np_.ones((2, 3)), (0, 5)),
        lambda m, np_: np_.ones((2, 3)).transpose(1, 1),
        lambda m, np_: np_.take(np_.arange(3), np_.array([1.5])),
        lambda m, np_: np_.einsum("ij,jk->ik", np_.ones((2, 3)), np_.ones((2, 3))),
        lambda m, np_: m.grad(lambda x: [x])(1.0),
        lambda m, np_: m.grad(lambda x: ([x], 1), has_aux=True)(1.0),
        lambda m, np_: m.grad(lambda x: None)(1.0),
        lambda m, np_: m.jit(lambda x: x.tolist())(np_.ones(2)),
        lambda m, np_: np_.sum([1, 2, 3]),
        lambda m, np_: np_.mean((1.0,)),
        lambda m, np_: np_.max([1]),
        lambda m, np_: np_.std([1.0]),
    ],
)
def test_error_types_match_jax(case):
    assert _outcome(lambda: case(mlax, jnp)) == _outcome(lambda: case(jax, jax_np))


def test_transpose_and_einsum_still_work():
    x = np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)
    for case in (
        lambda np_: np_.transpose(x, (2, 0, 1)),
        lambda np_: np_.transpose(x, (-1, 0, 1)),
        lambda np_: np_.transpose(x),
        lambda np_: np_.asarray(x).transpose(1, 0, 2),
        lambda np_: np_.einsum("ij,jk->ik", np.ones((2, 1)), np.ones((3, 3))),
        lambda np_: np_.einsum("bij,bjk->bik", x, x.transpose(0, 2, 1)),
    ):
        np.testing.assert_allclose(case(jnp), case(jax_np))


def test_builtin_round_and_divmod_on_arrays():
    cases = [
        lambda np_: round(np_.float32(2.5)),
        lambda np_: round(np_.float32(2.567), 2),
        lambda np_: round(np_.array([1.5, 2.5])),
        lambda np_: round(np_.int32(7)),
        lambda np_: round(np_.float32(3.5), None),
        lambda np_: divmod(np_.int32(7), 2),
        lambda np_: divmod(7, np_.int32(-2)),
        lambda np_: divmod(np_.array([7.5, -7.5]), 2.0),
    ]
    for case in cases:
        assert _outcome(lambda case=case: case(jnp)) == _outcome(lambda case=case: case(jax_np))


def test_dot_and_matmul_preferred_element_type():
    ai = np.arange(6, dtype=np.int8).reshape(2, 3)
    f = np.ones((2, 3), jax_np.bfloat16)
    cases = [
        lambda np_: np_.dot(ai, ai.T, preferred_element_type=np_.int32),
        lambda np_: np_.matmul(ai, ai.T, preferred_element_type=np_.int32),
        lambda np_: np_.dot(f, f.T, preferred_element_type=np_.float32),
        lambda np_: np_.matmul(f, np.ones(3, jax_np.bfloat16), preferred_element_type=np_.float32),
        lambda np_: np_.dot(np.int8(3), ai, preferred_element_type=np_.int32),
        lambda np_: np_.dot(ai, ai.T),
    ]
    for case in cases:
        assert _outcome(lambda case=case: case(jnp)) == _outcome(lambda case=case: case(jax_np))
