"""Host callbacks: mlax.debug.print / debug.callback, mlax.pure_callback and
mlax.experimental.io_callback, eagerly and under jit, grad and vmap, each
checked against JAX running the same program (printed text, values, call
order and errors)."""

import jax
import jax.numpy as jjnp
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from jax.experimental import io_callback as jax_io_callback
from mlax._src.runtime import compiler
from mlax.experimental import io_callback
from multidevice import run_on_two_devices


def printed(capsys, run):
    """What `run()` writes to stdout (JAX's callbacks may print late)."""
    capsys.readouterr()
    out = run()
    jax.effects_barrier()
    return out, capsys.readouterr().out


def both(capsys, program, x):
    """`program(lib)(x)` under mlax and JAX: (mlax result, mlax text,
    JAX result, JAX text)."""
    ours, ours_text = printed(capsys, lambda: program(mlax)(jnp.asarray(x)))
    theirs, theirs_text = printed(capsys, lambda: program(jax)(jjnp.asarray(x)))
    return ours, ours_text, theirs, theirs_text


def _printing(lib):
    numpy = jnp if lib is mlax else jjnp

    def f(x):
        lib.debug.print("x={} y={y} s={s:.3f} t={}", x, {"a": x[:2]}, y=x * 2, s=x[0])
        lib.debug.print("{} {} {}", "text", 3, x > 1)
        return numpy.sin(x).sum()

    return f


X = np.array([0.5, 1.0, 2.0], np.float32)


def test_debug_print_under_jit_eager_and_grad(capsys):
    for wrap in (
        lambda lib: lib.jit(_printing(lib)),
        lambda lib: _printing(lib),
        lambda lib: lib.grad(_printing(lib)),
        lambda lib: lib.jit(lib.grad(_printing(lib))),
    ):
        ours, ours_text, theirs, theirs_text = both(capsys, wrap, X)
        assert ours_text == theirs_text
        assert ours_text.count("\n") == 2  # once, on the primal values
        np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-6)


def test_debug_print_jvp_prints_primals(capsys):
    def program(lib):
        def f(x):
            lib.debug.print("jvp {}", x)
            return x * x

        return lambda x: lib.jvp(f, (x,), (x + 1,))

    (_, t), ours_text, (_, jt), theirs_text = both(capsys, program, X)
    assert ours_text == theirs_text
    np.testing.assert_allclose(np.asarray(t), np.asarray(jt), rtol=1e-6)


def test_debug_print_under_vmap_prints_each_example(capsys):
    def program(lib):
        def f(x, n):
            lib.debug.print("row {} n {}", x, n)
            return x.sum() + n

        return lambda xs: lib.vmap(f, in_axes=(0, None))(xs, 5)

    xs = np.arange(6, dtype=np.float32).reshape(2, 3)
    ours, ours_text, theirs, theirs_text = both(capsys, program, xs)
    assert ours_text == theirs_text == "row [0. 1. 2.] n 5\nrow [3. 4. 5.] n 5\n"
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs))


def test_debug_print_in_a_loop_and_printoptions(capsys):
    def program(lib):
        def f(x):
            def body(i, acc):
                lib.debug.print("i={} acc={}", i, acc)
                return acc * 2

            return lib.lax.fori_loop(0, 3, body, x)

        return lib.jit(f)

    with np.printoptions(precision=2):
        ours, ours_text, theirs, theirs_text = both(capsys, program, X / 3)
    assert ours_text == theirs_text
    assert ours_text.count("\n") == 3
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-6)


def test_debug_print_runs_every_call_and_compiles_once(capsys):
    f = mlax.jit(lambda x: (mlax.debug.print("v {}", x), x + 1)[1])
    _, text = printed(capsys, lambda: (f(jnp.float32(1)), f(jnp.float32(2))))
    assert text == "v 1.0\nv 2.0\n"
    before = compiler.stats["iree_compiles"]
    g = mlax.jit(lambda x: (mlax.debug.print("v {}", x), x + 1)[1])
    _, text = printed(capsys, lambda: g(jnp.float32(3)))
    assert text == "v 3.0\n"
    # Another callback id, the same compiled module.
    assert compiler.stats["iree_compiles"] == before


