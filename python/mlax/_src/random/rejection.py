"""Samplers that need loops: gamma (Marsaglia-Tsang rejection) and what is
built on it (loggamma, beta, dirichlet, chisquare, t, f,
generalized_normal, ball), poisson (Knuth / transformed rejection),
binomial (inversion / BTRS) and multinomial, as JAX 0.10 computes them.

Bit for bit JAX's samples need JAX's key usage, so every split, every
loop and every draw below is where JAX has it. Gamma draws each element
with its own key (`split(key, size)`) and a scalar rejection loop mapped
over the elements, as JAX lowers `random_gamma_p`; its derivative with
respect to `a` is JAX's implicit reparameterisation (random_gamma_grad),
attached with custom_jvp: autodiff never goes through the loops.
"""

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..numpy import reductions as jnp_reductions
from ..numpy import ufuncs as jnp_ufuncs
from ..numpy.shape import moveaxis
from ..numpy.util import _check_arraylike, _dtype_arg, _promote_inexact, asarray, broadcast_to
from ..transforms.batching import vmap
from ..transforms.control_flow import scan, while_loop
from ..transforms.custom_derivatives import custom_jvp
from ..transforms.jit import jit
from ..transforms.special import random_gamma_grad
from .keys import canonical_shape, check_key, split_data
from .matrices import _concrete_index
from .samplers import (
    _bernoulli_impl,
    _check_broadcast_shapes,
    _check_shape,
    _exponential_impl,
    _float_dtype,
    _full_param,
    _normal_impl,
    _params,
    _shape_of,
    _uniform_impl,
)


def _split(data, num=2):
    keys = split_data(data, (num,))
    return tuple(keys[i] for i in range(num))


def _c(like, value):
    return lax.full_like(like, value)


def _as_float(x, dtype):
    return lax.convert_element_type(asarray(x), dtype)


# ---------------------------------------------------------------------------
# gamma and loggamma
# ---------------------------------------------------------------------------


def _xla_like_rsqrt(x):
    """1/sqrt(x) refined by one Newton step. XLA's CPU rsqrt (a hardware
    estimate and a Newton step) is not reproducible; this agrees with it
    on 92% of float32 inputs (1/sqrt(x) on 66%), within 1 ulp on the rest."""
    y = lax.div(_c(x, 1), lax.sqrt(x))
    residual = lax.add(lax.mul(lax.neg(lax.mul(x, y)), y), _c(x, 1))
    return lax.add(lax.mul(lax.mul(y, _c(x, 0.5)), residual), y)


def _gamma_one(data, alpha, log_space):
    """One Gamma(alpha) sample (Marsaglia and Tsang), JAX's _gamma_one:
    alpha < 1 is boosted to alpha + 1 and the sample scaled by
    u**(1/alpha) (in log space: plus log(u)/alpha)."""
    dtype = aval_of(alpha).dtype
    zero, one, minus_one = _c(alpha, 0), _c(alpha, 1), _c(alpha, -1)
    half, third, squeeze = _c(alpha, 0.5), _c(alpha, 1.0 / 3.0), _c(alpha, 0.0331)
    boost_mask = lax.ge(alpha, one)
    alpha_orig = alpha
    alpha = lax.select(boost_mask, alpha, lax.add(alpha, one))
    d = lax.sub(alpha, third)
    c = lax.mul(third, _xla_like_rsqrt(d))  # JAX's third / sqrt(d), as XLA rewrites it

    def rejected(state):
        _, x2, v, u = state
        squeeze_fails = lax.ge(u, lax.sub(one, lax.mul(squeeze, lax.mul(x2, x2))))
        log_fails = lax.ge(
            lax.log(u),
            lax.add(lax.mul(x2, half), lax.mul(d, lax.add(lax.sub(one, v), lax.log(v)))),
        )
        return lax.bitwise_and(squeeze_fails, log_fails)

    def propose(state):
        def next_normal(kxv):
            key, subkey = _split(kxv[0])
            x = _normal_impl(subkey, (), dtype)
            return key, x, lax.add(one, lax.mul(x, c))

        key, x_key, u_key = _split(state[0], 3)
        _, x, v = while_loop(
            lambda kxv: lax.le(kxv[2], zero), next_normal, (x_key, zero, minus_one)
        )
        u = _uniform_impl(u_key, 0.0, 1.0, (), dtype)
        return key, lax.mul(x, x), lax.mul(lax.mul(v, v), v), u

    key, subkey = _split(data)
    # The initial state is one that `rejected` rejects.
    _, _, v, _ = while_loop(rejected, propose, (key, zero, one, _c(alpha, 2)))
    if log_space:
        log_u = lax.neg(_exponential_impl(subkey, (), dtype))
        log_boost = lax.select(
            lax.bitwise_or(boost_mask, lax.eq(log_u, zero)),
            zero,
            lax.mul(log_u, lax.div(one, alpha_orig)),
        )
        return lax.add(lax.add(lax.log(d), lax.log(v)), log_boost)
    u = lax.sub(one, _uniform_impl(subkey, 0.0, 1.0, (), dtype))
    boost = lax.select(boost_mask, one, lax.pow(u, lax.div(one, alpha_orig)))
    return lax.mul(lax.mul(d, v), boost)


