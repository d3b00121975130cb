"""mlax.numpy.linalg and mlax.scipy.linalg (compositions of mlax ops)
against JAX and NumPy: values, dtypes and shapes for several sizes and
batches, reconstructions, singular and ill-conditioned inputs,
derivatives (jax.grad and float64 finite differences), vmap and jit.
Each test jits one function that checks many things, to keep the number
of compiles small."""

import jax
import jax.numpy as jjnp
import jax.scipy.linalg as jsl
import mlax
import mlax.numpy as jnp
import mlax.scipy.linalg as msl
import numpy as np
import pytest
import scipy.linalg

RNG = np.random.default_rng(1234)


def _leaves(tree):
    return [np.asarray(x) for x in jax.tree_util.tree_leaves(tree)]


def assert_like_jax(got, want, tol, name=""):
    got, want = _leaves(got), _leaves(want)
    assert len(got) == len(want), name
    for g, w in zip(got, want):
        assert g.shape == w.shape and g.dtype == w.dtype, (name, g.shape, g.dtype, w.shape, w.dtype)
        np.testing.assert_allclose(g, w, rtol=tol, atol=tol, equal_nan=True, err_msg=name)


def _spd(a):
    n = a.shape[-1]
    return (a @ np.swapaxes(a, -1, -2) + n * np.eye(n)).astype(a.dtype)


# --- norms and products --------------------------------------------------


def _norms(L, x, v):
    out = {}
    for ord in (None, 1, 2, np.inf, -np.inf, 0, 3, -1, 0.5):
        out[f"vec{ord}"] = L.norm(v, ord)
    for ord in (None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf):
        out[f"mat{ord}"] = L.norm(x, ord)
        out[f"mat{ord}-kd"] = L.norm(x, ord, axis=(1, 0), keepdims=True)
    out["rows"] = L.norm(x, axis=1)
    out["cols-inf"] = L.norm(x, np.inf, axis=0, keepdims=True)
    out["vector_norm"] = L.vector_norm(x, axis=(0, 1), ord=3)
    out["vector_norm-all"] = L.vector_norm(x)
    out["matrix_norm"] = L.matrix_norm(x[None], ord="nuc", keepdims=True)
    return out


def test_norms_match_jax():
    x = RNG.standard_normal((3, 4)).astype(np.float32)
    v = x[0]
    got = mlax.jit(lambda x, v: _norms(jnp.linalg, x, v))(x, v)
    want = _norms(jjnp.linalg, x, v)
    for k in want:
        assert_like_jax(got[k], want[k], 2e-5, k)
    with pytest.raises(ValueError, match="Invalid order 'inf' for vector norm"):
        jnp.linalg.norm(v, "inf")
    with pytest.raises(ValueError, match="Improper number of axes"):
        jnp.linalg.norm(x[None], axis=(0, 1, 2))
    with pytest.raises(ValueError, match="Invalid order 'bad' for matrix norm"):
        jnp.linalg.norm(x, "bad")


def _norm_grads(grad, L, x):
    return {
        "vec2": grad(lambda x: L.norm(x[0]))(x),
        "vec0-point": grad(lambda x: L.norm(x[0] * 0))(x),  # NaN in JAX: sqrt at 0
        "vecinf": grad(lambda x: L.norm(x[0], np.inf))(x),
        "vec3": grad(lambda x: L.norm(x[0], 3))(x),
        "fro": grad(lambda x: L.norm(x))(x),
        "mat1": grad(lambda x: L.norm(x, 1))(x),
        "mat2": grad(lambda x: L.norm(x, 2))(x),
        "nuc": grad(lambda x: L.norm(x, "nuc"))(x),
    }


def test_norm_gradients_match_jax():
    x = RNG.standard_normal((3, 3)).astype(np.float32)
    got = mlax.jit(lambda x: _norm_grads(mlax.grad, jnp.linalg, x))(x)
    want = _norm_grads(jax.grad, jjnp.linalg, x)
    for k in want:
        assert_like_jax(got[k], want[k], 1e-4, k)
    assert np.isnan(np.asarray(got["vec0-point"])[0]).all()


