"""Small top-level APIs against JAX: eval_shape, ShapeDtypeStruct, typeof,
dtypes, disable_jit, named_call/named_scope, enable_x64, default_device,
clear_caches, jit's keyword arguments, custom_jvp.defjvps, and
differentiation with non-array values in the positions not differentiated."""

import warnings

import jax
import jax.numpy as jnp_jax
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from conftest import F32, assert_allclose


def test_eval_shape_with_pytrees_and_structs():
    def f(a, b, opts):
        return {"prod": a @ b, "sum": a.sum() * opts["scale"], "pair": (b.T, 1.0)}

    for lib in (mlax, jax):
        out = lib.eval_shape(
            f,
            lib.ShapeDtypeStruct((2, 3), np.float32),
            np.ones((3, 4), np.float32),
            {"scale": 2.0},
        )
        assert repr(out) == (
            "{'pair': (ShapeDtypeStruct(shape=(4, 3), dtype=float32), "
            "ShapeDtypeStruct(shape=(), dtype=float32, weak_type=True)), "
            "'prod': ShapeDtypeStruct(shape=(2, 4), dtype=float32), "
            "'sum': ShapeDtypeStruct(shape=(), dtype=float32)}"
        )


def test_shape_dtype_struct_fields():
    for lib in (mlax, jax):
        s = lib.ShapeDtypeStruct((2, 3), np.float32)
        assert (s.shape, s.dtype, s.sharding, s.weak_type) == ((2, 3), np.float32, None, False)
        w = lib.ShapeDtypeStruct((), np.int32, weak_type=True)
        assert repr(w) == "ShapeDtypeStruct(shape=(), dtype=int32, weak_type=True)"


def test_typeof():
    for value, jvalue in [
        (1.0, 1.0),
        (2, 2),
        (jnp.ones((2, 3), jnp.int32), jnp_jax.ones((2, 3), "int32")),
    ]:
        assert repr(mlax.typeof(value)) == repr(jax.typeof(jvalue))


def test_dtypes_module():
    import jax.dtypes as jd
    import mlax.dtypes as md

    assert md.float0 == jd.float0 and mlax.float0 == jax.float0
    assert md.bfloat16 is jd.bfloat16
    for dt in (np.float64, np.int64, np.uint8, md.bfloat16, md.float0):
        assert md.canonicalize_dtype(dt) == jd.canonicalize_dtype(dt)
    assert md.issubdtype(md.bfloat16, np.floating) and not md.issubdtype(np.int32, np.floating)
    for x in (np.float32(1), np.int8(1), True, 1.0):
        assert md.scalar_type_of(x) is jd.scalar_type_of(x)
    assert md.result_type(1, np.float32(2)) == jd.result_type(1, np.float32(2))
    assert md.result_type(1.0, return_weak_type_flag=True) == jd.result_type(
        1.0, return_weak_type_flag=True
    )
    assert md.itemsize_bits(np.float32) == 32 and md.itemsize_bits(np.bool_) == 8
    assert md.finfo(md.bfloat16).eps == jd.finfo(jd.bfloat16).eps


def test_disable_jit_runs_op_by_op():
    seen = []

    @mlax.jit
    def f(x):
        seen.append(type(x).__name__)
        return x * 2 if float(x) > 0 else -x  # Python control flow on a value

    with mlax.disable_jit():
        assert float(f(jnp.float32(3))) == 6.0
        assert float(f(jnp.float32(-3))) == 3.0
        # Transformations still work inside (they compile internally).
        assert float(mlax.grad(lambda x: x * x)(3.0)) == 6.0
    assert seen == ["ArrayImpl", "ArrayImpl"]  # concrete arrays, named as JAX names them
    assert not mlax.config.jax_disable_jit
    with pytest.raises(mlax.ConcretizationTypeError):
        f(jnp.float32(3))
    mlax.config.update("jax_disable_jit", True)
    try:
        assert float(f(jnp.float32(2))) == 4.0
    finally:
        mlax.config.update("jax_disable_jit", False)


def test_named_call_named_scope_compile_time_eval():
    def body(x):
        return x + 1

    named = mlax.named_call(body, name="renamed")
    assert named.__name__ == "renamed"
    assert float(mlax.jit(named)(1.0)) == 2.0
    assert mlax.named_call(body).__name__ == "body"
    with mlax.named_scope("layer1"):
        assert float(body(1.0)) == 2.0
    for lib in (mlax, jax):
        with (
            pytest.raises(TypeError, match="named_scope name argument must be a string."),
            lib.named_scope(3),
        ):
            pass
    with mlax.ensure_compile_time_eval():
        assert float(jnp.sum(jnp.ones(3))) == 3.0