def _gamma_batch(data, a, log_space):
    """Gamma samples of a's shape: one key per element (JAX's _gamma_impl)."""
    shape = aval_of(a).shape
    size = int(np.prod(shape, dtype=np.int64))
    if size == 0:
        return lax.full(shape, 0, aval_of(a).dtype)
    keys = split_data(data, (size,))
    samples = vmap(lambda k, alpha: _gamma_one(k, alpha, log_space))(keys, lax.reshape(a, (size,)))
    return lax.reshape(samples, shape)


def _gamma_grad(sample, a, log_space):
    """d sample / d a by implicit reparameterisation (JAX's _gamma_grad)."""
    if not log_space:
        return random_gamma_grad(a, sample)
    # d log(x) = dx / x; exp(log x) may round to zero, then use tiny.
    x = lax.exp(sample)
    tiny = _c(x, dtypes.finfo(aval_of(x).dtype).tiny)
    x = lax.select(lax.eq(x, _c(x, 0)), tiny, x)
    return lax.div(random_gamma_grad(a, x), x)


def _gamma_sampler(log_space):
    """a -> Gamma(a) samples (or their logs) with JAX's derivative in `a`.
    The loops run outside the custom_jvp function (reverse mode cannot
    differentiate a while loop, nor need to: the rule gives the tangent)."""

    @custom_jvp
    def with_derivative(a, sample):
        return sample

    @with_derivative.defjvp
    def _jvp(primals, tangents):
        a, sample = primals
        grad = lax.stop_gradient(_gamma_grad(sample, a, log_space))
        return sample, lax.mul(tangents[0], grad)

    def sample(data, a):
        value = lax.stop_gradient(_gamma_batch(data, lax.stop_gradient(a), log_space))
        return with_derivative(a, value)

    return sample


_gamma_sample = _gamma_sampler(False)
_loggamma_sample = _gamma_sampler(True)


def _gamma_impl(data, a, shape, dtype, log_space=False):
    a = asarray(a)
    if shape is None:
        shape = aval_of(a).shape
    else:
        _check_shape("gamma", shape, aval_of(a).shape)
    a = _full_param(lax.convert_element_type(a, dtype), shape)
    return (_loggamma_sample if log_space else _gamma_sample)(data, a)


_gamma_jit = jit(_gamma_impl, static_argnums=(2, 3, 4))


def _optional_shape(shape):
    return None if shape is None else canonical_shape(shape)