def _products(L, a, x, t):
    return {
        **{f"pow{n}": L.matrix_power(a, n) for n in (0, 1, 2, 3, 5, -1, -3)},
        "multi_dot-vmv": L.multi_dot([x[0], x.T, x, x[1]]),
        "multi_dot-mmm": L.multi_dot([x, x.T, a]),
        "tensorinv": L.tensorinv(t, ind=2),
        "tensorsolve": L.tensorsolve(t, x[:2, :2]),
        "trace": L.trace(a, offset=1),
        "outer": L.outer(x[0], x[1]),
        "cross": L.cross(x[:, :3], x[::-1, :3]),
        "vecdot": L.vecdot(x, x[::-1]),
        "matmul": L.matmul(x, x.T),
        "tensordot": L.tensordot(x, x, axes=([1], [1])),
        "diagonal": L.diagonal(x, offset=1),
        "matrix_transpose": L.matrix_transpose(t),
    }


def test_products_match_jax():
    a = (RNG.standard_normal((3, 3)) + 2 * np.eye(3)).astype(np.float32)
    x = RNG.standard_normal((3, 4)).astype(np.float32)
    t = (RNG.standard_normal((2, 2, 2, 2)) + np.eye(4).reshape(2, 2, 2, 2)).astype(np.float32)
    got = mlax.jit(lambda a, x, t: _products(jnp.linalg, a, x, t))(a, x, t)
    want = _products(jjnp.linalg, a, x, t)
    for k in want:
        assert_like_jax(got[k], want[k], 1e-4, k)
    with pytest.raises(TypeError, match="must be square"):
        jnp.linalg.matrix_power(x, 2)
    with pytest.raises(ValueError, match="requires at least two arrays"):
        jnp.linalg.multi_dot([x])


# --- decompositions and solvers -----------------------------------------


def _square_suite(L, a, spd, b):
    return {
        "inv": L.inv(a),
        "det": L.det(a),
        "slogdet": tuple(L.slogdet(a)),
        "slogdet-qr": tuple(L.slogdet(a, method="qr")),
        "solve-vec": L.solve(a, b[..., 0]) if a.ndim == 2 else L.solve(a, b),
        "solve": L.solve(a, b),
        "cholesky": L.cholesky(spd),
        "cholesky-upper": L.cholesky(spd, upper=True),
        "eigvalsh": L.eigvalsh(spd),
        "qr": tuple(L.qr(a)),
        "qr-r": L.qr(a, mode="r"),
        "svdvals": L.svdvals(a),
        "norm2": L.norm(a, 2, axis=(-2, -1)),
        "pinv": L.pinv(a),
        "matrix_rank": L.matrix_rank(a),
        "cond": L.cond(a),
        "cond-1": L.cond(a, 1),
    }


@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (5, 5), (2, 4, 4)], ids=str)
def test_square_matrices_match_jax(shape):
    a = RNG.standard_normal(shape).astype(np.float32)
    spd = _spd(a)
    b = RNG.standard_normal(shape[:-1] + (2,)).astype(np.float32)

    def run(a, spd, b):
        out = _square_suite(jnp.linalg, a, spd, b)
        out["eigh"] = tuple(jnp.linalg.eigh(spd))
        out["svd"] = tuple(jnp.linalg.svd(a))
        return out

    got = mlax.jit(run)(a, spd, b)
    want = _square_suite(jjnp.linalg, a, spd, b)
    for k in want:
        assert_like_jax(got[k], want[k], 2e-3, k)
    # reconstructions (eigenvector signs are not defined; these are)
    n = shape[-1]
    w, v = _leaves(got["eigh"])
    np.testing.assert_allclose(v @ (w[..., None] * np.swapaxes(v, -1, -2)), spd, atol=1e-4 * n * n)
    np.testing.assert_allclose(
        np.swapaxes(v, -1, -2) @ v, np.broadcast_to(np.eye(n), v.shape), atol=1e-5
    )
    u, s, vt = _leaves(got["svd"])
    np.testing.assert_allclose((u * s[..., None, :]) @ vt, a, atol=1e-5)
    np.testing.assert_allclose(
        np.swapaxes(u, -1, -2) @ u, np.broadcast_to(np.eye(n), u.shape), atol=1e-5
    )
    q, r = _leaves(got["qr"])
    np.testing.assert_allclose(q @ r, a, atol=1e-5)
    chol = np.asarray(got["cholesky"])
    np.testing.assert_allclose(chol @ np.swapaxes(chol, -1, -2), spd, rtol=1e-5, atol=1e-4)