def test_enable_x64_switch():
    assert mlax.enable_x64.value is False and jax.enable_x64.value is False
    with mlax.enable_x64(True):
        assert mlax.config.jax_enable_x64 and mlax.enable_x64.value
        assert jnp.ones(2).dtype == np.float64
    assert not mlax.config.jax_enable_x64
    assert jnp.ones(2).dtype == np.float32


def test_default_device_and_clear_caches():
    device = mlax.devices()[0]
    with mlax.default_device(device):
        assert mlax.config.default_device is device
        assert jnp.arange(3.0).devices() == {device}
    assert mlax.config.default_device is None
    f = mlax.jit(lambda v: v * 3)
    assert float(f(2.0)) == 6.0
    mlax.clear_caches()
    assert f._cache == {}
    assert float(f(2.0)) == 6.0


def test_jit_keyword_arguments():
    def f(x, y, scale):
        return (x + y) * scale

    for lib in (mlax, jax):
        g = lib.jit(
            f,
            static_argnames="scale",
            donate_argnums=0,
            donate_argnames="y",
            inline=True,
            keep_unused=True,
        )
        assert float(g(np.float32(1), np.float32(2), scale=3)) == 9.0
        with pytest.raises(ValueError, match="cannot intersect") as err:
            lib.jit(f, static_argnums=0, donate_argnums=0)
        with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
            lib.jit(f, bogus=1)
    assert "Argument names {'x'} appear in both" in str(err.value)
    decorated = mlax.jit(static_argnums=1)(lambda x, n: x * n)
    assert float(decorated(2.0, 4)) == 8.0
    first_static = mlax.jit(lambda n, x: x * n if n > 2 else x, static_argnums=0)
    assert float(first_static(3, 2.0)) == 6.0


def _donation_run(lib):
    """Which arguments a donating jit deletes, its warnings and results."""
    numpy = jnp if lib is mlax else jnp_jax
    seen = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        add = lib.jit(lambda x, y: x + y, donate_argnums=0)
        x, y = numpy.ones(4), numpy.ones(4)
        seen.append(("add", np.asarray(add(x, y)).tolist(), x.is_deleted(), y.is_deleted()))
        total = lib.jit(lambda x: x.sum(), donate_argnums=0)
        a = numpy.ones((2, 3))
        seen.append(("sum", float(total(a)), a.is_deleted()))
        step = lib.jit(lambda p, g: {"w": p["w"] - g, "n": p["n"] + 1}, donate_argnames="p")
        p = {"w": numpy.ones(3), "n": numpy.zeros((), numpy.int32)}
        out = step(p=p, g=numpy.full(3, 0.5))
        seen.append(
            ("tree", np.asarray(out["w"]).tolist(), p["w"].is_deleted(), p["n"].is_deleted())
        )
        host = np.ones(4, np.float32)
        seen.append(("numpy", np.asarray(add(host, y)).tolist(), type(host).__name__))
        # Copies are new arrays: they outlive donating the original.
        src = numpy.arange(3.0)
        copies = [src.copy(), numpy.array(src), numpy.copy(src), numpy.array(src, copy=True)]
        lib.jit(lambda v: v * 2, donate_argnums=0)(src)
        seen.append(
            ("copies", [np.asarray(c).tolist() for c in copies], [c is src for c in copies])
        )
        c = numpy.arange(3.0)
        c.delete()
        seen.append(("delete", c.is_deleted()))
    messages = [str(w.message) for w in caught if "donated" in str(w.message)]
    with pytest.raises(RuntimeError, match=r"Array has been deleted with shape=float32\[4\]"):
        np.asarray(x + 1)
    return seen, messages


def test_jit_donation_deletes_as_jax():
    assert _donation_run(mlax) == _donation_run(jax)


def test_custom_jvp_defjvps():
    for lib in (mlax, jax):

        @lib.custom_jvp
        def f(x, y):
            return x * y

        f.defjvps(lambda g, ans, x, y: 10.0 * g * y, None)
        out, tangent = lib.jvp(f, (2.0, 3.0), (1.0, 1.0))
        assert (float(out), float(tangent)) == (6.0, 30.0)
        gx, gy = lib.grad(f, (0, 1))(2.0, 3.0)
        assert (float(gx), float(gy)) == (30.0, 0.0)