def gamma(key, a, shape=None, dtype=None):
    """Gamma(a, 1) samples (differentiable in `a`)."""
    data, _ = check_key("gamma", key)
    dtype = _float_dtype("gamma", dtype)
    return _gamma_jit(data, a, _optional_shape(shape), dtype, False)


def loggamma(key, a, shape=None, dtype=None):
    """log of Gamma(a, 1) samples, accurate for small `a`."""
    data, _ = check_key("loggamma", key)
    dtype = _float_dtype("gamma", dtype)
    return _gamma_jit(data, a, _optional_shape(shape), dtype, True)


# ---------------------------------------------------------------------------
# Samplers built on gamma
# ---------------------------------------------------------------------------


def _beta_impl(data, a, b, shape, dtype):
    a, b = asarray(a), asarray(b)
    if shape is None:
        shape = tuple(np.broadcast_shapes(aval_of(a).shape, aval_of(b).shape))
    else:
        _check_shape("beta", shape, aval_of(a).shape, aval_of(b).shape)
    key_a, key_b = _split(data)
    log_gamma_a = _gamma_impl(key_a, _full_param(_as_float(a, dtype), shape), shape, dtype, True)
    log_gamma_b = _gamma_impl(key_b, _full_param(_as_float(b, dtype), shape), shape, dtype, True)
    # gamma_a / (gamma_a + gamma_b) without losing precision
    log_max = lax.max(log_gamma_a, log_gamma_b)
    gamma_a_scaled = lax.exp(lax.sub(log_gamma_a, log_max))
    gamma_b_scaled = lax.exp(lax.sub(log_gamma_b, log_max))
    return lax.div(gamma_a_scaled, lax.add(gamma_a_scaled, gamma_b_scaled))


_beta_jit = jit(_beta_impl, static_argnums=(3, 4))


def beta(key, a, b, shape=None, dtype=None):
    """Beta(a, b) samples, as two log-gammas."""
    data, _ = check_key("beta", key)
    dtype = _float_dtype("beta", dtype)
    _params("beta", dtype, a, b)
    shape = _check_broadcast_shapes("beta", shape, a, b)
    return _beta_jit(data, a, b, shape, dtype)


def _softmax_last(x):
    """jax.nn.softmax(x, -1) (max subtracted, without its derivative)."""
    x_max = lax.stop_gradient(jnp_reductions.max(x, axis=-1, keepdims=True))
    unnormalized = lax.exp(jnp_ufuncs.subtract(x, x_max))
    total = jnp_reductions.sum(unnormalized, axis=-1, keepdims=True)
    return jnp_ufuncs.multiply(unnormalized, _reciprocal(total))


def _reciprocal(x):
    """1 / x: XLA rewrites a division by a broadcast value into a
    multiplication by its reciprocal, so JAX's `a / b[..., None]` is this."""
    return lax.div(_c(x, 1), x)


def _dirichlet_impl(data, alpha, shape, dtype):
    alpha = asarray(alpha)
    alpha_shape = aval_of(alpha).shape
    if not alpha_shape:
        raise user_error(ValueError, "dirichlet requires alpha.ndim >= 1, got alpha.ndim == 0")
    if shape is None:
        shape = alpha_shape[:-1]
    else:
        _check_shape("dirichlet", shape, alpha_shape[:-1])
    alpha = lax.convert_element_type(alpha, dtype)
    # in log space: small alpha would underflow
    log_gamma = _gamma_impl(data, alpha, (*shape, alpha_shape[-1]), dtype, True)
    return _softmax_last(log_gamma)


_dirichlet_jit = jit(_dirichlet_impl, static_argnums=(2, 3))


def dirichlet(key, alpha, shape=None, dtype=None):
    """Dirichlet(alpha) samples along alpha's last axis."""
    data, _ = check_key("dirichlet", key)
    dtype = _float_dtype("dirichlet", dtype)
    return _dirichlet_jit(data, alpha, _optional_shape(shape), dtype)


