"""Complex numbers and FFTs: values against NumPy, dtypes, weak types and
errors against JAX, derivatives against jax.grad and finite differences,
vmap against loop-and-stack.

Cases share a few shapes so that they share compiled executables."""

import jax
import jax.numpy as jjnp
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from mlax import lax

RNG = np.random.default_rng(7)


def _c64(*shape):
    return (RNG.normal(size=shape) + 1j * RNG.normal(size=shape)).astype(np.complex64)


Z = _c64(12)
# Special points: zero, the axes, negative reals.
Z[:6] = np.array([0, 1, -1, 1j, -1j, -2.5], np.complex64)
W = _c64(12)
R = RNG.normal(size=12).astype(np.float32)


def _close(got, want, rtol=2e-5, atol=2e-6):
    got = np.asarray(got)
    want = np.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, equal_nan=True)


UNARY = [
    ("exp", np.exp),
    ("log", np.log),
    ("log1p", np.log1p),
    ("expm1", np.expm1),
    ("sqrt", np.sqrt),
    ("sin", np.sin),
    ("cos", np.cos),
    ("tan", np.tan),
    ("tanh", np.tanh),
    ("sinh", np.sinh),
    ("cosh", np.cosh),
    ("arcsinh", np.arcsinh),
    ("arctan", np.arctan),
    ("log2", np.log2),
    ("log10", np.log10),
    ("exp2", np.exp2),
    ("abs", np.abs),
    ("negative", np.negative),
    ("square", np.square),
    ("reciprocal", np.reciprocal),
    ("conj", np.conj),
    ("real", np.real),
    ("imag", np.imag),
    ("angle", np.angle),
    ("isfinite", np.isfinite),
    ("iscomplex", np.iscomplex),
    ("isreal", np.isreal),
]


@pytest.mark.parametrize("name,ref", UNARY, ids=[u[0] for u in UNARY])
def test_unary_functions_match_numpy(name, ref):
    z = Z
    if name in ("arctan",):
        z = Z[6:]  # +-i are its poles
    if name == "reciprocal":
        z = Z[1:]
    with np.errstate(all="ignore"):
        want = ref(z)
    got = getattr(jnp, name)(z)
    assert got.dtype == jjnp.asarray(getattr(jjnp, name)(z)).dtype
    _close(got, want, rtol=5e-5, atol=5e-6)


def test_special_points_match_jax():
    # log(0) = -inf + 0i (not NaN), sqrt on the axes, log1p(-1) = -inf.
    for name in ("log", "log1p", "sqrt", "log10", "log2", "exp", "abs"):
        got = np.asarray(getattr(jnp, name)(Z[:6]))
        want = np.asarray(getattr(jjnp, name)(Z[:6]))
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7, err_msg=name)
        np.testing.assert_array_equal(np.signbit(got.real), np.signbit(want.real), err_msg=name)


def test_binary_arithmetic_and_promotion_match_numpy_and_jax():
    z, w = jnp.asarray(Z), jnp.asarray(W)
    _close(z + w, Z + W)
    _close(z - w, Z - W)
    _close(z * w, Z * W)
    _close(z / w, Z / W, rtol=5e-5)
    _close(z**2, Z**2)
    _close(z[1:] ** -2, Z[1:] ** -2.0, rtol=5e-5)
    # 0 ** c is NaN in JAX (exp(c log 0)), 0 in NumPy.
    _close(z ** (0.5 + 0.5j), jjnp.asarray(Z) ** (0.5 + 0.5j), rtol=5e-5, atol=1e-5)
    _close(z == w[::-1], Z == W[::-1])
    for other in (R, 2.0, 3, 1j, np.float32(2), np.complex64(1j)):
        got = z * other
        want = jjnp.asarray(Z) * other
        assert (got.dtype, got.weak_type) == (want.dtype, want.weak_type)
        _close(got, np.asarray(want))
    for a, b in [(np.float32, np.complex64), (np.int32, np.complex64), (np.float16, 1j)]:
        assert jnp.result_type(a, b) == jjnp.result_type(a, b)
    weak = jnp.asarray(2.0) * 1j
    assert weak.dtype == np.complex64 and weak.weak_type