def _rect_suite(L, tall, wide, b):
    return {
        "qr-tall": tuple(L.qr(tall)),
        "qr-tall-complete": tuple(L.qr(tall, mode="complete")),
        "qr-wide": tuple(L.qr(wide)),
        "svdvals-tall": L.svd(tall, compute_uv=False),
        "svdvals-wide": L.svd(wide, compute_uv=False),
        "pinv-tall": L.pinv(tall),
        "lstsq": tuple(L.lstsq(tall, b)),
        "lstsq-vec": tuple(L.lstsq(tall, b[:, 0])),
        "matrix_rank": L.matrix_rank(wide),
        "norm-nuc": L.norm(wide, "nuc"),
    }


def test_rectangular_matrices_match_jax():
    tall = RNG.standard_normal((5, 3)).astype(np.float32)
    wide = RNG.standard_normal((3, 5)).astype(np.float32)
    b = RNG.standard_normal((5, 2)).astype(np.float32)

    def run(tall, wide, b):
        out = _rect_suite(jnp.linalg, tall, wide, b)
        out["svd"] = [
            tuple(jnp.linalg.svd(m, full_matrices=f)) for m in (tall, wide) for f in (True, False)
        ]
        return out

    got = mlax.jit(run)(tall, wide, b)
    want = _rect_suite(jjnp.linalg, tall, wide, b)
    for k in want:
        assert_like_jax(got[k], want[k], 1e-4, k)
    for (u, s, vt), m, full in zip(
        [_leaves(t) for t in got["svd"]], (tall, tall, wide, wide), (True, False) * 2
    ):
        k = min(m.shape)
        assert u.shape == ((m.shape[0],) * 2 if full else (m.shape[0], k))
        assert vt.shape == ((m.shape[1],) * 2 if full else (k, m.shape[1]))
        np.testing.assert_allclose((u[:, :k] * s) @ vt[:k], m, atol=1e-5)
        np.testing.assert_allclose(u.T @ u, np.eye(u.shape[1]), atol=1e-5)
        np.testing.assert_allclose(vt @ vt.T, np.eye(vt.shape[0]), atol=1e-5)
    q, r = _leaves(got["qr-tall-complete"])
    np.testing.assert_allclose(q @ r, tall, atol=1e-5)
    np.testing.assert_allclose(q.T @ q, np.eye(5), atol=1e-5)


def _degenerate_suite(L, sing, zero, not_pd):
    return {
        "det": L.det(sing),
        "slogdet": tuple(L.slogdet(sing)),
        "det-zero": L.det(zero),
        "slogdet-zero": tuple(L.slogdet(zero)),
        "inv-zero": L.inv(zero),
        "cholesky-not-pd": L.cholesky(not_pd),
        "svd-zero": tuple(L.svd(zero)),
        "qr-zero-r": L.qr(zero)[1],
        "eigh-zero": tuple(L.eigh(zero)),
        "pinv-zero": L.pinv(zero),
        "rank-zero": L.matrix_rank(zero),
        "rank-singular": L.matrix_rank(sing),
        "cond-zero": L.cond(zero),
    }


def test_singular_and_indefinite_inputs_give_jax_values_not_errors():
    sing = np.array([[1, 2, 3, 0], [2, 4, 6, 0], [1, 0, 1, 0], [0, 1, 0, 1]], np.float32)
    zero = np.zeros((4, 4), np.float32)
    not_pd = np.array([[1, 2, 0], [2, 1, 0], [0, 0, 1]], np.float32)
    got = mlax.jit(lambda *xs: _degenerate_suite(jnp.linalg, *xs))(sing, zero, not_pd)
    want = _degenerate_suite(jjnp.linalg, sing, zero, not_pd)
    # JAX's inv of the zero matrix comes from the host BLAS's trsm, whose
    # NaN/inf pattern depends on the CPU's kernels (all NaN on an AMD EPYC,
    # an inf on the diagonal elsewhere): only non-finiteness is compared.
    inv_got, inv_want = np.asarray(got.pop("inv-zero")), np.asarray(want.pop("inv-zero"))
    assert not np.isfinite(inv_got).any() and not np.isfinite(inv_want).any()
    for k in want:
        assert_like_jax(got[k], want[k], 1e-5, k)