def test_debug_callback_sees_arrays_in_order():
    seen = []

    def f(x, y):
        mlax.debug.callback(lambda a, b: seen.append(("first", a, b)), x, b=y)
        z = x * 2
        mlax.debug.callback(lambda a: seen.append(("second", a)), z, ordered=True)
        return z

    out = mlax.jit(f)(jnp.arange(3), jnp.float32(1.5))
    assert [s[0] for s in seen] == ["first", "second"]
    _, a, b = seen[0]
    assert isinstance(a, mlax.Array) and a.dtype == np.int32
    np.testing.assert_array_equal(np.asarray(a), [0, 1, 2])
    assert float(b) == 1.5
    np.testing.assert_array_equal(np.asarray(seen[1][1]), np.asarray(out))


def _pure(lib):
    numpy = jnp if lib is mlax else jjnp
    S = lib.ShapeDtypeStruct

    def host(x, n):
        x = np.asarray(x)
        return {"y": np.sin(x) * n, "k": [np.argsort(x).astype(np.int32)]}

    def f(x):
        out = lib.pure_callback(
            host, {"y": S(x.shape, x.dtype), "k": [S(x.shape, np.int32)]}, x, np.float32(3)
        )
        return numpy.cos(out["y"]) + out["k"][0]

    return f


def test_pure_callback_results_used_downstream(capsys):
    x = np.array([3.0, -1.0, 2.0], np.float32)
    for wrap in (lambda lib: lib.jit(_pure(lib)), lambda lib: _pure(lib)):
        ours, _, theirs, _ = both(capsys, wrap, x)
        assert ours.dtype == theirs.dtype
        np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-6)


@pytest.mark.parametrize("method", ["sequential", "expand_dims", "broadcast_all"])
def test_pure_callback_vmap_methods(method):
    def run(lib, numpy):
        shapes = []

        def host(x, y):
            shapes.append((np.shape(x), np.shape(y)))
            return np.sin(np.asarray(x)) + np.asarray(y)

        def f(x, y):
            r = lib.pure_callback(
                host, lib.ShapeDtypeStruct((), np.float32), x, y, vmap_method=method
            )
            return r * 2

        xs = numpy.asarray(np.array([0.5, 1.0, 1.5], np.float32))
        out = lib.jit(lib.vmap(f, in_axes=(0, None)))(xs, numpy.float32(2))
        return np.asarray(out), shapes

    ours, our_shapes = run(mlax, jnp)
    theirs, their_shapes = run(jax, jjnp)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    assert our_shapes == their_shapes


def test_pure_callback_vmap_without_method_raises():
    def f(x):
        return mlax.pure_callback(np.sin, mlax.ShapeDtypeStruct((), np.float32), x)

    with pytest.raises(NotImplementedError, match="Got vmap_method=None"):
        mlax.vmap(f)(jnp.ones(3))
    with pytest.raises(NotImplementedError, match="Got vmap_method=None"):
        jax.vmap(lambda x: jax.pure_callback(np.sin, jax.ShapeDtypeStruct((), np.float32), x))(
            jjnp.ones(3)
        )


def test_pure_callback_has_no_derivative_but_custom_jvp_gives_one():
    message = "Pure callbacks do not support JVP"
    for lib in (mlax, jax):
        f = lambda x, lib=lib: lib.pure_callback(np.sin, lib.ShapeDtypeStruct((), np.float32), x)
        with pytest.raises(ValueError, match=message):
            lib.grad(f)(1.0)
        with pytest.raises(ValueError, match=message):
            lib.jvp(f, (1.0,), (1.0,))

    def wrapped(lib):
        @lib.custom_jvp
        def sin(x):
            return lib.pure_callback(
                lambda a: np.sin(a).astype(np.float32), lib.ShapeDtypeStruct((), np.float32), x
            )

        @sin.defjvp
        def sin_jvp(primals, tangents):
            (x,), (t,) = primals, tangents
            return sin(x), lib.numpy.cos(x) * t

        return lib.grad(lambda x: sin(x) * x)

    ours = mlax.jit(wrapped(mlax))(jnp.float32(0.7))
    theirs = jax.jit(wrapped(jax))(jjnp.float32(0.7))
    np.testing.assert_allclose(float(ours), float(theirs), rtol=1e-6)