def test_reductions_contractions_and_layout():
    z, w = jnp.asarray(Z), jnp.asarray(W)
    m = Z.reshape(3, 4)
    _close(jnp.sum(z), Z.sum(), rtol=1e-5)
    _close(jnp.prod(z[6:]), np.prod(Z[6:]), rtol=1e-5)
    _close(jnp.mean(z), Z.mean(), rtol=1e-5)
    _close(jnp.var(z), Z.var(), rtol=1e-5)
    _close(jnp.std(z), Z.std(), rtol=1e-5)
    assert jnp.var(z).dtype == np.float32
    _close(jnp.cumsum(z), np.cumsum(Z), rtol=1e-5, atol=1e-5)
    _close(jnp.dot(z, w), np.dot(Z, W), rtol=1e-5)
    _close(jnp.vdot(z, w), np.vdot(Z, W), rtol=1e-5)
    _close(jnp.asarray(m) @ jnp.asarray(m.T), m @ m.T, rtol=1e-5)
    _close(jnp.einsum("ij,kj->ik", m, m), np.einsum("ij,kj->ik", m, m), rtol=1e-5)
    _close(jnp.linalg.norm(z), np.linalg.norm(Z), rtol=1e-5)
    _close(jnp.linalg.norm(jnp.asarray(m), axis=1), np.linalg.norm(m, axis=1), rtol=1e-5)
    _close(jnp.concatenate([z, jnp.asarray(R)]), np.concatenate([Z, R]))
    _close(jnp.pad(z, 2), np.pad(Z, 2))
    _close(jnp.asarray(m).T, m.T)
    _close(jnp.flip(z), Z[::-1])
    _close(z[jnp.array([3, 1, 0])], Z[[3, 1, 0]])
    _close(z.at[jnp.array([1, 1])].add(1 + 1j), _at_add())
    _close(jnp.where(jnp.abs(z) > 1, z, 0), np.where(np.abs(Z) > 1, Z, 0))
    _close(jnp.maximum(z, w), np.maximum(Z, W))
    _close(jnp.sort_complex(z), np.sort_complex(Z))
    _close(jnp.round(z, 2), np.round(Z, 2), rtol=1e-6)
    _close(jnp.linspace(0, 1 + 1j, 5), np.linspace(0, 1 + 1j, 5))


def _at_add():
    out = Z.copy()
    np.add.at(out, [1, 1], 1 + 1j)
    return out


def test_construction_conversion_and_printing_match_jax():
    for make in (
        lambda m: m.array([1 + 2j, 3]),
        lambda m: m.array(2j),
        lambda m: m.complex64(3),
        lambda m: m.zeros(2, m.complex64),
        lambda m: m.full(2, 1 + 2j),
        lambda m: m.ones_like(m.asarray(Z[:2])),
        lambda m: m.asarray(R[:3]).astype(m.complex64),
        lambda m: m.asarray(Z[:4]).astype(bool),
    ):
        got, want = make(jnp), make(jjnp)
        assert (got.dtype, got.weak_type) == (want.dtype, want.weak_type)
        _close(got, np.asarray(want))
        assert repr(got).replace("mlax", "jax") == repr(want)
    z = jnp.asarray(Z[:3])
    assert complex(z[1]) == complex(Z[1]) and z[1].item() == Z[1].item()
    _close(z.real, Z[:3].real)
    _close(z.imag, Z[:3].imag)
    _close(z.conj(), Z[:3].conj())
    with pytest.warns(np.exceptions.ComplexWarning):
        out = z.astype(jnp.float32)
    _close(out, Z[:3].real)
    assert jnp.iscomplexobj(z) and not jnp.isrealobj(z)