def test_ill_conditioned_float64_matches_numpy(x64):
    h = scipy.linalg.hilbert(6)  # condition number 1.5e7
    b = RNG.standard_normal(6)

    def run(h, b):
        w, v = jnp.linalg.eigh(h)
        u, s, vh = jnp.linalg.svd(h - 0.5 * jnp.eye(6), hermitian=True)  # indefinite
        return {
            "s": jnp.linalg.svdvals(h),
            "w": w,
            "v": v,
            "x": jnp.linalg.solve(h, b),
            "herm": (u, s, vh),
        }

    got = mlax.jit(run)(h, b)
    assert np.asarray(got["s"]).dtype == np.float64
    s_ref, w_ref = np.linalg.svd(h, compute_uv=False), np.linalg.eigvalsh(h)
    # Jacobi methods keep relative accuracy in the small values
    np.testing.assert_allclose(np.asarray(got["s"]), s_ref, rtol=1e-9)
    np.testing.assert_allclose(np.asarray(got["w"]), w_ref, rtol=1e-9)
    np.testing.assert_allclose(np.asarray(got["x"]), np.linalg.solve(h, b), rtol=1e-6)
    v = np.asarray(got["v"])
    np.testing.assert_allclose(v @ np.diag(np.asarray(got["w"])) @ v.T, h, atol=1e-14)
    u, s, vh = _leaves(got["herm"])
    shifted = h - 0.5 * np.eye(6)
    np.testing.assert_allclose(s, np.linalg.svd(shifted, compute_uv=False), rtol=1e-12)
    np.testing.assert_allclose((u * s) @ vh, shifted, atol=1e-14)


def test_ill_conditioned_float32_within_a_few_ulp():
    hf = scipy.linalg.hilbert(5).astype(np.float32)  # condition number 4.8e5
    h = hf.astype(np.float64)  # the float32 input's exact values
    got = mlax.jit(lambda h: (jnp.linalg.svdvals(h), jnp.linalg.eigvalsh(h)))(hf)
    for g, ref in zip(_leaves(got), (np.linalg.svd(h, compute_uv=False), np.linalg.eigvalsh(h))):
        assert g.dtype == np.float32
        # backward stable: within 3 eps |h|; the smallest (3.3e-6) to 0.5%
        np.testing.assert_allclose(g, ref, rtol=0, atol=3 * np.finfo(np.float32).eps * ref.max())
        small = np.argmin(ref)
        np.testing.assert_allclose(g[small], ref[small], rtol=5e-3)


def test_twelve_by_twelve():
    """Past ~100 elements MLIR prints constants in hex, where mlax's
    bit-packed boolean masks did not survive; the masks are built as int8."""
    a = RNG.standard_normal((12, 12)).astype(np.float32)
    spd = _spd(a)

    def run(L, a, spd):
        return {"cholesky": L.cholesky(spd), "inv": L.inv(a), "qr-r": L.qr(a, mode="r")}

    got = mlax.jit(lambda a, spd: run(jnp.linalg, a, spd))(a, spd)
    want = run(jjnp.linalg, a, spd)
    for k in want:
        assert_like_jax(got[k], want[k], 2e-4, k)


# --- derivatives ---------------------------------------------------------


def _scalar_functions(L, np_, c, b):
    n = c.shape[0]
    return {
        "inv": lambda a: (L.inv(a) * c).sum(),
        "det": lambda a: L.det(a),
        "det4": lambda a: L.det(np_.kron(a[:2, :2], a[1:, 1:])),  # 4x4: the LU path
        "slogdet": lambda a: L.slogdet(a)[1],
        "solve": lambda a: (L.solve(a, b) * b).sum(),
        "cholesky": lambda a: (L.cholesky(a @ a.T + n * np_.eye(n)) * c).sum(),
        "eigh-values": lambda a: (L.eigh(a + a.T)[0] * np_.arange(n)).sum(),
        # a function of the eigenvectors that does not depend on their signs
        "eigh-projector": lambda a: (
            (L.eigh(a + a.T)[1][:, -1:] * L.eigh(a + a.T)[1][:, -1:].T) * c
        ).sum(),
        "svd-values": lambda a: (L.svd(a, compute_uv=False) * np_.arange(1, n + 1)).sum(),
        "qr": lambda a: (L.qr(a)[0] * c).sum() + (L.qr(a)[1] * c.T).sum(),
        "norm-2": lambda a: L.norm(a, 2),
        "pinv": lambda a: (L.pinv(a) * c).sum(),
    }


