"""NumPy parity of mlax.numpy's reductions (sum, mean, max, ..., argmax,
where= masks); machinery in parity.py."""

import jax.numpy as jax_np
import mlax
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


# Reductions: axis None / int / negative int / tuple, keepdims, 0-d, dtypes.
for _name in ("sum", "mean", "max", "min", "prod", "var", "std", "all", "any"):
    _f = call(_name)
    _dom = "small" if _name == "prod" else "any"
    _core = _name in ("sum", "mean", "max", "min")
    add(f"{_name}-none", _f, A(R3, "f32", _dom))
    add(f"{_name}-axis0", lambda m, x, _f=_f: _f(m, x, axis=0), A(R3, "f32", _dom))
    add(
        f"{_name}-tuple-keepdims",
        lambda m, x, _f=_f: _f(m, x, axis=(0, 2), keepdims=True),
        A(R3, "f32", _dom),
    )
    if _core:
        add(f"{_name}-axis-1", lambda m, x, _f=_f: _f(m, x, axis=-1), A(R3, "f32", _dom))
        add(
            f"{_name}-none-keepdims",
            lambda m, x, _f=_f: _f(m, x, keepdims=True),
            A(S23, "f32", _dom),
        )
        add(f"{_name}-0d", _f, A((), "f32", _dom))
    if _name != "std":
        add(f"{_name}-i32", lambda m, x, _f=_f: _f(m, x, axis=1), A(S23, "i32", _dom))
    add(f"{_name}-bool", lambda m, x, _f=_f: _f(m, x, axis=0), A(S23, "bool"))
    if _name in ("sum", "mean", "max", "var"):
        add(f"{_name}-bf16", lambda m, x, _f=_f: _f(m, x, axis=1), A(S23, "bf16", _dom))
# amax/amin are max/min: same executables.
add("amax-axis0", lambda m, x: m.amax(x, axis=0), A(R3, "f32"))
add("amin-tuple-keepdims", lambda m, x: m.amin(x, axis=(0, 2), keepdims=True), A(R3, "f32"))
add("sum-i8", call("sum"), A((5,), "i8"))
add("sum-u8", call("sum"), A((5,), "u8"))
add("sum-dtype", lambda m, x: m.sum(x, dtype=m.float32), A((5,), "i32"))
add("sum-f16", lambda m, x: m.sum(x, axis=0), A((4, 3), "f16"))
add("prod-i32-none", call("prod"), A((5,), "i32", "pos"))
add("mean-f16", call("mean"), A((4, 3), "f16"))
add("argmax-none-keepdims", lambda m, x: m.argmax(x, keepdims=True), A(S23, "f32"))
add("argmin-u32", call("argmin"), A((6,), "u32"))
add("argmax-bool-none", call("argmax"), A(S23, "bool"))
add("argmin-bool-none", call("argmin"), A(S23, "bool"))
add("var-ddof1", lambda m, x: m.var(x, axis=1, ddof=1), A(S23, "f32"))
add("std-ddof1", lambda m, x: m.std(x, ddof=1), A(R3, "f32"))
add("max-nan", call("max"), A((8,), "f32", "special"))
add("min-nan-axis", lambda m, x: m.min(x, axis=0), A((2, 4), "f32", "special"))
add("max-u32", lambda m, x: m.max(x, axis=1), A(S23, "u32"))
add("min-i8", call("min"), A((5,), "i8"))
add("all-f32-special", call("all"), A((8,), "f32", "special"))
add("sum-empty", lambda m: m.sum(m.zeros((0, 3)), axis=0))
add("mean-empty", lambda m: m.mean(m.zeros((0,))))
add("max-initial", lambda m, x: m.max(x, initial=10.0), A((4,)))
add("sum-initial", lambda m, x: m.sum(x, initial=10.0), A((4,)))
add("min-initial", lambda m, x: m.min(x, initial=-10.0), A((4,)))
add("prod-initial", lambda m, x: m.prod(x, axis=1, initial=2.0), A(S23))
add("max-initial-empty", lambda m: m.max(m.zeros((0,)), initial=-1.0))
_MASK4 = np.array([True, False, True, True])
_MASK23 = np.array([[True, False, True], [False, False, True]])
add("sum-where", lambda m, x, w: m.sum(x, where=w), A((4,)), _MASK4)
add("sum-where-axis", lambda m, x, w: m.sum(x, axis=1, where=w), A(S23), _MASK23)
add("sum-where-bcast", lambda m, x, w: m.sum(x, axis=0, where=w), A(S23), _MASK23[0])
add("prod-where", lambda m, x, w: m.prod(x, where=w), A((4,)), _MASK4)
add("max-where", lambda m, x, w: m.max(x, where=w, initial=-5.0), A((4,)), _MASK4)
add("min-where", lambda m, x, w: m.min(x, axis=1, where=w, initial=5.0), A(S23), _MASK23)
add("all-where", lambda m, x, w: m.all(x, where=w), A((4,), "bool"), _MASK4)
add("any-where", lambda m, x, w: m.any(x, axis=0, where=w), A(S23, "bool"), _MASK23)
for _name in ("argmax", "argmin"):
    _f = call(_name)
    add(f"{_name}-none", _f, A(R3, "f32"))
    add(f"{_name}-axis0", lambda m, x, _f=_f: _f(m, x, axis=0), A(R3, "f32", "ties"))
    add(
        f"{_name}-keepdims",
        lambda m, x, _f=_f: _f(m, x, axis=1, keepdims=True),
        A(R3, "f32", "ties"),
    )
    add(f"{_name}-i32", lambda m, x, _f=_f: _f(m, x, axis=-1), A(S23, "i32", "ties"))
    add(f"{_name}-bool", lambda m, x, _f=_f: _f(m, x, axis=1), A(S23, "bool"))
    add(f"{_name}-nan", _f, np.array([1.0, np.nan, 5.0, np.nan, -1.0], np.float32))
    add(f"{_name}-0d", _f, A((), "f32"))


