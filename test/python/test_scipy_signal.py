"""mlax.scipy.signal, ndimage, interpolate, fft and the jax.scipy.linalg
extras, against jax live: values, dtypes, shapes, derivatives, jit, and
JAX's exception types for bad input. Few, small shapes (each new shape
compiles)."""

import jax
import jax.numpy as jjnp
import jax.scipy.fft as jfft
import jax.scipy.interpolate as jinterp
import jax.scipy.linalg as jla
import jax.scipy.ndimage as jnd
import jax.scipy.signal as jsig
import mlax
import mlax.scipy
import numpy as np
import pytest

msig = mlax.scipy.signal
mnd = mlax.scipy.ndimage
minterp = mlax.scipy.interpolate
mfft = mlax.scipy.fft
mla = mlax.scipy.linalg

RNG = np.random.default_rng(0)
X1 = RNG.standard_normal(5).astype(np.float32)
K1 = RNG.standard_normal(3).astype(np.float32)
X2 = RNG.standard_normal((4, 5)).astype(np.float32)
K2 = RNG.standard_normal((2, 3)).astype(np.float32)


def close(got, want, tol=1e-5):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


# ---------------------------------------------------------------------------
# signal
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("name", ["convolve", "correlate"])
def test_convolve_correlate_1d(name, mode):
    for a, b in [(X1, K1), (K1, X1)]:
        close(getattr(msig, name)(a, b, mode=mode), getattr(jsig, name)(a, b, mode=mode))
    # method='fft' gives the direct values; integer inputs promote to float
    close(getattr(msig, name)(X1, K1, mode, method="fft"), getattr(jsig, name)(X1, K1, mode, method="fft"), 1e-4)  # fmt: skip
    xi, ki = np.arange(5), np.array([1, 2, 1])
    close(getattr(msig, name)(xi, ki, mode=mode), getattr(jsig, name)(xi, ki, mode=mode))


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("name", ["convolve2d", "correlate2d", "fftconvolve"])
def test_2d(name, mode):
    for a, b in [(X2, K2), (K2, X2), (X2, X2)]:
        close(getattr(msig, name)(a, b, mode=mode), getattr(jsig, name)(a, b, mode=mode), 1e-4)


def test_convolve_nd_fftconvolve_axes_grad_and_jit():
    a3 = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    close(msig.convolve(a3, a3[:, :2, :2]), jsig.convolve(a3, a3[:, :2, :2]), 1e-4)
    close(msig.fftconvolve(X2, X2[:, :3], axes=1), jsig.fftconvolve(X2, X2[:, :3], axes=1), 1e-4)
    close(msig.fftconvolve(X2, X2[:2], "same", axes=[0]), jsig.fftconvolve(X2, X2[:2], "same", axes=[0]), 1e-4)  # fmt: skip

    def loss(mod):
        return lambda a, b: (mod.convolve2d(a, b, mode="same") ** 2).sum()

    got = mlax.grad(loss(msig), argnums=(0, 1))(X2, K2)
    want = jax.grad(loss(jsig), argnums=(0, 1))(X2, K2)
    for g, w in zip(got, want):
        close(g, w, 1e-4)
    close(
        mlax.jit(lambda a, b: msig.correlate(a, b, "same"))(X1, K1), jsig.correlate(X1, K1, "same")
    )


def test_convolve_errors():
    with pytest.raises(ValueError):
        msig.convolve(X1, K1, mode="bad")
    with pytest.raises(ValueError):
        msig.convolve(X1, K1, method="bad")
    with pytest.raises(ValueError):
        msig.convolve(X1, X2)
    with pytest.raises(ValueError):
        msig.convolve(np.ones((2, 5)), np.ones((3, 2)))
    with pytest.raises(NotImplementedError):
        msig.convolve2d(X2, K2, boundary="wrap")
    with pytest.raises(ValueError):
        msig.correlate2d(X1, K1)
    with pytest.raises(ValueError):
        msig.fftconvolve(np.ones((2, 5)), np.ones((3, 2)), mode="valid")