def test_gradients_match_jax():
    n = 3
    a = (RNG.standard_normal((n, n)) + np.eye(n)).astype(np.float32)
    c = RNG.standard_normal((n, n)).astype(np.float32)
    b = RNG.standard_normal((n,)).astype(np.float32)
    mine = _scalar_functions(jnp.linalg, jnp, c, b)
    theirs = _scalar_functions(jjnp.linalg, jjnp, c, b)
    got = mlax.jit(lambda a: {k: mlax.grad(f)(a) for k, f in mine.items()})(a)
    for k, f in theirs.items():
        assert_like_jax(got[k], jax.grad(f)(a), 2e-3, k)


def test_det_gradient_at_singular_matrices_matches_jax():
    """JAX's cofactor rule: the adjugate, finite (and nonzero in rank n-1)
    where a^-1 does not exist."""
    a = RNG.standard_normal((4, 4)).astype(np.float32)
    rank3 = a.copy()
    rank3[3] = rank3[0] + rank3[1]
    rank2 = (np.outer(a[0], a[1]) + np.outer(a[2], a[3])).astype(np.float32)
    got = mlax.jit(lambda *ms: [mlax.grad(jnp.linalg.det)(m) for m in ms])(a, rank3, rank2)
    for g, m in zip(got, (a, rank3, rank2)):
        assert_like_jax(g, jax.grad(jjnp.linalg.det)(m), 2e-5)
    assert np.abs(np.asarray(got[1])).max() > 0.1


def test_gradients_match_finite_differences_float64(x64):
    n = 3
    a = RNG.standard_normal((n, n)) + np.eye(n)
    c = RNG.standard_normal((n, n))
    b = RNG.standard_normal((n,))
    fs = _scalar_functions(jnp.linalg, jnp, c, b)
    names = list(fs)
    values = mlax.jit(lambda a: jnp.stack([fs[k](a) for k in names]))
    grads = mlax.jit(lambda a: [mlax.grad(fs[k])(a) for k in names])(a)
    eps = 1e-6
    fd = np.zeros((len(names), n, n))
    for i in range(n):
        for j in range(n):
            e = np.zeros((n, n))
            e[i, j] = eps
            fd[:, i, j] = (np.asarray(values(a + e)) - np.asarray(values(a - e))) / (2 * eps)
    for k, name in enumerate(names):
        assert np.asarray(grads[k]).dtype == np.float64
        np.testing.assert_allclose(np.asarray(grads[k]), fd[k], rtol=1e-6, atol=1e-6, err_msg=name)


def test_vmap_and_batched_gradients_match_jax():
    a = RNG.standard_normal((3, 3, 3)).astype(np.float32)
    spd = _spd(a)

    def f(L, a, spd):
        return (
            L.inv(a),
            L.slogdet(a)[1],
            L.cholesky(spd),
            L.eigh(spd)[0],
            L.svd(a, compute_uv=False),
            L.qr(a)[1],
        )

    def g(L, s):
        return L.eigh(s)[0][-1] + L.slogdet(s)[1]

    got = mlax.jit(
        lambda a, s: (
            mlax.vmap(lambda a, s: f(jnp.linalg, a, s))(a, s),
            mlax.vmap(mlax.grad(lambda s: g(jnp.linalg, s)))(s),
        )
    )(a, spd)
    want = (
        jax.vmap(lambda a, s: f(jjnp.linalg, a, s))(a, spd),
        jax.vmap(jax.grad(lambda s: g(jjnp.linalg, s)))(spd),
    )
    assert_like_jax(got, want, 1e-4, "vmap")


# --- mlax.scipy.linalg -----------------------------------------------------


def _scipy_suite(S, a, spd, b, rect):
    bv = b[:, 0]
    return {
        "cholesky": S.cholesky(spd),
        "cholesky-lower": S.cholesky(spd, lower=True),
        "cho_solve": S.cho_solve(S.cho_factor(spd), b),
        "cho_solve-lower-vec": S.cho_solve(S.cho_factor(spd, lower=True), bv),
        "solve_triangular": S.solve_triangular(a, b),
        "solve_triangular-lower-T": S.solve_triangular(a, bv, lower=True, trans=1),
        "solve_triangular-unit": S.solve_triangular(a, b, unit_diagonal=True, trans="T"),
        "lu_factor": S.lu_factor(a),
        "lu_solve": S.lu_solve(S.lu_factor(a), b),
        "lu_solve-T": S.lu_solve(S.lu_factor(a), bv, trans=1),
        "lu": S.lu(a),
        "lu-wide": S.lu(rect),
        "lu-tall-permute_l": S.lu(rect.T, permute_l=True),
        "qr-full": S.qr(rect),
        "qr-economic": S.qr(rect.T, mode="economic"),
        "qr-r": S.qr(a, mode="r"),
        "eigh-values": S.eigh(spd, eigvals_only=True),
        "svd-values": S.svd(a, compute_uv=False),
        "solve": S.solve(a, b),
        "solve-pos": S.solve(spd, b, assume_a="pos"),
        "inv": S.inv(a),
        "det": S.det(a),
    }


