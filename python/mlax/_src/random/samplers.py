"""Samplers: JAX 0.10's algorithms on top of `keys.random_bits`, so the
same key gives the same numbers (bit for bit where the arithmetic is
integer or a single rounding; within an ulp or two where it goes through
log/erf_inv).

Each public function checks its arguments as JAX does, then calls a jitted
implementation whose shape and dtype are static, as JAX's `_uniform` etc.
"""

import numpy as np

from .. import lax
from ..core import Tracer, aval_of, dtypes, user_error
from ..lax.slicing import slice_in_dim
from ..numpy import reductions as jnp_reductions
from ..numpy import ufuncs as jnp_ufuncs
from ..numpy.util import _dtype_arg, asarray
from ..runtime.array import Array
from ..transforms.jit import jit
from .keys import canonical_shape, check_key, random_bits, split_data

# ---------------------------------------------------------------------------
# Argument handling shared by the samplers
# ---------------------------------------------------------------------------


def _float_dtype(name, dtype, inexact_word="float"):
    dtype = _dtype_arg(float if dtype is None else dtype, "")
    complex_ok = inexact_word != "float"
    if not (dtypes.is_float(dtype) or (complex_ok and dtypes.is_complex(dtype))):
        raise user_error(
            ValueError, f"dtype argument to `{name}` must be a {inexact_word} dtype, got {dtype}"
        )
    return dtype


def _shape_of(x):
    if isinstance(x, (Array, Tracer)):
        return aval_of(x).shape
    return np.shape(x)


def _check_shape(name, shape, *param_shapes):
    """JAX's check: the parameters broadcast to exactly `shape`."""
    if param_shapes:
        try:
            result = np.broadcast_shapes(shape, *param_shapes)
        except ValueError:
            result = None
        if result != tuple(shape):
            raise user_error(
                ValueError,
                f"{name} parameter shapes must be broadcast-compatible with shape argument, "
                f"and the result of broadcasting the shapes must equal the shape argument, "
                f"but got result {result} for shape argument {tuple(shape)}.",
            )


def _check_broadcast_shapes(name, shape, *args):
    shapes = [_shape_of(a) for a in args]
    if shape is None:
        return tuple(np.broadcast_shapes(*shapes)) if shapes else ()
    shape = canonical_shape(shape)
    _check_shape(name, shape, *shapes)
    return shape


def _split2(data):
    keys = split_data(data, (2,))
    return keys[0], keys[1]


def _const(value, dtype):
    return np.array(value, dtype=dtype)


def _broadcast_to_rank(x, rank):
    ndim = aval_of(x).ndim
    if ndim == rank:
        return x
    return lax.expand_dims(x, tuple(range(rank - ndim)))


def _nextafter(x, up):
    """The next float after `x` toward +inf (up) or -inf, by its bits."""
    dtype = aval_of(x).dtype
    int_dtype = {2: np.int16, 4: np.int32, 8: np.int64}[dtype.itemsize]
    bits = lax.bitcast_convert_type(x, int_dtype)
    zero = lax.eq(x, _const(0, dtype))
    step = lax.select(
        lax.eq(lax.ge(x, _const(0, dtype)), up),
        lax.full_like(bits, 1),
        lax.full_like(bits, -1),
    )
    moved = lax.bitcast_convert_type(lax.add(bits, step), dtype)
    smallest = _const(np.finfo(dtype).smallest_subnormal, dtype)
    at_zero = lax.select(
        lax.broadcast_in_dim(np.bool_(up), aval_of(x).shape, ()),
        lax.broadcast_in_dim(smallest, aval_of(x).shape, ()),
        lax.neg(lax.broadcast_in_dim(smallest, aval_of(x).shape, ())),
    )
    infinite = lax.eq(lax.abs(x), _const(np.inf, dtype))
    out = lax.select(zero, at_zero, moved)
    return lax.select(lax.bitwise_or(infinite, lax.ne(x, x)), x, out)


# ---------------------------------------------------------------------------
# uniform, normal, randint and the bit-exact family
# ---------------------------------------------------------------------------


