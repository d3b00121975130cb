"""jax.nn's activation functions, written as JAX 0.10 writes them (same
formulas, so the same values, dtypes and weak types) on mlax.numpy and
mlax.lax. Where JAX fixes a derivative with custom_jvp (relu and relu6 at
their kinks, log1mexp) so does mlax; the others differentiate through
their formula, as in JAX (hard_tanh at +-1, leaky_relu at 0 and elu at 0
follow from `where`, which picks the branch JAX picks)."""

import numpy as np

from .. import lax
from ..core import aval_of
from ..numpy import shape as _shape
from ..numpy import ufuncs as jnp
from ..numpy.util import _check_arraylike, _promote, _promote_inexact
from ..transforms.custom_derivatives import custom_jvp
from ..transforms.jit import jit


def _arraylike(name, x):
    """JAX's ensure_arraylike: arrays and scalars pass (lists raise), and
    Python scalars become weakly typed arrays."""
    _check_arraylike(name, x)
    return _promote(name, x)[0]


def _zeros_like(g):
    return lax.full_like(g, 0)


@jit
def identity(x):
    """Like jax.nn.identity: returns `x` as an array."""
    return _arraylike("identity", x)


@jit
def _relu_impl(x):
    return jnp.maximum(x, 0)


_relu = custom_jvp(_relu_impl)


@_relu.defjvp
def _relu_jvp(primals, tangents):
    # Gradient 0 at 0, as JAX chooses (https://dl.acm.org/doi/10.5555/3540261.3540297).
    (x,), (g,) = primals, tangents
    return _relu(x), lax.select(lax.gt(x, lax._scalar_like(x, 0)), g, _zeros_like(g))


def relu(x):
    """Like jax.nn.relu: max(x, 0), with derivative 0 at 0."""
    return _relu(_arraylike("relu", x))


@jit
def _relu6_impl(x):
    return jnp.minimum(jnp.maximum(x, 0), 6.0)


_relu6 = custom_jvp(_relu6_impl)


@_relu6.defjvp
def _relu6_jvp(primals, tangents):
    (x,), (g,) = primals, tangents
    inside = lax.bitwise_and(lax.gt(x, lax._scalar_like(x, 0)), lax.lt(x, lax._scalar_like(x, 6)))
    return _relu6(x), lax.select(inside, g, _zeros_like(g))


def relu6(x):
    """Like jax.nn.relu6: min(max(x, 0), 6), with derivative 0 at 0 and 6."""
    return _relu6(_arraylike("relu6", x))


@jit
def squareplus(x, b=4):
    """Like jax.nn.squareplus: (x + sqrt(x**2 + b)) / 2."""
    _check_arraylike("squareplus", x, b)
    x, b = _promote("squareplus", x, b)
    y = jnp.add(x, jnp.sqrt(jnp.add(jnp.square(x), b)))
    return jnp.divide(y, 2)


@jit
def softplus(x):
    """Like jax.nn.softplus: log(1 + exp(x)), as logaddexp(x, 0)."""
    return jnp.logaddexp(x, 0)


@jit
def sparse_plus(x):
    """Like jax.nn.sparse_plus: 0 below -1, x above 1, (x + 1)**2 / 4 between."""
    x = _arraylike("sparse_plus", x)
    middle = jnp.divide(jnp.power(jnp.add(x, 1.0), 2), 4)
    return jnp.where(jnp.less_equal(x, -1.0), 0.0, jnp.where(jnp.greater_equal(x, 1.0), x, middle))


@jit
def soft_sign(x):
    """Like jax.nn.soft_sign: x / (|x| + 1)."""
    x = _arraylike("soft_sign", x)
    return jnp.divide(x, jnp.add(jnp.abs(x), 1))


@jit
def sigmoid(x):
    """Like jax.nn.sigmoid: lax.logistic."""
    return lax.logistic(x)


@jit
def sparse_sigmoid(x):
    """Like jax.nn.sparse_sigmoid: clip(x + 1, 0, 2) / 2."""
    return jnp.multiply(0.5, jnp.clip(jnp.add(x, 1.0), 0.0, 2.0))


@jit
def silu(x):
    """Like jax.nn.silu (also `swish`): x * sigmoid(x)."""
    x = _arraylike("silu", x)
    return jnp.multiply(x, sigmoid(x))


swish = silu


@jit
def mish(x):
    """Like jax.nn.mish: x * tanh(softplus(x))."""
    x = _arraylike("mish", x)
    return jnp.multiply(x, jnp.tanh(softplus(x)))


@jit
def log_sigmoid(x):
    """Like jax.nn.log_sigmoid: -softplus(-x)."""
    x = _arraylike("log_sigmoid", x)
    return jnp.negative(softplus(jnp.negative(x)))


@jit
def elu(x, alpha=1.0):
    """Like jax.nn.elu: x above 0, alpha * expm1(x) at and below 0."""
    x = _arraylike("elu", x)
    positive = jnp.greater(x, 0)
    return jnp.where(positive, x, jnp.multiply(alpha, jnp.expm1(jnp.where(positive, 0.0, x))))


