"""The later mlax.scipy.stats distributions and summaries, and the later
mlax.scipy.special functions, against JAX (values, dtypes, weak types,
derivatives) and SciPy (float64 references).

Each group runs as one jitted call per dtype (few compiles).
"""

import jax
import jax.scipy.stats as jst
import mlax
import mlax.scipy.stats as mst
import numpy as np
import pytest
import scipy.stats as sst
from test_scipy import _aval_signature, _check, _mlax_avals, _run_stats

# ---------------------------------------------------------------------------
# Distributions
# ---------------------------------------------------------------------------


def _dist_cases(dtype):
    a = lambda v: np.asarray(v, dtype)
    x = a([-3.0, -0.5, 0.0, 0.2, 0.5, 1.0, 2.5, 7.0, 40.0])
    angle = a([-1.0, 0.0, 0.3, 1.0, 2.0, 3.0, 3.14, 6.0, 7.0])
    k = a([-1.0, 0.0, 1.0, 2.0, 3.0, 5.0, 2.5, 10.0, 0.0])
    unit = a([0.0, 1e-3, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999, 1.0])
    loc, scale = a(0.5), a(2.0)
    cases = []

    def add(dist, fname, args, ref=None):
        cases.append((f"{dist}.{fname}", dist, fname, args, ref, None))

    for fname in ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"):
        add("gumbel_l", fname, [x, loc, scale], getattr(sst.gumbel_l, fname))
        add("gumbel_r", fname, [x, loc, scale], getattr(sst.gumbel_r, fname))
        add("truncnorm", fname, [x, a(-1.0), a(2.0), loc, scale], getattr(sst.truncnorm, fname))
        # both tails: a > 0 (the right-tail formula) and b <= 0
        add("truncnorm", fname, [x, a(0.5), a(4.0)], getattr(sst.truncnorm, fname))
        add("truncnorm", fname, [x, a(-6.0), a(-0.5)], getattr(sst.truncnorm, fname))
    add("gumbel_l", "ppf", [unit, loc, scale], sst.gumbel_l.ppf)
    add("gumbel_r", "ppf", [unit, loc, scale], sst.gumbel_r.ppf)
    for fname in ("logpdf", "pdf", "cdf"):
        add("gennorm", fname, [x, a(1.5)], getattr(sst.gennorm, fname))
    for fname in ("logpdf", "pdf"):
        add("vonmises", fname, [angle, a(2.5)], getattr(sst.vonmises, fname))
        add("wrapcauchy", fname, [angle, a(0.4)], getattr(sst.wrapcauchy, fname))
    # kappa <= 0: NaN (jitted JAX's vonmises.pdf gives garbage there, eager JAX NaN)
    add("vonmises", "logpdf", [angle, a(-1.0)])
    for fname in ("logpmf", "pmf"):
        ints = lambda f, d: lambda k, *p: np.where(k % 1 == 0, getattr(d, f)(k, *p), np.nan)
        add("betabinom", fname, [k, a(6.0), a(2.0), a(3.5)], ints(fname, sst.betabinom))
        add("betabinom", fname, [k, a(0.0), a(2.0), a(3.5)])
        add("nbinom", fname, [k, a(4.0), a(0.35)], ints(fname, sst.nbinom))
        probs = a([0.2, 0.3, 0.5])
        for counts in ([1, 2, 3], [0, 6, 0], [1, 1, 1]):
            ref = lambda x, n, p, f=fname: getattr(sst.multinomial, f)(x, n, p)
            add("multinomial", fname, [np.array(counts, np.int32), np.int32(6), probs], ref)
        # a batch: JAX compares the sum over all of x with n (so -inf here)
        add("multinomial", fname, [np.array([[1, 2, 3], [2, 2, 2]], np.int32), np.int32(6), probs])
    return cases


@pytest.mark.parametrize("x64_on", [False, True], ids=["f32", "f64"])
def test_distributions_match_jax_and_scipy(x64_on, request):
    if x64_on:
        request.getfixturevalue("x64")
    dtype = np.float64 if x64_on else np.float32
    cases = _dist_cases(dtype)
    with jax.enable_x64(x64_on):
        want = _run_stats(cases, jst, jax.jit)
    got = _run_stats(cases, mst, mlax.jit)
    for (name, _, _, args, ref, _), g, w in zip(cases, got, want):
        _check(name, g, w, dtype, 1e-12 if x64_on else 3e-6, 1e-14 if x64_on else 1e-6)
        if ref is None:
            continue
        with np.errstate(all="ignore"):
            r = np.asarray(ref(*[np.asarray(v) for v in args]), np.float64)
        finite = np.isfinite(r) & np.isfinite(np.asarray(w, np.float64))
        rtol = 1e-9 if x64_on else 5e-5
        if name.startswith("betabinom") and x64_on:
            rtol = 2e-6  # JAX's betaln for b >= 8 (TOMS 708's algdiv) loses digits
        g = np.asarray(g)[finite]
        _check(
            name + " vs scipy", g, r[finite].astype(dtype), dtype, rtol, 1e-12 if x64_on else 1e-6
        )


