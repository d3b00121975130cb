"""mlax's top-level namespace against jax's (transformations, config
switches, host/array helpers) and the array API standard's metadata and
special values, compared with JAX live."""

import functools

import jax
import jax.numpy as jax_np
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from conftest import assert_allclose
from mlax import lax

# jax names mlax leaves out: JAX internals, mutable refs, FFI, profiling,
# stages, the deprecated PRNG switches.
TOP_LEVEL_LATER = {
    "Ref",
    "ad",
    "allow_f16_reductions",
    "api_util",
    "array_garbage_collection_guard",
    "auto_pcast",
    "core",
    "custom_batching",
    "dlpack",
    "ds",
    "empty_ref",
    "enable_custom_prng",
    "ffi",
    "free_ref",
    "freeze",
    "fwd_and_bwd",
    "interpreters",
    "jax2tf_associative_scan_reductions",
    "legacy_prng_key",
    "lib",
    "make_user_context",
    "memory",
    "monitoring",
    "new_ref",
    "no_execution",
    "no_tracing",
    "profiler",
    "ref",
    "remove_size_one_mesh_axis_from_type",
    "smap",
    "softmax_custom_jvp",
    "stages",
    "thread_guard",
}

# jax.lax names mlax leaves out: ragged ops, tokens,
# send/recv, complex numbers, composite/stage (XLA-specific).
LAX_LATER = {
    "AccuracyMode",
    "DotAlgorithm",
    "FftType",
    "RaggedDotDimensionNumbers",
    "Tolerance",
    "after_all",
    "complex",
    "composite",
    "create_token",
    "dce_sink",
    "pcast",
    "precv",
    "psend",
    "pswapaxes",
    "ragged_all_to_all",
    "ragged_dot",
    "ragged_dot_general",
    "scaled_dot",
    "shape_as_value",
    "stage",
}


def _public(module):
    return {n for n in dir(module) if not n.startswith("_")}


def test_top_level_namespace_covers_jax():
    missing = _public(jax) - _public(mlax) - TOP_LEVEL_LATER
    assert not missing, f"jax names missing from mlax: {sorted(missing)}"


def test_lax_namespace_covers_jax():
    jax_names = {n for n in _public(jax.lax) if not n.endswith("_p")}
    missing = jax_names - _public(lax) - LAX_LATER
    assert not missing, f"jax.lax names missing from mlax.lax: {sorted(missing)}"
    linalg_missing = {n for n in _public(jax.lax.linalg) if not n.endswith("_p")}
    linalg_missing -= _public(lax.linalg) | {
        "EigImplementation",
        "EighImplementation",
        "SvdAlgorithm",
    }
    assert not linalg_missing, sorted(linalg_missing)
    assert {p.name for p in lax.Precision} == {p.name for p in jax.lax.Precision}
    assert {p.name for p in lax.RandomAlgorithm} == {p.name for p in jax.lax.RandomAlgorithm}
    assert {p.name for p in lax.DotAlgorithmPreset} == {p.name for p in jax.lax.DotAlgorithmPreset}


def test_sharding_aliases_and_version():
    assert mlax.NamedSharding is mlax.sharding.NamedSharding
    assert mlax.P is mlax.sharding.PartitionSpec
    assert mlax.version.__version__ == mlax.__version__
    assert isinstance(mlax.__version__, str)
    x = jnp.ones(2)
    assert isinstance(x, mlax.typing.ArrayLike) and isinstance(1.0, mlax.typing.ArrayLike)
    assert mlax.custom_derivatives.custom_jvp is mlax.custom_jvp


# ---------------------------------------------------------------------------
# Transformations
# ---------------------------------------------------------------------------


def test_linear_transpose_matches_jax():
    def f(m):
        return lambda x, y: (2 * x + m.sum(y), x * 3.0)

    x, y = np.ones(3, np.float32), np.ones(2, np.float32)
    cts = (np.arange(3, dtype=np.float32), np.array([1.0, -1.0, 2.0], np.float32))
    got = mlax.linear_transpose(f(jnp), x, y)(cts)
    want = jax.linear_transpose(f(jax_np), x, y)(cts)
    assert isinstance(got, tuple) and len(got) == 2
    for g, w in zip(got, want):
        assert_allclose(g, np.asarray(w), np.float32)


