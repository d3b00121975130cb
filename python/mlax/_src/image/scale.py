"""jax.image's `resize`, `scale_and_translate` and `ResizeMethod`, computed
as JAX 0.10 computes them (jax/_src/image/scale.py).

Each resampled dimension gets a dense (input size x output size) weight
matrix: the kernel (triangle, Keys cubic, OpenCV cubic, Lanczos 3/5, or the
AREA overlaps) evaluated at the distance between every input pixel centre
and every output sample position, widened by the inverse scale when
downsampling with `antialias`, normalised per output pixel, and zeroed where
the sample falls outside the input. The image is then contracted with each
matrix in turn (one dot_general per dimension). Nearest-neighbour resizing
is a gather of the nearest input index per dimension.

resize's weights depend only on static sizes: they are computed on the host
(NumPy, in JAX's dtype) and embedded as constants, which keeps the compiled
program small. scale_and_translate's depend on its (possibly traced) scale
and translation and are mlax ops, so gradients and vmap reach them.
"""

import enum
import operator
import types

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..lax.extras import Precision as _Precision
from ..numpy import creation, reductions
from ..numpy import ufuncs as uf
from ..numpy.util import asarray, broadcast_to
from ..transforms.jit import jit


class ResizeMethod(enum.Enum):
    """Image resize method (jax.image.ResizeMethod).

    NEAREST: nearest-neighbour interpolation. LINEAR: linear interpolation
    (a triangle filter). LANCZOS3, LANCZOS5: Lanczos resampling with a kernel
    of radius 3 or 5. CUBIC: cubic interpolation with the Keys kernel
    (A = -0.5). CUBIC_PYTORCH: PyTorch's bicubic resize (CUBIC with
    antialias; without it the A = -0.75 kernel with replicated edges). AREA:
    each output pixel averages the input pixels its area covers.
    """

    NEAREST = 0
    LINEAR = 1
    LANCZOS3 = 2
    LANCZOS5 = 3
    CUBIC = 4
    CUBIC_PYTORCH = 5
    AREA = 6

    @staticmethod
    def from_string(s: str):
        """The method named by `s` ('nearest', 'linear'/'bilinear'/
        'trilinear'/'triangle', 'cubic'/'bicubic'/'tricubic',
        'cubic-pytorch'/'bicubic-pytorch', 'lanczos3', 'lanczos5', 'area');
        ValueError for any other string."""
        method = _NAMES.get(s) if isinstance(s, str) else None
        if method is None:
            raise ValueError(f'Unknown resize method "{s}"')
        return method


_NAMES = {
    "nearest": ResizeMethod.NEAREST,
    "linear": ResizeMethod.LINEAR,
    "bilinear": ResizeMethod.LINEAR,
    "trilinear": ResizeMethod.LINEAR,
    "triangle": ResizeMethod.LINEAR,
    "lanczos3": ResizeMethod.LANCZOS3,
    "lanczos5": ResizeMethod.LANCZOS5,
    "cubic": ResizeMethod.CUBIC,
    "bicubic": ResizeMethod.CUBIC,
    "tricubic": ResizeMethod.CUBIC,
    "cubic-pytorch": ResizeMethod.CUBIC_PYTORCH,
    "bicubic-pytorch": ResizeMethod.CUBIC_PYTORCH,
    "area": ResizeMethod.AREA,
}


# ---------------------------------------------------------------------------
# Weight matrices. resize's are constants, computed on the host with NumPy in
# the dtype JAX computes them in (float32, float64 with x64) and embedded in
# the program; scale_and_translate's depend on its (possibly traced) scale
# and translation and are mlax ops. The same code serves both through `xp`.
# ---------------------------------------------------------------------------


def _np_scatter_add(mat, rows, cols, w):
    mat = mat.copy()
    np.add.at(mat, (rows, cols), w)
    return mat


_HOST = types.SimpleNamespace(
    arange=np.arange,
    abs=np.abs,
    maximum=np.maximum,
    minimum=np.minimum,
    sin=np.sin,
    where=np.where,
    sum=np.sum,
    divide=np.divide,
    logical_and=np.logical_and,
    clip=np.clip,
    zeros=np.zeros,
    broadcast_to=np.broadcast_to,
    astype=lambda a, dtype: np.asarray(a).astype(dtype),
    scalar=lambda v, dtype: np.asarray(v, dtype),  # a weakly typed scalar in JAX
    scatter_add=_np_scatter_add,
)

_TRACED = types.SimpleNamespace(
    arange=creation.arange,
    abs=uf.abs,
    maximum=uf.maximum,
    minimum=uf.minimum,
    sin=uf.sin,
    where=uf.where,
    sum=reductions.sum,
    divide=uf.divide,
    logical_and=uf.logical_and,
    clip=uf.clip,
    zeros=creation.zeros,
    broadcast_to=broadcast_to,
    astype=lax.convert_element_type,
    scalar=lambda v, dtype: v,
    scatter_add=lambda mat, rows, cols, w: mat.at[rows, cols].add(w),
)