def _chisquare_impl(data, df, shape, dtype):
    half_df = lax.div(_as_float(df, dtype), np.array(2, dtype))
    log_g = _gamma_impl(data, half_df, shape, dtype, True)
    return lax.mul(lax.exp(log_g), _c(log_g, 2))


_chisquare_jit = jit(_chisquare_impl, static_argnums=(2, 3))


def chisquare(key, df, shape=None, dtype=None):
    """Chi-square samples with `df` degrees of freedom (2 * Gamma(df / 2))."""
    data, _ = check_key("chisquare", key)
    dtype = _float_dtype("chisquare", dtype)
    shape = _check_broadcast_shapes("chisquare", shape, df)
    _params("chisquare", dtype, df)
    return _chisquare_jit(data, df, shape, dtype)


def _t_impl(data, df, shape, dtype):
    df = _as_float(df, dtype)
    key_n, key_g = _split(data)
    n = _normal_impl(key_n, shape, dtype)
    half_df = lax.div(df, np.array(2, dtype))
    g = _gamma_impl(key_g, half_df, shape, dtype)
    return jnp_ufuncs.multiply(n, lax.sqrt(jnp_ufuncs.divide(half_df, g)))


_t_jit = jit(_t_impl, static_argnums=(2, 3))


def t(key, df, shape=None, dtype=None):
    """Student's t samples with `df` degrees of freedom."""
    data, _ = check_key("t", key)
    dtype = _float_dtype("t", dtype)
    shape = _check_broadcast_shapes("t", shape, df)
    _params("t", dtype, df)
    return _t_jit(data, df, shape, dtype)


def _f_impl(data, dfnum, dfden, shape, dtype):
    dfden, dfnum = _as_float(dfden, dtype), _as_float(dfnum, dtype)
    key_dfd, key_dfn = _split(data)
    chi2_dfn = _chisquare_impl(key_dfn, dfnum, shape, dtype)
    chi2_dfd = _chisquare_impl(key_dfd, dfden, shape, dtype)
    # JAX's (chi2_dfn / dfnum) / (chi2_dfd / dfden), as XLA rewrites it
    return jnp_ufuncs.divide(
        jnp_ufuncs.multiply(chi2_dfn, dfden), jnp_ufuncs.multiply(chi2_dfd, dfnum)
    )


_f_jit = jit(_f_impl, static_argnums=(3, 4))


def f(key, dfnum, dfden, shape=None, dtype=None):
    """F-distribution samples (a ratio of scaled chi-squares)."""
    data, _ = check_key("f", key)
    dtype = _float_dtype("f", dtype)
    shape = _check_broadcast_shapes("f", shape, dfnum, dfden)
    _params("f", dtype, dfnum, dfden)
    return _f_jit(data, dfnum, dfden, shape, dtype)


def _generalized_normal_impl(data, p, shape, dtype):
    k_gamma, k_sign = _split(data)
    inv_p = jnp_ufuncs.divide(1, p)
    g = _gamma_impl(k_gamma, inv_p, shape, dtype)
    b = lax.convert_element_type(_bernoulli_impl(k_sign, asarray(0.5), shape, "low"), dtype)
    sign = lax.convert_element_type(jnp_ufuncs.subtract(jnp_ufuncs.multiply(2, b), 1), dtype)
    return jnp_ufuncs.multiply(sign, jnp_ufuncs.power(g, inv_p))


_generalized_normal_jit = jit(_generalized_normal_impl, static_argnums=(2, 3))


def generalized_normal(key, p, shape=(), dtype=None):
    """Samples with density proportional to exp(-|x|**p)."""
    shape = canonical_shape(shape)
    data, _ = check_key("generalized_normal", key)
    dtype = _float_dtype("generalized_normal", dtype)
    return _generalized_normal_jit(data, asarray(p), shape, dtype)


