"""float64 transcendental functions, expanded by mlax-lower-to-linalg (IREE's
CPU backend has no f64 libm, and its own f64 expm1/log1p are inaccurate
near 0), against NumPy and SciPy in ulps."""

import numpy as np
import pytest
import scipy.special as _sp
from mlax import lax

_F64_RNG = np.random.default_rng(7)
_F64_ARGS = np.concatenate(
    [
        _F64_RNG.uniform(-10, 10, 500),
        _F64_RNG.uniform(-1e5, 1e5, 200),
        np.exp(_F64_RNG.uniform(np.log(1e-12), 0, 300)) * _F64_RNG.choice([-1, 1], 300),
        [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-300, 700.0, -700.0, 20.0, 1.0, 6.0, 30.0],
    ]
)

# name: (mlax function, NumPy reference, domain filter, max ulp)
F64_MATH = {
    "sin": (lax.sin, np.sin, None, 2),
    "cos": (lax.cos, np.cos, None, 2),
    "tan": (lax.tan, np.tan, None, 4),
    "tanh": (lax.tanh, np.tanh, None, 6),
    "cbrt": (lax.cbrt, np.cbrt, None, 2),
    "expm1": (lax.expm1, np.expm1, lambda x: x < 700, 4),
    "log1p": (lax.log1p, np.log1p, lambda x: x > -1, 4),
    "erf": (lax.erf, lambda x: _sp.erf(x), None, 4),
    "erf_inv": (lax.erf_inv, lambda x: _sp.erfinv(x), lambda x: np.abs(x) < 1 - 1e-12, 8),
}


def _ulp_error(got, want):
    same = (got == want) | (np.isnan(got) & np.isnan(want))
    with np.errstate(invalid="ignore"):
        err = np.abs(got - want) / np.spacing(np.abs(want))
    return np.where(same, 0.0, err)


@pytest.mark.parametrize("name", sorted(F64_MATH))
def test_float64_math_matches_numpy(name, x64):
    fn, ref, domain, max_ulp = F64_MATH[name]
    x = _F64_ARGS
    if name == "erf_inv":
        x = np.concatenate([np.tanh(_F64_ARGS[np.isfinite(_F64_ARGS)] / 4), [1.0, -1.0, 0.0]])
    if domain is not None:
        x = x[domain(x) | ~np.isfinite(x)]
    got = np.asarray(fn(x))
    assert got.dtype == np.float64
    with np.errstate(invalid="ignore", over="ignore"):
        want = ref(x)
    err = _ulp_error(got, want)
    worst = int(np.argmax(err))
    assert err[worst] <= max_ulp, f"{name}({x[worst]!r}) = {got[worst]!r}, NumPy {want[worst]!r}"


def test_float64_atan2_matches_numpy(x64):
    specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 1e-300])
    y = np.concatenate([_F64_ARGS, np.repeat(specials, len(specials))])
    x = np.concatenate([_F64_RNG.permutation(_F64_ARGS), np.tile(specials, len(specials))])
    got = np.asarray(lax.atan2(y, x))
    want = np.arctan2(y, x)
    err = _ulp_error(got, want)
    worst = int(np.argmax(err))
    assert err[worst] <= 2, (
        f"atan2({y[worst]!r}, {x[worst]!r}) = {got[worst]!r}, NumPy {want[worst]!r}"
    )
    signed = ~np.isnan(want)
    assert np.array_equal(np.signbit(got[signed]), np.signbit(want[signed]))


def test_float64_rem_is_exact(x64):
    rng = np.random.default_rng(1)
    x = np.concatenate(
        [rng.uniform(-1e6, 1e6, 1000), [0.0, -0.0, np.inf, -np.inf, np.nan, 5.0, -5.0]]
    )
    y = np.concatenate([rng.uniform(-10, 10, 1000), [1.0, 2.0, 1.0, 3.0, 2.0, np.inf, np.inf]])
    got = np.asarray(lax.rem(x, y))
    with np.errstate(invalid="ignore"):
        want = np.fmod(x, y)
    assert np.array_equal(got, want, equal_nan=True)
    signed = ~np.isnan(want)
    assert np.array_equal(np.signbit(got[signed]), np.signbit(want[signed]))
