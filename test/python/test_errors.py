"""Bad inputs raise what JAX raises, with a message that names the shapes or
dtypes involved and points at the user's source line ("path:line").

Each offending call sits alone in a one-line lambda (or on a known line of a
traced function), so the expected line is the lambda's first line.
"""

import jax
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from mlax import lax


def _located(fn_or_line):
    line = fn_or_line if isinstance(fn_or_line, int) else fn_or_line.__code__.co_firstlineno
    return f"{__file__}:{line}"


def raises_at(exc_type, fn, *fragments, line=None):
    """Calls fn(); asserts it raises exc_type with `fragments` and the
    location of the offending line in the message. Returns the exception."""
    with pytest.raises(exc_type) as info:
        fn()
    message = str(info.value)
    assert _located(fn if line is None else line) in message, message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    return info.value


def jax_raises(exc_type, fn):
    """The same call in JAX raises the same exception type.
    fn(numpy_module, lax_module, jit)."""
    with pytest.raises(exc_type):
        fn(jax.numpy, jax.lax, jax.jit)


F3 = np.zeros(3, np.float32)
F4 = np.zeros(4, np.float32)


def test_add_incompatible_shapes():
    a, b = jnp.asarray(F3), jnp.asarray(F4)
    msg = "add got incompatible shapes for broadcasting: (3,), (4,)."
    raises_at(TypeError, lambda: jnp.add(a, b), msg)
    raises_at(TypeError, lambda: a + b, msg)
    # JAX names the lax op: mul, div, pow, lt, ...
    raises_at(TypeError, lambda: jnp.multiply(a, b), "mul got incompatible shapes", "(3,)")
    raises_at(TypeError, lambda: jnp.less(a, b), "lt got incompatible shapes", "(3,)")
    jax_raises(TypeError, lambda m, l, j: m.add(F3, F4))
    jax_raises(TypeError, lambda m, l, j: m.multiply(F3, F4))


def test_add_incompatible_shapes_of_different_ranks_is_a_value_error():
    # jnp's rank promotion fails first in JAX: a ValueError
    a, b = jnp.ones((2, 3)), jnp.ones((4,))
    raises_at(
        ValueError, lambda: a + b, "Incompatible shapes for broadcasting: shapes=[(2, 3), (4,)]"
    )
    raises_at(ValueError, lambda: jnp.where(a > 0, jnp.ones((3, 2)), 0), "(3, 2)")
    jax_raises(ValueError, lambda m, l, j: m.ones((2, 3)) + m.ones((4,)))
    jax_raises(ValueError, lambda m, l, j: m.where(m.ones((2, 3)) > 0, m.ones((3, 2)), 0))


def test_broadcast_shapes_incompatible_still_value_error():
    raises_at(ValueError, lambda: jnp.broadcast_shapes((3,), (4,)), "(3,)", "(4,)")
    jax_raises(ValueError, lambda m, l, j: m.broadcast_shapes((3,), (4,)))


def test_error_inside_jit_points_at_the_traced_line():
    def f(x):
        return x * jnp.ones(4)

    err = raises_at(
        TypeError,
        lambda: mlax.jit(f)(jnp.asarray(F3)),
        "(3,)",
        "(4,)",
        line=f.__code__.co_firstlineno + 1,
    )
    assert "incompatible shapes for broadcasting" in str(err)
    jax_raises(TypeError, lambda m, l, j: j(lambda x: x * m.ones(4))(F3))


def test_lax_add_different_dtypes():
    x, i = jnp.asarray(F3), jnp.asarray(np.zeros(3, np.int32))
    raises_at(TypeError, lambda: lax.add(x, i), "float32", "int32")
    jax_raises(TypeError, lambda m, l, j: l.add(F3, np.zeros(3, np.int32)))


def test_lax_add_different_shapes():
    x, y = jnp.asarray(F3), jnp.asarray(F4)
    raises_at(TypeError, lambda: lax.add(x, y), "(3,)", "(4,)")
    jax_raises(TypeError, lambda m, l, j: l.add(F3, F4))