def test_detrend():
    d = RNG.standard_normal((3, 8)).astype(np.float32)
    for kw in [{}, {"type": "constant"}, {"bp": [3]}, {"axis": 0}, {"bp": [2, 5], "axis": -1}]:
        close(msig.detrend(d, **kw), jsig.detrend(d, **kw), 1e-5)
    close(msig.detrend(np.arange(6)), jsig.detrend(np.arange(6)), 1e-5)
    with pytest.raises(ValueError):
        msig.detrend(d, type="quadratic")
    with pytest.raises(NotImplementedError):
        msig.detrend(d, overwrite_data=True)


_SIGNAL = np.sin(np.arange(96, dtype=np.float32) / 3) + 0.1 * np.cos(
    np.arange(96, dtype=np.float32)
)
_SIGNAL2 = np.stack([_SIGNAL, np.cos(np.arange(96, dtype=np.float32) / 5)])

SPECTRAL = {
    "stft": lambda s, x: s.stft(x, nperseg=16),
    "stft-odd-noverlap": lambda s, x: s.stft(x, nperseg=15, noverlap=4, nfft=20, boundary="even"),
    "stft-twosided-hamming": lambda s, x: s.stft(
        x, window="hamming", nperseg=16, return_onesided=False, padded=False, boundary=None
    ),
    "welch": lambda s, x: s.welch(x, nperseg=32),
    "welch-median-spectrum": lambda s, x: s.welch(
        x, nperseg=24, average="median", scaling="spectrum", detrend="linear"
    ),
    "welch-2d-axis0": lambda s, x: s.welch(_SIGNAL2.T, nperseg=16, axis=0),
    "csd": lambda s, x: s.csd(x, np.cos(x), nperseg=16),
    "csd-median": lambda s, x: s.csd(x, x[::-1], nperseg=32, average="median"),
    "istft": lambda s, x: s.istft(s.stft(x, nperseg=16)[2], nperseg=16),
    "istft-2d": lambda s, x: s.istft(s.stft(_SIGNAL2, nperseg=16)[2]),
}


@pytest.mark.parametrize("name", sorted(SPECTRAL))
def test_spectral_estimators_match_jax(name):
    """stft / istft / csd / welch: JAX's algorithm (jnp.fft over windowed
    segments), values, dtypes and shapes against JAX."""
    got = SPECTRAL[name](msig, _SIGNAL)
    want = SPECTRAL[name](jsig, _SIGNAL)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        g, w = np.asarray(g), np.asarray(w)
        assert g.shape == w.shape and g.dtype == w.dtype, (name, g.shape, g.dtype, w.shape, w.dtype)
        np.testing.assert_allclose(g, w, rtol=2e-4, atol=2e-5 * max(1.0, np.abs(w).max()))
    if name == "istft":  # the round trip gives the signal back
        np.testing.assert_allclose(np.asarray(got[1])[: _SIGNAL.size], _SIGNAL, atol=1e-5)


def test_spectral_estimators_errors_and_jit():
    with pytest.raises(ValueError, match="noverlap must be less than nperseg"):
        msig.stft(_SIGNAL, nperseg=8, noverlap=8)
    with pytest.raises(ValueError, match="Unknown boundary"):
        msig.stft(_SIGNAL, nperseg=8, boundary="bad")
    with pytest.raises(ValueError, match="average must be"):
        msig.welch(_SIGNAL, nperseg=8, average="bad")
    f = mlax.jit(lambda x: msig.welch(x, nperseg=32)[1])
    np.testing.assert_allclose(
        np.asarray(f(_SIGNAL)), np.asarray(jsig.welch(_SIGNAL, nperseg=32)[1]), rtol=2e-4, atol=1e-6
    )


# ---------------------------------------------------------------------------
# ndimage
# ---------------------------------------------------------------------------

COORDS = [
    np.array([1.5, -0.7, 2.2, 3.9, 0.0, 5.3], np.float32),
    np.array([-0.5, 1.25, 4.6, 2.0, 6.1, -1.8], np.float32),
]


