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
    out = jnp.multiply(jnp.multiply(0.5, x), lax.erfc(jnp.multiply(jnp.negative(x), sqrt_half)))
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