def test_custom_gradient_matches_jax():
    def make(custom_gradient):
        @custom_gradient
        def f(x, y):
            return x * y, lambda ct: (ct * y, ct * x * 10.0)

        @custom_gradient
        def g(x):
            return x**2, lambda ct: ct * 3.0  # one argument, a bare cotangent

        return lambda x, y: f(x, y) + g(x)

    got = mlax.grad(make(mlax.custom_gradient), argnums=(0, 1))(2.0, 3.0)
    want = jax.grad(make(jax.custom_gradient), argnums=(0, 1))(2.0, 3.0)
    assert [float(v) for v in got] == [float(v) for v in want] == [6.0, 20.0]
    assert float(make(mlax.custom_gradient)(2.0, 3.0)) == 10.0


def _custom_vjp_through_closure_convert(m, np_like):
    """JAX's documented use: a custom_vjp taking a closure-converted
    function and its hoisted constants, differentiated through them."""

    @functools.partial(m.custom_vjp, nondiff_argnums=(0,))
    def apply(f, x, *consts):
        return f(x, *consts)

    def fwd(f, x, *consts):
        return f(x, *consts), (x, consts)

    def bwd(f, res, g):
        x, consts = res
        return m.vjp(f, x, *consts)[1](g)

    apply.defvjp(fwd, bwd)

    def outer(y):
        converted, consts = m.closure_convert(lambda z: z * y + np_like.sin(y), 1.0)
        return apply(converted, 2.0, *consts)

    return outer


def test_closure_convert_matches_jax():
    ours = _custom_vjp_through_closure_convert(mlax, jnp)
    theirs = _custom_vjp_through_closure_convert(jax, jax_np)
    for got, want in (
        (ours(3.0), theirs(3.0)),
        (mlax.grad(ours)(3.0), jax.grad(theirs)(3.0)),
        (mlax.jit(mlax.grad(ours))(3.0), jax.grad(theirs)(3.0)),
    ):
        assert_allclose(got, np.asarray(want), np.float32, check_dtype=False)
    scale = 3.0  # eager: nothing to hoist
    fn, consts = mlax.closure_convert(lambda x: x * scale, np.float32(1.0))
    assert consts == [] and float(fn(np.float32(2.0))) == 6.0


def test_make_jaxpr_refuses_axis_env():
    # make_jaxpr itself: test_api_misc.py
    with pytest.raises(NotImplementedError, match="axis_env"):
        mlax.make_jaxpr(lambda x: x + 1, axis_env=[("i", 2)])(1.0)


def test_checkpoint_policies_are_accepted():
    assert _public(mlax.checkpoint_policies) == _public(jax.checkpoint_policies)
    x = np.array([0.5, -1.0, 2.0], np.float32)

    def loss(m, policy):
        return lambda v: m.sum(m.sin(v) ** 2)

    want = jax.grad(
        jax.checkpoint(loss(jax_np, None), policy=jax.checkpoint_policies.dots_saveable)
    )(x)
    for policy in (
        mlax.checkpoint_policies.dots_saveable,
        mlax.checkpoint_policies.nothing_saveable,
        mlax.checkpoint_policies.save_only_these_names("a"),
        mlax.checkpoint_policies.save_from_both_policies(
            mlax.checkpoint_policies.everything_saveable, mlax.checkpoint_policies.nothing_saveable
        ),
    ):
        got = mlax.grad(mlax.checkpoint(loss(jnp, None), policy=policy))(x)
        assert_allclose(got, np.asarray(want), np.float32)


# ---------------------------------------------------------------------------
# Config switches
# ---------------------------------------------------------------------------

SWITCHES = [
    "debug_nans",
    "debug_infs",
    "log_compiles",
    "enable_checks",
    "default_matmul_precision",
    "numpy_rank_promotion",
    "numpy_dtype_promotion",
    "default_prng_impl",
    "transfer_guard_host_to_device",
    "transfer_guard_device_to_device",
    "transfer_guard_device_to_host",
    "check_tracer_leaks",
    "explain_cache_misses",
    "debug_key_reuse",
    "threefry_partitionable",
]

_NEW_VALUE = {
    "default_matmul_precision": "highest",
    "numpy_rank_promotion": "raise",
    "numpy_dtype_promotion": "strict",
    "default_prng_impl": "threefry2x32",
    "threefry_partitionable": True,
}


