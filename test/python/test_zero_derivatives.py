"""Every op with a zero derivative (the ZeroDerivative trait, one list that
the JVP rules, the VJP rules and mlax-autodiff's dependence analysis all
read) works in both modes and gives JAX's zero tangents and cotangents."""

import jax
import jax.numpy as jjnp
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from mlax import lax

X = np.array([-2.5, -0.5, 0.3, 1.5, 2.7], np.float32)

# name -> (mlax function, the same function in JAX); each is applied to a
# float array and returns a float array that depends on x only through an
# op with a zero derivative, plus x itself so the derivative is 1 + 0.
CASES = {
    "floor": (lambda x: lax.floor(x), lambda x: jax.lax.floor(x)),
    "ceil": (lambda x: lax.ceil(x), lambda x: jax.lax.ceil(x)),
    "round": (lambda x: lax.round(x), lambda x: jax.lax.round(x)),
    "sign": (lambda x: lax.sign(x), lambda x: jax.lax.sign(x)),
    "stop_gradient": (lambda x: lax.stop_gradient(x), lambda x: jax.lax.stop_gradient(x)),
    "bitcast_f32_i32_f32": (
        lambda x: lax.bitcast_convert_type(lax.bitcast_convert_type(x, np.int32), np.float32),
        lambda x: jax.lax.bitcast_convert_type(
            jax.lax.bitcast_convert_type(x, jjnp.int32), jjnp.float32
        ),
    ),
    "bitcast_f32_to_i32_converted": (
        lambda x: lax.convert_element_type(lax.bitcast_convert_type(x, np.int32), np.float32),
        lambda x: jax.lax.convert_element_type(
            jax.lax.bitcast_convert_type(x, jjnp.int32), jjnp.float32
        ),
    ),
    "bitcast_f16_bf16": (
        lambda x: lax.convert_element_type(
            lax.bitcast_convert_type(lax.convert_element_type(x, np.float16), jnp.bfloat16),
            np.float32,
        ),
        lambda x: jax.lax.convert_element_type(
            jax.lax.bitcast_convert_type(
                jax.lax.convert_element_type(x, jjnp.float16), jjnp.bfloat16
            ),
            jjnp.float32,
        ),
    ),
    "compare": (
        lambda x: lax.convert_element_type(lax.gt(x, 0.0), np.float32),
        lambda x: jax.lax.convert_element_type(jax.lax.gt(x, 0.0), jjnp.float32),
    ),
    "argmax": (
        lambda x: lax.convert_element_type(lax.argmax(x, 0, np.int32), np.float32) * x,
        lambda x: jax.lax.convert_element_type(jax.lax.argmax(x, 0, jjnp.int32), jjnp.float32) * x,
    ),
    "is_finite": (
        lambda x: lax.convert_element_type(lax.is_finite(x), np.float32),
        lambda x: jax.lax.convert_element_type(jax.lax.is_finite(x), jjnp.float32),
    ),
}


def _threefry_mlax(x):
    from mlax._src.lax import threefry2x32

    bits = lax.bitcast_convert_type(x, np.uint32)
    return threefry2x32(np.uint32(1), np.uint32(2), bits, bits)[0]


def _threefry_jax(x):
    from jax._src.random.threefry2x32 import threefry2x32_p

    bits = jax.lax.bitcast_convert_type(x, jjnp.uint32)
    one, two = jjnp.full_like(bits, 1), jjnp.full_like(bits, 2)
    return threefry2x32_p.bind(one, two, bits, bits)[0]


def _through_bits(op):
    """A case for an integer op: op(l, bits of x) for l = mlax.lax / jax.lax,
    converted back to float32 (op keeps the values small)."""

    def case(l, np_):
        return lambda x: l.convert_element_type(
            op(l, l.bitcast_convert_type(x, np_.int32)), np_.float32
        )

    return case(lax, np), case(jax.lax, jjnp)


CASES.update(
    {
        "not": _through_bits(lambda l, b: l.bitwise_and(l.bitwise_not(b), 15)),
        "and": _through_bits(lambda l, b: l.bitwise_and(b, 255)),
        "or": _through_bits(lambda l, b: l.bitwise_or(l.bitwise_and(b, 7), 8)),
        "xor": _through_bits(lambda l, b: l.bitwise_xor(l.bitwise_and(b, 15), 5)),
        "shift_left": _through_bits(lambda l, b: l.shift_left(l.bitwise_and(b, 7), 2)),
        "shift_right_logical": _through_bits(lambda l, b: l.shift_right_logical(b, 28)),
        "shift_right_arithmetic": _through_bits(lambda l, b: l.shift_right_arithmetic(b, 28)),
        "reduce_and": (
            lambda x: lax.convert_element_type(lax.reduce_and(x > -3.0, (0,)), np.float32) * x,
            lambda x: (
                jax.lax.convert_element_type(jax.lax.reduce_and(x > -3.0, (0,)), jjnp.float32) * x
            ),
        ),
        "reduce_or": (
            lambda x: lax.convert_element_type(lax.reduce_or(x > 2.0, (0,)), np.float32) * x,
            lambda x: (
                jax.lax.convert_element_type(jax.lax.reduce_or(x > 2.0, (0,)), jjnp.float32) * x
            ),
        ),
        # jax.random's generator on bits of x: JAX differentiates it as a
        # constant (its outputs are integers), and so does mlax.
        "threefry2x32": (
            lambda x: (
                lax.convert_element_type(
                    lax.shift_right_logical(_threefry_mlax(x), np.uint32(29)), np.float32
                )
                * x
            ),
            lambda x: (
                jax.lax.convert_element_type(
                    jax.lax.shift_right_logical(_threefry_jax(x), np.uint32(29)), jjnp.float32
                )
                * x
            ),
        ),
        "argmin": (
            lambda x: lax.convert_element_type(lax.argmin(x, 0, np.int32), np.float32) * x,
            lambda x: (
                jax.lax.convert_element_type(jax.lax.argmin(x, 0, jjnp.int32), jjnp.float32) * x
            ),
        ),
    }
)


@pytest.mark.parametrize("name", sorted(CASES))
def test_zero_derivative_in_both_modes(name):
    f, f_jax = CASES[name]

    def g(x):
        return f(x) + x

    def g_jax(x):
        return f_jax(x) + x

    tangent = np.linspace(0.5, 1.5, X.size).astype(np.float32)
    out, t_out = mlax.jvp(g, (jnp.asarray(X),), (jnp.asarray(tangent),))
    want_out, want_t = jax.jvp(g_jax, (X,), (tangent,))
    np.testing.assert_array_equal(np.asarray(out), np.asarray(want_out))
    np.testing.assert_array_equal(np.asarray(t_out), np.asarray(want_t))

    cotangent = np.arange(1, X.size + 1, dtype=np.float32)
    (ct,) = mlax.vjp(g, jnp.asarray(X))[1](jnp.asarray(cotangent))
    (want_ct,) = jax.vjp(g_jax, X)[1](cotangent)
    np.testing.assert_array_equal(np.asarray(ct), np.asarray(want_ct))

    # Under jit, and as a gradient of a scalar.
    grad = mlax.jit(mlax.grad(lambda x: jnp.sum(g(x) * cotangent)))(jnp.asarray(X))
    np.testing.assert_array_equal(np.asarray(grad), np.asarray(want_ct))