@pytest.mark.parametrize("order", [0, 1])
def test_map_coordinates(order):
    for mode in ["constant", "nearest", "wrap", "mirror", "reflect"]:
        got = mnd.map_coordinates(X2, COORDS, order, mode=mode, cval=0.5)
        close(got, jnd.map_coordinates(X2, COORDS, order, mode=mode, cval=0.5), 1e-5)
    xi = (X2 * 10).astype(np.int32)
    close(mnd.map_coordinates(xi, COORDS, order), jnd.map_coordinates(xi, COORDS, order))


def test_map_coordinates_grad_and_errors():
    def loss(mod):
        return lambda im, x: (mod.map_coordinates(im, [x, COORDS[1]], 1, mode="mirror") ** 2).sum()

    got = mlax.grad(loss(mnd), argnums=(0, 1))(X2, COORDS[0])
    want = jax.grad(loss(jnd), argnums=(0, 1))(X2, COORDS[0])
    for g, w in zip(got, want):
        close(g, w, 1e-4)
    with pytest.raises(NotImplementedError):
        mnd.map_coordinates(X2, COORDS, 3)
    with pytest.raises(NotImplementedError):
        mnd.map_coordinates(X2, COORDS, 1, mode="grid-wrap")
    with pytest.raises(ValueError):
        mnd.map_coordinates(X2, COORDS[:1], 1)


# ---------------------------------------------------------------------------
# interpolate
# ---------------------------------------------------------------------------

GRID = (np.array([0.0, 1.0, 2.5, 4.0], np.float32), np.array([-1.0, 0.0, 1.0], np.float32))
VALS = RNG.standard_normal((4, 3)).astype(np.float32)
XI = np.array([[0.5, 0.2], [3.9, -0.9], [-1.0, 0.0], [2.5, 1.5], [1.2, 0.7]], np.float32)


@pytest.mark.parametrize("method", ["linear", "nearest"])
def test_regular_grid_interpolator(method):
    for fill in [np.nan, None, 0.5]:
        got = minterp.RegularGridInterpolator(GRID, VALS, method=method, fill_value=fill)(XI)
        want = jinterp.RegularGridInterpolator(GRID, VALS, method=method, fill_value=fill)(XI)
        close(got, want)
    v3 = np.stack([VALS, -VALS], axis=-1)
    got = minterp.RegularGridInterpolator(GRID, v3, method=method)((XI[:, 0], XI[:, 1]))
    close(got, jinterp.RegularGridInterpolator(GRID, v3, method=method)((XI[:, 0], XI[:, 1])))


def test_regular_grid_interpolator_pytree_grad_errors():
    interp = minterp.RegularGridInterpolator(GRID, VALS, fill_value=None)
    leaves = mlax.tree_util.tree_leaves(interp)
    assert len(leaves) == len(
        jax.tree_util.tree_leaves(jinterp.RegularGridInterpolator(GRID, VALS, fill_value=None))
    )
    close(mlax.jit(lambda it, x: it(x))(interp, XI), jinterp.RegularGridInterpolator(GRID, VALS, fill_value=None)(XI))  # fmt: skip
    got = mlax.grad(lambda v: minterp.RegularGridInterpolator(GRID, v)(XI[:2]).sum())(VALS)
    want = jax.grad(lambda v: jinterp.RegularGridInterpolator(GRID, v)(XI[:2]).sum())(VALS)
    close(got, want)
    with pytest.raises(ValueError):
        minterp.RegularGridInterpolator(GRID, VALS, method="cubic")
    with pytest.raises(NotImplementedError):
        minterp.RegularGridInterpolator(GRID, VALS, bounds_error=True)
    with pytest.raises(ValueError):
        minterp.RegularGridInterpolator(GRID + GRID[:1], VALS)