def test_lax_complex_ops_and_their_errors_match_jax():
    _close(lax.complex(R, R[::-1]), R + 1j * R[::-1])
    _close(lax.real(Z), Z.real)
    _close(lax.imag(Z), Z.imag)
    _close(lax.conj(Z), Z.conj())
    _close(lax.abs(Z), np.abs(Z))
    assert lax.conj(R).dtype == jax.lax.conj(R).dtype == np.complex64
    for fn in (
        lambda l: l.real(R),
        lambda l: l.complex(Z, Z),
        lambda l: l.lt(Z, Z),
        lambda l: l.exp(np.int32(1)),
        lambda l: l.rem(Z, Z),
        lambda l: l.conj(np.int32(1)),
    ):
        with pytest.raises(TypeError) as want:
            fn(jax.lax)
        with pytest.raises(TypeError) as got:
            fn(lax)
        assert str(got.value).splitlines()[0] == str(want.value).splitlines()[0]


def _loss(z):
    return (jnp.abs(jnp.exp(1j * z) * z + z * z) ** 2).sum() + jnp.real(jnp.sin(z) * z.conj()).sum()


def _jloss(z):
    return (jjnp.abs(jjnp.exp(1j * z) * z + z * z) ** 2).sum() + jjnp.real(
        jjnp.sin(z) * z.conj()
    ).sum()


def test_grad_of_real_functions_of_complex_inputs_matches_jax_and_finite_differences():
    z = Z[6:].astype(np.complex128)
    got = mlax.grad(_loss)(Z[6:])
    assert got.dtype == np.complex64
    _close(got, jax.grad(_jloss)(Z[6:]), rtol=1e-4, atol=1e-5)

    def f(v):  # the loss in float64 NumPy
        return float(
            (abs(np.exp(1j * v) * v + v * v) ** 2).sum() + np.real(np.sin(v) * v.conj()).sum()
        )

    # JAX's convention: grad = df/dx - i df/dy.
    eps = 1e-6
    for i in range(3):
        e = np.zeros_like(z)
        e[i] = eps
        dx = (f(z + e) - f(z - e)) / (2 * eps)
        dy = (f(z + 1j * e) - f(z - 1j * e)) / (2 * eps)
        np.testing.assert_allclose(complex(got[i]), dx - 1j * dy, rtol=1e-4, atol=1e-4)


def test_grad_through_complex_intermediates_of_real_inputs():
    def f(m, x):
        return m.sum(m.abs(m.exp(1j * x) * (x + 1j)) + m.angle(x + 2j) + m.real(m.sqrt(x + 0j)))

    _close(mlax.grad(lambda x: f(jnp, x))(R), jax.grad(lambda x: f(jjnp, x))(R), rtol=1e-4)


def test_holomorphic_derivatives_jvp_and_errors():
    z0 = Z[7]
    got = mlax.grad(lambda z: jnp.sin(z) * z, holomorphic=True)(z0)
    _close(got, np.cos(z0) * z0 + np.sin(z0), rtol=1e-5)
    jac = mlax.jacfwd(lambda z: jnp.exp(z) * z, holomorphic=True)(Z[6:9])
    _close(jac, jax.jacfwd(lambda z: jjnp.exp(z) * z, holomorphic=True)(Z[6:9]), rtol=1e-5)
    primal, tangent = mlax.jvp(lambda z: jnp.exp(z) * jnp.conj(z), (Z,), (W,))
    want = jax.jvp(lambda z: jjnp.exp(z) * jjnp.conj(z), (Z,), (W,))
    _close(primal, want[0], rtol=1e-5)
    _close(tangent, want[1], rtol=1e-5, atol=1e-5)
    for fn in (
        lambda m: m.grad(lambda z: z * z)(Z[7]),  # complex output
        lambda m: m.grad(lambda x: x * x, holomorphic=True)(1.0),  # real input
        lambda m: m.jacfwd(lambda z: z * 2)(Z[6:8]),  # complex input, not holomorphic
    ):
        with pytest.raises(TypeError) as want_err:
            fn(jax)
        with pytest.raises(TypeError) as got_err:
            fn(mlax)
        assert str(got_err.value).splitlines()[0] == str(want_err.value).splitlines()[0]


def test_vmap_and_jit_of_complex_functions_match_loop_and_stack():
    m = Z.reshape(3, 4)

    def g(z):
        return jnp.vdot(z, z) + jnp.exp(z).sum() * lax.conj(z[0])

    got = mlax.vmap(g)(m)
    want = np.stack([np.asarray(g(row)) for row in m])
    _close(got, want, rtol=1e-5)
    _close(mlax.jit(g)(m[0]), g(m[0]), rtol=1e-6)