@pytest.mark.parametrize(
    "host, message",
    [
        (
            lambda x: np.ones(4, np.float32),
            r"Incorrect output shape for return value #0: Expected: \(3,\), Actual: \(4,\)",
        ),
        (
            lambda x: np.ones(3, np.int32),
            "Incorrect output dtype for return value #0: Expected: float32, Actual: int32",
        ),
        (
            lambda x: (np.ones(3, np.float32),) * 2,
            "Mismatched number of outputs from callback. Expected: 1, Actual: 2",
        ),
        (lambda x: 1 / 0, "ZeroDivisionError: division by zero"),
    ],
)
def test_pure_callback_errors(host, message):
    for lib, numpy in ((mlax, jnp), (jax, jjnp)):
        f = lambda x, lib=lib: lib.pure_callback(host, lib.ShapeDtypeStruct((3,), np.float32), x)
        for g in (f, lib.jit(f)):
            with pytest.raises(RuntimeError, match=message) as info:
                g(numpy.ones(3))
            assert type(info.value).__name__ == "JaxRuntimeError"


def test_pure_callback_accepts_a_float64_result_as_float32():
    f = mlax.jit(
        lambda x: mlax.pure_callback(
            lambda a: np.asarray(a, np.float64) * 2, mlax.ShapeDtypeStruct((3,), np.float32), x
        )
    )
    out = f(jnp.ones(3))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(np.asarray(out), [2, 2, 2])


def test_io_callback_order_effects_and_results():
    def run(lib, io):
        log = []

        def record(tag):
            def host(x):
                log.append((tag, np.asarray(x).tolist()))
                return np.asarray(x, np.float32) + 1

            return host

        S = lib.ShapeDtypeStruct((2,), np.float32)

        def f(x):
            a = io(record("a"), S, x, ordered=True)
            io(record("unused"), S, a * 10)  # a side effect: it runs
            b = io(record("b"), S, a * 2, ordered=True)
            return a + b

        out = lib.jit(f)(np.array([1.0, 2.0], np.float32))
        return np.asarray(out), log

    ours, our_log = run(mlax, io_callback)
    theirs, their_log = run(jax, jax_io_callback)
    np.testing.assert_allclose(ours, theirs)
    assert our_log == their_log


def test_io_callback_vmap_and_grad():
    S = mlax.ShapeDtypeStruct((), np.float32)
    calls = []

    def host(x):
        calls.append(float(x))
        return np.float32(x) * 3

    out = mlax.vmap(lambda x: io_callback(host, S, x))(jnp.arange(3.0))
    np.testing.assert_allclose(np.asarray(out), [0.0, 3.0, 6.0])
    assert calls == [0.0, 1.0, 2.0]
    with pytest.raises(ValueError, match="Cannot `vmap` ordered IO callback."):
        mlax.vmap(lambda x: io_callback(host, S, x, ordered=True))(jnp.arange(3.0))
    with pytest.raises(ValueError, match="IO callbacks do not support JVP."):
        mlax.grad(lambda x: io_callback(host, S, x))(1.0)
    with pytest.raises(ValueError, match="IO callbacks do not support JVP."):
        jax.grad(lambda x: jax_io_callback(host, jax.ShapeDtypeStruct((), np.float32), x))(1.0)