def _ball_impl(data, p, d, shape, dtype):
    k1, k2 = _split(data)
    g = _generalized_normal_impl(k1, p, (*shape, d), dtype)
    e = _exponential_impl(k2, shape, dtype)
    norm = jnp_reductions.sum(jnp_ufuncs.power(jnp_ufuncs.abs(g), p), axis=-1)
    radius = jnp_ufuncs.power(jnp_ufuncs.add(norm, e), jnp_ufuncs.divide(1, p))
    return jnp_ufuncs.multiply(g, lax.expand_dims(_reciprocal(radius), (len(shape),)))


_ball_jit = jit(_ball_impl, static_argnums=(2, 3, 4))


def ball(key, d, p=2, shape=(), dtype=None):
    """Uniform samples from the unit Lp ball in d dimensions."""
    shape = canonical_shape(shape)
    data, _ = check_key("ball", key)
    dtype = _float_dtype("ball", dtype)
    d = _concrete_index(d, "ball")
    return _ball_jit(data, asarray(p), d, shape, dtype)


# ---------------------------------------------------------------------------
# poisson
# ---------------------------------------------------------------------------


def _poisson_knuth(data, lam, shape, dtype):
    """Knuth: count uniforms until their product drops below exp(-lam).
    JAX's loop also stops after iinfo(dtype).max rounds; unreachable."""
    neg_lam = lax.neg(lam)

    def body(state):
        k, key, log_prod = state
        key, subkey = _split(key)
        k = lax.select(lax.gt(log_prod, neg_lam), lax.add(k, _c(k, 1)), k)
        u = _uniform_impl(subkey, 0.0, 1.0, shape, np.dtype(np.float32))
        return k, key, lax.add(log_prod, lax.log(u))

    def cond(state):
        return _any(lax.gt(state[2], neg_lam))

    init = (lax.full(shape, 0, dtype), data, lax.full(shape, 0, np.float32))
    k = while_loop(cond, body, init)[0]
    return lax.sub(k, _c(k, 1))


def _any(p):
    return lax.reduce_or(p, tuple(range(aval_of(p).ndim)))


def _poisson_rejection(data, lam, shape, dtype):
    """Hormann's transformed rejection (PTRS)."""
    log_lam = lax.log(lam)
    b = jnp_ufuncs.add(0.931, jnp_ufuncs.multiply(2.53, lax.sqrt(lam)))
    a = jnp_ufuncs.add(-0.059, jnp_ufuncs.multiply(0.02483, b))
    inv_alpha = jnp_ufuncs.add(1.1239, jnp_ufuncs.divide(1.1328, jnp_ufuncs.subtract(b, 3.4)))
    v_r = jnp_ufuncs.subtract(0.9277, jnp_ufuncs.divide(3.6224, jnp_ufuncs.subtract(b, 2)))
    mul, add, sub, div = (
        jnp_ufuncs.multiply,
        jnp_ufuncs.add,
        jnp_ufuncs.subtract,
        jnp_ufuncs.divide,
    )

    def body(state):
        k_out, accepted, key = state
        key, subkey_0, subkey_1 = _split(key, 3)
        u = sub(_uniform_impl(subkey_0, 0.0, 1.0, shape, aval_of(lam).dtype), 0.5)
        v = _uniform_impl(subkey_1, 0.0, 1.0, shape, aval_of(lam).dtype)
        u_shifted = sub(0.5, lax.abs(u))
        k = lax.floor(add(add(mul(add(div(mul(2, a), u_shifted), b), u), lam), 0.43))
        s = lax.log(div(mul(v, inv_alpha), add(div(a, mul(u_shifted, u_shifted)), b)))
        t_ = sub(add(lax.neg(lam), mul(k, log_lam)), lax.lgamma(add(k, 1)))
        accept1 = lax.bitwise_and(lax.ge(u_shifted, _c(u, 0.07)), lax.le(v, v_r))
        reject = lax.bitwise_or(
            lax.lt(k, _c(k, 0)),
            lax.bitwise_and(lax.lt(u_shifted, _c(u, 0.013)), lax.gt(v, u_shifted)),
        )
        accept = lax.bitwise_or(accept1, lax.bitwise_and(lax.bitwise_not(reject), lax.le(s, t_)))
        return lax.select(accept, k, k_out), lax.bitwise_or(accepted, accept), key

    def cond(state):
        return _any(lax.bitwise_not(state[1]))

    init = (lax.full(shape, -1, aval_of(lam).dtype), lax.full(shape, False, np.bool_), data)
    return lax.convert_element_type(while_loop(cond, body, init)[0], dtype)


