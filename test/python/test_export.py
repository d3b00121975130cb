"""mlax.export: export -> serialize -> deserialize -> call equals the jitted
function (arrays, pytrees, dtypes, grad and vmap inside, closed-over arrays),
calls under jit/grad, version checks and bad input, as jax.export does."""

import struct
from collections import namedtuple

import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from conftest import assert_allclose
from mlax import export


def roundtrip(exp):
    return export.deserialize(exp.serialize())


def test_single_array_roundtrip_equals_jit():
    f = mlax.jit(lambda x: jnp.sin(x) * 2.0 + 1.0)
    x = np.linspace(-2, 2, 12, dtype=np.float32).reshape(3, 4)
    exp = export.export(f)(x)
    assert exp.in_avals == (mlax.ShapedArray((3, 4), np.float32),)
    assert exp.out_avals == (mlax.ShapedArray((3, 4), np.float32),)
    assert exp.platforms == ("cpu",) and exp.nr_devices == 1
    back = roundtrip(exp)
    assert back.mlir_module() == exp.mlir_module()
    np.testing.assert_array_equal(np.asarray(back.call(x)), np.asarray(f(x)))


def test_pytrees_in_and_out_and_shape_dtype_structs():
    def f(params, x, *, scale):
        return {"y": params["w"] @ x * scale, "aux": (params["b"], [x.sum()])}

    jf = mlax.jit(f)
    params = {"w": np.ones((2, 3), np.float32), "b": np.arange(2, dtype=np.int32)}
    x = np.arange(3.0, dtype=np.float32)
    spec = {
        "w": mlax.ShapeDtypeStruct((2, 3), np.float32),
        "b": mlax.ShapeDtypeStruct((2,), np.int32),
    }
    exp = export.export(jf)(spec, mlax.ShapeDtypeStruct((3,), np.float32), scale=2.0)
    assert str(exp.in_tree) == str(mlax.tree_util.tree_structure(((params, x), {"scale": 2.0})))
    assert str(exp.out_tree) == "PyTreeDef({'aux': (*, [*]), 'y': *})"
    back = roundtrip(exp)
    got = back.call(params, x, scale=2.0)
    want = jf(params, x, scale=2.0)
    assert mlax.tree_util.tree_structure(got) == mlax.tree_util.tree_structure(want)
    for g, w in zip(mlax.tree_util.tree_leaves(got), mlax.tree_util.tree_leaves(want)):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(np.asarray(g), np.asarray(w))


@pytest.mark.parametrize(
    "dtype", [np.float32, np.int32, np.uint8, np.bool_, np.float16, "bfloat16"]
)
def test_dtypes_roundtrip(dtype):
    dt = jnp.bfloat16 if dtype == "bfloat16" else np.dtype(dtype)
    x = np.arange(6).reshape(2, 3).astype(dt)
    if dt == np.bool_:
        f = mlax.jit(lambda a: jnp.logical_not(a))
    else:
        f = mlax.jit(lambda a: a + a)
    back = roundtrip(export.export(f)(x))
    assert back.in_avals[0].dtype == dt
    got = back.call(x)
    assert got.dtype == f(x).dtype
    np.testing.assert_array_equal(np.asarray(got), np.asarray(f(x)))


def test_grad_and_vmap_inside_are_expanded():
    def loss(w, x):
        return jnp.sum(jnp.tanh(x @ w) ** 2)

    f = mlax.jit(mlax.vmap(mlax.grad(loss), in_axes=(None, 0)))
    w = np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3)
    xs = np.linspace(0, 1, 40, dtype=np.float32).reshape(5, 2, 4)
    exp = export.export(f)(w, xs)
    text = exp.mlir_module()
    for request in ("mlax.vjp", "mlax.jvp", "mlax.batch"):
        assert request not in text
    back = roundtrip(exp)
    assert_allclose(back.call(w, xs), f(w, xs), np.float32)


def test_closed_over_arrays_are_baked_in():
    w = jnp.arange(6.0).reshape(3, 2)
    f = mlax.jit(lambda x: x @ w)
    exp = export.export(f)(mlax.ShapeDtypeStruct((4, 3), np.float32))
    assert len(exp.in_avals) == 1  # w is a constant, not an argument
    x = np.ones((4, 3), np.float32)
    np.testing.assert_array_equal(np.asarray(roundtrip(exp).call(x)), np.asarray(f(x)))


def test_call_inside_jit_grad_and_vmap():
    exp = roundtrip(
        export.export(mlax.jit(lambda x, y: jnp.sin(x) * y))(
            mlax.ShapeDtypeStruct((3,), np.float32), mlax.ShapeDtypeStruct((3,), np.float32)
        )
    )
    x = np.array([0.1, 0.5, 1.0], np.float32)
    y = np.array([2.0, -1.0, 3.0], np.float32)
    assert_allclose(mlax.jit(lambda a, b: exp.call(a, b) + 1)(x, y), np.sin(x) * y + 1, np.float32)
    g = mlax.grad(lambda a: jnp.sum(exp.call(a, y)))(x)
    assert_allclose(g, np.cos(x) * y, np.float32)
    # Two calls in one trace get distinct symbols.
    two = mlax.jit(lambda a: exp.call(a, y) + exp.call(y, a))(x)
    assert_allclose(two, np.sin(x) * y + np.sin(y) * x, np.float32)