# ---------------------------------------------------------------------------
# FFTs
# ---------------------------------------------------------------------------

# Dense (8, 12), mixed radix (100, 1000) and Bluestein (131, 257) lengths.
SIZES = [1, 5, 8, 12, 100, 131, 257, 1000]


@pytest.mark.parametrize("n", SIZES)
def test_one_dimensional_transforms_match_numpy(n):
    z = _c64(n)
    x = RNG.normal(size=n).astype(np.float32)
    scale = np.sqrt(n) * 3e-6
    _close(jnp.fft.fft(z), np.fft.fft(z), rtol=0, atol=scale * 4)
    _close(jnp.fft.ifft(z), np.fft.ifft(z), rtol=0, atol=scale * 4 / n)
    _close(jnp.fft.rfft(x), np.fft.rfft(x), rtol=0, atol=scale * 4)
    half = z[: n // 2 + 1]
    _close(jnp.fft.irfft(half, n), np.fft.irfft(half, n), rtol=0, atol=scale * 4 / n)
    assert jnp.fft.rfft(x).dtype == np.complex64 and jnp.fft.irfft(half, n).dtype == np.float32
    # The zero frequency of a real signal is exactly real, as pocketfft's.
    assert np.asarray(jnp.fft.rfft(x))[0].imag == 0


def test_multidimensional_transforms_norms_and_shapes_match_numpy():
    m = RNG.normal(size=(4, 6)).astype(np.float32)
    c = _c64(2, 3, 4)
    tol = {"rtol": 1e-5, "atol": 1e-5}
    _close(jnp.fft.fft2(m), np.fft.fft2(m), **tol)
    _close(jnp.fft.ifft2(m), np.fft.ifft2(m), **tol)
    _close(jnp.fft.rfft2(m), np.fft.rfft2(m), **tol)
    _close(jnp.fft.irfft2(np.fft.rfft2(m)), m, **tol)
    _close(jnp.fft.fftn(c), np.fft.fftn(c), **tol)
    _close(jnp.fft.ifftn(c, axes=(0, 2)), np.fft.ifftn(c, axes=(0, 2)), **tol)
    _close(jnp.fft.fftn(m, s=(3, 8)), np.fft.fftn(m, s=(3, 8)), **tol)
    _close(jnp.fft.rfftn(m, axes=(0,)), np.fft.rfftn(m, axes=(0,)), **tol)
    _close(jnp.fft.irfftn(np.fft.rfftn(c.real)), c.real, **tol)
    _close(jnp.fft.fft(m, axis=0), np.fft.fft(m, axis=0), **tol)
    _close(jnp.fft.fft(m, n=4), np.fft.fft(m, n=4), **tol)
    _close(jnp.fft.fft(m, n=9), np.fft.fft(m, n=9), **tol)
    for norm in ("backward", "ortho", "forward"):
        _close(jnp.fft.fft(m, norm=norm), np.fft.fft(m, norm=norm), **tol)
        _close(jnp.fft.irfft(m, norm=norm), np.fft.irfft(m, norm=norm), **tol)
    _close(jnp.fft.hfft(m[0]), np.fft.hfft(m[0]), **tol)
    _close(jnp.fft.ihfft(m[0]), np.fft.ihfft(m[0]), **tol)
    _close(jnp.fft.fft(np.arange(4)), np.fft.fft(np.arange(4)), **tol)
    _close(
        lax.fft(m.astype(np.complex64), lax.FftType.FFT, (4, 6)),
        jax.lax.fft(m.astype(np.complex64), jax.lax.FftType.FFT, (4, 6)),
        **tol,
    )
    _close(lax.fft(m, "rfft", (6,)), jax.lax.fft(m, "rfft", (6,)), **tol)


def test_fft_errors_match_jax():
    m = np.ones((4, 6), np.float32)
    for fn in (
        lambda j: j.numpy.fft.fft(m, norm="bad"),
        lambda j: j.numpy.fft.rfft(m + 1j),
        lambda j: j.numpy.fft.fft(m, n=0),
        lambda j: j.numpy.fft.fft(m, axis=3),
        lambda j: j.numpy.fft.fft2(m, axes=(0,)),
        lambda j: j.numpy.fft.fftn(m, axes=(0, 0)),
        lambda j: j.numpy.fft.fftn(m, s=(2,), axes=(0, 1)),
    ):
        with pytest.raises(ValueError) as want:
            fn(jax)
        with pytest.raises(ValueError) as got:
            fn(mlax)
        assert str(got.value).splitlines()[0] == str(want.value).splitlines()[0]


def test_fft_derivatives_vmap_and_jit_match_jax():
    m = RNG.normal(size=(4, 6)).astype(np.float32)

    def power(fft, x):
        return (abs(fft.rfft(x)) ** 2).sum()

    def roundtrip(fft, x):
        return (fft.irfft(fft.rfft(x) * 2.0) ** 3).sum()

    _close(
        mlax.grad(lambda x: power(jnp.fft, x))(m),
        jax.grad(lambda x: power(jjnp.fft, x))(m),
        rtol=1e-4,
        atol=1e-4,
    )
    _close(
        mlax.grad(lambda x: roundtrip(jnp.fft, x))(m[0]),
        jax.grad(lambda x: roundtrip(jjnp.fft, x))(m[0]),
        rtol=1e-4,
        atol=1e-4,
    )
    got = mlax.vmap(jnp.fft.fft)(m)
    _close(got, np.stack([np.asarray(jnp.fft.fft(row)) for row in m]), rtol=1e-6, atol=1e-6)
    jitted = mlax.jit(lambda x: jnp.fft.fftshift(jnp.abs(jnp.fft.fft2(x))))(m)
    _close(jitted, np.fft.fftshift(np.abs(np.fft.fft2(m))), rtol=1e-5, atol=1e-5)


def test_ordering_functions_match_jax():
    """jnp comparisons, max/min, sort and argsort order complex values by
    real part, then imaginary part, as JAX; clip, argmax and quantiles
    raise JAX's errors."""
    v = np.array([1 + 2j, 2 - 1j, 2 + 0j, 1 + 2j, -1j], np.complex64)
    w = v[::-1].copy()
    for fn in (
        lambda m, a, b: m.less(a, b),
        lambda m, a, b: m.greater_equal(a, b),
        lambda m, a, b: m.maximum(a, b),
        lambda m, a, b: m.max(a),
        lambda m, a, b: m.min(a),
        lambda m, a, b: m.sort(a),
        lambda m, a, b: m.argsort(a),
        lambda m, a, b: m.sort_complex(b),
        lambda m, a, b: m.nan_to_num(m.array([complex(np.nan, np.inf), 1j])),
        lambda m, a, b: m.arange(3, dtype=m.complex64),
        lambda m, a, b: m.take(a, m.array([1, 0, 7]), mode="fill"),
        lambda m, a, b: m.isnan(m.array([complex(np.nan, 0), 1j])),
    ):
        got, want = fn(jnp, v, w), fn(jjnp, v, w)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
    for fn, exc in (
        (lambda m: m.clip(m.asarray(v), 0, 1), ValueError),
        (lambda m: m.argmax(m.asarray(v)), TypeError),
        (lambda m: m.median(m.asarray(v)), ValueError),
        (lambda m: m.floor(m.asarray(v)), TypeError),
    ):
        with pytest.raises(exc) as want_err:
            fn(jjnp)
        with pytest.raises(exc) as got_err:
            fn(jnp)
        assert str(got_err.value).splitlines()[0] == str(want_err.value).splitlines()[0]


def test_exp_sin_cos_use_accurate_real_parts():
    # exp(i pi) is -1 - 8.742278e-08i in float32 (sin of float32 pi), as JAX.
    got = complex(jnp.exp(1j * jnp.pi))
    assert got == complex(jjnp.exp(1j * jjnp.pi))
    big = np.array([1e5 + 0.5j, -3e4 - 2j, 1e10 + 0j], np.complex64)
    for name in ("exp", "sin", "cos"):
        with np.errstate(all="ignore"):
            want = getattr(np, name)(big.astype(np.complex128))
        _close(getattr(jnp, name)(big), want.astype(np.complex64), rtol=2e-6, atol=1e-6)


def test_complex_solve_inv_det_and_unbuilt_decompositions():
    a = (_c64(3, 3) + 3 * np.eye(3)).astype(np.complex64)
    b = _c64(3)
    _close(jnp.linalg.solve(a, b), np.linalg.solve(a, b), rtol=1e-5, atol=1e-5)
    _close(jnp.linalg.inv(a), np.linalg.inv(a), rtol=1e-5, atol=1e-5)
    _close(jnp.linalg.det(a), np.linalg.det(a), rtol=1e-5)
    for fn in (jnp.linalg.cholesky, jnp.linalg.svd, jnp.linalg.qr):
        with pytest.raises(NotImplementedError, match="complex matrix"):
            fn(a)


@pytest.mark.parametrize("n", [2, 4])
def test_hermitian_eigh_and_its_gradient(n):
    """Complex Jacobi (a phase on row q, then the real rotation): real
    ascending eigenvalues, unitary eigenvectors; the gradient of a
    phase-invariant loss against jax.grad."""
    m = _c64(n, n)
    h = ((m + m.conj().T) / 2).astype(np.complex64)
    w, v = jnp.linalg.eigh(h)
    assert w.dtype == np.float32 and v.dtype == np.complex64
    _close(w, np.linalg.eigvalsh(h), rtol=1e-5, atol=1e-5)
    v = np.asarray(v)
    _close(v @ np.diag(np.asarray(w)) @ v.conj().T, h, rtol=1e-5, atol=2e-6)
    _close(v.conj().T @ v, np.eye(n), rtol=1e-5, atol=2e-6)

    def loss(m_, x):
        return m_.linalg.eigvalsh(x)[-1] + m_.abs(m_.linalg.eigh(x)[1][0, 0]) ** 2

    _close(
        mlax.grad(lambda x: loss(jnp, x))(h),
        jax.grad(lambda x: loss(jjnp, x))(h),
        rtol=1e-4,
        atol=1e-5,
    )


def test_gradients_through_complex_contractions_and_layout_ops_match_jax():
    """Regressions: a dot_general producer (its accumulate form) was fused
    into a complex contraction's reduction loop; complex pads, dynamic
    updates and scatters write part by part (IREE mishandled complex
    destinations); a module IREE's constant evaluation refuses is compiled
    without it."""
    h = np.array([[0.5, -0.3j], [0.3j, 0.5]], np.complex64)
    c = np.array([np.cos(0.3), np.sin(0.3)], np.complex64)
    z = np.array([1 + 2j, 3 - 1j, 0.5j, 2], np.complex64)

    def energy(m, t):
        s = m.array([m.cos(t), m.sin(t)]) * (1 + 0j)
        return m.real(m.vdot(s, m.asarray(h) @ s)) + m.real(m.dot(c, m.asarray(h) @ s))

    def slices(m, lx, v, i):
        return m.real(
            lx.dynamic_slice(v, (i,), (2,)).sum() * 2j + lx.dynamic_slice(v, (i + 1,), (2,)).sum()
        )

    def updates(m, v):
        moved = m.abs(v.at[1].set(5j).at[2].add(1.0)).sum()
        return moved + m.real(m.concatenate([v[:2], v[:1]]) * 1j).sum() + m.abs(m.pad(v, 2)).sum()

    _close(mlax.grad(lambda t: energy(jnp, t))(0.3), jax.grad(lambda t: energy(jjnp, t))(0.3))
    _close(
        mlax.jit(mlax.grad(lambda v, i: slices(jnp, lax, v, i)))(z, 1),
        jax.grad(lambda v, i: slices(jjnp, jax.lax, v, i))(z, 1),
    )
    _close(mlax.grad(lambda v: updates(jnp, v))(z), jax.grad(lambda v: updates(jjnp, v))(z))
