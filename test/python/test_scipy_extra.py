"""The later mlax.scipy.stats distributions and summaries, and the later
mlax.scipy.special functions, against JAX (values, dtypes, weak types,
derivatives) and SciPy (float64 references).

Each group runs as one jitted call per dtype (few compiles).
"""

import jax
import jax.scipy.special as jsp
import jax.scipy.stats as jst
import mlax
import mlax.scipy.special as msp
import mlax.scipy.stats as mst
import numpy as np
import pytest
import scipy.special as ssp
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


def test_multivariate_normal_matches_jax_and_scipy(x64):
    rng = np.random.default_rng(0)
    factor = rng.normal(size=(3, 3))
    cov = factor @ factor.T + np.eye(3)
    x = rng.normal(size=(4, 3))
    mean = np.array([0.1, 0.2, -0.3])

    def f(m):
        s = m.scipy.stats.multivariate_normal
        return lambda x, mean, cov: (
            s.logpdf(x, mean, cov),
            s.pdf(x, mean, cov),
            s.logpdf(x, mean, 2.0),
            s.logpdf(x[:, 0], 0.5, 2.0),
            s.logpdf(x, mean, m.numpy.stack([cov, 2 * cov, cov, cov])),
            m.grad(lambda v: s.logpdf(v, mean, cov).sum())(x),
        )

    got = mlax.jit(f(mlax))(x, mean, cov)
    with jax.enable_x64(True):
        want = jax.jit(f(jax))(x, mean, cov)
    for i, (g, w) in enumerate(zip(got, want)):
        assert np.asarray(g).dtype == np.float64
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-10, err_msg=str(i))
    ref = sst.multivariate_normal.logpdf(x, mean, cov)
    np.testing.assert_allclose(np.asarray(got[0]), ref, rtol=1e-12)
    for mod in (jst, mst):
        with pytest.raises(ValueError, match="incompatible shapes"):
            mod.multivariate_normal.logpdf(x, mean, np.eye(2))


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


# ---------------------------------------------------------------------------
# mlax.scipy.special's later functions
# ---------------------------------------------------------------------------

X_SPECIAL = [-30.0, -7.0, -2.0, -0.5, -1e-6, 0.0, 0.3, 1.0, 2.0, 3.3, 5.0, 7.0, 12.0, 40.0,
             1e5, np.inf, -np.inf, np.nan]  # fmt: skip


def _special_fns(m):
    s = m.scipy.special
    return lambda x, pos, unit: (
        s.erfcx(x),
        s.dawsn(x),
        s.fresnel(x),
        s.sici(x),
        s.owens_t(x, 0.7),
        s.owens_t(0.8, x),
        s.owens_t(x, 1.0),
        s.hyp1f1(1.5, 2.5, x),
        s.hyp1f1(-2.0, 0.5, unit),
        s.hyp1f1(x, 1.5, 0.5),
        s.bessel_jn(pos, v=3),
    )


def _special_refs():
    return [
        ssp.erfcx,
        ssp.dawsn,
        None,
        None,
        lambda x: ssp.owens_t(x, 0.7),
        lambda x: ssp.owens_t(0.8, x),
        lambda x: ssp.owens_t(x, 1.0),
        # (JAX's series cancels for x << 0: SciPy's values only above -5)
        lambda x: np.where(x > -5, ssp.hyp1f1(1.5, 2.5, x), np.nan),
        None,
        None,
        None,
    ]


