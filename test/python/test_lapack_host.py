"""Nonsymmetric eigenproblems on the host's LAPACK (lapack_host.py):
lax.linalg.eig / jnp.linalg.eig / eigvals and lax.linalg.schur / scipy
schur match JAX bit for bit (the same scipy LAPACK, the same calls), and
roots, poly, rsf2csf, sqrtm, funm and dft built on them match JAX's
algorithms. Derivatives against finite differences and JAX's rules;
vmap against a loop."""

import jax
import jax.numpy as jjnp
import jax.scipy.linalg as jsl
import mlax
import mlax.numpy as jnp
import mlax.scipy.linalg as msl
import numpy as np
import pytest
from finite_differences import fd_grad


def _matrices(n, seed, dtype=np.float32):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, n))
    if np.dtype(dtype).kind == "c":
        a = a + 1j * rng.standard_normal((n, n))
    return a.astype(dtype)


def same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 17, 40])
@pytest.mark.parametrize("dtype", [np.float32, np.complex64])
def test_eig_is_jax_bit_for_bit(n, dtype):
    for seed in range(3):
        a = _matrices(n, seed, dtype)
        w, v = jnp.linalg.eig(a)
        jw, jv = jjnp.linalg.eig(a)
        same(w, jw)
        same(v, jv)
        same(jnp.linalg.eigvals(a), jjnp.linalg.eigvals(a))


def test_eig_left_vectors_and_flags():
    a = _matrices(5, 4)
    got = mlax.lax.linalg.eig(a)
    want = jax.lax.linalg.eig(a)
    assert len(got) == len(want) == 3
    for g, w in zip(got, want):
        same(g, w)
    only_w = mlax.lax.linalg.eig(
        a, compute_left_eigenvectors=False, compute_right_eigenvectors=False
    )
    assert len(only_w) == 1
    same(only_w[0], jax.lax.linalg.eig(a, compute_left_eigenvectors=False,
                                       compute_right_eigenvectors=False)[0])  # fmt: skip


def test_eig_under_jit_and_vmap():
    a = np.stack([_matrices(4, s) for s in range(3)])
    same(mlax.jit(jnp.linalg.eigvals)(a[0]), jjnp.linalg.eigvals(a[0]))
    batched = mlax.vmap(jnp.linalg.eig)(a)
    looped = [jjnp.linalg.eig(m) for m in a]
    same(batched[0], np.stack([w for w, _ in looped]))
    same(batched[1], np.stack([v for _, v in looped]))
    # Leading batch dimensions without vmap.
    same(jnp.linalg.eigvals(a), jjnp.linalg.eigvals(a))


def test_eigvals_gradient_matches_finite_differences():
    # A symmetric function of the eigenvalues: their order does not matter.
    a = _matrices(4, 7)
    got = np.asarray(mlax.grad(lambda m: (jnp.abs(jnp.linalg.eigvals(m)) ** 3).sum())(a))
    loss_np = lambda m: (np.abs(np.linalg.eigvals(m)) ** 3).sum()
    want = fd_grad(loss_np, a, eps=1e-6)
    np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-3)
    jloss = lambda m: (jjnp.abs(jjnp.linalg.eigvals(m)) ** 3).sum()
    np.testing.assert_allclose(got, np.asarray(jax.grad(jloss)(a)), rtol=1e-4, atol=1e-4)


def test_eigenvector_derivatives_as_jax():
    a = _matrices(3, 2)
    t = np.ones((3, 3), np.float32)
    # JAX raises NotImplementedError without enable_eigvec_derivs=True;
    # mlax gives the same derivative either way.
    g = mlax.grad(lambda m: jnp.linalg.eig(m)[1].real.sum())(a)
    jg = jax.grad(lambda m: jax.lax.linalg.eig(m, compute_left_eigenvectors=False,
                                                enable_eigvec_derivs=True)[1].real.sum())(a)  # fmt: skip
    np.testing.assert_allclose(np.asarray(g), np.asarray(jg), rtol=1e-4, atol=1e-5)
    f = lambda lin, **k: lambda m: lin.eig(m, compute_left_eigenvectors=False, **k)[1]
    got = mlax.jvp(f(mlax.lax.linalg, enable_eigvec_derivs=True), (a,), (t,))[1]
    want = jax.jvp(f(jax.lax.linalg, enable_eigvec_derivs=True), (a,), (t,))[1]
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("dtype", [np.float32, np.complex64])
def test_schur_is_jax_bit_for_bit(dtype):
    for n in (1, 3, 6):
        a = _matrices(n, n, dtype)
        for g, w in zip(msl.schur(a), jsl.schur(a)):
            same(g, w)
        got = mlax.lax.linalg.schur(a, compute_schur_vectors=False)
        assert len(got) == 1
        same(got[0], jax.lax.linalg.schur(a, compute_schur_vectors=False)[0])
    a = _matrices(4, 1)
    for g, w in zip(msl.schur(a, output="complex"), jsl.schur(a, output="complex")):
        same(g, w)
    for g, w in zip(mlax.jit(msl.schur)(a), jsl.schur(a)):
        same(g, w)