def test_scipy_linalg_matches_jax():
    a = RNG.standard_normal((4, 4)).astype(np.float32)
    spd = _spd(a)
    b = RNG.standard_normal((4, 2)).astype(np.float32)
    rect = RNG.standard_normal((4, 6)).astype(np.float32)
    got = mlax.jit(lambda *xs: _scipy_suite(msl, *xs))(a, spd, b, rect)
    want = _scipy_suite(jsl, a, spd, b, rect)
    for k in want:
        assert_like_jax(got[k], want[k], 1e-3, k)
    p, lower, upper = _leaves(got["lu"])
    np.testing.assert_allclose(p @ lower @ upper, a, atol=1e-5)


def test_errors_match_jax():
    x = np.ones((2, 3), np.float32)
    with pytest.raises(ValueError, match=r"shape \[..., n, n\], got \(2, 3\)"):
        jnp.linalg.inv(x)
    for f in (jnp.linalg.cholesky, jnp.linalg.eigh, jnp.linalg.eigvalsh):
        with pytest.raises(TypeError, match=r"got \(2, 3\)"):
            f(x)
    with pytest.raises(TypeError, match=r"rank at least 2, but got shape=\(3,\)"):
        jnp.linalg.svd(x[0])
    with pytest.raises(ValueError, match="Unsupported QR decomposition mode 'bad'"):
        jnp.linalg.qr(np.eye(2, dtype=np.float32), mode="bad")
    with pytest.raises(ValueError, match="Unknown slogdet method"):
        jnp.linalg.slogdet(np.eye(2, dtype=np.float32), method="bad")
    with pytest.raises(ValueError, match="must be a square matrix"):
        jnp.linalg.eig(np.ones((2, 3), np.float32))
    with pytest.raises(ValueError, match="assume_a"):
        msl.solve(np.eye(2, dtype=np.float32), np.ones(2, np.float32), assume_a="bad")


def _lax_suite(LL, a, spd, b):
    return {
        "cholesky": LL.cholesky(spd),
        "eigh-w": LL.eigh(spd)[1],
        "lu": LL.lu(a),
        "lu_pivots_to_permutation": LL.lu_pivots_to_permutation(LL.lu(a)[1], 4),
        "qr": LL.qr(a),
        "qr-reduced-r": LL.qr(a[:, :3], full_matrices=False)[1],
        "svd-s": LL.svd(a, compute_uv=False),
        "triangular_solve": LL.triangular_solve(a, b, left_side=True, lower=True),
        "triangular_solve-right-T": LL.triangular_solve(
            a, b.T, transpose_a=True, unit_diagonal=True
        ),
        # a vector right-hand side: a column on the left, a row on the right
        "triangular_solve-vector": LL.triangular_solve(a, b[:, 0], left_side=True, lower=True),
        "triangular_solve-vector-right": LL.triangular_solve(a, b[:, 1], lower=False),
    }


def test_lax_linalg_matches_jax():
    a = RNG.standard_normal((4, 4)).astype(np.float32)
    spd = _spd(a)
    b = RNG.standard_normal((4, 2)).astype(np.float32)
    got = mlax.jit(lambda *xs: _lax_suite(mlax.lax.linalg, *xs))(a, spd, b)
    want = _lax_suite(jax.lax.linalg, a, spd, b)
    for k in want:
        assert_like_jax(got[k], want[k], 1e-4, k)
    with pytest.raises(TypeError, match="floating-point"):
        mlax.lax.linalg.cholesky(np.eye(2, dtype=np.int32))