@pytest.mark.parametrize("x64_on", [False, True], ids=["f32", "f64"])
def test_special_extra_values_match_jax_and_scipy(x64_on, request):
    if x64_on:
        request.getfixturevalue("x64")
    dtype = np.float64 if x64_on else np.float32
    x = np.asarray(X_SPECIAL, dtype)
    pos = np.asarray([0.1, 0.5, 1.0, 2.5, 7.0, 15.0], dtype)
    unit = np.asarray([-3.0, -0.5, 0.0, 0.25, 0.9, 2.0], dtype)
    with jax.enable_x64(x64_on):
        want = jax.jit(_special_fns(jax))(x, pos, unit)
    got = mlax.jit(_special_fns(mlax))(x, pos, unit)
    rtol = 1e-12 if x64_on else 3e-6
    for i, (g, w) in enumerate(zip(got, want)):
        for gl, wl in zip(jax.tree_util.tree_leaves(g), jax.tree_util.tree_leaves(w)):
            _check(f"case {i}", gl, wl, dtype, rtol, 1e-14 if x64_on else 1e-7)
    with np.errstate(all="ignore"):
        finite = np.isfinite(x) & (np.abs(x) < 50)
        sref, cref = ssp.fresnel(x[finite].astype(np.float64))
        si_ref, _ = ssp.sici(x[finite].astype(np.float64))
        refs = [(got[2][0][finite], sref), (got[2][1][finite], cref)]
        refs += [(got[3][0][finite], si_ref)]
        pos_x = finite & (x > 0)
        refs += [(got[3][1][pos_x], ssp.sici(x[pos_x].astype(np.float64))[1])]
        # (finite x only: SciPy's owens_t(inf, 1) never returns)
        for j, ref in enumerate(_special_refs()):
            if ref is not None:
                r = ref(x[finite].astype(np.float64))
                g = np.asarray(got[j])[finite]
                ok = np.isfinite(r) & np.isfinite(np.asarray(g, np.float64))
                refs.append((g[ok], r[ok]))
        jn_ref = np.stack([ssp.jv(n, pos.astype(np.float64)) for n in range(4)])
        # (float32: JAX's recurrence from 1e-16 overflows for small z, NaN as JAX)
        jn_ok = np.isfinite(np.asarray(got[-1], np.float64))
        refs.append((np.asarray(got[-1])[jn_ok], jn_ref[jn_ok]))
    for i, (g, r) in enumerate(refs):
        tol = 1e-9 if x64_on else 5e-5
        np.testing.assert_allclose(np.asarray(g, np.float64), r, rtol=tol, atol=tol, err_msg=i)


@pytest.mark.parametrize("x64_on", [False, True], ids=["f32", "f64"])
def test_hyp2f1_matches_jax_and_scipy(x64_on, request):
    if x64_on:
        request.getfixturevalue("x64")
    dtype = np.float64 if x64_on else np.float32
    x = np.asarray([-2.0, -0.5, 0.0, 0.3, 0.8, 0.95, 0.999, 1.0, 1.5], dtype)
    params = [(1.5, 2.5, 3.7), (-2.0, 1.5, 2.5), (1.0, 2.0, 3.0), (0.5, 0.5, 1.5), (0.3, 0.7, 2.0)]

    def f(m):
        s = m.scipy.special
        return lambda x: [s.hyp2f1(*(np.asarray(v, dtype) for v in p), x) for p in params]

    got = mlax.jit(f(mlax))(x)
    with jax.enable_x64(x64_on):
        want = jax.jit(f(jax))(x)
    for p, g, w in zip(params, got, want):
        _check(f"hyp2f1{p}", g, w, dtype, 1e-12 if x64_on else 3e-6, 1e-14 if x64_on else 1e-7)
        # SciPy where JAX's formulas converge: |x| < 0.9 (JAX's 250-term
        # series falls short near 1, and JAX has no transform for x < -1)
        ok = np.isfinite(np.asarray(w, np.float64)) & (np.abs(x) < 0.9)
        ref = ssp.hyp2f1(*p, x[ok].astype(np.float64))
        tol = 1e-9 if x64_on else 5e-5
        np.testing.assert_allclose(np.asarray(g)[ok], ref, rtol=tol, atol=tol, err_msg=str(p))


def test_hyp2f1_derivatives_float64(x64):
    x = np.array([0.1, 0.4, 0.7], np.float64)

    def f(m):
        s = m.scipy.special
        g = lambda fn: m.vmap(m.grad(fn))
        return lambda x: (
            g(lambda v: s.hyp2f1(v, 2.5, 3.7, 0.4))(x),
            g(lambda v: s.hyp2f1(1.5, v, 3.7, 0.4))(x),
            g(lambda v: s.hyp2f1(1.5, 2.5, v + 3.0, 0.4))(x),
            g(lambda v: s.hyp2f1(1.5, 2.5, 3.7, v))(x),
        )

    got = mlax.jit(f(mlax))(x)
    with jax.enable_x64(True):
        want = jax.jit(f(jax))(x)
    for i, (g, w) in enumerate(zip(got, want)):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-10, err_msg=str(i))


def test_bernoulli_matches_jax_and_scipy():
    for n in (0, 2, 3, 10, 21):
        got, want = msp.bernoulli(n), jsp.bernoulli(n)
        assert np.asarray(got).dtype == np.asarray(want).dtype
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-6)
        np.testing.assert_allclose(np.asarray(got), ssp.bernoulli(n), rtol=1e-5, atol=1e-7)
    for mod in (jsp, msp):
        with pytest.raises(ValueError, match="non-negative"):
            mod.bernoulli(-1)