def test_bad_axis():
    x = jnp.asarray(np.zeros((2, 3), np.float32))
    raises_at(ValueError, lambda: jnp.sum(x, axis=2), "axis 2", "dimension 2")
    raises_at(ValueError, lambda: jnp.mean(x, axis=(0, -3)), "-3")
    raises_at(ValueError, lambda: jnp.argmax(x, axis=5), "5")
    raises_at(ValueError, lambda: jnp.expand_dims(x, 4), "4")
    raises_at(ValueError, lambda: jnp.concatenate([x, x], axis=2), "2")
    jax_raises(ValueError, lambda m, l, j: m.sum(np.zeros((2, 3)), axis=2))
    jax_raises(ValueError, lambda m, l, j: m.expand_dims(np.zeros((2, 3)), 4))
    jax_raises(ValueError, lambda m, l, j: m.concatenate([np.zeros((2, 3))] * 2, axis=2))


def test_reshape_wrong_size():
    x = jnp.asarray(np.zeros(6, np.float32))
    raises_at(TypeError, lambda: jnp.reshape(x, (4,)), "(6,)", "(4,)")
    raises_at(TypeError, lambda: x.reshape(4, 2), "(6,)", "(4, 2)")
    raises_at(TypeError, lambda: jnp.reshape(x, (-1, 4)), "(6,)")
    raises_at(TypeError, lambda: lax.reshape(x, (5,)), "(6,)", "(5,)")
    jax_raises(TypeError, lambda m, l, j: m.reshape(m.zeros(6), (4,)))
    jax_raises(TypeError, lambda m, l, j: m.reshape(m.zeros(6), (-1, 4)))
    raises_at(TypeError, lambda: x.reshape(-1, -1), "one unknown axis size", "(-1, -1)")
    jax_raises(TypeError, lambda m, l, j: m.zeros(6).reshape(-1, -1))


def test_matmul_contracting_mismatch():
    a = jnp.asarray(np.zeros((2, 3), np.float32))
    b = jnp.asarray(np.zeros((4, 5), np.float32))
    raises_at(TypeError, lambda: jnp.matmul(a, b), "(2, 3)", "(4, 5)")
    raises_at(TypeError, lambda: a @ b, "(2, 3)", "(4, 5)")
    raises_at(TypeError, lambda: jnp.dot(a, b), "(2, 3)", "(4, 5)")
    dn = (((1,), (0,)), ((), ()))
    raises_at(TypeError, lambda: lax.dot_general(a, b, dn), "(2, 3)", "(4, 5)")
    jax_raises(TypeError, lambda m, l, j: m.matmul(np.zeros((2, 3)), np.zeros((4, 5))))
    jax_raises(TypeError, lambda m, l, j: m.dot(np.zeros((2, 3)), np.zeros((4, 5))))
    jax_raises(TypeError, lambda m, l, j: l.dot_general(np.zeros((2, 3)), np.zeros((4, 5)), dn))


def test_exp_of_strings():
    raises_at(TypeError, lambda: jnp.exp("abc"))
    raises_at(TypeError, lambda: jnp.exp(["a", "b"]))
    raises_at(TypeError, lambda: jnp.add(1.0, "x"))
    jax_raises(TypeError, lambda m, l, j: m.exp("abc"))
    jax_raises(TypeError, lambda m, l, j: m.exp(["a", "b"]))


def test_unhashable_static_arg():
    f = mlax.jit(lambda x, n: x, static_argnums=1)
    x = jnp.asarray(F3)
    raises_at(ValueError, lambda: f(x, [1, 2]), "Non-hashable static arguments", "list")
    g = mlax.jit(lambda x, opts: x, static_argnames="opts")
    raises_at(ValueError, lambda: g(x, opts={"a": 1}), "Non-hashable static arguments", "dict")
    jax_raises(ValueError, lambda m, l, j: j(lambda x, n: x, static_argnums=1)(F3, [1, 2]))


def test_non_array_output_from_jit():
    x = jnp.asarray(F3)
    raises_at(TypeError, lambda: mlax.jit(lambda v: "abc")(x), "abc", "str")
    raises_at(TypeError, lambda: mlax.jit(lambda v: (v, object()))(x), "object")
    jax_raises(TypeError, lambda m, l, j: j(lambda v: "abc")(F3))


