"""mlax.image against jax.image (live): resize with every method, up- and
downsampling, antialias on and off, 1-D to 4-D images with batch/channel
dimensions kept, dtypes, jit and eager, gradients (image, scale,
translation) against jax.grad, vmap against a loop, and the errors JAX
raises. Shapes are small: each new shape is one compile."""

import jax
import ml_dtypes
import mlax
import numpy as np
import pytest
from conftest import assert_allclose

METHODS = ["nearest", "linear", "cubic", "lanczos3", "lanczos5", "cubic-pytorch", "area"]
RNG = np.random.default_rng(0)
IMAGE = RNG.standard_normal((2, 5, 7, 3)).astype(np.float32)


def _check(got, want, **kw):
    """Values to float rounding: the outputs are sums of O(1) products, so
    float32 gets an absolute tolerance on that scale (cancellation)."""
    want = np.asarray(want)
    if want.dtype == np.float32 and not kw:
        kw = {"rtol": 1e-5, "atol": 1e-5}
    assert_allclose(got, want, want.dtype, **kw)


@pytest.mark.parametrize("antialias", [True, False])
@pytest.mark.parametrize("method", METHODS)
def test_resize_matches_jax(method, antialias):
    # one dimension upsampled and one downsampled; batch and channel kept
    shape = (2, 9, 4, 3)
    got = mlax.image.resize(IMAGE, shape, method, antialias=antialias)
    want = jax.image.resize(IMAGE, shape, method, antialias=antialias)
    _check(got, want)


@pytest.mark.parametrize(
    "in_shape,out_shape,method",
    [
        ((6,), (11,), "linear"),  # 1-D upsample
        ((11,), (4,), "lanczos3"),  # 1-D downsample
        ((4, 5, 3), (7, 3, 3), "cubic"),  # 2-D with channels
        ((3, 4, 5), (5, 4, 3), "area"),  # middle dimension kept
        ((1, 4, 3, 5, 2), (1, 6, 2, 7, 2), "trilinear"),  # 3-D with batch/channels
        ((2, 5, 4), (2, 3, 9), "nearest"),
        ((3, 4), (3, 4), "lanczos5"),  # identity: the input comes back
    ],
)
def test_resize_ranks(in_shape, out_shape, method):
    x = RNG.standard_normal(in_shape).astype(np.float32)
    got = mlax.image.resize(x, out_shape, method)
    _check(got, jax.image.resize(x, out_shape, method))
    if in_shape == out_shape:
        np.testing.assert_array_equal(np.asarray(got), x)


@pytest.mark.parametrize("method", ["linear", "bilinear", "triangle", "bicubic", "tricubic"])
def test_method_aliases(method):
    x = IMAGE[0, :, :, 0]
    _check(mlax.image.resize(x, (3, 9), method), jax.image.resize(x, (3, 9), method))


def test_resize_method_enum():
    assert [m.name for m in mlax.image.ResizeMethod] == [m.name for m in jax.image.ResizeMethod]
    assert [m.value for m in mlax.image.ResizeMethod] == [m.value for m in jax.image.ResizeMethod]
    names = [
        "nearest",
        "linear",
        "bilinear",
        "trilinear",
        "triangle",
        "cubic",
        "bicubic",
        "tricubic",
        "cubic-pytorch",
        "bicubic-pytorch",
        "lanczos3",
        "lanczos5",
        "area",
    ]
    for s in names:
        assert mlax.image.ResizeMethod.from_string(s).name == (
            jax.image.ResizeMethod.from_string(s).name
        )
    with pytest.raises(ValueError, match="Unknown resize method"):
        mlax.image.ResizeMethod.from_string("bogus")
    x = IMAGE[0, :, :, 0]
    got = mlax.image.resize(x, (3, 9), mlax.image.ResizeMethod.LANCZOS3)
    _check(got, jax.image.resize(x, (3, 9), jax.image.ResizeMethod.LANCZOS3))


@pytest.mark.parametrize(
    "dtype",
    [np.float16, ml_dtypes.bfloat16, np.int32, np.uint8, np.bool_],
    ids=["f16", "bf16", "i32", "u8", "bool"],
)
@pytest.mark.parametrize("method", ["nearest", "cubic"])
def test_resize_dtypes(dtype, method):
    x = (IMAGE[0, :, :, 0] * 4).astype(dtype)
    got = mlax.image.resize(x, (8, 3), method)
    want = jax.image.resize(x, (8, 3), method)
    assert got.dtype == want.dtype  # nearest keeps it; ints/bools become float32
    if method == "cubic" and dtype in (np.float16, ml_dtypes.bfloat16):
        # JAX rounds the weights and accumulates in the low-precision dtype too
        _check(got, want, rtol=2e-2, atol=2e-2)
    else:
        _check(got, want)


def test_resize_python_scalar_and_zero_size():
    got = mlax.image.resize(3.0, (), "linear")
    want = jax.image.resize(3.0, (), "linear")
    assert got.weak_type == want.weak_type
    _check(got, want)
    x = IMAGE[0, :, :, 0]
    for method in ("linear", "nearest"):
        got = mlax.image.resize(x, (0, 8), method)
        assert got.shape == jax.image.resize(x, (0, 8), method).shape


def test_resize_jit_and_eager():
    x = IMAGE[:, :, :, 0]

    def f(x):
        return mlax.image.resize(x * 2.0, (2, 3, 10), "lanczos3", antialias=False)

    eager = f(x)
    jitted = mlax.jit(f)(x)
    want = jax.image.resize(x * 2.0, (2, 3, 10), "lanczos3", antialias=False)
    _check(eager, want)
    _check(jitted, want)