def test_derivatives_accept_non_arrays_where_not_differentiated():
    def f(fn, x, label, nothing):
        assert nothing is None
        return fn(x) * len(label)

    for lib in (mlax, jax):
        sin = jnp.sin if lib is mlax else jnp_jax.sin
        results = [
            lib.grad(f, argnums=1)(sin, 2.0, "ab", None),
            lib.value_and_grad(f, argnums=1)(sin, 2.0, "ab", None)[0],
            lib.jacfwd(f, argnums=1)(sin, 2.0, "a", None),
            lib.jacrev(f, argnums=1)(sin, 2.0, "a", None),
            lib.hessian(f, argnums=1)(sin, 2.0, "a", None),
        ]
        expected = [2 * np.cos(2.0), 2 * np.sin(2.0), np.cos(2.0), np.cos(2.0), -np.sin(2.0)]
        np.testing.assert_allclose(np.asarray(results, np.float32), expected, rtol=1e-6)
    # Under jit, and with a config dict steering Python control flow.
    inner = mlax.jit(lambda x: mlax.grad(lambda fn, v: fn(v), argnums=1)(jnp.cos, x))
    assert_allclose(inner(1.0), np.float32(-np.sin(1.0)), F32)
    g = mlax.grad(lambda x, cfg: x * cfg["k"] if cfg["mode"] == "a" else x)(
        3.0, {"mode": "a", "k": 2.0}
    )
    assert float(g) == 2.0
    # vmap: unmapped (in_axes None) functions and strings are constants too.
    xs = np.arange(3.0, dtype=np.float32)
    for lib, cos in ((mlax, jnp.cos), (jax, jnp_jax.cos)):
        out = lib.vmap(lambda fn, x, label: fn(x) * len(label), in_axes=(None, 0, None))(
            cos, xs, "ab"
        )
        np.testing.assert_allclose(np.asarray(out), 2 * np.cos(xs), rtol=1e-6)


@pytest.mark.parametrize("transform", ["grad", "value_and_grad", "jacfwd", "jacrev", "hessian"])
def test_differentiating_non_floats_raises_as_jax(transform):
    for arg in (2, True, "s"):
        with pytest.raises(TypeError) as theirs:
            getattr(jax, transform)(lambda x: x)(arg)
        with pytest.raises(TypeError) as mine:
            getattr(mlax, transform)(lambda x: x)(arg)
        assert str(mine.value).split("\n")[0] == str(theirs.value).split("\n")[0]


def test_custom_rules_take_keyword_arguments():
    """As JAX: keyword arguments are bound to their positions (defaults
    filled in) before the rules see them."""

    def make(custom_jvp):
        @custom_jvp
        def f(x, y=2.0):
            return x * y

        @f.defjvp
        def f_jvp(primals, tangents):
            return f(*primals), tangents[0] * primals[1] + tangents[1] * primals[0]

        return f

    ours, theirs = make(mlax.custom_jvp), make(jax.custom_jvp)
    assert float(ours(3.0, y=4.0)) == float(theirs(3.0, y=4.0)) == 12.0
    assert float(mlax.grad(lambda x: ours(x, y=5.0))(1.0)) == 5.0
    assert float(ours(1.0)) == 2.0

    @mlax.custom_vjp
    def g(x, scale=3.0):
        return x * scale

    g.defvjp(lambda x, s: (g(x, s), s), lambda s, ct: (ct * s, None))
    assert float(mlax.grad(lambda x: g(x, scale=4.0))(1.0)) == 4.0


# make_jaxpr: mlax's traced (and expanded) program read as JAX's structures
_JAXPR_PROGRAMS = {
    "chain": (lambda m, x: m.lax.exp(m.lax.sin(x) * 2.0) - x, (np.float32(1.0),)),
    "two args": (lambda m, x, y: m.lax.max(x, y) / y, (np.ones(3, np.float32),) * 2),
    "compare": (
        lambda m, x, y: m.lax.select(m.lax.gt(x, y), x, m.lax.neg(y)),
        (np.ones(4, np.float32), np.zeros(4, np.float32)),
    ),
    "int": (lambda m, i: m.lax.mul(i, i) + 3, (np.int32(4),)),
}


@pytest.mark.parametrize("name", list(_JAXPR_PROGRAMS))
def test_make_jaxpr_prints_as_jax_for_lax_programs(name):
    f, args = _JAXPR_PROGRAMS[name]
    ours = mlax.make_jaxpr(lambda *a: f(mlax, *a))(*args)
    theirs = jax.make_jaxpr(lambda *a: f(jax, *a))(*args)
    assert str(ours) == str(theirs)
    assert [e.primitive.name for e in ours.eqns] == [e.primitive.name for e in theirs.eqns]
    assert [str(a) for a in ours.in_avals] == [str(a) for a in theirs.in_avals]
    assert [str(a) for a in ours.out_avals] == [str(a) for a in theirs.out_avals]