@pytest.mark.parametrize("name", SWITCHES)
def test_config_switch_matches_jax(name):
    ours, theirs = getattr(mlax, name), getattr(jax, name)
    assert ours.value == theirs.value
    new = _NEW_VALUE.get(name, "disallow" if name.startswith("transfer") else True)
    with ours(new), theirs(new):
        assert ours.value == theirs.value == new
    assert ours.value == theirs.value


def test_config_switch_bad_value_and_guards():
    with pytest.raises(ValueError), mlax.numpy_rank_promotion("sometimes"):
        pass
    with mlax.transfer_guard("disallow"), mlax.checking_leaks():
        assert mlax.transfer_guard_device_to_host.value == "disallow"
        out = mlax.jit(lambda v: v * 2)(np.float32(2.0))
    assert mlax.transfer_guard_device_to_host.value is None
    assert float(out) == 4.0
    with mlax.debug_nans(True), pytest.raises(FloatingPointError, match="nan"):
        jnp.log(jnp.float32(-1.0))  # test_config.py checks more against JAX


# ---------------------------------------------------------------------------
# Hosts and arrays
# ---------------------------------------------------------------------------


def test_hosts_match_jax():
    assert mlax.host_count() == jax.host_count() == 1
    assert mlax.host_id() == jax.host_id() == 0
    assert mlax.host_ids() == jax.host_ids() == mlax.process_indices() == jax.process_indices()
    with pytest.raises(RuntimeError):
        mlax.host_count("tpu")


def test_make_array_from_callback_and_friends():
    mesh = mlax.make_mesh((1,), ("x",))
    sharding = mlax.NamedSharding(mesh, mlax.P("x"))
    data = np.arange(12, dtype=np.float32).reshape(4, 3)
    calls = []

    def callback(index):
        calls.append(index)
        return data[index]

    a = mlax.make_array_from_callback(data.shape, sharding, callback)
    assert a.sharding == sharding and calls
    assert_allclose(a, data, np.float32, exact=True)
    single = mlax.sharding.SingleDeviceSharding(mlax.devices()[0])
    b = mlax.make_array_from_callback((2,), single, lambda index: np.array([1, 2], np.int32))
    assert_allclose(b, np.array([1, 2], np.int32), np.int32)
    pieces = [mlax.device_put(data, mlax.devices()[0])]
    c = mlax.make_array_from_single_device_arrays(data.shape, sharding, pieces)
    assert_allclose(c, data, np.float32, exact=True)
    d = mlax.make_array_from_process_local_data(sharding, data)
    assert d.sharding == sharding
    assert_allclose(d, data, np.float32, exact=True)
    with pytest.raises(ValueError):
        mlax.make_array_from_process_local_data(sharding, data, (8, 3))


def test_live_arrays_environment_and_barriers():
    x = jnp.asarray(np.array([1.0, 2.0], np.float32))
    assert any(a is x for a in mlax.live_arrays())
    text = mlax.print_environment_info(return_string=True)
    assert "mlax" in text and "numpy" in text and "python" in text
    mlax.effects_barrier()
    assert mlax.copy_to_host_async({"a": x})["a"] is x


# ---------------------------------------------------------------------------
# The array API standard: metadata and the Array protocol
# ---------------------------------------------------------------------------


def _real_only(d):
    return {k: v for k, v in d.items() if np.dtype(v).kind != "c"}


def test_array_api_version_and_namespace():
    assert jnp.__array_api_version__ == jax_np.__array_api_version__
    x = jnp.ones(3)
    assert x.__array_namespace__() is jnp
    assert x.__array_namespace__(api_version=jnp.__array_api_version__) is jnp
    with pytest.raises(ValueError, match="not available"):
        x.__array_namespace__(api_version="2019.01")
    with pytest.raises(ValueError):
        jax_np.ones(3).__array_namespace__(api_version="2019.01")
    assert mlax.jit(lambda v: v * 2 if v.__array_namespace__() is jnp else v)(x).shape == (3,)


def test_array_namespace_info_matches_jax():
    ours, theirs = jnp.__array_namespace_info__(), jax_np.__array_namespace_info__()
    assert ours.capabilities() == theirs.capabilities()
    assert ours.default_device() is theirs.default_device() is None
    assert ours.devices()[0] is None and ours.devices()[1:] == mlax.devices()
    assert ours.default_dtypes() == _real_only(theirs.default_dtypes())
    kinds = [None, "bool", "signed integer", "unsigned integer", "integral", "real floating"]
    kinds += ["numeric", ("bool", "signed integer")]
    for kind in kinds:
        assert ours.dtypes(kind=kind) == _real_only(theirs.dtypes(kind=kind)), kind
    with pytest.raises(KeyError):
        ours.dtypes(kind="strings")