# Kernels: functions of the (non-negative) distance x, in x's dtype.


def _triangle(xp, x):
    return xp.maximum(0, 1 - xp.abs(x))


def _keys_cubic(xp, x):
    # Keys (1981), A = -0.5: 1.5|x|^3 - 2.5|x|^2 + 1 on [0, 1),
    # -0.5|x|^3 + 2.5|x|^2 - 4|x| + 2 on [1, 2), 0 beyond.
    inner = ((1.5 * x - 2.5) * x) * x + 1.0
    outer = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return xp.where(x >= 2.0, 0.0, xp.where(x >= 1.0, outer, inner))


def _opencv_cubic(xp, x):
    # The cubic convolution kernel with A = -0.75 (OpenCV's, and PyTorch's
    # without antialiasing)
    a = -0.75
    inner = ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0
    outer = ((a * x - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a
    return xp.where(x >= 2.0, 0.0, xp.where(x >= 1.0, outer, inner))


def _lanczos(radius):
    def kernel(xp, x):
        num = radius * xp.sin(np.pi * x) * xp.sin(np.pi * x / radius)
        # num / (pi^2 x^2), with the x -> 0 limit 1 (and no 0/0 on either
        # branch, so the derivative stays finite)
        den = xp.where(x != 0, np.pi**2 * x**2, 1)
        out = xp.where(x > 1e-3, xp.divide(num, den), 1)
        return xp.where(x > radius, 0.0, out)

    return kernel


_AREA = object()  # AREA has no kernel: its weights are interval overlaps

# method -> (radius, kernel)
_KERNELS = {
    ResizeMethod.LINEAR: (1, _triangle),
    ResizeMethod.LANCZOS3: (3, _lanczos(3.0)),
    ResizeMethod.LANCZOS5: (5, _lanczos(5.0)),
    ResizeMethod.CUBIC: (2, _keys_cubic),
    ResizeMethod.CUBIC_PYTORCH: (2, _opencv_cubic),
    ResizeMethod.AREA: (1, _AREA),
}


def _kernel_for(method, antialias):
    """(radius, kernel, edge_padding): CUBIC_PYTORCH is CUBIC with
    antialias, and replicates the edge pixels without it."""
    if method == ResizeMethod.CUBIC_PYTORCH and antialias:
        method = ResizeMethod.CUBIC
    radius, kernel = _KERNELS[method]
    return radius, kernel, method == ResizeMethod.CUBIC_PYTORCH


def _normalise(xp, w):
    """Columns scaled to sum to 1; 0 where the sum is (nearly) 0."""
    total = xp.sum(w, axis=0, keepdims=True)
    safe_total = xp.where(total != 0, total, 1)
    return xp.where(
        xp.abs(total) > 1000.0 * float(np.finfo(np.float32).eps),
        xp.divide(w, safe_total),
        0,
    )


def _weight_matrix(xp, dtype, in_size, out_size, scale, translation, method, antialias):
    """The (in_size, out_size) resampling matrix of one dimension, in dtype.

    Output pixel j samples the input at position
    (j + 0.5 - translation) / scale - 0.5 (half-centred pixels); input pixel
    i contributes kernel(|sample_j - i| / kernel_scale), where kernel_scale
    is the inverse scale when downsampling with antialias (a low-pass
    filter) and 1 otherwise. Columns are normalised to sum to 1 (0 where the
    sum is ~0) and zeroed where the sample lies outside the input.

    With edge padding (CUBIC_PYTORCH without antialias) the kernel also
    covers `radius` virtual pixels past each edge, whose weight goes to the
    edge pixel (a scatter-add), and no sample is zeroed. AREA weighs input
    pixel i by the length of [i, i + 1] inside the output pixel's preimage."""
    radius, kernel, edge_pad = _kernel_for(method, antialias)
    inv_scale = 1.0 / scale
    kernel_scale = xp.scalar(xp.maximum(inv_scale, 1.0), dtype) if antialias else 1.0
    sample = (xp.arange(out_size, dtype=dtype) + 0.5) * inv_scale
    sample = sample - translation * inv_scale - 0.5
    k = radius if edge_pad else 0
    pixels = xp.arange(-k, in_size + k, dtype=dtype)
    if kernel is _AREA:
        lo = xp.arange(out_size, dtype=dtype) * inv_scale - translation * inv_scale
        hi = lo + inv_scale
        pixel_lo = xp.arange(in_size, dtype=dtype)
        pixel_hi = pixel_lo + 1.0
        right = xp.minimum(hi[None, :], pixel_hi[:, None])
        left = xp.maximum(lo[None, :], pixel_lo[:, None])
        w = xp.maximum(0.0, right - left)
    else:
        # XLA (and mlax) divide by a scalar as a multiply by its reciprocal
        w = kernel(xp, xp.abs(sample[None, :] - pixels[:, None]) * (1.0 / kernel_scale))
    if edge_pad:
        rows = xp.clip(xp.astype(pixels, np.int32), 0, in_size - 1)
        cols = xp.broadcast_to(xp.arange(out_size)[None, :], (in_size + 2 * k, out_size))
        mat = xp.zeros((in_size, out_size), dtype=dtype)
        return _normalise(xp, xp.scatter_add(mat, rows[:, None], cols, w))
    w = _normalise(xp, w)
    inside = xp.logical_and(sample >= -0.5, sample <= in_size - 0.5)
    return xp.where(inside[None, :], w, 0)


def _host_weights(in_size, out_size, scale, method, antialias, dtype):
    """resize's weight matrix as a NumPy constant in `dtype` (the image's),
    computed in JAX's dtype (the default float) and rounded once."""
    with np.errstate(all="ignore"):  # the discarded branch of Lanczos' where
        w = _weight_matrix(
            _HOST, dtypes.default_float(), in_size, out_size, scale, 0.0, method, antialias
        )
    return np.asarray(w, dtypes.default_float()).astype(dtype)


def _contract(x, dims, weights, precision):
    """x resampled along each of `dims` by its (in, out) weight matrix: one
    dot_general per dimension (the contracted axis is replaced by the output
    axis, appended last), then one transpose back to x's axis order."""
    ndim = aval_of(x).ndim
    order = list(range(ndim))  # order[k]: the original axis now at position k
    for d, w in zip(dims, weights):
        pos = order.index(d)
        x = lax.dot_general(x, w, (((pos,), (0,)), ((), ())), precision=precision)
        order = [a for a in order if a != d] + [d]
    perm = tuple(order.index(a) for a in range(ndim))
    return x if perm == tuple(range(ndim)) else lax.transpose(x, perm)


# ---------------------------------------------------------------------------
# Argument checks (JAX's exception types)
# ---------------------------------------------------------------------------


def _canonical_shape(shape):
    try:
        return tuple(operator.index(d) for d in shape)
    except TypeError:
        raise user_error(
            TypeError,
            f"Shapes must be 1D sequences of concrete values of integer type, got {shape!r}.",
        ) from None


def _check_rank(shape, image_shape):
    if len(shape) != len(image_shape):
        raise user_error(
            ValueError,
            "shape must have length equal to the number of dimensions of x;  "
            f"{shape} vs {tuple(image_shape)}",
        )


def _method(method):
    if isinstance(method, str):
        method = ResizeMethod.from_string(method)
    if not isinstance(method, ResizeMethod):  # JAX asserts this
        raise user_error(
            AssertionError, f"method must be a string or a ResizeMethod, got {method!r}"
        )
    return method


def _inexact_dtype(dt):
    """JAX's to_inexact_dtype: integers and booleans become float32
    (64-bit integers: float64 when x64 is on)."""
    if dtypes.is_float(dt):
        return np.dtype(dt)
    wide = np.dtype(dt).itemsize == 8 and np.dtype(dt).kind in "iu"
    return dtypes.canonicalize_dtype(np.float64 if wide else np.float32)


def _to_inexact(x):
    """JAX's promote_dtypes_inexact for one array."""
    a = aval_of(x)
    if dtypes.is_float(a.dtype):
        return x
    return lax.convert_element_type(x, _inexact_dtype(a.dtype), a.weak_type)


def _check_array(image, scalars=True):
    """JAX reads image.ndim: lists (and, in scale_and_translate, Python
    scalars) raise AttributeError."""
    if isinstance(image, (list, tuple)) or not (scalars or hasattr(image, "ndim")):
        raise user_error(AttributeError, f"{type(image).__name__!r} object has no attribute 'ndim'")


def _canonical_dim(d, ndim):
    d = operator.index(d)
    if not -ndim <= d < ndim:
        raise user_error(ValueError, f"axis {d} is out of bounds for array of dimension {ndim}")
    return d % ndim


# ---------------------------------------------------------------------------
# resize
# ---------------------------------------------------------------------------


def _resize_nearest(x, out_shape):
    for d, (m, n) in enumerate(zip(aval_of(x).shape, out_shape)):
        if m == n:
            continue
        # floor((j + 0.5) * m / n), computed in float32 as JAX does
        pos = (creation.arange(n, dtype=np.float32) + 0.5) * m / n
        idx = lax.convert_element_type(uf.floor(pos), np.int32)
        index = [slice(None)] * len(out_shape)
        index[d] = idx
        x = x[tuple(index)]
    return x


def _resize_impl(image, shape, method, antialias, precision):
    _check_rank(shape, aval_of(image).shape)
    method = _method(method)
    if method == ResizeMethod.NEAREST:
        return _resize_nearest(image, shape)
    image = _to_inexact(image)
    in_shape = aval_of(image).shape
    dtype = aval_of(image).dtype
    # Dimensions whose size is unchanged are skipped: every kernel here
    # interpolates, so the identity warp returns the input.
    dims = tuple(d for d in range(len(shape)) if in_shape[d] != shape[d])
    weights = [
        _host_weights(
            in_shape[d],
            shape[d],
            1.0 if shape[d] == 0 else shape[d] / in_shape[d],
            method,
            antialias,
            dtype,
        )
        for d in dims
    ]
    return _contract(image, dims, weights, precision)


_resize_jit = jit(_resize_impl, static_argnums=(1, 2, 3, 4))


def resize(image, shape, method, antialias=True, precision=_Precision.HIGHEST):
    """Image resize, as jax.image.resize.

    `shape` is the full output shape (batch and channel dimensions are left
    as they are by giving their size unchanged). `method` is a ResizeMethod
    or one of 'nearest', 'linear' ('bilinear', 'trilinear', 'triangle'),
    'cubic' ('bicubic', 'tricubic'), 'cubic-pytorch' ('bicubic-pytorch'),
    'lanczos3', 'lanczos5', 'area'. `antialias` widens the kernel when
    downsampling (no effect when upsampling, or for 'nearest' and 'area').
    `precision` is accepted (mlax's products run at full precision). Integer
    and boolean images give float32 (nearest keeps the dtype)."""
    shape = _canonical_shape(shape)
    _check_array(image)
    return _resize_jit(image, shape, method, antialias, precision)


# ---------------------------------------------------------------------------
# scale_and_translate
# ---------------------------------------------------------------------------


def _scale_and_translate_impl(
    image, scale, translation, shape, spatial_dims, method, antialias, precision
):
    image = _to_inexact(image)
    # JAX promotes scale and translation together to an inexact dtype
    dt, weak = dtypes.result_type(scale, translation, return_weak_type_flag=True)
    dt = _inexact_dtype(dt)
    scale = lax.convert_element_type(scale, dt, weak)
    translation = lax.convert_element_type(translation, dt, weak)
    ndim = len(shape)
    dims = tuple(_canonical_dim(d, ndim) for d in spatial_dims)
    in_shape = aval_of(image).shape
    weights = [
        lax.convert_element_type(
            _weight_matrix(
                _TRACED, dt, in_shape[d], shape[d], scale[i], translation[i], method, antialias
            ),
            aval_of(image).dtype,
        )
        for i, d in enumerate(dims)
    ]
    return _contract(image, dims, weights, precision)


_scale_and_translate_jit = jit(_scale_and_translate_impl, static_argnums=(3, 4, 5, 6, 7))


def scale_and_translate(
    image,
    shape,
    spatial_dims,
    scale,
    translation,
    method,
    antialias=True,
    precision=_Precision.HIGHEST,
):
    """Scale and translate an image, as jax.image.scale_and_translate.

    Along spatial_dims[k], input coordinate y maps to output coordinate
    y * scale[k] + translation[k] (half-centred pixels: pixel i sits at
    i + 0.5); each output pixel samples the input at the inverse warp of its
    centre, with the given method's kernel (widened by 1/scale when
    downsampling with `antialias`). Output pixels whose sample falls outside
    the input are 0. `scale` and `translation` are arrays of length
    len(spatial_dims) and may be traced (gradients flow to them).
    'nearest' is not supported (ValueError, as JAX)."""
    shape = _canonical_shape(shape)
    _check_array(image, scalars=False)
    image = asarray(image)
    _check_rank(shape, aval_of(image).shape)
    method = _method(method)
    if method == ResizeMethod.NEAREST:
        raise user_error(
            ValueError,
            "Nearest neighbor resampling is not currently supported for scale_and_translate.",
        )
    spatial_dims = tuple(operator.index(d) for d in spatial_dims)
    for v in (scale, translation):
        if isinstance(v, (list, tuple)):  # JAX's promote_dtypes_inexact
            raise user_error(TypeError, f"Cannot determine dtype of {v}")
    scale = asarray(scale)
    translation = asarray(translation)
    if len(spatial_dims) != len(scale) or len(spatial_dims) != len(translation):
        raise AssertionError(
            "scale and translation must have one entry per spatial dimension: "
            f"spatial_dims={spatial_dims}, scale shape {aval_of(scale).shape}, "
            f"translation shape {aval_of(translation).shape}"
        )
    return _scale_and_translate_jit(
        image, scale, translation, shape, spatial_dims, method, antialias, precision
    )