# ---------------------------------------------------------------------------
# fft
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("norm", [None, "ortho"])
def test_dct_idct(norm):
    for kw in [{}, {"n": 7}, {"n": 3, "axis": 0}]:
        close(mfft.dct(X2, norm=norm, **kw), jfft.dct(X2, norm=norm, **kw), 1e-4)
        close(mfft.idct(X2, norm=norm, **kw), jfft.idct(X2, norm=norm, **kw), 1e-4)
    for kw in [{}, {"axes": (1, 0), "s": (2, 6)}]:
        close(mfft.dctn(X2, norm=norm, **kw), jfft.dctn(X2, norm=norm, **kw), 1e-4)
        close(mfft.idctn(X2, norm=norm, **kw), jfft.idctn(X2, norm=norm, **kw), 1e-4)


def test_dct_dtypes_grad_errors():
    close(mfft.dct(np.arange(5)), jfft.dct(np.arange(5)), 1e-4)
    close(mfft.idct(np.arange(5)), jfft.idct(np.arange(5)), 1e-4)
    np.testing.assert_allclose(np.asarray(mfft.idct(mfft.dct(X1))), X1, rtol=1e-5, atol=1e-5)
    got = mlax.grad(lambda v: (mfft.dctn(v, norm="ortho") ** 3).sum())(X2)
    want = jax.grad(lambda v: (jfft.dctn(v, norm="ortho") ** 3).sum())(X2)
    close(got, want, 1e-4)
    with pytest.raises(NotImplementedError):
        mfft.dct(X1, type=3)
    with pytest.raises(ValueError):
        mfft.idct(X1, norm="forward")
    with pytest.raises(TypeError):
        mfft.dct([1.0, 2.0])
    with pytest.raises(ValueError):
        mfft.dctn(X2, s=(1, 2, 3))


# ---------------------------------------------------------------------------
# linalg extras
# ---------------------------------------------------------------------------

C3 = np.array([1.0, 2.0, 3.0], np.float32)
R4 = np.array([4.0, 5.0, 6.0, 7.0], np.float32)
CONSTRUCTORS = [
    ("hankel", (C3,)),
    ("hankel", (C3, R4)),
    ("hankel", (np.arange(1, 4),)),
    ("hankel", (np.stack([C3, 2 * C3]), R4)),
    ("circulant", (C3,)),
    ("circulant", (np.stack([C3, C3 + 1]),)),
    ("leslie", (R4, C3)),
    ("leslie", (np.arange(4), np.arange(3))),
    ("companion", (R4,)),
    ("companion", (np.arange(1, 4),)),
    ("fiedler", (C3,)),
    ("fiedler", (np.arange(3),)),
    ("fiedler_companion", (R4,)),
    ("fiedler_companion", (np.array([2.0, 3.0, 1.0, 4.0, 5.0, 6.0], np.float32),)),
    ("fiedler_companion", (np.array([2.0, 3.0], np.float32),)),
    ("convolution_matrix", (C3, 5)),
    ("convolution_matrix", (np.arange(1, 4), 2, "same")),
    ("convolution_matrix", (R4, 3, "valid")),
    ("hilbert", (4,)),
    ("invhilbert", (4,)),
    ("pascal", (5,)),
    ("pascal", (4, "lower")),
    ("pascal", (4, "upper")),
    ("invpascal", (5,)),
    ("invpascal", (4, "upper")),
    ("helmert", (4,)),
    ("helmert", (5, True)),
    ("hadamard", (8,)),
    ("hadamard", (4, np.float32)),
]


def test_constructors():
    for name, args in CONSTRUCTORS:
        tol = 2e-3 if name.startswith("inv") else 1e-4
        close(getattr(mla, name)(*args), getattr(jla, name)(*args), tol)


def test_constructor_errors():
    cases = [
        (lambda m: m.hankel(1.0), ValueError),
        (lambda m: m.leslie(R4, R4), ValueError),
        (lambda m: m.companion(np.ones(1)), ValueError),
        (lambda m: m.convolution_matrix(C3, 0), ValueError),
        (lambda m: m.convolution_matrix(C3, 2, "bad"), ValueError),
        (lambda m: m.pascal(3, "diag"), ValueError),
        (lambda m: m.hadamard(6), ValueError),
        (lambda m: m.helmert(0), ValueError),
    ]
    for fn, exc in cases:
        with pytest.raises(exc):
            fn(jla)
        with pytest.raises(exc):
            fn(mla)