def test_array_namespace_info_x64(x64):
    ours, theirs = jnp.__array_namespace_info__(), jax_np.__array_namespace_info__()
    with jax.enable_x64(True):
        assert ours.default_dtypes() == _real_only(theirs.default_dtypes())
        assert ours.dtypes() == _real_only(theirs.dtypes())


def test_array_device_to_device_and_dlpack():
    data = np.arange(6, dtype=np.float32).reshape(2, 3)
    x = jnp.asarray(data)
    assert x.device == mlax.devices()[0]
    y = x.to_device(mlax.devices()[0])
    assert y.device == x.device
    assert_allclose(y, data, np.float32, exact=True)
    assert tuple(x.__dlpack_device__()) == tuple(jax_np.asarray(data).__dlpack_device__()) == (1, 0)
    np.testing.assert_array_equal(np.from_dlpack(x), data)
    assert_allclose(jnp.from_dlpack(data), data, np.float32, exact=True)


# ---------------------------------------------------------------------------
# Special values of the elementwise functions (the standard's special cases:
# NaN, infinities, signed zeros), against jax.numpy on a grid. Subnormal
# inputs are left out: XLA's CPU flushes them to zero, IREE does not.
# ---------------------------------------------------------------------------

_SPECIAL = np.array(
    [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.5, -2.5, 100.0]
    + [-100.0, 3e38, -3e38, np.pi / 2],
    np.float32,
)
_X, _Y = (a.ravel() for a in np.meshgrid(_SPECIAL, _SPECIAL))

UNARY = [
    "abs",
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "ceil",
    "cos",
    "cosh",
    "exp",
    "expm1",
    "floor",
    "log",
    "log1p",
    "log2",
    "log10",
    "negative",
    "positive",
    "reciprocal",
    "round",
    "sign",
    "signbit",
    "sin",
    "sinh",
    "square",
    "sqrt",
    "tan",
    "tanh",
    "trunc",
    "isfinite",
    "isinf",
    "isnan",
    "exp2",
    "cbrt",
    "rint",
    "deg2rad",
    "rad2deg",
]
BINARY = [
    "add",
    "atan2",
    "copysign",
    "divide",
    "floor_divide",
    "hypot",
    "logaddexp",
    "maximum",
    "minimum",
    "multiply",
    "nextafter",
    "pow",
    "remainder",
    "subtract",
    "fmod",
    "fmax",
    "fmin",
    "equal",
    "less",
    "greater_equal",
    "heaviside",
]

# Mismatches in the C++ lowering, not fixable in Python (none left: float32
# sin/cos/tan reduce huge arguments exactly since Payne-Hanek was added).
_LOWERING_BUGS = {}
_BEING_FIXED = {}
_NUMPY_DIFFS = {}


_KNOWN = {**_LOWERING_BUGS, **_NUMPY_DIFFS}


def _same_special(got, want, rtol):
    """Exact for NaN/inf/zero results (sign of zero included), within rtol
    for finite nonzero ones."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    if got.dtype.kind != "f":
        return got == want
    both_nan = np.isnan(got) & np.isnan(want)
    special = ~np.isfinite(want) | (want == 0)
    exact = (got == want) & (np.signbit(got) == np.signbit(want))
    with np.errstate(all="ignore"):
        close = np.abs(got.astype(np.float64) - want) <= rtol * np.abs(want.astype(np.float64))
    return both_nan | np.where(special, exact, close)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=_KNOWN[n]))
        if n in _KNOWN
        else pytest.param(n, marks=pytest.mark.xfail(strict=False, reason=_BEING_FIXED[n]))
        if n in _BEING_FIXED
        else n
        for n in UNARY + BINARY
    ],
)
def test_special_values_match_jax(name):
    args = (_SPECIAL,) if name in UNARY else (_X, _Y)
    got = mlax.jit(getattr(jnp, name))(*args)
    want = getattr(jax_np, name)(*args)
    ok = _same_special(got, want, rtol=1e-5)
    bad = np.flatnonzero(~ok)
    detail = [
        (tuple(float(a[i]) for a in args), float(np.asarray(got)[i]), float(np.asarray(want)[i]))
        for i in bad[:5]
    ]
    assert not bad.size, f"{name}: (inputs, mlax, jax) {detail}"