def test_static_args_are_fixed_at_export():
    f = mlax.jit(lambda n, x: x * n, static_argnums=0)
    exp = roundtrip(export.export(f)(3, np.ones(2, np.float32)))
    assert str(exp.in_tree) == "PyTreeDef(((*,), {}))"
    np.testing.assert_array_equal(np.asarray(exp.call(np.ones(2, np.float32))), [3.0, 3.0])


def test_namedtuples_need_registration_to_serialize():
    Point = namedtuple("Point", ["x", "y"])
    f = mlax.jit(lambda p: Point(p.y, p.x))
    p = Point(np.ones(2, np.float32), np.zeros(2, np.float32))
    exp = export.export(f)(p)
    np.testing.assert_array_equal(np.asarray(exp.call(p).x), np.zeros(2))
    with pytest.raises(ValueError, match="register_namedtuple_serialization"):
        exp.serialize()
    export.register_namedtuple_serialization(Point, serialized_name="test_export.Point")
    back = roundtrip(exp)
    out = back.call(p)
    assert type(out) is Point
    np.testing.assert_array_equal(np.asarray(out.y), np.ones(2))


def test_format_and_version_mismatch_are_clear_errors():
    blob = bytes(export.export(mlax.jit(lambda x: x + 1))(np.ones(2, np.float32)).serialize())
    magic = b"MLAXEXPORT\0"
    with pytest.raises(ValueError, match="magic"):
        export.deserialize(b"not an export")
    newer = magic + struct.pack("<I", 99) + blob[len(magic) + 4 :]
    with pytest.raises(ValueError, match="format version 99"):
        export.deserialize(newer)
    text = blob.replace(mlax.__version__.encode(), b"0.0.0-other", 1)
    header_len = struct.unpack_from("<I", blob, len(magic) + 4)[0]
    delta = len(text) - len(blob)
    text = text[: len(magic) + 4] + struct.pack("<I", header_len + delta) + text[len(magic) + 8 :]
    with pytest.raises(ValueError, match="written by mlax 0.0.0-other"):
        export.deserialize(text)
    with pytest.raises(ValueError, match="damaged module"):
        export.deserialize(blob[:-5])


def test_bad_input():
    with pytest.raises(ValueError, match="must be the result of `jit`"):
        export.export(lambda x: x)(np.ones(2))
    with pytest.raises(TypeError, match="abstract array"):
        export.export(mlax.jit(lambda x: x))("abc")
    f = mlax.jit(lambda n, x: x * len(n), static_argnums=0)
    with pytest.raises(ValueError, match="Non-hashable static arguments"):
        export.export(f)([1, 2], np.ones(3, np.float32))
    exp = export.export(mlax.jit(lambda x, y: x + y))(
        np.ones((2, 3), np.float32), np.ones((2, 3), np.float32)
    )
    with pytest.raises(
        ValueError, match=r"Shape mismatch for args\[0\]: expected \(2, 3\).*\(2, 4\)"
    ) as e:
        exp.call(np.ones((2, 4), np.float32), np.ones((2, 3), np.float32))
    assert "test_export.py" in str(e.value)
    with pytest.raises(ValueError, match=r"Dtype mismatch for args\[1\]: expected float32.*int32"):
        exp.call(np.ones((2, 3), np.float32), np.ones((2, 3), np.int32))
    with pytest.raises(ValueError, match="same pytree structure"):
        exp.call(np.ones((2, 3), np.float32))
    with pytest.raises(NotImplementedError):
        exp.serialize(vjp_order=1)


def test_shape_dtype_struct_and_eval_shape_match_jax():
    s = mlax.ShapeDtypeStruct((3, 4), np.float32)
    assert (s.shape, s.dtype, s.ndim, s.size, s.sharding) == ((3, 4), np.float32, 2, 12, None)
    assert repr(s) == "ShapeDtypeStruct(shape=(3, 4), dtype=float32)"
    assert s == mlax.ShapeDtypeStruct((3, 4), np.float32) and hash(s) == hash(
        mlax.ShapeDtypeStruct((3, 4), np.float32)
    )
    out = mlax.eval_shape(lambda a: (a * 2.0, a.sum(), a.astype(jnp.int32)), s)
    assert out == (
        mlax.ShapeDtypeStruct((3, 4), np.float32),
        mlax.ShapeDtypeStruct((), np.float32),
        mlax.ShapeDtypeStruct((3, 4), np.int32),
    )
    lowered = mlax.jit(lambda a: a + 1).lower(s)
    assert lowered.out_avals == [mlax.ShapedArray((3, 4), np.float32)]