def _poisson_impl(data, lam, shape, dtype):
    # Knuth below lam = 10, transformed rejection above (as TensorFlow, NumPy)
    use_knuth = lax.bitwise_or(lax.ne(lam, lam), lax.lt(lam, _c(lam, 10)))
    lam_knuth = lax.select(use_knuth, lam, _c(lam, 0.0))
    # acceptance peaks at 89% as lam grows: any large lam will do
    lam_rejection = lax.select(use_knuth, _c(lam, 1e5), lam)
    result = lax.select(
        use_knuth,
        _poisson_knuth(data, lam_knuth, shape, dtype),
        _poisson_rejection(data, lam_rejection, shape, dtype),
    )
    return lax.select(lax.eq(lam, _c(lam, 0)), lax.full_like(result, 0), result)


_poisson_jit = jit(_poisson_impl, static_argnums=(2, 3))


def poisson(key, lam, shape=None, dtype=None):
    """Poisson(lam) samples of an integer dtype (lam is sampled in float32)."""
    data, _ = check_key("poisson", key)
    dtype = _dtype_arg(int if dtype is None else dtype, "")
    shape = canonical_shape(_shape_of(lam) if shape is None else shape)
    lam = asarray(lam)
    lam = lax.convert_element_type(broadcast_to(lam, shape), np.float32)
    return _poisson_jit(data, lam, shape, dtype)


# ---------------------------------------------------------------------------
# binomial and multinomial
# ---------------------------------------------------------------------------

_STIRLING_TAIL = (
    0.0810614667953272,
    0.0413406959554092,
    0.0276779256849983,
    0.02079067210376509,
    0.0166446911898211,
    0.0138761288230707,
    0.0118967099458917,
    0.0104112652619720,
    0.00925546218271273,
    0.00833056343336287,
)


def _stirling_approx_tail(k):
    """log(k!) minus its Stirling approximation: a table for k <= 9."""
    use_table = lax.le(k, _c(k, 9))
    k = lax.clamp(_c(k, 0.0), k, _c(k, 9.0))
    kp1 = jnp_ufuncs.add(k, 1)
    kp1sq = jnp_ufuncs.multiply(kp1, kp1)
    inner = jnp_ufuncs.subtract(1.0 / 360, jnp_ufuncs.divide(1.0 / 1260, kp1sq))
    approx = jnp_ufuncs.divide(jnp_ufuncs.subtract(1.0 / 12, jnp_ufuncs.divide(inner, kp1sq)), kp1)
    index = lax.floor(k)
    table = _c(k, _STIRLING_TAIL[0])
    for i, value in enumerate(_STIRLING_TAIL[1:], 1):
        table = lax.select(lax.eq(index, _c(k, i)), _c(k, value), table)
    return lax.select(use_table, table, approx)


def _binomial_inversion(data, count, prob, shape, dtype):
    """Count geometric waiting times until they pass `count`."""
    log1minusprob = lax.log1p(lax.neg(prob))
    fdtype = aval_of(prob).dtype

    def body(state):
        num_geom, geom_sum, key = state
        subkey, key = _split(key)
        num_geom_out = lax.select(
            lax.le(geom_sum, count), lax.add(num_geom, _c(num_geom, 1)), num_geom
        )
        u = _uniform_impl(subkey, 0.0, 1.0, shape, fdtype)
        geom = lax.ceil(lax.div(lax.log(u), log1minusprob))
        return num_geom_out, lax.add(geom_sum, geom), key

    def cond(state):
        return _any(lax.le(state[1], count))

    init = (lax.full(shape, 0, fdtype), lax.full(shape, 0, fdtype), data)
    k = while_loop(cond, body, init)[0]
    return lax.convert_element_type(lax.sub(k, _c(k, 1)), dtype)


