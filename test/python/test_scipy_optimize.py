"""mlax.scipy.optimize (minimize: BFGS, L-BFGS), mlax.scipy.sparse.linalg
(cg, gmres, bicgstab), mlax.scipy.integrate.trapezoid and
mlax.scipy.cluster.vq.vq, compared live with JAX."""

import jax
import jax.numpy as jnp_j
import jax.scipy.cluster.vq
import jax.scipy.integrate
import jax.scipy.optimize
import jax.scipy.sparse.linalg
import mlax
import mlax.numpy as jnp
import mlax.scipy
import mlax.scipy.optimize
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

mopt, jopt = mlax.scipy.optimize, jax.scipy.optimize
msl, jsl = mlax.scipy.sparse.linalg, jax.scipy.sparse.linalg


# ------------------------------------------------------------------ minimize


def _rosenbrock(np_):
    return lambda x: np_.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def _quadratic(np_):
    a = np.array([[3.0, 0.5, 0.0], [0.5, 2.0, 0.3], [0.0, 0.3, 1.0]])
    c = np.array([1.0, -2.0, 0.5])

    def f(x, s):
        a_, c_ = np_.asarray(a, x.dtype), np_.asarray(c, x.dtype)
        return s * np_.sum(0.5 * x * (a_ @ x) - c_ * x)

    return f


def _logistic(np_):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3))
    y = (X @ np.array([1.5, -2.0, 0.5]) + 1.5 * rng.standard_normal(40) > 0).astype(float)

    def loss(w):
        z = X.astype(w.dtype) @ w
        return np_.mean(np_.logaddexp(0.0, z) - y.astype(w.dtype) * z)

    return loss


def _check_result(got, want, rtol):
    assert type(got).__name__ == "OptimizeResults"
    assert got._fields == want._fields
    for name in ("nit", "nfev", "njev", "status", "success"):
        assert_array_equal(np.asarray(getattr(got, name)), np.asarray(getattr(want, name)), name)
        assert np.asarray(getattr(got, name)).dtype == np.asarray(getattr(want, name)).dtype
    for name in ("x", "fun", "jac"):
        g, w = np.asarray(getattr(got, name)), np.asarray(getattr(want, name))
        assert g.dtype == w.dtype and g.shape == w.shape, name
        assert_allclose(g, w, rtol=rtol, atol=rtol, err_msg=name)


@pytest.mark.usefixtures("x64")
def test_bfgs_matches_jax_f64():
    # float64, so the iterates agree to rounding all the way
    x0 = np.array([-1.2, 1.0, 0.5, 0.3])
    with jax.enable_x64(True):
        want = jopt.minimize(_rosenbrock(jnp_j), jnp_j.asarray(x0), method="BFGS")
        wq = jopt.minimize(_quadratic(jnp_j), jnp_j.zeros(3), args=(2.0,), method="BFGS", tol=1e-8)
        wl = jopt.minimize(_logistic(jnp_j), jnp_j.zeros(3), method="BFGS")
    got = mopt.minimize(_rosenbrock(jnp), x0, method="BFGS")
    _check_result(got, want, 1e-6)
    assert bool(got.success) and int(got.status) == 0
    assert np.asarray(got.hess_inv).shape == (4, 4)
    gq = mopt.minimize(_quadratic(jnp), jnp.zeros(3), args=(2.0,), method="BFGS", tol=1e-8)
    _check_result(gq, wq, 1e-9)
    gl = mopt.minimize(_logistic(jnp), jnp.zeros(3), method="BFGS")
    _check_result(gl, wl, 1e-9)


def test_bfgs_under_jit_f32_and_maxiter():
    x0 = np.array([-1.2, 1.0, 0.5, 0.3], np.float32)
    run = mlax.jit(
        lambda x: mopt.minimize(_rosenbrock(jnp), x, method="BFGS", options={"maxiter": 3})
    )
    got = run(x0)
    want = jopt.minimize(
        _rosenbrock(jnp_j), jnp_j.asarray(x0), method="BFGS", options={"maxiter": 3}
    )
    _check_result(got, want, 2e-5)
    assert int(got.status) == 1 and not bool(got.success)  # max iterations