A43 = RNG.standard_normal((4, 3)).astype(np.float32)
SQ3 = RNG.standard_normal((3, 3)).astype(np.float32)


def test_polar_qr_multiply():
    for side, a in [("right", A43), ("left", A43.T)]:
        for method in ["qdwh", "svd"]:
            for g, w in zip(mla.polar(a, side, method=method), jla.polar(a, side, method=method)):
                close(g, w, 1e-4)
    with pytest.raises(NotImplementedError):
        mla.polar(A43.T, "right")
    with pytest.raises(ValueError):
        mla.polar(A43, "up")
    for a in [A43, A43.T]:
        m, n = a.shape
        k = min(m, n)
        for mode, c in [("left", X2[:k, :2]), ("left", X1[:k]), ("right", X2[:2, :m]), ("right", X1[:m])]:  # fmt: skip
            for g, w in zip(mla.qr_multiply(a, c, mode), jla.qr_multiply(a, c, mode)):
                close(g, w, 1e-4)
    with pytest.raises(ValueError):
        mla.qr_multiply(A43, X1[:3], "right")
    with pytest.raises(ValueError):
        mla.qr_multiply(A43, X1[:3], "middle")


def test_eigh_tridiagonal_expm_frechet():
    d, e = X1, K1[:2].copy()
    d4 = X1[:4]
    e3 = np.concatenate([K1, [0.3]]).astype(np.float32)[:3]
    close(mla.eigh_tridiagonal(d4, e3, eigvals_only=True), jla.eigh_tridiagonal(d4, e3, eigvals_only=True), 1e-4)  # fmt: skip
    w, v = mla.eigh_tridiagonal(d4, e3)
    wj, vj = jla.eigh_tridiagonal(d4, e3)
    close(w, wj, 1e-4)
    close(np.abs(np.asarray(v)), np.abs(np.asarray(vj)), 1e-3)  # eigenvectors up to sign
    kw = {"eigvals_only": True, "select": "i", "select_range": (1, 2)}
    close(mla.eigh_tridiagonal(d4, e3, **kw), jla.eigh_tridiagonal(d4, e3, **kw), 1e-4)
    with pytest.raises(TypeError):
        mla.eigh_tridiagonal(d, e.astype(np.int32))
    with pytest.raises(NotImplementedError):
        mla.eigh_tridiagonal(d4, e3, select="v", select_range=(0.0, 1.0))
    e33 = RNG.standard_normal((3, 3)).astype(np.float32)
    for g, w in zip(mla.expm_frechet(SQ3, e33), jla.expm_frechet(SQ3, e33)):
        close(g, w, 1e-4)
    close(mla.expm_frechet(SQ3, e33, compute_expm=False), jla.expm_frechet(SQ3, e33, compute_expm=False), 1e-4)  # fmt: skip
    with pytest.raises(ValueError):
        mla.expm_frechet(SQ3, A43)


def test_hessenberg_solve_sylvester():
    h5 = RNG.standard_normal((5, 5)).astype(np.float32)
    close(mla.hessenberg(h5), jla.hessenberg(h5), 1e-4)
    batch = np.stack([h5, h5.T])
    for g, w in zip(mla.hessenberg(batch, calc_q=True), jla.hessenberg(batch, calc_q=True)):
        close(g, w, 1e-4)
    a = SQ3 + 3 * np.eye(3, dtype=np.float32)
    b = K2[:, :2] + 2 * np.eye(2, dtype=np.float32)
    c = X2[:3, :2]
    close(mla.solve_sylvester(a, b, c), jla.solve_sylvester(a, b, c), 1e-4)
    with pytest.raises(ValueError):
        mla.solve_sylvester(a, b, X2)