def _btrs(data, count, prob, shape, dtype):
    """Hormann's transformed rejection with squeeze (BTRS)."""
    mul, add, sub, div = (
        jnp_ufuncs.multiply,
        jnp_ufuncs.add,
        jnp_ufuncs.subtract,
        jnp_ufuncs.divide,
    )
    log = lax.log
    fdtype = aval_of(prob).dtype
    stddev = lax.sqrt(mul(mul(count, prob), sub(1, prob)))
    b = add(1.15, mul(2.53, stddev))
    a = add(add(-0.0873, mul(0.0248, b)), mul(0.01, prob))
    c = add(mul(count, prob), 0.5)
    v_r = sub(0.92, div(4.2, b))
    r = div(prob, sub(1, prob))
    alpha = mul(add(2.83, div(5.1, b)), stddev)
    m = lax.floor(mul(add(count, 1), prob))

    def body(state):
        k_out, accepted, key = state
        key, subkey_0, subkey_1 = _split(key, 3)
        u = _uniform_impl(subkey_0, 0.0, 1.0, shape, fdtype)
        v = _uniform_impl(subkey_1, 0.0, 1.0, shape, fdtype)
        u = sub(u, 0.5)
        us = sub(0.5, lax.abs(u))
        accept1 = lax.bitwise_and(lax.ge(us, _c(us, 0.07)), lax.le(v, v_r))
        k = lax.floor(add(mul(add(div(mul(2, a), us), b), u), c))
        reject = lax.bitwise_or(lax.lt(k, _c(k, 0)), lax.gt(k, count))
        v = log(div(mul(v, alpha), add(div(a, mul(us, us)), b)))
        terms = (
            mul(add(m, 0.5), log(div(add(m, 1), mul(r, add(sub(count, m), 1))))),
            mul(add(count, 1), log(div(add(sub(count, m), 1), add(sub(count, k), 1)))),
            mul(add(k, 0.5), log(div(mul(r, add(sub(count, k), 1)), add(k, 1)))),
            _stirling_approx_tail(m),
            _stirling_approx_tail(sub(count, m)),
        )
        ub = terms[0]
        for term in terms[1:]:  # left to right, as JAX adds them
            ub = add(ub, term)
        ub = sub(sub(ub, _stirling_approx_tail(k)), _stirling_approx_tail(sub(count, k)))
        accept = lax.bitwise_or(accept1, lax.bitwise_and(lax.bitwise_not(reject), lax.le(v, ub)))
        return lax.select(accept, k, k_out), lax.bitwise_or(accepted, accept), key

    def cond(state):
        return _any(lax.bitwise_not(state[1]))

    init = (lax.full(shape, -1, fdtype), lax.full(shape, False, np.bool_), data)
    return lax.convert_element_type(while_loop(cond, body, init)[0], dtype)