def test_lbfgs_matches_jax():
    method = "l-bfgs-experimental-do-not-rely-on-this"
    x0 = np.zeros(3, np.float32)
    got = mopt.minimize(_logistic(jnp), x0, method=method)
    want = jopt.minimize(_logistic(jnp_j), jnp_j.asarray(x0), method=method)
    assert got.hess_inv is None
    _check_result(got, want, 2e-5)


def test_minimize_errors():
    with pytest.raises(TypeError):
        mopt.minimize(_rosenbrock(jnp), np.zeros(2, np.float32), args=[1], method="BFGS")
    with pytest.raises(ValueError):
        mopt.minimize(_rosenbrock(jnp), np.zeros(2, np.float32), method="nelder-mead")
    assert sorted(mopt.OptimizeResults._fields) == sorted(jopt.OptimizeResults._fields)


# --------------------------------------------------------- sparse.linalg


def _systems(n=6, seed=0):
    rng = np.random.default_rng(seed)
    q = rng.standard_normal((n, n)).astype(np.float32)
    spd = q @ q.T + n * np.eye(n, dtype=np.float32)
    nonsym = (rng.standard_normal((n, n)) + n * np.eye(n)).astype(np.float32)
    b = rng.standard_normal(n).astype(np.float32)
    return spd, nonsym, b


def _close(got, want, tol=1e-5):
    for g, w in zip(jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(want)):
        assert np.asarray(g).dtype == np.asarray(w).dtype
        assert_allclose(np.asarray(g), np.asarray(w), rtol=tol, atol=tol)


def test_cg_bicgstab_gmres_match_jax():
    spd, nonsym, b = _systems()
    m_inv = np.diag(1.0 / np.diag(spd)).astype(np.float32)
    cases = [
        ("cg", spd, {}),
        ("cg", spd, {"M": m_inv, "tol": 1e-6}),
        ("cg", spd, {"maxiter": 2, "x0": np.ones(6, np.float32)}),
        ("bicgstab", nonsym, {}),
        ("bicgstab", nonsym, {"M": m_inv, "atol": 1e-3}),
        ("gmres", nonsym, {}),
        ("gmres", nonsym, {"solve_method": "incremental", "restart": 3}),
        ("gmres", nonsym, {"solve_method": "batched", "restart": 2, "maxiter": 2}),
    ]
    for name, a, kw in cases:
        x, info = getattr(msl, name)(a, b, **kw)
        y, jinfo = getattr(jsl, name)(jnp_j.asarray(a), jnp_j.asarray(b), **kw)
        _close(x, y)
        if name == "gmres":
            assert int(info) == int(jinfo) == 0
        else:
            assert info is None and jinfo is None


def test_function_operator_pytree_and_jit():
    spd, nonsym, b = _systems()

    def tree_op(np_, a):
        a = np_.asarray(a)
        return lambda v: {"u": a @ v["u"], "w": 3.0 * v["w"]}

    tb = {"u": b, "w": np.arange(3, dtype=np.float32)}
    for name, a in (("cg", spd), ("bicgstab", nonsym), ("gmres", nonsym)):
        solver = getattr(msl, name)
        x = mlax.jit(lambda tb, a=a, solver=solver: solver(tree_op(jnp, a), tb)[0])(tb)
        y, _ = getattr(jsl, name)(tree_op(jnp_j, a), jax.tree_util.tree_map(jnp_j.asarray, tb))
        assert set(x) == {"u", "w"}
        _close(x, y)
    with pytest.raises(ValueError):
        msl.cg(spd, b, x0=np.zeros(3, np.float32))
    with pytest.raises(ValueError):
        msl.cg(np.ones((2, 3), np.float32), np.ones(3, np.float32))
    with pytest.raises(ValueError):
        msl.gmres(spd, b, solve_method="qr")