def test_schur_forms_and_matrix_functions():
    b = np.array([[0.0, 3.0, 3.0], [0.0, 1.0, 2.0], [2.0, 0.0, 1.0]], np.float32)
    s = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 2.0], [3.0, 2.0, 1.0]], np.float32)
    t, z = msl.rsf2csf(*msl.schur(b))
    jt, jz = jsl.rsf2csf(*jsl.schur(b))
    np.testing.assert_allclose(np.asarray(t), np.asarray(jt), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.asarray(z), np.asarray(jz), rtol=1e-5, atol=1e-5)
    assert np.abs(np.tril(np.asarray(t), -1)).max() == 0
    np.testing.assert_allclose(np.asarray(z @ t @ z.conj().T), b, atol=1e-5)
    root = msl.sqrtm(s)
    np.testing.assert_allclose(np.asarray(root), np.asarray(jsl.sqrtm(s)), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(np.asarray(root @ root), s, atol=1e-4)
    f = msl.funm(b, jnp.exp)
    np.testing.assert_allclose(np.asarray(f), np.asarray(jsl.funm(b, jjnp.exp)), rtol=1e-4)
    np.testing.assert_allclose(np.asarray(f).real, np.asarray(jsl.expm(b)), rtol=1e-4)
    f, err = msl.funm(b, jnp.exp, disp=False)
    assert np.asarray(err).shape == () and 0 < float(err) < 1e-5
    for n, scale in [(3, None), (4, "n"), (5, "sqrtn")]:
        np.testing.assert_allclose(
            np.asarray(msl.dft(n, scale)), np.asarray(jsl.dft(n, scale)), rtol=1e-6, atol=1e-6
        )
    assert msl.dft(2, dtype=np.complex64).dtype == np.complex64
    with pytest.raises(ValueError, match="scale must be"):
        msl.dft(3, "bad")
    with pytest.raises(ValueError, match="complex floating-point"):
        msl.dft(3, dtype=np.float32)
    with pytest.raises(ValueError, match="'real' or 'complex'"):
        msl.schur(b, output="bad")


def test_roots_and_poly_as_jax():
    for p in ([1.0, -3.0, 2.0], [1.0, 0.0, 0.0, 1.0], [0.0, 0.0, 1.0, 2.0], [2.0], [1, 2, 3],
              [1.0, 6.0, 11.0, 6.0]):  # fmt: skip
        p = np.asarray(p)
        same(jnp.roots(p), jjnp.roots(p))
    p = np.array([0.0, 1.0, 2.0], np.float32)
    same(jnp.roots(p, strip_zeros=False), jjnp.roots(p, strip_zeros=False))
    same(
        mlax.jit(lambda q: jnp.roots(q, strip_zeros=False))(p),
        jax.jit(lambda q: jjnp.roots(q, strip_zeros=False))(p),
    )
    with pytest.raises(mlax.errors.ConcretizationTypeError, match="strip_zeros=False"):
        mlax.jit(jnp.roots)(p)
    m = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    same(jnp.poly(m), jjnp.poly(m))


def test_bad_input_raises_what_jax_raises():
    with pytest.raises(TypeError, match="rank at least 2"):
        mlax.lax.linalg.eig(np.ones(3, np.float32))
    with pytest.raises(ValueError, match=r"square matrix. Got shape \(2, 3\)"):
        jnp.linalg.eig(np.ones((2, 3), np.float32))
    with pytest.raises(TypeError, match="does not accept dtype int32"):
        mlax.lax.linalg.eig(np.ones((2, 2), np.int32))
    # jnp promotes integers first, as JAX does.
    same(
        jnp.linalg.eigvals(np.eye(2, dtype=np.int32)),
        jjnp.linalg.eigvals(np.eye(2, dtype=np.int32)),
    )
    with pytest.raises(NotImplementedError, match="sort feature"):
        mlax.lax.linalg.schur(np.eye(2, dtype=np.float32), sort_eig_vals=True)


@pytest.mark.parametrize("n", [1, 4, 16, 33])
def test_eigh_and_svd_are_jax_bit_for_bit_on_the_cpu(n):
    a = _matrices(n, n + 1)
    sym = (a + a.T) / 2
    herm = _matrices(n, n + 2, np.complex64)
    herm = (herm + herm.conj().T) / 2
    for x in (sym, herm):
        for g, w in zip(jnp.linalg.eigh(x), jjnp.linalg.eigh(x)):
            same(g, w)
    same(jnp.linalg.eigvalsh(sym), jjnp.linalg.eigvalsh(sym))
    for full in (True, False):
        for g, w in zip(
            jnp.linalg.svd(a, full_matrices=full), jjnp.linalg.svd(a, full_matrices=full)
        ):
            same(g, w)
    tall = _matrices(n + 3, n)[:, :n]
    for g, w in zip(
        jnp.linalg.svd(tall, full_matrices=False), jjnp.linalg.svd(tall, full_matrices=False)
    ):
        same(g, w)
    same(jnp.linalg.svd(a, compute_uv=False), jjnp.linalg.svd(a, compute_uv=False))


def test_eigh_and_svd_derivatives_jit_and_vmap():
    a = _matrices(5, 11)

    def loss(lin):
        def f(m):
            w, v = lin.eigh(m + m.T)
            return (
                w.sum() + (v[:, 0] ** 2 * np.arange(5.0, dtype=np.float32)).sum() + lin.svd(m, compute_uv=False)[0]
            )

        return f

    got = mlax.jit(mlax.grad(loss(jnp.linalg)))(a)
    want = jax.grad(loss(jjnp.linalg))(a)
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-4, atol=1e-5)
    batch = np.stack([a, 2 * a, -a])
    got = mlax.vmap(jnp.linalg.svd)(batch)
    for k in range(3):
        for g, w in zip(got, jjnp.linalg.svd(batch[k])):
            same(g[k], w)
    # multivariate_normal's eigh and svd methods draw JAX's samples.
    cov = np.array([[2.0, 0.5], [0.5, 1.0]], np.float32)
    for method in ("eigh", "svd"):
        same(
            mlax.random.multivariate_normal(
                mlax.random.PRNGKey(0), np.zeros(2, np.float32), cov, (3,), method=method
            ),
            jax.random.multivariate_normal(
                jax.random.PRNGKey(0), np.zeros(2, np.float32), cov, (3,), method=method
            ),
        )
