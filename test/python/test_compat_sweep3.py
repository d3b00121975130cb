"""Regressions from the third compatibility sweep: short JAX programs run
with `jax` replaced by `mlax`, compared live against JAX."""

import jax
import jax.numpy as jax_np
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest


def test_grad_of_stacked_slices_of_a_row():
    # The cotangent of a[0][0:2] is a pad of a pad; IREE 3.13 failed to
    # compile the fill + insert_slice form ("expected 2 offset values").
    def f(np_):
        return lambda a: np_.stack([a[0][0:2], a[0][1:3] * 2.0]).sum()

    a = np.arange(8, dtype=np.float32).reshape(2, 4)
    np.testing.assert_array_equal(mlax.grad(f(jnp))(a), jax.grad(f(jax_np))(a))
    np.testing.assert_array_equal(mlax.jit(mlax.grad(f(jnp)))(a), jax.grad(f(jax_np))(a))


def test_pad_with_negative_and_positive_edges_matches_jax():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    for cfg in (((1, 2, 0), (0, 1, 0)), ((-1, 2, 0), (2, -3, 0)), ((0, 0, 1), (1, -1, 0))):
        got = mlax.lax.pad(x, np.float32(-1), cfg)
        np.testing.assert_array_equal(got, jax.lax.pad(x, np.float32(-1), cfg))
    np.testing.assert_array_equal(
        jnp.pad(x, ((1, 0), (2, 3)), constant_values=7),
        jax_np.pad(x, ((1, 0), (2, 3)), constant_values=7),
    )


def test_cbrt_is_correctly_rounded_like_jax():
    x = np.array([8.0, 27.0, -64.0, 1e-30, 3.0, 0.001, 125.0, 2.0], np.float32)
    np.testing.assert_array_equal(jnp.cbrt(x), jax_np.cbrt(x))
    assert float(jnp.cbrt(jnp.float32(8.0))) == 2.0


def test_jit_lstsq_and_pinv_of_a_computed_matrix():
    # IREE 3.13 fused the matrix's producer into the SVD loop's partition
    # ("circular dependency: input operation uses partition output").
    x = np.arange(5.0, dtype=np.float32)
    y = x * 2 + 1
    for m in (mlax, jax):
        np_ = jnp if m is mlax else jax_np
        coef = m.jit(lambda x, y, np_=np_: np_.linalg.lstsq(np_.vander(x, 2), y)[0])(x, y)
        np.testing.assert_allclose(coef, [2.0, 1.0], rtol=1e-5)
    a = np.random.RandomState(0).randn(5, 3).astype(np.float32)
    np.testing.assert_allclose(
        mlax.jit(lambda a: jnp.linalg.pinv(a * 1.5))(a),
        jax.jit(lambda a: jax_np.linalg.pinv(a * 1.5))(a),
        rtol=1e-4,
        atol=1e-5,
    )


def test_while_loop_carrying_the_previous_value():
    # A convergence loop whose body replaces `previous` without reading it.
    def make(m):
        np_ = jnp if m is mlax else jax_np

        def solve(a):
            def body(c):
                x, _ = c
                return 0.5 * (x + a / x), x

            return m.lax.while_loop(lambda c: np_.abs(c[0] - c[1]) > 1e-6, body, (a, a + 1.0))

        return solve

    for f in (lambda m: make(m), lambda m: m.jit(make(m))):
        got, want = f(mlax)(np.float32(2.0)), f(jax)(np.float32(2.0))
        np.testing.assert_allclose(got[0], want[0], rtol=1e-6)
        np.testing.assert_allclose(got[1], want[1], rtol=1e-6)