def test_make_jaxpr_avals_keep_weak_types():
    f = lambda m: lambda a, b: (a * 2 + 1, b)
    got = mlax.make_jaxpr(f(mlax))(1.0, jnp.ones(2))
    want = jax.make_jaxpr(f(jax))(1.0, jnp_jax.ones(2))
    assert repr(got.in_avals) == repr(want.in_avals)
    assert repr(got.out_avals) == repr(want.out_avals)
    assert got.in_avals[0].weak_type and not got.out_avals[1].weak_type


def test_make_jaxpr_expands_transformations_and_reads_structure():
    grad_jaxpr = mlax.make_jaxpr(mlax.grad(lambda x: jnp.sin(x) * 2))(1.0)
    names = [e.primitive.name for e in grad_jaxpr.eqns]
    assert "cos" in names and "vjp" not in names  # the derivative, not a request
    assert len(grad_jaxpr.jaxpr.invars) == 1 and len(grad_jaxpr.jaxpr.outvars) == 1
    batched = mlax.make_jaxpr(mlax.vmap(lambda x: x.sum()))(jnp.ones((2, 3)))
    assert [(e.primitive.name, e.params) for e in batched.eqns] == [("reduce_sum", {"axes": (1,)})]
    consts = mlax.make_jaxpr(lambda x: x + np.arange(3.0, dtype=np.float32))(jnp.ones(3))
    assert len(consts.jaxpr.constvars) == 1
    np.testing.assert_array_equal(consts.consts[0], [0.0, 1.0, 2.0])
    assert str(consts).startswith("{ lambda a:f32[3]; b:f32[3]. let")
    loop = mlax.make_jaxpr(lambda x: mlax.lax.fori_loop(0, 3, lambda i, c: c * 2, x))(1.0)
    assert loop.eqns[0].primitive.name == "scan"
    assert [e.primitive.name for e in loop.eqns[0].params["body"].eqns] == ["add", "mul"]
    _closed, shapes = mlax.make_jaxpr(lambda x: {"a": x, "b": x * 2}, return_shape=True)(1.0)
    _, theirs = jax.make_jaxpr(lambda x: {"a": x, "b": x * 2}, return_shape=True)(1.0)
    assert jax.tree.structure(shapes) == jax.tree.structure(theirs)
    assert shapes["b"].shape == () and shapes["b"].dtype == np.float32
    static = mlax.make_jaxpr(lambda x, n: x * n, static_argnums=1)(1.0, 3)
    assert [e.primitive.name for e in static.eqns] == ["mul"]


def test_experimental_shard_map_is_deprecated_as_in_jax():
    import mlax.experimental.shard_map as legacy

    with pytest.warns(DeprecationWarning, match="deprecated in v0.8.0"):
        shard_map = legacy.shard_map
    mesh = mlax.sharding.Mesh(np.array(mlax.devices()[:1]), ("a",))
    spec = mlax.sharding.PartitionSpec("a")
    out = shard_map(lambda a: a * 2, mesh, spec, spec, check_rep=False)(np.arange(4.0))
    np.testing.assert_array_equal(np.asarray(out), [0.0, 2.0, 4.0, 6.0])


def test_errors_found_by_jax_programs():
    """JAX's exception types and first lines for: device_put to a non-device,
    iter() of a 0-d array (raised at iter(), not at next()), a non-numeric
    array, while_loop's cond_fun types."""
    with pytest.raises(ValueError, match="only accepts `None`"):
        mlax.device_put(jnp.ones(2), "cpu")
    with pytest.raises(TypeError, match="iteration over a 0-d array"):
        iter(jnp.float32(1))
    with pytest.raises(TypeError, match="Only arrays of numeric types are supported"):
        jnp.array([1, "a"])
    with pytest.raises(TypeError, match=r"ShapedArray\(float32\[\], weak_type=True\)"):
        mlax.lax.while_loop(lambda c: c, lambda c: c, 1.0)
    assert [int(v) for v in jnp.arange(3)] == [0, 1, 2]


def test_committed_as_jax():
    """Array.committed: explicit placement commits, and results computed
    from a committed array are committed (eagerly and under jit)."""
    x = jnp.ones(2)
    d = mlax.device_put(x, mlax.devices()[0])
    assert not x.committed and not mlax.device_put(x).committed
    assert d.committed and (d + 1).committed and jnp.sin(d).committed
    assert mlax.jit(lambda a: a * 2)(d).committed
    assert not mlax.jit(lambda a: a)(x).committed and not (x + 1).committed
    jx = jax.numpy.ones(2)
    assert (jax.device_put(jx, jax.devices()[0]) + 1).committed and not (jx + 1).committed