@jit
def leaky_relu(x, negative_slope=1e-2):
    """Like jax.nn.leaky_relu: x at and above 0, negative_slope * x below."""
    x = _arraylike("leaky_relu", x)
    return jnp.where(jnp.greater_equal(x, 0), x, jnp.multiply(negative_slope, x))


@jit
def hard_tanh(x):
    """Like jax.nn.hard_tanh: x clipped to [-1, 1]."""
    x = _arraylike("hard_tanh", x)
    return jnp.where(jnp.greater(x, 1), 1, jnp.where(jnp.less(x, -1), -1, x))


@jit
def celu(x, alpha=1.0):
    """Like jax.nn.celu: max(x, 0) + alpha * expm1(min(x, 0) / alpha)."""
    low = jnp.expm1(jnp.divide(jnp.minimum(x, 0.0), alpha))
    return jnp.add(jnp.maximum(x, 0.0), jnp.multiply(alpha, low))


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


@jit
def selu(x):
    """Like jax.nn.selu: scale * elu(x, alpha) with the self-normalizing constants."""
    return jnp.multiply(_SELU_SCALE, elu(x, _SELU_ALPHA))


def gelu(x, approximate=True):
    """Like jax.nn.gelu: the tanh approximation by default, else
    0.5 * x * erfc(-x / sqrt(2))."""
    (x,) = _promote_inexact("gelu", x)
    return _gelu(x, bool(approximate))


def _gelu_impl(x, approximate):
    dtype = aval_of(x).dtype
    if approximate:
        sqrt_2_over_pi = lax.full((), np.sqrt(2 / np.pi), dtype)
        inner = jnp.add(x, jnp.multiply(0.044715, jnp.power(x, 3)))
        cdf = jnp.multiply(0.5, jnp.add(1.0, jnp.tanh(jnp.multiply(sqrt_2_over_pi, inner))))
        return jnp.multiply(x, cdf)
    sqrt_half = lax.full((), np.sqrt(0.5), dtype)
    out = jnp.multiply(jnp.multiply(0.5, x), _erfc(jnp.multiply(jnp.negative(x), sqrt_half)))
    # JAX's jnp.array(..., dtype=x.dtype) drops the weak type.
    return lax.convert_element_type(out, dtype, False)


_gelu = jit(_gelu_impl, static_argnums=(1,))


def _glu_impl(x, axis=-1):
    """Like jax.nn.glu: split `x` in two along `axis`; first * sigmoid(second)."""
    x = _arraylike("glu", x)
    size = aval_of(x).shape[axis]
    assert size % 2 == 0, "axis size must be divisible by 2"
    x1, x2 = _shape.split(x, 2, axis)
    return jnp.multiply(x1, sigmoid(x2))


glu = jit(_glu_impl, static_argnames=("axis",))


@jit
def hard_sigmoid(x):
    """Like jax.nn.hard_sigmoid: relu6(x + 3) / 6."""
    return jnp.divide(relu6(jnp.add(x, 3.0)), 6.0)


@jit
def hard_silu(x):
    """Like jax.nn.hard_silu (also `hard_swish`): x * hard_sigmoid(x)."""
    x = _arraylike("hard_silu", x)
    return jnp.multiply(x, hard_sigmoid(x))


hard_swish = hard_silu


@jit
def _log1mexp_impl(x):
    c = np.log(2.0)
    return jnp.where(
        jnp.less(x, c),
        jnp.log(jnp.negative(jnp.expm1(jnp.negative(x)))),
        jnp.log1p(jnp.negative(jnp.exp(jnp.negative(x)))),
    )


_log1mexp = custom_jvp(_log1mexp_impl)


@_log1mexp.defjvp
def _log1mexp_jvp(primals, tangents):
    (x,), (g,) = primals, tangents
    return _log1mexp(x), jnp.divide(g, jnp.expm1(x))


def log1mexp(x):
    """Like jax.nn.log1mexp: log(1 - exp(-x)), accurate on both sides of log 2."""
    return _log1mexp(_arraylike("log1mexp", x))


def tanh(x):
    """Like jax.nn.tanh (jax.numpy.tanh)."""
    return jnp.tanh(x)


# ---------------------------------------------------------------------------
# erfc: lax has no erfc op yet, so gelu(approximate=False) builds it from
# exp and polynomials: XLA's float32 approximation (Cephes erfcf; float16
# and bfloat16 compute in float32) and Cephes' double erfc for float64. Its
# derivative is the exact -2/sqrt(pi) exp(-x**2), as lax.erfc's.