_WEAK_CASES = [
    ("deg2rad", (1.5,)),
    ("rad2deg", (7,)),
    ("reciprocal", (1.5,)),
    ("sinc", (0.5,)),
    ("isnan", (1.5,)),
    ("isfinite", (1.5,)),
    ("isfinite", (7,)),
    ("isfinite", (True,)),
    ("floor_divide", (7, 2)),
    ("floor_divide", (1.5, 2.5)),
    ("remainder", (-7, 3)),
    ("power", (7, 2)),
    ("hypot", (3.0, 4.0)),
    ("lcm", (4, 6)),
    ("heaviside", (1.0, 0.5)),
    ("nextafter", (1.0, 2.0)),
    ("logaddexp2", (1.0, 2.0)),
    ("equal", (1.5, 2.5)),
    ("logical_and", (7, 2)),
    ("fmod", (7, 2)),
    ("ldexp", (7, 2)),
    ("log2", (8.0,)),
]


def test_weak_types_of_ufunc_results_match_jax():
    # A weak result keeps a later bfloat16/int8 operand's dtype: radians(180.)
    # * bf16 was float32 in mlax.
    for name, args in _WEAK_CASES:
        got, want = getattr(jnp, name)(*args), getattr(jax_np, name)(*args)
        assert (got.dtype, got.weak_type) == (want.dtype, want.weak_type), name
    for m in (jnp, jax_np):
        q, r = m.divmod(7, 2)
        assert q.weak_type and r.weak_type
    bf = np.ones(2, jax_np.bfloat16)
    assert (jnp.radians(180.0) * bf).dtype == (jax_np.radians(180.0) * bf).dtype == jax_np.bfloat16
    i8 = np.ones(2, np.int8)
    assert (jnp.floor_divide(7, 2) * i8).dtype == np.int8
    assert repr(jnp.array(-7) // 2) == repr(jax_np.array(-7) // 2)


def test_negative_and_non_integer_shapes_raise_jaxs_type_error():
    for m in (jnp, jax_np):
        for make in (
            lambda m: m.ones(-1),
            lambda m: m.empty(-2),
            lambda m: m.zeros((2, -3)),
            lambda m: m.broadcast_to(m.ones(1), (-1,)),
        ):
            with pytest.raises(TypeError, match="nonnegative"):
                make(m)
        with pytest.raises(TypeError, match=r"got \(2.5,\)"):
            m.ones(2.5)
    assert jnp.zeros(jnp.array(2)).shape == (2,)


_WINDOW_CASES = [
    # shape, window, strides, padding, base dilation, window dilation, op
    ((10000,), (10000,), (1,), "VALID", None, None, "add"),
    ((50,), (20,), (3,), "SAME", None, (2,), "max"),
    ((20,), (3,), (2,), "SAME", None, (3,), "add"),  # sliced path, dilated SAME
    ((12, 13), (6, 5), (1, 1), ((2, 1), (0, 3)), (2, 1), None, "min"),
    ((64,), (33,), (1,), "VALID", None, None, "mul"),
]


def test_reduce_window_large_and_dilated_windows_match_jax():
    # Windows over 16 elements combine by doubling (a 10000-wide window
    # compiled for minutes as 10000 slices); SAME pads for the dilated window.
    rng = np.random.RandomState(0)
    ops = {
        "add": (0.0, "add"),
        "max": (-np.inf, "max"),
        "min": (np.inf, "min"),
        "mul": (1.0, "mul"),
    }
    for shape, win, strides, pad, base, wdil, op in _WINDOW_CASES:
        x = rng.randn(*shape).astype(np.float32)
        if op == "mul":
            x = (1 + 0.01 * x).astype(np.float32)
        init, name = ops[op]
        args = (np.float32(init),)
        want = jax.lax.reduce_window(
            x, *args, getattr(jax.lax, name), win, strides, pad, base, wdil
        )
        got = mlax.lax.reduce_window(
            x, *args, getattr(mlax.lax, name), win, strides, pad, base, wdil
        )
        assert got.shape == want.shape, (shape, win)
        atol = 1e-4 * np.prod(win) if op == "add" else 1e-6
        np.testing.assert_allclose(got, want, rtol=2e-5, atol=atol)

    def pool(m):
        return lambda x: m.lax.reduce_window(x, 0.0, m.lax.add, (1, 9, 9), (1, 3, 3), "SAME").sum()

    x = rng.randn(2, 20, 20).astype(np.float32)
    np.testing.assert_allclose(mlax.grad(pool(mlax))(x), jax.grad(pool(jax))(x), rtol=1e-6)
    vals = rng.randn(40).astype(np.float32)
    idx = np.arange(40, dtype=np.int32)

    def argmax_window(m):
        def f(v, i):
            def comb(a, b):
                take = a[0] >= b[0]
                return m.lax.select(take, a[0], b[0]), m.lax.select(take, a[1], b[1])

            return m.lax.reduce_window((v, i), (-np.inf, np.int32(0)), comb, (20,), (5,), "VALID")

        return f

    for g, w in zip(argmax_window(mlax)(vals, idx), argmax_window(jax)(vals, idx)):
        np.testing.assert_array_equal(g, w)


def _np_of(m):
    return jnp if m is mlax else jax_np


def test_float16_and_bfloat16_sums_and_dots_accumulate_wide():
    # Accumulated in order in bfloat16 a sum of 10000 ones stops at 256;
    # JAX's CPU backend gives 9984 (10000 rounded once).
    for dt in (jax_np.bfloat16, jax_np.float16):
        x = np.ones(10000, dt)
        for name, f in [
            ("reduce_sum", lambda m, x=x: m.lax.reduce_sum(x, (0,))),
            ("cumsum", lambda m, x=x: m.lax.cumsum(x)[-1]),
            ("dot", lambda m, x=x: m.lax.dot(x, x)),
            ("matmul", lambda m, x=x: _np_of(m).asarray(x).reshape(100, 100) @ x.reshape(100, 100)),
            ("jnp.cumsum", lambda m, x=x: _np_of(m).cumsum(x)[-1]),
            (
                "window",
                lambda m, x=x: m.lax.reduce_window(
                    x, x.dtype.type(0), m.lax.add, (10000,), (1,), "VALID"
                ),
            ),
        ]:
            got, want = f(mlax), f(jax)
            assert got.dtype == want.dtype == dt, name
            np.testing.assert_array_equal(np.float32(got), np.float32(want), err_msg=f"{name} {dt}")
    a = np.full((8, 3000), 0.01, jax_np.bfloat16)
    b = np.ones((3000, 2), jax_np.bfloat16)
    np.testing.assert_array_equal(np.float32(jnp.asarray(a) @ b), np.float32(jax_np.asarray(a) @ b))
    g = mlax.grad(lambda w: (jnp.asarray(a) @ w).astype(jnp.float32).sum())(b)
    assert g.dtype == jax_np.bfloat16 and float(g[0, 0]) == 0.080078125


def test_while_inside_scan_carrying_a_value_its_body_replaces():
    # The body overwrites `last` without reading it; IREE 3.13 crashed on
    # this loop nest (exit -11) before mlax-keep-while-carries.
    def make(m):
        def f(w):
            def scan_fun(carry, target):
                def body(s):
                    i, y, t, _ = s
                    return [i + 1, y * w, t + 0.3, t]

                _, y, t, last = m.lax.while_loop(lambda s: s[2] < target, body, [0] + carry)
                return [y, t, last], y + t + last

            init = [_np_of(m).array([1.0, -2.0, 0.5]), w, w - 1]
            _, ys = m.lax.scan(scan_fun, init, _np_of(m).linspace(0.5, 2.0, 4))
            return ys.sum()

        return f

    np.testing.assert_allclose(
        mlax.jit(make(mlax))(np.float32(0.9)), jax.jit(make(jax))(np.float32(0.9)), rtol=1e-6
    )


def test_tracing_errors_have_jaxs_base_classes():
    def run(m, np_):
        outcomes = []
        for f in (
            lambda: m.jit(lambda x: 1 if x > 0 else 2)(1.0),
            lambda: m.jit(lambda x: int(x))(1.0),
            lambda: m.jit(lambda x: np.asarray(x))(1.0),
            lambda: m.jit(lambda x: x[x > 0])(np_.ones(3)),
        ):
            try:
                f()
            except (m.errors.JAXTypeError, m.errors.JAXIndexError) as e:
                outcomes.append([c.__name__ for c in type(e).__mro__[:2]])
        return outcomes

    assert run(mlax, jnp) == run(jax, jax_np) and len(run(mlax, jnp)) == 4
    for name in ("UnexpectedTracerError", "KeyReuseError"):
        assert issubclass(getattr(mlax.errors, name), mlax.errors.JAXTypeError)


def test_multi_result_lax_ops_return_jax_containers():
    # approx_max_k / approx_min_k / top_k return lists, sort a tuple
    x, i = np.array([3.0, -1.5, 2.0], np.float32), np.array([3, -7, 2], np.int32)
    calls = [
        lambda l: l.approx_max_k(x, 2),
        lambda l: l.approx_min_k(x, 2),
        lambda l: l.top_k(x, 2),
        lambda l: l.sort((x, i), num_keys=1),
        lambda l: l.sort_key_val(x, i),
    ]
    for call in calls:
        got, want = call(mlax.lax), call(jax.lax)
        assert type(got) is type(want)
        for g, w in zip(got, want):
            np.testing.assert_array_equal(np.asarray(g), np.asarray(w))


def _outcome(f):
    """(exception type, first message line) or the repr of the value."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = f()
        except Exception as e:  # noqa: BLE001 - the type is the outcome
            return type(e).__name__, str(e).splitlines()[0]
    return repr(value), [str(w.message) for w in caught]


@pytest.mark.parametrize(
    "case",
    [
        "print_jit",
        "bool_jit",
        "index_jit",
        "sum_list",
        "int_too_large",
        "int_too_large_neg",
        "uniform_f64",
        "randint_i64",
        "normal_f64",
        "unroll_array",
    ],
)
def test_printed_tracers_messages_and_dtype_warnings_match_jax(case, capsys):
    def program(jax, jnp):
        return {
            "print_jit": lambda: jax.jit(lambda x, y: print(x, repr(y)) or x)(jnp.ones(3), 2.0),
            "bool_jit": lambda: jax.jit(lambda x: 1 if x < 3 else 2)(1.0),
            "index_jit": lambda: jax.jit(lambda x, n: x[: range(n)[-1]])(jnp.ones(3), 2),
            "sum_list": lambda: jnp.sum([1, 2, 3]),
            "int_too_large": lambda: jnp.array(2**40),
            "int_too_large_neg": lambda: jnp.array(-(2**70)),
            "uniform_f64": lambda: jax.random.uniform(jax.random.key(0), (2,), jnp.float64).dtype,
            "randint_i64": lambda: (
                jax.random.randint(jax.random.key(0), (2,), 0, 5, jnp.int64).dtype
            ),
            "normal_f64": lambda: jax.random.normal(jax.random.key(1), (), jnp.float64).dtype,
            "unroll_array": lambda: jax.lax.scan(
                lambda c, x: (c + x, c), 0.0, jnp.arange(4.0), unroll=jnp.int32(2)
            )[0],
        }[case]

    got = _outcome(program(mlax, jnp))
    printed_mlax = capsys.readouterr().out
    want = _outcome(program(jax, jax_np))
    printed_jax = capsys.readouterr().out
    assert printed_mlax == printed_jax
    if isinstance(want[1], list):  # a value: dtypes and warnings compared
        assert got[0].replace("mlax", "jax") == want[0]
        assert got[1] == want[1]
    elif case == "unroll_array":  # JAX names its own array class
        assert got[0] == want[0] and got[1].startswith("unhashable type")
    else:
        assert got == want


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_sin_cos_tan_of_huge_arguments_match_jax(dtype):
    # float32 arguments past 2^18 are reduced by pi/2 exactly (Payne-Hanek
    # in double-double); before, past 2^30 the result was NaN. The last
    # two are the float32 values closest to multiples of pi/2.
    rng = np.random.default_rng(0)
    hi = 3e38 if dtype == np.float32 else 6e4
    x = np.exp(rng.uniform(np.log(1e3), np.log(hi), 2000)) * rng.choice([-1, 1], 2000)
    x = np.concatenate([x, [16367173.0 * 2.0**72, -16367173.0 * 2.0**72]]).astype(dtype)
    if dtype == np.float16:
        x = x[np.isfinite(x)]
    for name in ("sin", "cos", "tan"):
        want = getattr(np, name)(x.astype(np.float64)).astype(dtype)
        got = np.asarray(getattr(jnp, name)(x))
        # Correctly rounded from the float64 value, as JAX is within 1 ulp.
        np.testing.assert_array_equal(got, want)
        jax_got = np.asarray(getattr(jax_np, name)(x))
        np.testing.assert_allclose(got, jax_got, rtol=2e-7 if dtype == np.float32 else 1e-3)
    g = mlax.jit(mlax.grad(lambda t: jnp.sin(t)))(np.float32(1e10))
    np.testing.assert_allclose(g, jax.grad(jax_np.sin)(np.float32(1e10)), rtol=1e-6)


def test_single_device_sharding_constraint_and_closure_convert_outside_a_trace():
    def program(jax, jnp):
        dev = jax.devices()[0]
        constrained = jax.jit(
            lambda x: jax.lax.with_sharding_constraint(
                x * 2, jax.sharding.SingleDeviceSharding(dev)
            )
        )(jnp.ones(2))
        converted, consts = jax.closure_convert(lambda x: x * 2, 1.0)
        return constrained, converted(3.0), len(consts)

    got, want = program(mlax, jnp), program(jax, jax_np)
    np.testing.assert_array_equal(got[0], want[0])
    assert np.asarray(got[1]).dtype == np.asarray(want[1]).dtype == np.float32
    assert float(got[1]) == float(want[1]) and got[2] == want[2]


@pytest.mark.parametrize(
    "case",
    [
        "matmul",
        "dot_general_batch",
        "reshape_neg",
        "stack",
        "too_many",
        "float_index",
        "split",
        "broadcast_to_fewer",
        "broadcast_to",
        "lax_add_dtype",
        "sum_axis",
        "vmap_axis",
        "cond_types",
    ],
)
def test_first_lines_of_common_errors_match_jax(case):
    def program(jax, jnp):
        return {
            "matmul": lambda: jnp.ones((2, 3)) @ jnp.ones((4, 2)),
            "dot_general_batch": lambda: jax.lax.dot_general(
                jnp.ones((5, 2, 3)), jnp.ones((4, 3, 2)), (((2,), (1,)), ((0,), (0,)))
            ),
            "reshape_neg": lambda: jnp.ones(6).reshape(-1, 4),
            "stack": lambda: jnp.stack([jnp.ones(2), jnp.ones(3)]),
            "too_many": lambda: jnp.ones(3)[0, 1],
            "float_index": lambda: jnp.ones(3)[1.0],
            "split": lambda: jnp.split(jnp.ones(7), 3),
            "broadcast_to_fewer": lambda: jnp.broadcast_to(jnp.ones((2, 3)), (3,)),
            "broadcast_to": lambda: jnp.broadcast_to(jnp.ones((2, 3), jnp.int32), (4, 3)),
            "lax_add_dtype": lambda: jax.lax.add(jnp.ones(2), jnp.ones(2, jnp.int32)),
            "sum_axis": lambda: jnp.ones((2, 3)).sum(axis=2),
            "vmap_axis": lambda: jax.vmap(lambda a: a, in_axes=2)(jnp.ones((2, 3))),
            "cond_types": lambda: jax.lax.cond(True, lambda: jnp.ones(2), lambda: jnp.ones(3)),
        }[case]

    got, want = _outcome(program(mlax, jnp)), _outcome(program(jax, jax_np))
    assert got == want