def test_polar_grad_and_jit():
    def loss(mod):
        return lambda a, c, r: (
            mod.polar(a, method="svd")[1].sum()
            + (mod.hankel(c, r) ** 2).sum()
            + (mod.circulant(c) * a).sum()
        )

    got = mlax.grad(loss(mla), argnums=(0, 1, 2))(SQ3, C3, R4)
    want = jax.grad(loss(jla), argnums=(0, 1, 2))(SQ3, C3, R4)
    for g, w in zip(got, want):
        close(g, w, 1e-3)
    close(mlax.jit(lambda c: mla.circulant(c))(C3), jla.circulant(jjnp.asarray(C3)))


# ---------------------------------------------------------------------------
# spatial.transform
# ---------------------------------------------------------------------------


def test_rotation():
    from jax.scipy.spatial.transform import Rotation as JR
    from mlax.scipy.spatial.transform import Rotation as MR

    q = RNG.standard_normal((3, 4)).astype(np.float32)
    mr, jr = MR.from_quat(q), JR.from_quat(q)
    close(mr.quat, jr.quat)
    for name in ["as_matrix", "as_mrp", "as_rotvec", "magnitude"]:
        close(getattr(mr, name)(), getattr(jr, name)())
    kw = {"canonical": True, "scalar_first": True}
    close(mr.as_quat(**kw), jr.as_quat(**kw))
    for seq in ["xyz", "ZXZ"]:
        close(mr.as_euler(seq), jr.as_euler(seq), 1e-4)
        close(MR.from_euler(seq, X2[:2, :3]).quat, JR.from_euler(seq, X2[:2, :3]).quat)
    gimbal = np.array([0.3, np.pi / 2, 0.2], np.float32)  # a degenerate Euler case
    close(MR.from_euler("xyz", gimbal).as_euler("xyz"), JR.from_euler("xyz", gimbal).as_euler("xyz"), 1e-3)  # fmt: skip
    close(MR.from_matrix(np.asarray(jr.as_matrix())).quat, JR.from_matrix(jr.as_matrix()).quat)
    close(MR.from_rotvec(SQ3).quat, JR.from_rotvec(SQ3).quat)
    close(MR.from_mrp(SQ3).quat, JR.from_mrp(SQ3).quat)
    close(mr.apply(SQ3), jr.apply(SQ3))
    close(mr.apply(SQ3, inverse=True), jr.apply(SQ3, inverse=True))
    close((mr * mr[::-1].inv()).quat, (jr * jr[::-1].inv()).quat)
    close(MR.concatenate([mr, mr[:1]]).quat, JR.concatenate([jr, jr[:1]]).quat)
    close(MR.identity().quat, JR.identity().quat)
    assert len(mr) == 3 and mr[0].single
    close(
        np.abs(np.asarray(mr.mean().quat)), np.abs(np.asarray(jr.mean().quat)), 1e-4
    )  # up to sign
    with pytest.raises(TypeError):
        len(mr[0])
    with pytest.raises(ValueError):
        MR.from_euler("xxy", SQ3[0])
    got = mlax.grad(lambda a: MR.from_euler("xyz", a).apply(SQ3).sum())(SQ3[0])
    want = jax.grad(lambda a: JR.from_euler("xyz", a).apply(SQ3).sum())(SQ3[0])
    close(got, want, 1e-4)


def test_slerp():
    from jax.scipy.spatial.transform import Rotation as JR
    from jax.scipy.spatial.transform import Slerp as JS
    from mlax.scipy.spatial.transform import Rotation as MR
    from mlax.scipy.spatial.transform import Slerp as MS

    q = RNG.standard_normal((3, 4)).astype(np.float32)
    times = np.array([0.0, 1.0, 3.0], np.float32)
    ms, js = MS.init(times, MR.from_quat(q)), JS.init(times, JR.from_quat(q))
    t = np.array([0.0, 0.5, 1.2, 2.9], np.float32)
    close(ms(t).quat, js(t).quat)
    close(ms(0.7).quat, js(0.7).quat)
    assert len(mlax.tree_util.tree_leaves(ms)) == len(jax.tree_util.tree_leaves(js))
    close(mlax.jit(lambda s, x: s(x).quat)(ms, t), js(t).quat)
    with pytest.raises(ValueError):
        MS.init(times[:2], MR.from_quat(q))