def test_grad_through_solvers_matches_jax():
    spd, nonsym, b = _systems(5, seed=1)
    w = np.arange(5, dtype=np.float32)

    def loss(np_, sl, name, as_function):
        def f(a, b):
            op = (lambda v: a @ v) if as_function else a
            return np_.sum(getattr(sl, name)(op, b)[0] * w) ** 2

        return f

    for name, a, as_function in (
        ("cg", spd, False),
        ("cg", spd, True),
        ("bicgstab", nonsym, True),
        ("gmres", nonsym, False),
    ):
        got = mlax.grad(loss(jnp, msl, name, as_function), argnums=(0, 1))(a, b)
        want = jax.grad(loss(jnp_j, jsl, name, as_function), argnums=(0, 1))(
            jnp_j.asarray(a), jnp_j.asarray(b)
        )
        _close(got, want, 1e-4)
    # a concrete operator and preconditioner closed over, under jit
    m_inv = np.diag(1.0 / np.diag(spd)).astype(np.float32)
    ac = jnp.asarray(spd)
    got = mlax.jit(mlax.grad(lambda b: jnp.sum(msl.cg(lambda v: ac @ v, b, M=m_inv)[0] ** 2)))(b)
    aj = jnp_j.asarray(spd)
    want = jax.grad(lambda b: jnp_j.sum(jsl.cg(lambda v: aj @ v, b, M=m_inv)[0] ** 2))(b)
    _close(got, want, 1e-4)


# ------------------------------------------------------- integrate, cluster


def test_trapezoid():
    rng = np.random.default_rng(0)
    y = rng.standard_normal((3, 7)).astype(np.float32)
    x = np.cumsum(rng.random(7)).astype(np.float32)
    cases = [((y,), {}), ((y, x), {}), ((y,), {"dx": 0.5}), ((y.T,), {"axis": 0})]
    cases.append(((np.array([1, 2, 3, 2, 3, 2, 1]),), {}))
    for args, kw in cases:
        got = mlax.scipy.integrate.trapezoid(*args, **kw)
        want = jax.scipy.integrate.trapezoid(*args, **kw)
        assert np.asarray(got).dtype == np.asarray(want).dtype
        assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-6)


def test_vq():
    rng = np.random.default_rng(0)
    obs = rng.standard_normal((10, 3)).astype(np.float32)
    book = rng.standard_normal((4, 3)).astype(np.float32)
    for o, c in ((obs, book), (obs[:, 0], book[:, 0]), (obs.astype(int), book.astype(int))):
        code, dist = mlax.scipy.cluster.vq.vq(o, c)
        jcode, jdist = jax.scipy.cluster.vq.vq(o, c)
        assert_array_equal(np.asarray(code), np.asarray(jcode))
        assert np.asarray(code).dtype == np.asarray(jcode).dtype
        assert np.asarray(dist).dtype == np.asarray(jdist).dtype
        assert_allclose(np.asarray(dist), np.asarray(jdist), rtol=1e-6)
    with pytest.raises(ValueError):
        mlax.scipy.cluster.vq.vq(obs, book[:, 0])


def test_module_layout():
    # as jax.scipy: cluster, integrate and sparse are attributes of the
    # package; optimize is imported on its own
    import mlax.scipy.cluster.vq as vq_mod
    from mlax.scipy.sparse.linalg import bicgstab, cg, gmres  # noqa: F401

    assert mlax.scipy.cluster.vq is vq_mod
    assert callable(mlax.scipy.integrate.trapezoid)
    assert callable(mlax.scipy.sparse.linalg.gmres)


def test_scipy_submodules_are_attributes_after_import_mlax():
    """`import jax; jax.scipy.optimize.minimize(...)` works (jax.scipy loads
    its submodules on access); so does mlax's."""
    import subprocess
    import sys

    code = "import mlax; print(mlax.scipy.optimize.minimize.__name__, mlax.scipy.sparse.linalg.cg.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["minimize", "cg"]


@pytest.mark.xfail(
    strict=True,
    raises=ValueError,
    reason="IREE 3.13 runtime: 'ref is null' in hal.buffer_view.create for this BFGS loop "
    "(the loop body carries mlax-bound-dispatch-operands' barriers; the module runs without "
    "them, and with either half of them): a known gap in docs/status.md",
)
def test_bfgs_with_a_cubic_term_known_iree_failure():
    f = lambda v: ((v - 1) ** 2).sum() + 0.1 * (v**3).sum()
    r = mlax.scipy.optimize.minimize(f, jnp.zeros(2), method="BFGS")
    want = jax.scipy.optimize.minimize(
        lambda v: ((v - 1) ** 2).sum() + 0.1 * (v**3).sum(), jnp_j.zeros(2), method="BFGS"
    )
    np.testing.assert_allclose(np.asarray(r.x), np.asarray(want.x), rtol=1e-4)