# Cumulative reductions (parallel prefix scans)
add("cumsum-flat", call("cumsum"), A(S23))
add("cumsum-axis", lambda m, x: m.cumsum(x, axis=1), A(S23, "i32"))
add("cumsum-bool", call("cumsum"), A((5,), "bool"))
add("cumprod-axis", lambda m, x: m.cumprod(x, axis=0), A(S23))
add("nancumsum", lambda m, x: m.nancumsum(x, axis=1), A((3, 4), "f32", "special"))
add("nancumprod", call("nancumprod"), A((5,), "f32", "special"))
add("cumulative_sum", lambda m, x: m.cumulative_sum(x, axis=0, include_initial=True), A(S23))
add("cumulative_prod", lambda m, x: m.cumulative_prod(x), A((4,), "i32"))


# Order statistics (quantiles.py): sort, then the two order statistics
# around q * (n - 1).
_Q = np.array([0.1, 0.5, 0.9], np.float32)
add("quantile", lambda m, x: m.quantile(x, _Q, axis=1), A(R3), rtol=1e-6, atol=1e-6)
for _method in ("lower", "higher", "midpoint", "nearest"):
    add(
        f"quantile-{_method}",
        lambda m, x, _m=_method: m.quantile(x, 0.3, axis=(0, 2), method=_m, keepdims=True),
        A(R3),
        rtol=1e-6,
        atol=1e-6,
        covers=("quantile",),
    )
add("percentile", lambda m, x: m.percentile(x, 37.5), A(S23), rtol=1e-6, atol=1e-6)
add("median", lambda m, x: m.median(x, axis=-1), A(R3), rtol=1e-6)
add("median-int", lambda m, x: m.median(x), A((7,), "i32"), dtype=np.float32, covers=("median",))
# NaNs without infinities (NumPy interpolates inf - inf to NaN, JAX not).
_NAN = np.array(
    [[0.5, np.nan, -1.0], [2.0, 1.5, np.nan], [np.nan, np.nan, np.nan], [-3.0, 0.25, 4.0]],
    np.float32,
)
add("nanquantile", lambda m, x: m.nanquantile(x, _Q, axis=0), _NAN, rtol=1e-6)
add("nanpercentile", lambda m, x: m.nanpercentile(x, 90.0), _NAN, rtol=1e-6)
add("nanmedian", lambda m, x: m.nanmedian(x, axis=1), _NAN, rtol=1e-6)


@pytest.mark.parametrize("case", [c.param() for c in CASES])
def test_numpy_parity(case):
    run_case(case)


@pytest.mark.parametrize("case", [c.param(jax=True) for c in CASES if c.jax])
def test_numpy_matches_jax(case):
    check_against_jax(case, jnp, jax_np)


def test_reduction_of_empty_bool_does_not_crash(fresh_cache_env):
    # Run in a subprocess: this used to kill the process with SIGFPE inside the
    # IREE compiler (a fresh cache makes sure it is really compiled).
    import subprocess
    import sys

    code = (
        "import numpy as np, mlax.numpy as jnp\n"
        "from mlax import lax\n"
        "print(bool(jnp.all(jnp.zeros((0,)))), jnp.any(jnp.zeros((0, 3)), axis=0).tolist())\n"
        "e = jnp.zeros((0, 2), dtype=bool)\n"
        "print(lax.reduce_and(e, (0,)).tolist(), lax.reduce_or(e, (0,)).tolist(),"
        " lax.reduce_max(e, (0,)).tolist())\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        env=fresh_cache_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"rc={proc.returncode} {proc.stderr[-500:]}"
    assert proc.stdout.split("\n")[0] == "True [False, False, False]"
    assert proc.stdout.split("\n")[1] == "[True, True] [False, False] [False, False]"


def test_mean_var_std_where_match_jax():
    """where= masks mean/var/std as JAX does, eagerly and under jit (an
    all-False row gives NaN)."""
    v = np.array([[1.0, -2.0, 3.0, 4.0], [5.0, 6.0, -7.0, 8.0]], np.float32)
    mask = np.array([[True, False, True, True], [False, False, False, False]])
    for name in ("mean", "var", "std"):
        want = getattr(jax_np, name)(v, axis=1, where=mask)
        got = getattr(jnp, name)(jnp.asarray(v), axis=1, where=jnp.asarray(mask))
        jitted = mlax.jit(lambda a, m, n=name: getattr(jnp, n)(a, axis=1, where=m))(v, mask)
        for out in (got, jitted):
            np.testing.assert_allclose(np.asarray(out), np.asarray(want), rtol=1e-6)
    got = jnp.var(jnp.asarray(v), where=jnp.asarray(mask), ddof=1)
    np.testing.assert_allclose(float(got), float(jax_np.var(v, where=mask, ddof=1)), rtol=1e-6)