def test_scipy_expm_block_diag_toeplitz_match_jax():
    # jax.scipy.linalg.expm, block_diag and toeplitz were missing.
    norms = [0.05, 0.5, 2.0, 30.0]  # each Pade order, and squarings
    a = np.stack([RNG.standard_normal((3, 3)) * s for s in norms]).astype(np.float32)
    got = mlax.jit(msl.expm)(a)
    assert_like_jax(got, jsl.expm(a), 2e-5, "expm")
    upper = np.triu(a[1])
    assert_like_jax(
        msl.expm(upper, upper_triangular=True), jsl.expm(upper, upper_triangular=True), 2e-5
    )
    assert_like_jax(
        msl.expm(np.float32([[1e30, 0], [0, 1]])), jsl.expm(np.float32([[1e30, 0], [0, 1]])), 0
    )
    g = mlax.grad(lambda m: msl.expm(m).sum())(a[1])
    assert_like_jax(g, jax.grad(lambda m: jsl.expm(m).sum())(a[1]), 2e-5, "expm grad")
    blocks = (np.ones((1, 1), np.float32), np.int32([[1, 2], [3, 4]]), np.float32([5, 6]))
    assert_like_jax(msl.block_diag(*blocks), jsl.block_diag(*blocks), 0, "block_diag")
    assert_like_jax(
        msl.toeplitz(np.int32([1, 2, 3]), np.int32([9, 5, 6, 7])),
        jsl.toeplitz(np.int32([1, 2, 3]), np.int32([9, 5, 6, 7])),
        0,
    )
    c = np.float32([[1, 2, 3], [4, 5, 6]])
    assert_like_jax(msl.toeplitz(c), jsl.toeplitz(c), 0, "toeplitz batched")


def test_expm_float64_matches_scipy(x64):
    a = RNG.standard_normal((2, 4, 4)) * np.array([0.01, 3.0])[:, None, None]
    got = np.asarray(msl.expm(a))
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, np.stack([scipy.linalg.expm(m) for m in a]), rtol=1e-12)


@pytest.mark.parametrize("n", [12, 20])
def test_looped_factorisations_above_the_unroll_size(n):
    """Past decompositions._UNROLL_MAX the LU, Cholesky, Householder QR and
    triangular-solve loops are fori_loops with a traced index: the same values as JAX,
    pivots exactly, gradients and vmap included."""
    rng = np.random.default_rng(n)
    a = rng.standard_normal((n, n)).astype(np.float32)
    spd = a @ a.T + n * np.eye(n, dtype=np.float32)
    b = rng.standard_normal((n, 3)).astype(np.float32)

    def suite(lin, lax_linalg):
        return {
            "lu": tuple(lax_linalg.lu(a)),
            "solve": lin.solve(a, b),
            "inv": lin.inv(a),
            "det": lin.det(a),
            "slogdet": tuple(lin.slogdet(a)),
            "cholesky": lin.cholesky(spd),
            "lower": lax_linalg.triangular_solve(spd, b, left_side=True, lower=True),
            "upper-t": lax_linalg.triangular_solve(
                spd, b.T, left_side=False, lower=False, transpose_a=True
            ),
        }

    got = mlax.jit(lambda: suite(jnp.linalg, mlax.lax.linalg))()
    want = suite(jjnp.linalg, jax.lax.linalg)
    np.testing.assert_array_equal(np.asarray(got["lu"][1]), np.asarray(want["lu"][1]))
    np.testing.assert_array_equal(np.asarray(got["lu"][2]), np.asarray(want["lu"][2]))
    for k in want:
        assert_like_jax(got[k], want[k], 2e-5 * n, k)
    grad = mlax.grad(lambda m: jnp.linalg.slogdet(m)[1] + jnp.linalg.solve(m, b).sum())(a)
    jgrad = jax.grad(lambda m: jjnp.linalg.slogdet(m)[1] + jjnp.linalg.solve(m, b).sum())(a)
    np.testing.assert_allclose(np.asarray(grad), np.asarray(jgrad), rtol=1e-3, atol=1e-4)
    cgrad = mlax.grad(lambda m: jnp.linalg.cholesky(m).sum())(spd)
    jcgrad = jax.grad(lambda m: jjnp.linalg.cholesky(m).sum())(spd)
    np.testing.assert_allclose(np.asarray(cgrad), np.asarray(jcgrad), rtol=1e-3, atol=1e-5)
    batch = np.stack([a, spd, -a])
    got = mlax.vmap(jnp.linalg.inv)(batch)
    for k in range(3):
        np.testing.assert_allclose(
            np.asarray(got[k]), np.asarray(jjnp.linalg.inv(batch[k])), rtol=1e-3, atol=1e-4
        )