def _binomial_impl(data, count, prob, shape, dtype):
    count, prob = asarray(count), asarray(prob)
    if shape is None:
        shape = tuple(np.broadcast_shapes(aval_of(count).shape, aval_of(prob).shape))
    else:
        _check_shape("binomial", shape, aval_of(count).shape, aval_of(prob).shape)
    (prob,) = _promote_inexact("binomial", prob)
    fdtype = aval_of(prob).dtype
    count = _full_param(lax.convert_element_type(count, fdtype), shape)
    prob = _full_param(prob, shape)
    p_lt_half = lax.lt(prob, _c(prob, 0.5))
    q = lax.select(p_lt_half, prob, lax.sub(_c(prob, 1.0), prob))
    count_nan_or_neg = lax.bitwise_or(lax.ne(count, count), lax.lt(count, _c(count, 0.0)))
    count_inf = lax.eq(lax.abs(count), _c(count, np.inf))
    q_is_nan = lax.ne(q, q)
    q_l_0 = lax.lt(q, _c(q, 0.0))
    q = lax.select(lax.bitwise_or(q_is_nan, q_l_0), _c(q, 0.01), q)
    # inversion for count * q <= 10, BTRS above (TensorFlow's choice)
    use_inversion = lax.bitwise_or(count_nan_or_neg, lax.le(lax.mul(count, q), _c(q, 10.0)))
    count = lax.floor(count)  # as np.random.binomial treats a float count
    count_inv = lax.select(use_inversion, count, _c(count, 0.0))
    count_btrs = lax.select(use_inversion, _c(count, 1e4), count)
    q_btrs = lax.select(use_inversion, _c(q, 0.5), q)
    samples = lax.select(
        use_inversion,
        _binomial_inversion(data, count_inv, q, shape, dtype),
        _btrs(data, count_btrs, q_btrs, shape, dtype),
    )
    invalid = lax.bitwise_or(lax.bitwise_or(q_l_0, q_is_nan), count_nan_or_neg)
    samples = lax.select(invalid, lax.full_like(samples, np.nan), samples)
    samples = lax.select(
        lax.bitwise_and(count_inf, lax.bitwise_not(invalid)),
        lax.full_like(samples, np.inf),
        samples,
    )
    keep = lax.bitwise_or(
        lax.bitwise_or(p_lt_half, count_nan_or_neg), lax.bitwise_or(q_is_nan, count_inf)
    )
    return lax.select(keep, samples, lax.sub(lax.convert_element_type(count, dtype), samples))


_binomial_jit = jit(_binomial_impl, static_argnums=(3, 4))


def binomial(key, n, p, shape=None, dtype=None):
    """Binomial(n, p) samples as floats (inversion for n * p <= 10, else
    BTRS, as TensorFlow and JAX)."""
    data, _ = check_key("binomial", key)
    _check_arraylike("binomial", n, p)
    dtype = _float_dtype("binomial", dtype)
    return _binomial_jit(data, n, p, _optional_shape(shape), dtype)


def _multinomial_impl(data, n, p, shape, dtype):
    n, p = _promote_inexact("multinomial", n, p)
    if shape is None:
        shape = aval_of(p).shape
    n = broadcast_to(n, shape[:-1])
    p = broadcast_to(p, shape)
    p = moveaxis(p, -1, 0) if aval_of(p).ndim > 1 else p
    remaining = lax.cumsum(p, 0, reverse=True)
    ratios = jnp_ufuncs.divide(
        p, lax.select(lax.eq(remaining, _c(remaining, 0)), _c(remaining, 1), remaining)
    )
    keys = split_data(data, (aval_of(ratios).shape[0],))

    def draw(remainder, ratio_key):
        ratio, key = ratio_key
        ratio = jnp_ufuncs.clip(ratio, 0, 1)
        count = _binomial_impl(key, remainder, ratio, None, aval_of(remainder).dtype)
        return jnp_ufuncs.subtract(remainder, count), count

    _, counts = scan(draw, n, (ratios, keys))
    counts = moveaxis(counts, 0, -1) if aval_of(counts).ndim > 1 else counts
    return lax.convert_element_type(counts, dtype)


_multinomial_jit = jit(_multinomial_impl, static_argnums=(3, 4))


def multinomial(key, n, p, *, shape=None, dtype=None, unroll=1):
    """Multinomial counts: n trials over the outcomes on p's last axis."""
    data, _ = check_key("multinomial", key)
    _check_arraylike("multinomial", n, p)
    dtype = _float_dtype("multinomial", dtype)
    return _multinomial_jit(data, n, p, _optional_shape(shape), dtype)