@pytest.mark.parametrize(
    "name,args",
    [
        ("erfcx", (1.0,)),
        ("erfcx", (np.float32(1.0),)),
        ("dawsn", (np.float32(1.0),)),
        ("fresnel", (1.0,)),
        ("sici", (np.float32(1.0),)),
        ("owens_t", (np.float32(1.0), 0.5)),
        ("hyp1f1", (1.0, 2.0, np.float32(0.5))),
        ("bessel_jn", (np.float32(1.0),)),
    ],
)
def test_special_extra_dtype_and_weak_type_match_jax(name, args):
    kw = {"v": 2} if name == "bessel_jn" else {}
    want = _aval_signature(jax.eval_shape(lambda: getattr(jsp, name)(*args, **kw)))
    assert _mlax_avals(lambda *a: getattr(msp, name)(*a, **kw), args) == want


def test_special_extra_derivatives_float64(x64):
    x = np.array([0.3, 1.0, 2.5, 6.0], np.float64)

    def f(m):
        s = m.scipy.special
        g = lambda fn: m.vmap(m.grad(fn))
        return lambda x: (
            g(s.erfcx)(x),
            g(s.dawsn)(x),
            g(lambda v: s.fresnel(v)[0])(x),
            g(lambda v: s.fresnel(v)[1])(x),
            g(lambda v: s.sici(v)[0])(x),
            g(lambda v: s.sici(v)[1])(x),
            g(lambda v: s.owens_t(v, 0.7))(x),
            g(lambda v: s.owens_t(0.8, v))(x),
            g(lambda v: s.hyp1f1(v, 2.5, 0.7))(x),
            g(lambda v: s.hyp1f1(1.5, v, 0.7))(x),
            g(lambda v: s.hyp1f1(1.5, 2.5, v))(x),
        )

    got = mlax.jit(f(mlax))(x)
    with jax.enable_x64(True):
        want = jax.jit(f(jax))(x)
    for i, (g, w) in enumerate(zip(got, want)):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-10, err_msg=str(i))
    # and a finite difference of SciPy's erfcx
    fd = (ssp.erfcx(x + 1e-6) - ssp.erfcx(x - 1e-6)) / 2e-6
    np.testing.assert_allclose(np.asarray(got[0]), fd, rtol=1e-6)


def test_complex_special_functions_are_later():
    with pytest.raises(NotImplementedError, match="complex numbers are a later issue"):
        msp.wofz(1.0)
    with pytest.raises(NotImplementedError, match="complex numbers are a later issue"):
        msp.sph_harm_y(1, 0, 0.5, 0.5)


def test_gaussian_kde_matches_jax():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(2, 30)).astype(np.float32)
    points = rng.normal(size=(2, 5)).astype(np.float32)
    w = rng.uniform(size=30).astype(np.float32)
    results = []
    for mod in (mst, jst):
        kde = mod.gaussian_kde(data)
        kde_1d = mod.gaussian_kde(data[:1], bw_method="silverman", weights=w)
        kde_small = mod.gaussian_kde(data[:, :10] * 2, bw_method=0.5)
        results.append(
            [
                kde.evaluate(points),
                kde.logpdf(points),
                kde_1d.pdf(np.float32([0.1, 0.5])),
                kde_1d.integrate_box_1d(-0.5, 1.0),
                kde.integrate_gaussian(np.float32([0.1, 0.2]), np.eye(2, dtype=np.float32)),
                kde.integrate_kde(kde_small),
                kde.neff,
                kde.covariance,
            ]
        )
    for i, (g, w_) in enumerate(zip(*results)):
        assert np.asarray(g).dtype == np.asarray(w_).dtype
        np.testing.assert_allclose(np.asarray(g), np.asarray(w_), rtol=2e-6, err_msg=str(i))
    # SciPy, and a kde passed through jit as a pytree
    ref = sst.gaussian_kde(data.astype(np.float64))(points.astype(np.float64))
    np.testing.assert_allclose(np.asarray(results[0][0]), ref, rtol=1e-5)
    kde = mst.gaussian_kde(data)
    np.testing.assert_allclose(np.asarray(mlax.jit(lambda k, p: k(p))(kde, points)), ref, rtol=1e-5)
    sample = kde.resample(mlax.random.key(0), (7,))
    assert sample.shape == (2, 7) and sample.dtype == np.float32
    with pytest.raises(ValueError, match="multiple elements"):
        mst.gaussian_kde(np.ones(1, np.float32))