def test_python_control_flow_on_tracer():
    def f(x):
        if x > 0:
            return x
        return -x

    err = raises_at(
        mlax.ConcretizationTypeError,
        lambda: mlax.jit(f)(jnp.asarray(np.float32(1.0))),
        "bool[]",
        line=f.__code__.co_firstlineno + 1,
    )
    assert isinstance(err, TypeError)

    def g(x):
        return int(x) + 1

    err = raises_at(
        mlax.ConcretizationTypeError,
        lambda: mlax.jit(g)(jnp.asarray(np.int32(1))),
        "`int` function",
        line=g.__code__.co_firstlineno + 1,
    )
    # JAX raises the base class for int(); the subclass is __index__'s.
    assert type(err) is mlax.ConcretizationTypeError
    with pytest.raises(jax.errors.ConcretizationTypeError) as jax_err:
        jax.jit(lambda v: int(v))(np.int32(1))
    assert type(jax_err.value).__name__ == type(err).__name__
    with pytest.raises(jax.errors.ConcretizationTypeError):
        jax.jit(f)(np.float32(1.0))
    assert issubclass(jax.errors.ConcretizationTypeError, TypeError)


def test_numpy_conversion_of_tracer():
    def f(x):
        return np.asarray(x) * 2

    err = raises_at(
        TypeError,
        lambda: mlax.jit(f)(jnp.asarray(F3)),
        "float32[3]",
        line=f.__code__.co_firstlineno + 1,
    )
    assert isinstance(err, mlax.TracerArrayConversionError)
    jax_raises(TypeError, lambda m, l, j: j(f)(F3))


def test_lax_exp_on_int():
    i = jnp.asarray(np.arange(3, dtype=np.int32))
    raises_at(TypeError, lambda: lax.exp(i), "does not accept dtype int32")
    raises_at(TypeError, lambda: lax.sqrt(i), "does not accept dtype int32")
    b = jnp.asarray(np.array([True]))
    raises_at(TypeError, lambda: lax.neg(b), "does not accept dtype bool")
    raises_at(TypeError, lambda: lax.shift_left(jnp.asarray(F3), jnp.asarray(F3)), "float32")
    jax_raises(TypeError, lambda m, l, j: l.exp(np.arange(3, dtype=np.int32)))
    jax_raises(TypeError, lambda m, l, j: l.neg(np.array([True])))


def test_concatenate_mismatched_shapes():
    a = jnp.asarray(np.zeros((2, 3), np.float32))
    b = jnp.asarray(np.zeros((2, 4), np.float32))
    raises_at(TypeError, lambda: jnp.concatenate([a, b], axis=0), "(2, 3)", "(2, 4)")
    raises_at(TypeError, lambda: lax.concatenate([a, b], 0), "(2, 3)", "(2, 4)")
    raises_at(ValueError, lambda: jnp.stack([a, b]), "(2, 3)", "(2, 4)")
    jax_raises(TypeError, lambda m, l, j: m.concatenate([np.zeros((2, 3)), np.zeros((2, 4))]))
    jax_raises(TypeError, lambda m, l, j: l.concatenate([np.zeros((2, 3)), np.zeros((2, 4))], 0))
    jax_raises(ValueError, lambda m, l, j: m.stack([np.zeros((2, 3)), np.zeros((2, 4))]))


def test_concatenate_zero_dim():
    s = jnp.asarray(np.float32(1))
    raises_at(ValueError, lambda: jnp.concatenate([s, s]), "Zero-dimensional")
    jax_raises(ValueError, lambda m, l, j: m.concatenate([np.float32(1), np.float32(1)]))


def test_broadcast_to_incompatible():
    x = jnp.asarray(np.zeros((2, 3), np.float32))
    raises_at(ValueError, lambda: jnp.broadcast_to(x, (3, 3)), "(2, 3)", "(3, 3)")
    raises_at(ValueError, lambda: jnp.broadcast_to(x, (3,)), "(2, 3)")
    jax_raises(ValueError, lambda m, l, j: m.broadcast_to(np.zeros((2, 3)), (3, 3)))


def test_squeeze_and_split_errors():
    x = jnp.asarray(np.zeros((2, 3), np.float32))
    raises_at(ValueError, lambda: jnp.squeeze(x, 0), "(2, 3)")
    raises_at(ValueError, lambda: jnp.split(x, 4, axis=1), "3")
    jax_raises(ValueError, lambda m, l, j: m.squeeze(np.zeros((2, 3)), 0))
    jax_raises(ValueError, lambda m, l, j: m.split(np.zeros((2, 3)), 4, axis=1))