_ERF_T_F32 = (
    7.853861353153693e-5, -8.010193625184903e-4, 5.188327685732524e-3,
    -2.685381193529856e-2, 1.128358514861418e-1, -3.761262582423300e-1,
    1.128379165726710e0,
)  # fmt: skip
_ERFC_P_F32 = (
    2.326819970068386e-2, -1.387039388740657e-1, 3.687424674597105e-1,
    -5.824733027278666e-1, 6.210004621745983e-1, -4.944515323274145e-1,
    3.404879937665872e-1, -2.741127028184656e-1, 5.638259427386472e-1,
)  # fmt: skip
_ERFC_R_F32 = (
    -1.047766399936249e1, 1.297719955372516e1, -7.495518717768503e0,
    2.921019019210786e0, -1.015265279202700e0, 4.218463358204948e-1,
    -2.820767439740514e-1, 5.641895067754075e-1,
)  # fmt: skip
# Cephes ndtr.c (double): erfc = exp(-x^2) P(|x|)/Q(|x|) for |x| < 8, R/S
# beyond; erf = x T(x^2)/U(x^2) for |x| < 1. Leading 1s of Q, S, U written out.
_ERFC_P_F64 = (
    2.46196981473530512524e-10, 5.64189564831068821977e-1, 7.46321056442269912687e0,
    4.86371970985681366614e1, 1.96520832956077098242e2, 5.26445194995477358631e2,
    9.34528527171957607540e2, 1.02755188689515710272e3, 5.57535335369399327526e2,
)  # fmt: skip
_ERFC_Q_F64 = (
    1.0, 1.32281951154744992508e1, 8.67072140885989742329e1, 3.54937778887819891062e2,
    9.75708501743205489753e2, 1.82390916687909736289e3, 2.24633760818710981792e3,
    1.65666309194161350182e3, 5.57535340817727675546e2,
)  # fmt: skip
_ERFC_R_F64 = (
    5.64189583547755073984e-1, 1.27536670759978104416e0, 5.01905042251180477414e0,
    6.16021097993053585195e0, 7.40974269950448939160e0, 2.97886665372100240670e0,
)  # fmt: skip
_ERFC_S_F64 = (
    1.0, 2.26052863220117276590e0, 9.39603524938001434673e0, 1.20489539808096656605e1,
    1.70814450747565897222e1, 9.60896809063285067018e0, 3.36907645100081516050e0,
)  # fmt: skip
_ERF_T_F64 = (
    9.60497373987051638749e0, 9.00260197203842689217e1, 2.23200534594684319226e3,
    7.00332514112805075473e3, 5.55923013010394962768e4,
)  # fmt: skip
_ERF_U_F64 = (
    1.0, 3.35617141647503099647e1, 5.21357949780152679795e2, 4.59432382970980127987e3,
    2.26290000613890934246e4, 4.92673942608635921086e4,
)  # fmt: skip


def _polyval(coefficients, x):
    """Horner's rule, highest power first (numpy.polyval's order)."""
    out = lax._scalar_like(x, coefficients[0])
    for c in coefficients[1:]:
        out = lax.add(lax.mul(out, x), lax._scalar_like(x, c))
    return out


def _erfc_f32(x):
    one, two = lax._scalar_like(x, 1.0), lax._scalar_like(x, 2.0)
    abs_x = lax.abs(x)
    x2 = lax.mul(x, x)
    small = lax.sub(one, lax.mul(x, _polyval(_ERF_T_F32, x2)))
    q = lax.div(one, abs_x)
    y = lax.mul(q, q)
    p = lax.select(lax.lt(abs_x, two), _polyval(_ERFC_P_F32, y), _polyval(_ERFC_R_F32, y))
    big = lax.mul(lax.mul(lax.exp(lax.neg(x2)), q), p)
    big = lax.select(
        lax.lt(lax.neg(x2), lax._scalar_like(x, -88.72283905206835)), _zeros_like(x), big
    )
    big = lax.select(lax.lt(x, _zeros_like(x)), lax.sub(two, big), big)
    return lax.select(lax.lt(abs_x, one), small, big)


def _erfc_f64(x):
    one, two = lax._scalar_like(x, 1.0), lax._scalar_like(x, 2.0)
    abs_x = lax.abs(x)
    x2 = lax.mul(x, x)
    small = lax.sub(one, lax.div(lax.mul(x, _polyval(_ERF_T_F64, x2)), _polyval(_ERF_U_F64, x2)))
    near = lax.div(_polyval(_ERFC_P_F64, abs_x), _polyval(_ERFC_Q_F64, abs_x))
    far = lax.div(_polyval(_ERFC_R_F64, abs_x), _polyval(_ERFC_S_F64, abs_x))
    ratio = lax.select(lax.lt(abs_x, lax._scalar_like(x, 8.0)), near, far)
    big = lax.mul(lax.exp(lax.neg(x2)), ratio)
    big = lax.select(lax.lt(x, _zeros_like(x)), lax.sub(two, big), big)
    return lax.select(lax.lt(abs_x, one), small, big)


@custom_jvp
def _erfc(x):
    dtype = aval_of(x).dtype
    if dtype == np.float64:
        return _erfc_f64(x)
    wide = lax.convert_element_type(x, np.float32, False)
    return lax.convert_element_type(_erfc_f32(wide), dtype, aval_of(x).weak_type)


@_erfc.defjvp
def _erfc_jvp(primals, tangents):
    (x,), (g,) = primals, tangents
    slope = lax.mul(lax._scalar_like(x, -2 / np.sqrt(np.pi)), lax.exp(lax.neg(lax.mul(x, x))))
    return _erfc(x), lax.mul(g, slope)