def _uniform_impl(data, minval, maxval, shape, dtype):
    dtype = np.dtype(dtype)
    minval = _broadcast_to_rank(lax.convert_element_type(minval, dtype), len(shape))
    maxval = _broadcast_to_rank(lax.convert_element_type(maxval, dtype), len(shape))
    for bound in (minval, maxval):
        try:
            np.broadcast_shapes(shape, aval_of(bound).shape)
        except ValueError:
            raise user_error(
                TypeError,
                f"mul got incompatible shapes for broadcasting: {shape}, {aval_of(bound).shape}.",
            ) from None
    finfo = dtypes.finfo(dtype)
    nbits, nmant = finfo.bits, finfo.nmant
    rng_bits = 8 if nmant < 8 else nbits
    uint_dtype = np.dtype(f"uint{nbits}")
    bits = random_bits(data, rng_bits, shape)
    if rng_bits != nbits:
        bits = lax.convert_element_type(bits, uint_dtype)
    float_bits = lax.shift_right_logical(
        bits, lax.broadcast_in_dim(_const(rng_bits - nmant, uint_dtype), shape, ())
    )
    one_bits = np.array(1.0, dtype).view(uint_dtype)
    float_bits = lax.bitwise_or(float_bits, lax.broadcast_in_dim(one_bits, shape, ()))
    floats = lax.sub(
        lax.bitcast_convert_type(float_bits, dtype),
        lax.broadcast_in_dim(_const(1, dtype), shape, ()),
    )
    span = jnp_ufuncs.subtract(maxval, minval)
    # One rounding for the multiply-add: an FMA in f32 (XLA contracts it
    # too), and in f32 for f16/bf16, which XLA evaluates there.
    scaled = jnp_ufuncs.add(jnp_ufuncs.multiply(_wide(floats), _wide(span)), _wide(minval))
    scaled = lax.convert_element_type(scaled, dtype)
    return jnp_ufuncs.maximum(minval, lax.reshape(scaled, shape))


_uniform_jit = jit(_uniform_impl, static_argnums=(3, 4))


def uniform(key, shape=(), dtype=None, minval=0.0, maxval=1.0):
    """Uniform floats in [minval, maxval)."""
    data, _ = check_key("uniform", key)
    dtype = _float_dtype("uniform", dtype)
    return _uniform_jit(data, minval, maxval, canonical_shape(shape), dtype)


def _wide(x):
    """f16/bf16 values as f32: XLA's CPU fusions evaluate a low-precision
    elementwise chain in f32 and round once at the end (it removes the
    intermediate roundings), so the samplers do the same to match JAX."""
    if aval_of(x).dtype in (dtypes.float16, dtypes.bfloat16):
        return lax.convert_element_type(x, dtypes.float32)
    return x


def _normal_impl(data, shape, dtype):
    dtype = np.dtype(dtype)
    if dtypes.is_complex(dtype):
        # JAX's: independent real and imaginary parts from split keys, each
        # with variance 1/2.
        part = dtypes.real_dtype(dtype)
        keys = split_data(data, (2,))
        re, im = (_normal_impl(keys[i], shape, part) for i in (0, 1))
        root2 = lax.full((), np.sqrt(2), part)
        return lax.complex(lax.div(re, root2), lax.div(im, root2))
    lo = np.nextafter(np.array(-1.0, dtype), np.array(0.0, dtype), dtype=dtype)
    u = _wide(_uniform_impl(data, lo, np.array(1.0, dtype), shape, dtype))
    out = lax.mul(lax.full_like(u, np.sqrt(2)), lax.erf_inv(u))
    return lax.convert_element_type(out, dtype)


_normal_jit = jit(_normal_impl, static_argnums=(1, 2))


def normal(key, shape=(), dtype=None):
    """Standard normal floats (sqrt(2) * erf_inv of a uniform, as JAX)."""
    data, _ = check_key("normal", key)
    dtype = _float_dtype("normal", dtype, "float or complex")
    return _normal_jit(data, canonical_shape(shape), dtype)


def _convert_and_clip_integer(val, dtype):
    val_dtype = aval_of(val).dtype
    lo = max(np.iinfo(dtype).min, np.iinfo(val_dtype).min)
    hi = min(np.iinfo(dtype).max, np.iinfo(val_dtype).max)
    clipped = jnp_ufuncs.clip(val, np.array(lo, val_dtype), np.array(hi, val_dtype))
    return lax.convert_element_type(clipped, dtype)