def test_index_errors():
    x = jnp.asarray(np.zeros((2, 3), np.float32))
    # Out-of-bounds static integers clamp as in JAX (test_indexing.py).
    raises_at(TypeError, lambda: x[np.array([0.5])], "integer or boolean", "float64")
    raises_at(IndexError, lambda: x[0, 0, 0], "Too many indices")
    raises_at(IndexError, lambda: x[..., ...], "ellipsis")
    jax_raises(IndexError, lambda m, l, j: m.zeros((2, 3))[0, 0, 0])
    jax_raises(IndexError, lambda m, l, j: m.zeros((2, 3))[..., ...])
    jax_raises(TypeError, lambda m, l, j: m.zeros((2, 3))[np.array([0.5])])


def test_lax_argument_errors():
    x = jnp.asarray(np.zeros((2, 3), np.float32))
    raises_at(TypeError, lambda: lax.select(x, x, x), "bool", "float32")
    raises_at(TypeError, lambda: lax.slice(x, (0, 0), (3, 3)), "(2, 3)")
    raises_at(TypeError, lambda: lax.transpose(x, (0, 0)), "(2, 3)")
    raises_at(TypeError, lambda: lax.broadcast_in_dim(x, (4, 3), (0, 1)), "(2, 3)", "(4, 3)")
    raises_at(TypeError, lambda: lax.dynamic_slice(x, (0, 0), (3, 3)), "(2, 3)")
    jax_raises(TypeError, lambda m, l, j: l.select(np.zeros(3), np.zeros(3), np.zeros(3)))
    jax_raises(TypeError, lambda m, l, j: l.slice(np.zeros((2, 3)), (0, 0), (3, 3)))
    jax_raises(TypeError, lambda m, l, j: l.transpose(np.zeros((2, 3)), (0, 0)))
    jax_raises(TypeError, lambda m, l, j: l.broadcast_in_dim(np.zeros((2, 3)), (4, 3), (0, 1)))
    jax_raises(TypeError, lambda m, l, j: l.dynamic_slice(np.zeros((2, 3)), (0, 0), (3, 3)))


def test_arrays_are_immutable():
    x = jnp.asarray(F3)

    def assign():
        x[0] = 1.0

    with pytest.raises(TypeError, match=r"immutable.*x.at\[idx\].set\(y\)"):
        assign()
    raises_at(TypeError, lambda: x.__setitem__(0, 1.0), "immutable")
    with pytest.raises(TypeError, match="immutable"):
        mlax.jit(lambda v: v.__setitem__(0, 1.0))(x)
    jax_raises(TypeError, lambda m, l, j: m.zeros(3).__setitem__(0, 1.0))


def test_reduction_of_empty_without_identity():
    e = jnp.zeros((0,))
    raises_at(ValueError, lambda: jnp.max(e), "zero-size")
    raises_at(ValueError, lambda: jnp.argmin(e), "empty")
    jax_raises(ValueError, lambda m, l, j: m.max(m.zeros((0,))))
    jax_raises(ValueError, lambda m, l, j: m.argmin(m.zeros((0,))))


def test_bool_of_array_ambiguous():
    x = jnp.asarray(F3)
    with pytest.raises(ValueError, match="more than one element"):
        bool(x)
    jax_raises(ValueError, lambda m, l, j: bool(m.zeros(3)))


def test_negative_shape():
    raises_at(TypeError, lambda: jnp.zeros((2, -1)), "nonnegative", "(2, -1)")
    jax_raises(TypeError, lambda m, l, j: m.zeros((2, -1)))


def test_where_one_argument_missing():
    c = jnp.asarray(np.array([True, False]))
    raises_at(TypeError, lambda: jnp.where(c, 1.0), "where")
    jax_raises(TypeError, lambda m, l, j: m.where(np.array([True, False]), 1.0))


def test_lax_pad_padding_value_dtype():
    x = jnp.asarray(np.zeros((2, 3), np.float32))
    raises_at(TypeError, lambda: lax.pad(x, np.int32(0), ((0, 0, 0), (0, 0, 0))), "int32")
    jax_raises(
        TypeError,
        lambda m, l, j: l.pad(np.zeros((2, 3), np.float32), np.int32(0), ((0, 0, 0),) * 2),
    )