_DIST_TYPE_CASES = [
    ("gumbel_r", "logpdf", (1.0,)),
    ("gumbel_l", "ppf", (np.float32(0.3), 1)),
    ("gennorm", "cdf", (0.5, 2)),
    ("truncnorm", "logpdf", (np.float32(0.5), -1.0, 1.0)),
    ("truncnorm", "cdf", (0.5, -1.0, 1.0)),
    ("vonmises", "pdf", (np.float32(0.5), 1.0)),
    ("wrapcauchy", "logpdf", (0.5, 0.3)),
    ("betabinom", "pmf", (np.int32(2), 5, 2.0, 3.0)),
    ("nbinom", "logpmf", (2, 5, 0.5)),
    ("multinomial", "logpmf", (np.array([1, 2], np.int32), 3, np.array([0.5, 0.5], np.float32))),
]


@pytest.mark.parametrize(
    "dist,fname,args", _DIST_TYPE_CASES, ids=[f"{d}.{f}" for d, f, _ in _DIST_TYPE_CASES]
)
def test_distribution_dtype_and_weak_type_match_jax(dist, fname, args):
    want = _aval_signature(jax.eval_shape(lambda: getattr(getattr(jst, dist), fname)(*args)))
    assert _mlax_avals(getattr(getattr(mst, dist), fname), args) == want


def test_multinomial_rejects_float_counts_as_jax():
    x, p = np.array([1.0, 2.0], np.float32), np.array([0.5, 0.5], np.float32)
    for mod in (jst, mst):
        with pytest.raises(ValueError, match="must be of integer type"):
            mod.multinomial.logpmf(x, 3, p)


def test_distribution_derivatives_float64(x64):
    x = np.array([0.3, 1.0, 2.5], np.float64)

    def f(m):
        s = m.scipy.stats
        return lambda x: (
            m.grad(lambda v: s.gumbel_r.logpdf(v, 0.5, 2.0).sum())(x),
            m.grad(lambda v: s.gumbel_l.logcdf(v).sum())(x),
            m.grad(lambda v: s.gennorm.logpdf(v, 1.5).sum())(x),
            m.grad(lambda v: s.truncnorm.logcdf(v, -1.0, 2.0).sum())(x),
            m.grad(lambda kap: s.vonmises.logpdf(0.7, kap).sum())(x),
            m.grad(lambda c: s.wrapcauchy.logpdf(0.7, c / 3.0).sum())(x),
            m.grad(lambda p: s.nbinom.logpmf(3.0, 4.0, p / 3.0).sum())(x),
            m.grad(lambda a: s.betabinom.logpmf(2.0, 5.0, a, 1.5).sum())(x),
        )

    got = mlax.jit(f(mlax))(x)
    with jax.enable_x64(True):
        want = jax.jit(f(jax))(x)
    for i, (g, w) in enumerate(zip(got, want)):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-9, err_msg=str(i))


# ---------------------------------------------------------------------------
# mode, rankdata, sem
# ---------------------------------------------------------------------------


def test_summaries_match_jax():
    data = np.array([[3.0, 1.0, 2.0, 1.0], [2.0, 2.0, 5.0, 5.0], [1.0, 2.0, 2.0, 7.0]], np.float32)
    with_nan = np.array([1.0, np.nan, 2.0, 2.0], np.float32)
    ints = np.array([4, 1, 4, 2, 1, 4], np.int32)

    def f(m):
        s = m.scipy.stats
        return lambda d, n, i: (
            s.mode(d),
            s.mode(d, axis=1, keepdims=True),
            s.mode(d, axis=None),
            s.mode(i),
            s.mode(n),
            [s.rankdata(d, method) for method in ("average", "min", "max", "dense", "ordinal")],
            s.rankdata(d, axis=1),
            s.rankdata(i, "min"),
            s.rankdata(n),
            s.sem(d),
            s.sem(d, axis=None, ddof=0),
            s.sem(d, axis=1, keepdims=True),
            s.sem(n, nan_policy="omit", axis=0),
            s.sem(i),
        )

    got = mlax.jit(f(mlax))(data, with_nan, ints)
    want = jax.jit(f(jax))(data, with_nan, ints)
    g_leaves, w_leaves = jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(want)
    assert len(g_leaves) == len(w_leaves)
    for i, (g, w) in enumerate(zip(g_leaves, w_leaves)):
        g, w = np.asarray(g), np.asarray(w)
        assert (g.shape, g.dtype) == (w.shape, w.dtype), (i, g.shape, g.dtype, w.shape, w.dtype)
        np.testing.assert_allclose(g, w, rtol=1e-6, equal_nan=True, err_msg=str(i))
    # and against SciPy
    np.testing.assert_allclose(np.asarray(got[5][0]), sst.rankdata(data).reshape(-1), rtol=0)
    np.testing.assert_allclose(np.asarray(got[9]), sst.sem(data), rtol=1e-6)
    assert type(got[0]).__name__ == "ModeResult" and got[0].count.shape == (4,)


def test_summaries_errors_match_jax():
    data = np.ones(3, np.float32)
    for mod in (jst, mst):
        with pytest.raises(ValueError, match="Illegal nan_policy"):
            mod.mode(data, nan_policy="bad")
        with pytest.raises(NotImplementedError):
            mod.rankdata(data, nan_policy="omit")
        with pytest.raises(ValueError, match="unknown method"):
            mod.rankdata(data, method="bad")
        with pytest.raises(ValueError, match="not supported"):
            mod.sem(data, nan_policy="raise")