@pytest.mark.parametrize("method", ["nearest", "linear", "lanczos3", "area"])
def test_resize_grad(method):
    x = IMAGE[0, :, :, 0]
    w = RNG.standard_normal((8, 4)).astype(np.float32)

    def loss(img, lib):
        return (lib.image.resize(img, (8, 4), method) * w).sum()

    got = mlax.grad(lambda v: loss(v, mlax))(x)
    want = jax.grad(lambda v: loss(v, jax))(x)
    _check(got, want, rtol=1e-5, atol=1e-5)


def test_resize_vmap_matches_loop():
    xs = IMAGE[..., 0]  # (2, 5, 7): map over the first axis

    def f(v):
        return mlax.image.resize(v, (3, 9), "cubic")

    got = mlax.vmap(f)(xs)
    loop = np.stack([np.asarray(f(v)) for v in xs])
    np.testing.assert_allclose(np.asarray(got), loop, rtol=1e-5, atol=1e-6)
    _check(got, jax.vmap(lambda v: jax.image.resize(v, (3, 9), "cubic"))(xs))


SCALE = np.array([1.7, 0.6], np.float32)
TRANSLATION = np.array([0.3, -0.4], np.float32)


@pytest.mark.parametrize(
    "method,antialias",
    [
        ("linear", True),
        ("linear", False),
        ("cubic", True),
        ("lanczos5", False),
        ("cubic-pytorch", False),
        ("area", True),
    ],
)
def test_scale_and_translate_matches_jax(method, antialias):
    args = (IMAGE[0, :, :, 0], (7, 4), (0, 1), SCALE, TRANSLATION, method)
    got = mlax.image.scale_and_translate(*args, antialias=antialias)
    _check(got, jax.image.scale_and_translate(*args, antialias=antialias))


def test_scale_and_translate_dims_and_dtypes():
    # a subset of the dimensions, given negatively; integer scale/translation
    x = IMAGE[0]  # (5, 7, 3)
    s, t = np.array([2]), np.array([1])
    got = mlax.image.scale_and_translate(x, (5, 12, 3), (-2,), s, t, "linear")
    want = jax.image.scale_and_translate(x, (5, 12, 3), (-2,), s, t, "linear")
    _check(got, want)
    # no spatial dimensions: the (promoted) image comes back
    xi = np.arange(6, dtype=np.int32).reshape(2, 3)
    e = np.zeros((0,), np.float32)
    got = mlax.image.scale_and_translate(xi, (2, 3), (), e, e, "linear")
    _check(got, jax.image.scale_and_translate(xi, (2, 3), (), e, e, "linear"))


def test_scale_and_translate_grad_and_jit():
    x = IMAGE[0, :, :, 0]
    w = RNG.standard_normal((7, 4)).astype(np.float32)

    def loss(lib, img, s, t):
        out = lib.image.scale_and_translate(img, (7, 4), (0, 1), s, t, "cubic")
        return (out * w).sum() + (out**2).sum()

    got = mlax.jit(mlax.grad(lambda *a: loss(mlax, *a), argnums=(0, 1, 2)))(x, SCALE, TRANSLATION)
    want = jax.grad(lambda *a: loss(jax, *a), argnums=(0, 1, 2))(x, SCALE, TRANSLATION)
    for g, h in zip(got, want):
        _check(g, h, rtol=1e-4, atol=1e-4)


def test_scale_and_translate_vmap_over_scale():
    x = IMAGE[0, :, :, 0]
    scales = np.stack([SCALE, SCALE * 1.3, SCALE * 0.5])

    def f(lib, s):
        return lib.image.scale_and_translate(x, (7, 4), (0, 1), s, TRANSLATION, "linear")

    got = mlax.vmap(lambda s: f(mlax, s))(scales)
    loop = np.stack([np.asarray(f(mlax, s)) for s in scales])
    np.testing.assert_allclose(np.asarray(got), loop, rtol=1e-5, atol=1e-6)
    _check(got, jax.vmap(lambda s: f(jax, s))(scales))


def _raised(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001 - the type is what is compared
        return type(e)
    return None


S2, T2 = np.array([2.0, 2.0], np.float32), np.array([0.0, 0.0], np.float32)
X2 = IMAGE[0, :, :, 0]


def _st(lib, image=X2, shape=(6, 8), dims=(0, 1), scale=S2, translation=T2, method="linear"):
    return lib.image.scale_and_translate(image, shape, dims, scale, translation, method)


ERRORS = {
    "resize-rank-long": lambda lib: lib.image.resize(X2, (6, 8, 1), "linear"),
    "resize-rank-short": lambda lib: lib.image.resize(X2, (6,), "linear"),
    "resize-unknown-method": lambda lib: lib.image.resize(X2, (6, 8), "bogus"),
    "resize-method-none": lambda lib: lib.image.resize(X2, (6, 8), None),
    "resize-float-shape": lambda lib: lib.image.resize(X2, (6.0, 8), "linear"),
    "resize-list-image": lambda lib: lib.image.resize(X2.tolist(), (6, 8), "linear"),
    "st-rank": lambda lib: _st(lib, shape=(6, 8, 1)),
    "st-nearest": lambda lib: _st(lib, method="nearest"),
    "st-unknown-method": lambda lib: _st(lib, method="bogus"),
    "st-too-few-dims": lambda lib: _st(lib, dims=(0,)),
    "st-dim-out-of-range": lambda lib: _st(lib, dims=(0, 5)),
    "st-list-scale": lambda lib: _st(lib, scale=[2.0, 2.0]),
    "st-scalar-scale": lambda lib: _st(lib, scale=2.0, translation=0.0),
    "st-list-image": lambda lib: _st(lib, image=X2.tolist()),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_match_jax(name):
    want = _raised(lambda: ERRORS[name](jax))
    assert want is not None
    assert _raised(lambda: ERRORS[name](mlax)) is want