_JAX_TYPES = [
    pytest.param(lambda m: m.add(m.zeros(3), m.zeros(4)), id="add-shapes"),
    pytest.param(lambda m: m.multiply(m.zeros(3), m.zeros(4)), id="multiply-shapes"),
    pytest.param(lambda m: m.reshape(m.zeros(6), (4,)), id="reshape-size"),
    pytest.param(lambda m: m.zeros((2, -1)), id="zeros-negative"),
    pytest.param(lambda m: m.where(m.zeros(2) > 0, 1.0), id="where-missing-y"),
    pytest.param(lambda m: m.where(m.zeros(2) > 0, y=1.0), id="where-missing-x"),
    pytest.param(lambda m: m.sum(m.zeros((2, 3)), axis=2), id="sum-axis"),
    pytest.param(lambda m: m.matmul(m.zeros((2, 3)), m.zeros((4, 5))), id="matmul"),
    pytest.param(lambda m: m.concatenate([m.zeros((2, 3)), m.zeros((2, 4))]), id="concat"),
    pytest.param(lambda m: m.exp("abc"), id="exp-str"),
    pytest.param(lambda m: m.broadcast_to(m.zeros((2, 3)), (3, 3)), id="broadcast_to"),
    pytest.param(lambda m: m.broadcast_shapes((3,), (4,)), id="broadcast_shapes"),
    pytest.param(lambda m: m.squeeze(m.zeros((2, 3)), 0), id="squeeze"),
    pytest.param(lambda m: m.split(m.zeros((2, 3)), 4, axis=1), id="split"),
    pytest.param(lambda m: m.stack([m.zeros(2), m.zeros(3)]), id="stack"),
]


@pytest.mark.parametrize("call", _JAX_TYPES)
def test_exception_type_matches_installed_jax(call):
    with pytest.raises(Exception) as jax_info:
        call(jax.numpy)
    with pytest.raises(Exception) as mlax_info:
        call(jnp)
    assert mlax_info.type is jax_info.type or issubclass(mlax_info.type, jax_info.type), (
        f"mlax raised {mlax_info.type.__name__}, JAX raised {jax_info.type.__name__}"
    )


def test_jit_requires_callable():
    with pytest.raises(TypeError):
        mlax.jit(3)
    jax_raises(TypeError, lambda m, l, j: j(3))


# Each (exception, message, call(numpy module, lax module)) raises the same
# in mlax and JAX (found with a JAX program of common mistakes).
_SAME_ERRORS = [
    (IndexError, "index 3 is out of bounds for axis 0 with size 2",
     lambda m, l: m.swapaxes(m.ones((2, 3)), 0, 3)),
    (ValueError, "inhomogeneous", lambda m, l: m.array([[1, 2], [3]])),
    (NotImplementedError, "The 'raise' mode to jnp.take is not supported",
     lambda m, l: m.take(m.arange(3), 5, mode="raise")),
    (ValueError, "Invalid mode 'bogus' for np.take", lambda m, l: m.take(m.arange(3), 0, mode="bogus")),
    (ValueError, 'Unknown gather mode "raise"', lambda m, l: m.arange(3).at[0].get(mode="raise")),
    (ValueError, 'Unknown gather mode "raise"', lambda m, l: m.arange(3).at[0].set(1, mode="raise")),
    (ValueError, 'Unknown gather mode "wrap"',
     lambda m, l: m.take_along_axis(m.arange(3), m.zeros(1, int), 0, mode="wrap")),
    (ValueError, "negative dimensions are not allowed, got -1 and None", lambda m, l: m.eye(-1)),
    (ValueError, "negative dimensions are not allowed, got 2 and -1", lambda m, l: m.eye(2, -1)),
    (ValueError, "negative dimensions are not allowed, got -2 and None", lambda m, l: m.identity(-2)),
    (TypeError, "iota shape must have every element be nonnegative, got (-1, -1).",
     lambda m, l: m.tri(-1)),
    (TypeError, "iota shape must have every element be nonnegative, got (-1,).",
     lambda m, l: l.iota("int32", -1)),
]  # fmt: skip


@pytest.mark.parametrize("exc_type,message,call", _SAME_ERRORS, ids=[m for _, m, _ in _SAME_ERRORS])
def test_common_mistakes_raise_what_jax_raises(exc_type, message, call):
    with pytest.raises(exc_type) as info:
        call(jnp, mlax.lax)
    assert message in str(info.value)
    with pytest.raises(exc_type, match=None) as want:
        call(jax.numpy, jax.lax)
    assert message in str(want.value)