def test_callbacks_under_sharded_jit():
    # Operands are replicated for the host function; a debug print runs
    # once (as JAX's), a pure callback's results feed the sharded program.
    run_on_two_devices(
        """
        import contextlib, io
        import numpy as np, mlax, mlax.numpy as jnp
        from mlax.sharding import NamedSharding, PartitionSpec as P

        mesh = mlax.make_mesh((2,), ("x",))
        x = mlax.device_put(jnp.arange(4.0), NamedSharding(mesh, P("x")))
        S = mlax.ShapeDtypeStruct((4,), np.float32)

        def f(x):
            mlax.debug.print("s {}", x)
            return mlax.pure_callback(lambda a: np.asarray(a) * 2, S, x) + x

        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            out = mlax.jit(f)(x)
        assert buf.getvalue() == "s [0. 1. 2. 3.]\\n", buf.getvalue()
        np.testing.assert_array_equal(np.asarray(out), [0.0, 3.0, 6.0, 9.0])

        # In a shard_map or pmap body every device prints its block (JAX's
        # order between devices is not fixed either).
        from mlax import shard_map

        g = shard_map(
            lambda b: (mlax.debug.print("blk {}", b), b * 2)[1],
            mesh=mesh, in_specs=P("x"), out_specs=P("x"),
        )
        h = mlax.pmap(lambda b: (mlax.debug.print("pm {}", b), b + 1)[1])
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            out = mlax.jit(g)(jnp.arange(4.0))
            out2 = h(jnp.arange(4.0).reshape(2, 2))
        lines = sorted(buf.getvalue().splitlines())
        assert lines == ["blk [0. 1.]", "blk [2. 3.]", "pm [0. 1.]", "pm [2. 3.]"], lines
        np.testing.assert_array_equal(np.asarray(out), [0.0, 2.0, 4.0, 6.0])
        np.testing.assert_array_equal(np.asarray(out2), [[1.0, 2.0], [3.0, 4.0]])
        print("ok")
        """
    )


def test_callbacks_in_control_flow_and_eager_grad(capsys):
    def program(lib):
        S = lib.ShapeDtypeStruct((), np.float32)

        def step(c, x):
            lib.debug.print("scan {} {}", c, x)
            return c + x, c * x

        def g(x):
            lib.debug.print("g {}", x)
            if x.sum() > 0:  # Python control flow under an eager grad
                return (x * x).sum()
            return x.sum()

        def run(x):
            calls = []
            lib.jit(lambda x: (lib.pure_callback(lambda a: calls.append(1) or a, S, x), x)[1])(x[0])
            lib.jit(
                lambda p, x: lib.lax.cond(
                    p, lambda x: lib.debug.print("T {}", x), lambda x: lib.debug.print("F {}", x), x
                )
            )(True, x[0])
            carry, ys = lib.lax.scan(step, x[0], x)
            return len(calls), carry, ys, lib.grad(g)(x)

        return run

    ours, ours_text, theirs, theirs_text = both(capsys, program, X)
    assert ours_text == theirs_text
    assert ours[0] == theirs[0] == 0  # an unused pure callback is dropped
    for a, b in zip(ours[1:], theirs[1:]):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6)


def test_debug_print_checks_its_format_and_has_a_two_call_form(capsys):
    for fmt, args, kwargs in [("{} {}", (1,), {}), ("{x}", (1,), {}), ("{}", (1, 2), {})]:
        with pytest.raises(Exception) as ours:
            mlax.debug.print(fmt, *args, **kwargs)
        with pytest.raises(Exception) as theirs:
            jax.debug.print(fmt, *args, **kwargs)
        assert type(ours.value) is type(theirs.value)
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(TypeError, match="must be callable, but got an object of type"):
        mlax.debug.callback(3, 1)

    def program(lib):
        def f(x):
            lib.debug.print(ordered=True)("two {}", x)
            lib.debug.callback(ordered=True)(print, "cb", x)
            return x

        return lib.jit(f)

    _, ours_text, _, theirs_text = both(capsys, program, np.float32(5))
    assert ours_text == theirs_text == "two 5.0\ncb 5.0\n"