def _randint_impl(data, minval, maxval, shape, dtype):
    dtype = np.dtype(dtype)
    _check_shape("randint", shape, aval_of(minval).shape, aval_of(maxval).shape)
    if not dtypes.is_int(aval_of(minval).dtype):
        minval = lax.convert_element_type(minval, dtypes.default_int())
    if not dtypes.is_int(aval_of(maxval).dtype):
        maxval = lax.convert_element_type(maxval, dtypes.default_int())
    maxval_dtype = aval_of(maxval).dtype
    dtype_max = _convert_and_clip_integer(
        asarray(np.array(np.iinfo(dtype).max, dtype)), maxval_dtype
    )
    maxval_out_of_range = jnp_ufuncs.greater(maxval, dtype_max)
    minval = _broadcast_to_rank(_convert_and_clip_integer(minval, dtype), len(shape))
    maxval = _broadcast_to_rank(_convert_and_clip_integer(maxval, dtype), len(shape))
    maxval_out_of_range = _broadcast_to_rank(maxval_out_of_range, len(shape))
    nbits = np.iinfo(dtype).bits
    k1, k2 = _split2(data)
    higher_bits = random_bits(k1, nbits, shape)
    lower_bits = random_bits(k2, nbits, shape)
    unsigned = np.dtype(f"uint{nbits}")
    span = lax.convert_element_type(jnp_ufuncs.subtract(maxval, minval), unsigned)
    span = jnp_ufuncs.where(jnp_ufuncs.less_equal(maxval, minval), np.array(1, unsigned), span)
    span = jnp_ufuncs.where(
        jnp_ufuncs.logical_and(maxval_out_of_range, jnp_ufuncs.greater(maxval, minval)),
        jnp_ufuncs.add(span, np.array(1, unsigned)),
        span,
    )
    span = jnp_ufuncs.add(span, lax.full(shape, 0, unsigned))  # to the full shape
    multiplier = lax.rem(lax.full_like(span, 2 ** (nbits // 2)), span)
    multiplier = lax.rem(lax.mul(multiplier, multiplier), span)
    random_offset = lax.add(
        lax.mul(lax.rem(higher_bits, span), multiplier), lax.rem(lower_bits, span)
    )
    random_offset = lax.rem(random_offset, span)
    return jnp_ufuncs.add(minval, lax.convert_element_type(random_offset, dtype))


_randint_jit = jit(_randint_impl, static_argnums=(3, 4))


def randint(key, shape, minval, maxval, dtype=None):
    """Uniform integers in [minval, maxval), JAX's modulus algorithm (out of
    range bounds clip to the dtype's range; maxval <= minval gives minval)."""
    data, _ = check_key("randint", key)
    dtype = _dtype_arg(int if dtype is None else dtype, "")
    if not dtypes.is_int(dtype):
        raise user_error(TypeError, f"randint only accepts integer dtypes, got {dtype}")
    shape = canonical_shape(shape)
    info = np.iinfo(dtype)
    sampling = dtype
    minval = asarray(minval)
    maxval = asarray(maxval)
    if info.bits < 32:
        # Sampled in 32 bits to avoid bias, as JAX does.
        sampling = np.dtype(np.int32)
        minval = jnp_ufuncs.clip(
            lax.convert_element_type(minval, np.int32), int(info.min), int(info.max)
        )
        maxval = jnp_ufuncs.clip(
            lax.convert_element_type(maxval, np.int32), int(info.min), int(info.max) + 1
        )
    out = _randint_jit(data, minval, maxval, shape, sampling)
    return lax.convert_element_type(out, dtype)


def bernoulli(key, p=0.5, shape=None, mode="low"):
    """Booleans that are True with probability p."""
    if mode not in ("high", "low"):
        raise ValueError(f"got mode={mode!r}, expected 'high' or 'low'")
    data, _ = check_key("bernoulli", key)
    p = asarray(p)
    dtype = aval_of(p).dtype
    if not dtypes.is_float(dtype):
        raise user_error(
            TypeError, f"bernoulli probability `p` must have a floating dtype, got {dtype}."
        )
    if shape is None:
        shape = aval_of(p).shape
    else:
        shape = canonical_shape(shape)
        _check_shape("bernoulli", shape, aval_of(p).shape)
    return _bernoulli_jit(data, p, shape, mode)


def _bernoulli_impl(data, p, shape, mode):
    dtype = aval_of(p).dtype
    if mode == "high":
        u = _uniform_impl(data, 0.0, 1.0, (2, *shape), dtype)
        u1, u2 = u[0], u[1]
        u2 = jnp_ufuncs.multiply(u2, np.array(2.0 ** -dtypes.finfo(dtype).nmant, dtype))
        return jnp_ufuncs.less(u2, jnp_ufuncs.subtract(p, u1))
    return jnp_ufuncs.less(_uniform_impl(data, 0.0, 1.0, shape, dtype), p)


_bernoulli_jit = jit(_bernoulli_impl, static_argnums=(2, 3))


def rademacher(key, shape=(), dtype=None):
    """-1 or 1 with equal probability."""
    data, _ = check_key("rademacher", key)
    dtype = _dtype_arg(int if dtype is None else dtype, "")
    shape = canonical_shape(shape)
    b = lax.convert_element_type(_bernoulli_jit(data, asarray(0.5), shape, "low"), dtype)
    return lax.convert_element_type(jnp_ufuncs.subtract(jnp_ufuncs.multiply(2, b), 1), dtype)


# ---------------------------------------------------------------------------
# Samplers built on uniform and normal (elementwise transforms)
# ---------------------------------------------------------------------------


def _sampler(name, impl, inexact_word="float"):
    """A public sampler with only key, shape and dtype arguments."""
    jitted = jit(impl, static_argnums=(1, 2))

    def sample(key, shape=(), dtype=None):
        data, _ = check_key(name, key)
        dtype_ = _float_dtype(name, dtype, inexact_word)
        return jitted(data, canonical_shape(shape), dtype_)

    sample.__name__ = name
    sample.__doc__ = f"jax.random.{name}: {impl.__doc__}"
    return sample


def _exponential_impl(data, shape, dtype):
    """-log1p(-u), u uniform."""
    u = _wide(_uniform_impl(data, 0.0, 1.0, shape, dtype))
    return lax.convert_element_type(lax.neg(lax.log1p(lax.neg(u))), dtype)


def _cauchy_impl(data, shape, dtype):
    """tan(pi * (u - 1/2)), u uniform in [eps, 1)."""
    u = _uniform_impl(data, dtypes.finfo(dtype).eps, 1.0, shape, dtype)
    half = lax.full_like(u, 0.5)
    return lax.tan(lax.mul(lax.full_like(u, np.pi), lax.sub(u, half)))


def _laplace_impl(data, shape, dtype):
    """sign(u) * log1p(-|u|), u uniform in (-1, 1)."""
    u = _wide(_uniform_impl(data, -1.0 + dtypes.finfo(dtype).epsneg, 1.0, shape, dtype))
    return lax.convert_element_type(lax.mul(lax.sign(u), lax.log1p(lax.neg(lax.abs(u)))), dtype)


def _logistic_impl(data, shape, dtype):
    """log(u) - log1p(-u), u uniform in [tiny, 1)."""
    x = _uniform_impl(data, dtypes.finfo(dtype).tiny, 1.0, shape, dtype)
    return lax.sub(lax.log(x), lax.log1p(lax.neg(x)))


def _gumbel_impl(data, shape, dtype, mode="low"):
    """-log(-log(u)), u uniform in [tiny, 1) (mode 'low')."""
    info = dtypes.finfo(dtype)
    if mode in ("high", "highest"):
        u = _uniform_impl(data, 0.0, 1.0, (2, *shape), dtype)
        high, low = u[0], u[1]
        small = jnp_ufuncs.add(
            jnp_ufuncs.add(high, jnp_ufuncs.multiply(np.array(2.0**-info.nmant, dtype), low)),
            np.array(info.tiny, dtype),
        )
        x = jnp_ufuncs.where(jnp_ufuncs.greater_equal(high, np.array(0.5, dtype)), high, small)
        return jnp_ufuncs.negative(
            jnp_ufuncs.log(jnp_ufuncs.negative(jnp_ufuncs.log1p(jnp_ufuncs.negative(x))))
        )
    u = _uniform_impl(data, info.tiny, 1.0, shape, dtype)
    return jnp_ufuncs.negative(jnp_ufuncs.log(jnp_ufuncs.negative(jnp_ufuncs.log(u))))


exponential = _sampler("exponential", _exponential_impl)
cauchy = _sampler("cauchy", _cauchy_impl)
laplace = _sampler("laplace", _laplace_impl)
logistic = _sampler("logistic", _logistic_impl)

_gumbel_jit = jit(_gumbel_impl, static_argnums=(1, 2, 3))


def gumbel(key, shape=(), dtype=None, mode=None):
    """Standard Gumbel samples."""
    data, _ = check_key("gumbel", key)
    dtype = _float_dtype("gumbel", dtype)
    mode = "low" if mode is None else mode
    if mode not in ("highest", "high", "low"):
        raise ValueError(f"Must provide valid mode for gumbel got: {mode}")
    if mode == "highest" and dtype == dtypes.float32:
        raise user_error(NotImplementedError, "gumbel mode='highest' is not built yet in mlax")
    return _gumbel_jit(data, canonical_shape(shape), dtype, mode)


def _maxwell_impl(data, shape, dtype):
    """The norm of 3 standard normals."""
    x = _normal_impl(data, (*shape, 3), dtype)
    return jnp_ufuncs.sqrt(jnp_reductions.sum(jnp_ufuncs.multiply(x, x), axis=-1))


maxwell = _sampler("maxwell", _maxwell_impl)


def _params(name, dtype, *params):
    for p in params:
        p_dtype = aval_of(asarray(p)).dtype
        if not _safe_to_cast(p, p_dtype, dtype):
            raise user_error(
                TypeError,
                f"In arguments to {name}, cannot safely cast argument of type {p_dtype} to {dtype}",
            )


def _safe_to_cast(p, from_dtype, to_dtype):
    if isinstance(p, (int, float)) and not isinstance(p, bool):
        return True  # weak Python scalars
    if dtypes.is_float(from_dtype) and not dtypes.is_float(to_dtype):
        return False
    return True


def _double_sided_maxwell_impl(data, loc, scale, shape, dtype):
    params_shape = tuple(np.broadcast_shapes(aval_of(loc).shape, aval_of(scale).shape))
    if not shape:
        shape = params_shape
    shape = shape + params_shape
    k1, k2 = _split2(data)
    maxwell_rvs = _maxwell_impl(k1, shape, dtype)
    b = lax.convert_element_type(_bernoulli_impl(k2, asarray(0.5), shape, "low"), dtype)
    sign = lax.convert_element_type(jnp_ufuncs.subtract(jnp_ufuncs.multiply(2, b), 1), dtype)
    return jnp_ufuncs.add(jnp_ufuncs.multiply(jnp_ufuncs.multiply(sign, maxwell_rvs), scale), loc)


_double_sided_maxwell_jit = jit(_double_sided_maxwell_impl, static_argnums=(3, 4))


def double_sided_maxwell(key, loc, scale, shape=(), dtype=None):
    data, _ = check_key("double_sided_maxwell", key)
    dtype = _float_dtype("double_sided_maxwell", dtype)
    return _double_sided_maxwell_jit(
        data, asarray(loc), asarray(scale), canonical_shape(shape), dtype
    )


def _weibull_min_impl(data, scale, concentration, shape, dtype):
    u = _uniform_impl(data, 0, 1, shape, dtype)
    x = jnp_ufuncs.negative(jnp_ufuncs.log1p(jnp_ufuncs.negative(u)))
    return jnp_ufuncs.multiply(jnp_ufuncs.power(x, jnp_ufuncs.divide(1.0, concentration)), scale)


_weibull_min_jit = jit(_weibull_min_impl, static_argnums=(3, 4))


def weibull_min(key, scale, concentration, shape=(), dtype=None):
    data, _ = check_key("weibull_min", key)
    dtype = _float_dtype("weibull_min", dtype)
    return _weibull_min_jit(
        data, asarray(scale), asarray(concentration), canonical_shape(shape), dtype
    )


def _pareto_impl(data, b, shape, dtype):
    b = lax.convert_element_type(b, dtype)
    e = _exponential_impl(data, shape, dtype)
    return lax.exp(jnp_ufuncs.divide(e, b))


_pareto_jit = jit(_pareto_impl, static_argnums=(2, 3))


def pareto(key, b, shape=None, dtype=None):
    data, _ = check_key("pareto", key)
    dtype = _float_dtype("pareto", dtype)
    shape = _check_broadcast_shapes("pareto", shape, b)
    _params("pareto", dtype, b)
    return _pareto_jit(data, asarray(b), shape, dtype)


def _rayleigh_impl(data, scale, shape, dtype):
    u = _uniform_impl(data, 0.0, 1.0, shape, dtype)
    scale = lax.broadcast_in_dim(
        lax.convert_element_type(scale, dtype), shape, _bdims(scale, shape)
    )
    sqrt_u = lax.sqrt(lax.mul(lax.log(u), lax.full_like(scale, -2)))
    return lax.mul(scale, sqrt_u)


def _bdims(x, shape):
    ndim = aval_of(x).ndim
    return tuple(range(len(shape) - ndim, len(shape)))


_rayleigh_jit = jit(_rayleigh_impl, static_argnums=(2, 3))


def rayleigh(key, scale, shape=None, dtype=None):
    data, _ = check_key("rayleigh", key)
    dtype = _float_dtype("rayleigh", dtype)
    shape = _check_broadcast_shapes("rayleigh", shape, scale)
    _params("rayleigh", dtype, scale)
    return _rayleigh_jit(data, _full_param(scale, shape), shape, dtype)


def _full_param(x, shape):
    x = asarray(x)
    if aval_of(x).shape == tuple(shape):
        return x
    return lax.broadcast_in_dim(x, tuple(shape), _bdims(x, shape))


def _wald_impl(data, mean, shape, dtype):
    k1, k2 = _split2(data)
    mean = lax.convert_element_type(mean, dtype)
    v = _normal_impl(k1, shape, dtype)
    z = _uniform_impl(k2, 0.0, 1.0, shape, dtype)
    y = lax.integer_pow(v, 2)
    y_sq = lax.integer_pow(y, 2)
    mean_sq = lax.integer_pow(mean, 2)
    four = lax.full_like(mean, 4)
    two = lax.full_like(mean, 2)
    sqrt_term = lax.sqrt(lax.add(lax.mul(lax.mul(four, mean), y), lax.mul(mean_sq, y_sq)))
    x = lax.sub(
        lax.add(mean, lax.div(lax.mul(mean_sq, y), two)), lax.mul(lax.div(mean, two), sqrt_term)
    )
    return lax.select(lax.le(z, lax.div(mean, lax.add(mean, x))), x, lax.div(mean_sq, x))


_wald_jit = jit(_wald_impl, static_argnums=(2, 3))


def wald(key, mean, shape=None, dtype=None):
    data, _ = check_key("wald", key)
    dtype = _float_dtype("wald", dtype)
    shape = _check_broadcast_shapes("wald", shape, mean)
    _params("wald", dtype, mean)
    return _wald_jit(data, _full_param(mean, shape), shape, dtype)


def _geometric_impl(data, p, shape, dtype):
    u = _uniform_impl(data, 0.0, 1.0, shape, aval_of(p).dtype)
    u = jnp_ufuncs.where(jnp_ufuncs.equal(u, 0), np.array(1, aval_of(u).dtype), u)
    log_u = lax.log(u)
    log_one_minus_p = _full_param(lax.log1p(lax.neg(p)), shape)
    g = jnp_ufuncs.add(lax.floor(lax.div(log_u, log_one_minus_p)), 1)
    return lax.convert_element_type(g, dtype)


_geometric_jit = jit(_geometric_impl, static_argnums=(2, 3))


def geometric(key, p, shape=None, dtype=None):
    data, _ = check_key("geometric", key)
    dtype = _dtype_arg(int if dtype is None else dtype, "")
    if not dtypes.is_int(dtype):
        raise user_error(
            ValueError, f"dtype argument to `geometric` must be an int dtype, got {dtype}"
        )
    shape = _check_broadcast_shapes("geometric", shape, p)
    p = asarray(p)
    if not dtypes.is_float(aval_of(p).dtype):
        p = lax.convert_element_type(p, dtypes.default_float())
    return _geometric_jit(data, p, shape, dtype)


def _triangular_impl(data, left, mode, right, shape, dtype):
    left, mode, right = (
        _full_param(lax.convert_element_type(v, dtype), shape) for v in (left, mode, right)
    )
    fc = lax.div(lax.sub(mode, left), lax.sub(right, left))
    u = _uniform_impl(data, 0.0, 1.0, shape, dtype)
    out1 = lax.add(left, lax.sqrt(lax.mul(lax.mul(u, lax.sub(right, left)), lax.sub(mode, left))))
    one_minus_u = lax.sub(lax.full_like(u, 1), u)
    out2 = lax.sub(
        right, lax.sqrt(lax.mul(lax.mul(one_minus_u, lax.sub(right, left)), lax.sub(right, mode)))
    )
    return lax.select(lax.lt(u, fc), out1, out2)


_triangular_jit = jit(_triangular_impl, static_argnums=(4, 5))


def triangular(key, left, mode, right, shape=None, dtype=None):
    data, _ = check_key("triangular", key)
    dtype = _float_dtype("triangular", dtype)
    shape = _check_broadcast_shapes("triangular", shape, left, mode, right)
    _params("triangular", dtype, left, mode, right)
    return _triangular_jit(data, asarray(left), asarray(mode), asarray(right), shape, dtype)


def _lognormal_impl(data, sigma, shape, dtype):
    sigma = lax.convert_element_type(sigma, dtype)
    return lax.exp(jnp_ufuncs.multiply(_normal_impl(data, shape, dtype), sigma))


_lognormal_jit = jit(_lognormal_impl, static_argnums=(2, 3))


def lognormal(key, sigma=np.float32(1), shape=None, dtype=None):
    data, _ = check_key("lognormal", key)
    dtype = _float_dtype("lognormal", dtype, "float or complex")
    shape = _check_broadcast_shapes("lognormal", shape, sigma)
    _params("lognormal", dtype, sigma)
    return _lognormal_jit(data, asarray(sigma), shape, dtype)


def _truncated_normal_impl(data, lower, upper, shape, dtype):
    if shape is None:
        shape = tuple(np.broadcast_shapes(aval_of(lower).shape, aval_of(upper).shape))
    else:
        _check_shape("truncated_normal", shape, aval_of(lower).shape, aval_of(upper).shape)
    sqrt2 = np.array(np.sqrt(2), dtype)
    lower = lax.convert_element_type(lower, dtype)
    upper = lax.convert_element_type(upper, dtype)
    a = lax.erf(jnp_ufuncs.divide(lower, sqrt2))
    b = lax.erf(jnp_ufuncs.divide(upper, sqrt2))
    u = _uniform_impl(data, a, b, shape, dtype)
    out = jnp_ufuncs.multiply(sqrt2, lax.erf_inv(u))
    lo = _nextafter(lax.stop_gradient(lower), True)
    hi = _nextafter(lax.stop_gradient(upper), False)
    return jnp_ufuncs.clip(out, lo, hi)


_truncated_normal_jit = jit(_truncated_normal_impl, static_argnums=(3, 4))


def truncated_normal(key, lower, upper, shape=None, dtype=None):
    """Standard normal samples truncated to (lower, upper)."""
    if shape is not None:
        shape = canonical_shape(shape)
    data, _ = check_key("truncated_normal", key)
    dtype = _float_dtype("truncated_normal", dtype)
    return _truncated_normal_jit(data, asarray(lower), asarray(upper), shape, dtype)


# ---------------------------------------------------------------------------
# categorical (with replacement: the Gumbel-max trick)
# ---------------------------------------------------------------------------


def _categorical_impl(data, logits, shape, batch_shape, axis, mode):
    ndim = aval_of(logits).ndim
    shape_prefix = shape[: len(shape) - len(batch_shape)]
    if axis >= 0:
        axis -= ndim
    logits_shape = list(shape[len(shape) - len(batch_shape) :])
    logits_shape.insert(axis % ndim, aval_of(logits).shape[axis])
    g = _gumbel_impl(data, (*shape_prefix, *logits_shape), aval_of(logits).dtype, mode)
    expanded = lax.expand_dims(logits, tuple(range(len(shape_prefix)))) if shape_prefix else logits
    return jnp_reductions.argmax(jnp_ufuncs.add(g, expanded), axis=axis)


_categorical_jit = jit(_categorical_impl, static_argnums=(2, 3, 4, 5))


def categorical(key, logits, axis=-1, shape=None, replace=True, mode=None):
    """Samples from categorical distributions given by unnormalised
    log-probabilities `logits` along `axis`."""
    data, _ = check_key("categorical", key)
    logits = asarray(logits)
    ndim = aval_of(logits).ndim
    axis_ = axis + ndim if axis < 0 else axis
    batch_shape = tuple(d for i, d in enumerate(aval_of(logits).shape) if i != axis_)
    if shape is None:
        shape = batch_shape
    else:
        shape = canonical_shape(shape)
        _check_shape("categorical", shape, batch_shape)
    mode = "low" if mode is None else mode
    if not dtypes.is_float(aval_of(logits).dtype):
        logits = lax.convert_element_type(logits, dtypes.default_float())
    if not replace:
        k = int(np.prod(shape[: len(shape) - len(batch_shape)], dtype=np.int64))
        if k > aval_of(logits).shape[axis]:
            raise user_error(
                ValueError,
                f"Number of samples without replacement ({k}) cannot exceed number of "
                f"categories ({aval_of(logits).shape[axis]}).",
            )
        return _categorical_no_replace_jit(data, logits, shape, axis_, k, mode)
    return _categorical_jit(data, logits, shape, batch_shape, axis, mode)


def _categorical_no_replace_impl(data, logits, shape, axis, k, mode):
    """JAX's Gumbel top-k: the k largest of logits + Gumbel noise."""
    noisy = jnp_ufuncs.add(
        logits, _gumbel_impl(data, aval_of(logits).shape, aval_of(logits).dtype, mode)
    )
    ndim = aval_of(noisy).ndim
    perm = [d for d in range(ndim) if d != axis] + [axis]
    _, indices = lax.top_k(lax.transpose(noisy, perm), k)
    # batch_shape + (k,) -> (k,) + batch_shape -> shape
    last = aval_of(indices).ndim - 1
    indices = lax.transpose(indices, (last, *range(last)))
    return lax.reshape(indices, shape)


_categorical_no_replace_jit = jit(_categorical_no_replace_impl, static_argnums=(2, 3, 4, 5))


# ---------------------------------------------------------------------------
# permutation, shuffle, choice: JAX's repeated sorts by random 32-bit keys
# ---------------------------------------------------------------------------


def _shuffle_impl(data, x, axis):
    """JAX's _shuffle: ceil(3 ln(n) / ln(2^32 - 1)) rounds of a stable sort
    by fresh random 32-bit keys (bit for bit JAX's permutation)."""
    size = int(np.prod(aval_of(x).shape, dtype=np.int64))
    rounds = int(np.ceil(3 * np.log(max(1, size)) / np.log(np.iinfo(np.uint32).max)))
    for _ in range(rounds):
        keys = split_data(data, (2,))
        data, subkey = keys[0], keys[1]
        sort_keys = random_bits(subkey, 32, aval_of(x).shape)
        _, x = lax.sort_key_val(sort_keys, x, axis)
    return x


_shuffle_jit = jit(_shuffle_impl, static_argnums=(2,))


def _arange(n):
    return lax.broadcasted_iota(dtypes.default_int(), (n,), 0)


def permutation(key, x, axis=0, independent=False):
    """A random permutation of range(x) (an int), or of x along `axis`
    (rows moved together unless `independent`)."""
    from ..numpy.advanced_indexing import _canonical_axis, take

    data, _ = check_key("permutation", key)
    if isinstance(x, (Array, Tracer)):
        ndim, dtype = aval_of(x).ndim, aval_of(x).dtype
    else:
        ndim, dtype = np.ndim(x), np.asarray(x).dtype
    axis = _canonical_axis("permutation", axis, ndim or 1)
    if not ndim:
        if not dtypes.is_int(dtype):
            raise user_error(TypeError, "x must be an integer or at least 1-dimensional")
        if isinstance(x, Tracer):
            from ..core import ConcretizationTypeError

            raise user_error(
                ConcretizationTypeError,
                "Abstract tracer value encountered where concrete value is expected: "
                "argument x of jax.random.permutation()",
            )
        return _shuffle_jit(data, _arange(int(x)), axis)
    x = asarray(x)
    if independent or ndim == 1:
        return _shuffle_jit(data, x, axis)
    ind = _shuffle_jit(data, _arange(aval_of(x).shape[axis]), 0)
    return take(x, ind, axis, unique_indices=True)


def shuffle(key, x, axis=0):
    """Deprecated in JAX (use permutation): x shuffled along `axis`, each
    1-d slice independently."""
    import warnings

    warnings.warn(
        "jax.random.shuffle is deprecated and will be removed in a future release. "
        "Use jax.random.permutation with independent=True.",
        FutureWarning,
        stacklevel=2,
    )
    data, _ = check_key("shuffle", key)
    x = asarray(x)
    from ..numpy.advanced_indexing import _canonical_axis

    return _shuffle_jit(data, x, _canonical_axis("shuffle", axis, aval_of(x).ndim))


def choice(key, a, shape=(), replace=True, p=None, axis=0, mode=None):
    """Samples from `a` (an int n: range(n); an array: along `axis`), with
    or without replacement, uniformly or with probabilities `p`."""
    from collections.abc import Sequence

    from ..numpy.advanced_indexing import _canonical_axis, take
    from ..numpy.reductions import cumsum
    from ..numpy.selection import searchsorted

    data, _ = check_key("choice", key)
    if not isinstance(shape, Sequence):
        raise user_error(
            TypeError, f"shape argument of jax.random.choice must be a sequence, got {shape}"
        )
    arr = asarray(a)
    if aval_of(arr).ndim == 0:
        if isinstance(a, Tracer):
            from ..core import ConcretizationTypeError

            raise user_error(
                ConcretizationTypeError,
                "Abstract tracer value encountered where concrete value is expected: "
                "The error occurred in jax.random.choice()",
            )
        n_inputs = int(a)
    else:
        axis = _canonical_axis("choice", axis, aval_of(arr).ndim)
        n_inputs = aval_of(arr).shape[axis]
    shape = tuple(shape)
    n_draws = int(np.prod(shape, dtype=np.int64))
    if n_draws == 0:
        return lax.full(shape, 0, aval_of(arr).dtype)
    if n_inputs <= 0:
        raise user_error(ValueError, "a must be greater than 0 unless no samples are taken")
    if not replace and n_draws > n_inputs:
        raise user_error(
            ValueError,
            f"Cannot take a larger sample (size {n_draws}) than population (size {n_inputs}) "
            "when 'replace=False'",
        )
    if p is None:
        if replace:
            ind = randint(key, shape, 0, n_inputs)
            result = ind if aval_of(arr).ndim == 0 else take(arr, ind, axis)
        else:
            perm = permutation(key, n_inputs if aval_of(arr).ndim == 0 else arr, axis)
            result = slice_in_dim(perm, 0, n_draws, axis=axis)
    else:
        p_arr = asarray(p)
        if not dtypes.is_float(aval_of(p_arr).dtype):
            p_arr = lax.convert_element_type(p_arr, dtypes.default_float())
        if aval_of(p_arr).shape != (n_inputs,):
            raise user_error(
                ValueError,
                "p must be None or a 1D vector with the same size as a.shape[axis]. "
                f"p has shape {aval_of(p_arr).shape} and a.shape[axis] is {n_inputs}.",
            )
        pdtype = aval_of(p_arr).dtype
        if replace:
            p_cuml = cumsum(p_arr)
            u = _uniform_jit(data, np.array(0.0, pdtype), np.array(1.0, pdtype), shape, pdtype)
            r = jnp_ufuncs.multiply(p_cuml[-1], jnp_ufuncs.subtract(np.array(1, pdtype), u))
            ind = lax.convert_element_type(searchsorted(p_cuml, r), dtypes.default_int())
        else:
            g = jnp_ufuncs.add(
                _gumbel_jit(data, (n_inputs,), pdtype, "low" if mode is None else mode),
                jnp_ufuncs.log(p_arr),
            )
            ind = lax.convert_element_type(lax.top_k(g, n_draws)[1], dtypes.default_int())
        result = ind if aval_of(arr).ndim == 0 else take(arr, ind, axis)
    rshape = aval_of(arr).shape
    return lax.reshape(
        result, shape if len(rshape) == 0 else rshape[:axis] + shape + rshape[axis + 1 :]
    )
