"""Structured control flow: lax.cond, switch, while_loop, fori_loop, scan and
map against JAX (values, dtypes, weak types), eager and under jit; closures
over traced values; JVP and VJP against JAX and finite differences; JAX's
errors for bad input and for Python control flow on tracers."""

import jax
import jax.numpy as jjnp
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from mlax import lax
from multidevice import run_on_two_devices


def same(got, want, rtol=1e-6, atol=1e-6):
    g_leaves = mlax.tree_util.tree_leaves(got)
    w_leaves = jax.tree_util.tree_leaves(want)
    assert len(g_leaves) == len(w_leaves)
    for g, w in zip(g_leaves, w_leaves):
        g, w_arr = np.asarray(g), np.asarray(w)
        assert g.shape == w_arr.shape and g.dtype == w_arr.dtype, (g, w)
        np.testing.assert_allclose(g, w_arr, rtol=rtol, atol=atol)


def both(make, *args, jit=False, **kw):
    """make(np_, lax_) -> function; runs it under mlax and JAX."""
    f, g = make(jnp, lax), make(jjnp, jax.lax)
    if jit:
        f, g = mlax.jit(f), jax.jit(g)
    same(f(*args), g(*args), **kw)


@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("pred", [True, False, 2.0, 0])
def test_cond(jit, pred):
    x = np.linspace(-1, 1, 5).astype(np.float32)
    both(
        lambda np_, lax_: (
            lambda p, x: lax_.cond(p, lambda v: np_.sin(v) * 2.0, lambda v: v * v - 1.0, x)
        ),
        pred,
        x,
        jit=jit,
    )


@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("index", [-3, 0, 1, 2, 7])
def test_switch_clamps_the_index(jit, index):
    x = np.arange(4.0, dtype=np.float32)
    both(
        lambda np_, lax_: (
            lambda i, x: lax_.switch(i, [lambda v: v + 1, lambda v: v * 10, lambda v: -v], x)
        ),
        index,
        x,
        jit=jit,
    )


def test_cond_pytrees_several_operands_and_closures():
    w = np.array([1.0, 2.0], np.float32)

    def make(np_, lax_):
        def f(p, a, b):
            return lax_.cond(
                p,
                lambda a, b: {"s": a["x"] + b * w, "n": (a["y"],)},
                lambda a, b: {"s": a["x"] - b, "n": (a["y"] * 2,)},
                a,
                b,
            )

        return f

    a = {"x": np.ones(2, np.float32), "y": np.int32(3)}
    both(make, True, a, np.float32(0.5), jit=True)
    both(make, False, a, np.float32(0.5), jit=True)

    # A branch closing over a traced value of the enclosing jit.
    def make2(np_, lax_):
        def f(x, y):
            z = y * 3
            return lax_.cond(x.sum() > 0, lambda: x + z, lambda: x - z)

        return f

    both(make2, np.ones(3, np.float32), np.float32(2.0), jit=True)


@pytest.mark.parametrize("jit", [False, True])
def test_while_loop(jit):
    both(
        lambda np_, lax_: (
            lambda x: lax_.while_loop(lambda c: c[0] < 10, lambda c: (c[0] + 1, c[1] * x), (0, 1.0))
        ),
        np.float32(1.1),
        jit=jit,
    )


@pytest.mark.parametrize("jit", [False, True])
def test_while_body_ignoring_a_carried_value(jit):
    """IREE 3.13 rejects an scf.while whose body ignores a carried value;
    mlax-keep-while-carries makes the body read it (found by the scipy
    helpers' line searches). Also through grad and vmap."""

    def make(np_, lax_):
        def f(x):
            c = lax_.while_loop(
                lambda c: c[-1] > 0.2, lambda c: (c[0] * x, c[0][0], c[1]), (np_.ones(3), x, x)
            )
            return c[0].sum() + c[1] + c[2]

        return f

    both(make, np.float32(0.5), jit=jit)
    xs = np.array([0.5, 0.3], np.float32)
    np.testing.assert_allclose(
        mlax.jit(mlax.vmap(make(jnp, lax)))(xs), jax.vmap(make(jjnp, jax.lax))(xs), rtol=1e-6
    )


def test_jvp_of_while_body_ignoring_a_carried_value():
    def f(np_, lax_):
        def g(x):
            c = lax_.while_loop(
                lambda c: c[-1] > 0.2, lambda c: (c[0] * x, c[0][0], c[1]), (np_.ones(3), x, x)
            )
            return c[0].sum() + c[1] + c[2]

        return g

    x, t = np.float32(0.5), np.float32(1.0)
    np.testing.assert_allclose(
        mlax.jvp(f(jnp, lax), (x,), (t,))[1], jax.jvp(f(jjnp, jax.lax), (x,), (t,))[1], rtol=1e-5
    )


def test_while_loop_closure_and_newton():
    def make(np_, lax_):
        def sqrt(a):
            def body(c):
                x, _ = c
                nxt = 0.5 * (x + a / x)
                return nxt, np_.abs(nxt - x)

            return lax_.while_loop(lambda c: c[1] > 1e-6, body, (a, np_.float32(1.0)))[0]

        return sqrt

    both(make, np.float32(2.0), jit=True)


@pytest.mark.parametrize("jit", [False, True])
def test_fori_loop_static_and_traced_bounds(jit):
    both(
        lambda np_, lax_: lambda x: lax_.fori_loop(0, 6, lambda i, v: v * x + i, 1.0),
        np.float32(0.9),
        jit=jit,
    )
    both(
        lambda np_, lax_: lambda n, x: lax_.fori_loop(1, n, lambda i, v: v + i * x, 0.0),
        7,
        np.float32(0.5),
        jit=True,
    )


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("jit", [False, True])
def test_scan(reverse, jit):
    xs = np.linspace(-1, 1, 12).astype(np.float32).reshape(6, 2)

    def make(np_, lax_):
        def f(h0, xs):
            def step(c, x):
                h, n = c
                h = np_.tanh(h * 0.5 + x)
                return (h, n + 1), {"y": h * 2, "s": h.sum()}

            return lax_.scan(step, (h0, 0), xs, reverse=reverse)

        return f

    both(make, np.zeros(2, np.float32), xs, jit=jit)


def test_scan_without_xs_and_map():
    both(
        lambda np_, lax_: lambda: lax_.scan(lambda c, _: (c * 2, c), 1.0, None, length=5),
    )
    both(
        lambda np_, lax_: lambda x: lax_.map(lambda v: v**2 + 1, x),
        np.arange(5.0, dtype=np.float32),
    )
    both(
        lambda np_, lax_: lambda x: lax_.map(lambda v: v.sum(), x, batch_size=2),
        np.arange(15.0, dtype=np.float32).reshape(5, 3),
    )


# ---------------------------------------------------------------------------
# Derivatives
# ---------------------------------------------------------------------------


def fd(f, x, eps=1e-3):
    return (f(x + eps) - f(x - eps)) / (2 * eps)


@pytest.mark.parametrize("p", [1.0, -1.0])
def test_cond_grad_and_jvp(p):
    def make(np_, lax_):
        return lambda x: lax_.cond(p > 0, lambda v: np_.sin(v) * 2.0, lambda v: v * v - 1.0, x)

    f, g = make(jnp, lax), make(jjnp, jax.lax)
    same(mlax.grad(f)(0.7), jax.grad(g)(0.7))
    same(mlax.jvp(f, (0.7,), (1.0,)), jax.jvp(g, (0.7,), (1.0,)))
    np.testing.assert_allclose(float(mlax.grad(f)(0.7)), fd(lambda v: float(f(v)), 0.7), rtol=1e-2)
    same(mlax.jit(mlax.grad(f))(0.7), jax.grad(g)(0.7))


def test_switch_grad_wrt_operand_and_closure():
    def make(np_, lax_):
        def f(x, w):
            return lax_.switch(1, [lambda v: v * w, lambda v: np_.exp(v) * w, lambda v: v], x)

        return f

    f, g = make(jnp, lax), make(jjnp, jax.lax)
    same(mlax.grad(f, argnums=(0, 1))(0.3, 2.0), jax.grad(g, argnums=(0, 1))(0.3, 2.0))


def test_scan_grad_matches_jax_and_finite_differences():
    xs = np.linspace(-1, 1, 7).astype(np.float32)

    def make(np_, lax_):
        def loss(w, xs):
            def step(h, x):
                h = np_.tanh(w * h + x)
                return h, h * 2

            h, ys = lax_.scan(step, 0.5, xs)
            return h + ys.sum()

        return loss

    f, g = make(jnp, lax), make(jjnp, jax.lax)
    same(mlax.grad(f, argnums=(0, 1))(0.8, xs), jax.grad(g, argnums=(0, 1))(0.8, xs), rtol=1e-5)
    same(mlax.jit(mlax.grad(f))(0.8, xs), jax.grad(g)(0.8, xs), rtol=1e-5)
    same(
        mlax.jvp(lambda w: f(w, xs), (0.8,), (1.0,)),
        jax.jvp(lambda w: g(w, xs), (0.8,), (1.0,)),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        float(mlax.grad(f)(0.8, xs)), fd(lambda w: float(f(w, xs)), 0.8), rtol=2e-2
    )


def test_scan_grad_reverse_pytree_carry_and_int_carry():
    xs = np.linspace(0, 1, 10).astype(np.float32).reshape(5, 2)

    def make(np_, lax_):
        def loss(params, xs):
            a, b = params

            def step(c, x):
                h, n = c
                h = np_.sin(h * a + x * b)
                return (h, n + 1), (h * n).sum()

            (h, _n), ys = lax_.scan(step, (np_.ones(2, np_.float32), 0), xs, reverse=True)
            return h.sum() + ys.sum()

        return loss

    f, g = make(jnp, lax), make(jjnp, jax.lax)
    params = (np.float32(0.7), np.float32(1.3))
    same(mlax.grad(f)(params, xs), jax.grad(g)(params, xs), rtol=1e-5)


def test_while_jvp_and_fori_grad():
    def make(np_, lax_):
        return lambda x: lax_.while_loop(
            lambda c: c[0] < 5, lambda c: (c[0] + 1, c[1] * x), (0, 1.0)
        )[1]

    f, g = make(jnp, lax), make(jjnp, jax.lax)
    same(mlax.jvp(f, (1.1,), (1.0,)), jax.jvp(g, (1.1,), (1.0,)))
    h = lambda lax_: lambda x: lax_.fori_loop(0, 4, lambda i, v: v * x + i, 1.0)
    same(mlax.grad(h(lax))(1.5), jax.grad(h(jax.lax))(1.5))
    same(mlax.grad(mlax.grad(h(lax)))(1.5), jax.grad(jax.grad(h(jax.lax)))(1.5), rtol=1e-5)


def test_while_reverse_mode_raises_jax_error():
    f = lambda x: lax.while_loop(lambda c: c[0] < 5, lambda c: (c[0] + 1, c[1] * x), (0, 1.0))[1]
    with pytest.raises(
        ValueError, match="Reverse-mode differentiation does not work for lax.while_loop"
    ):
        mlax.grad(f)(1.1)


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


def test_bad_input_raises_jaxs_exceptions():
    x = np.ones(3, np.float32)
    with pytest.raises(TypeError, match="same pytree structure"):
        lax.cond(True, lambda v: (v, v), lambda v: v, x)
    with pytest.raises(TypeError, match="branches must have equal output types"):
        lax.cond(True, lambda v: v, lambda v: v[:2], x)
    with pytest.raises(TypeError, match="Pred must be a scalar"):
        lax.cond(np.array([True, False]), lambda v: v, lambda v: v, x)
    with pytest.raises(TypeError, match="Index type must be an integer"):
        lax.switch(1.5, [lambda v: v, lambda v: v], x)
    with pytest.raises(TypeError, match="body_fun output and input must have identical types"):
        # (a weakly typed 0 would be promoted to float32, as in JAX)
        lax.while_loop(lambda c: c < 3, lambda c: c + 1.5, np.int32(0))
    with pytest.raises(TypeError, match="cond_fun must return a boolean scalar"):
        lax.while_loop(lambda c: c, lambda c: c + 1, 0)
    with pytest.raises(ValueError, match="different leading axis sizes"):
        lax.scan(lambda c, x: (c, x), 0.0, (np.ones(3), np.ones(4)))
    with pytest.raises(ValueError, match="disagrees with leading axis"):
        lax.scan(lambda c, x: (c, x), 0.0, np.ones(3), length=4)
    with pytest.raises(TypeError, match="carry input and carry output"):
        lax.scan(lambda c, x: (c.astype(jnp.int32), x), 0.0, np.ones(3))


def test_python_control_flow_on_tracers():
    def f(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(mlax.errors.TracerBoolConversionError, match="lax.cond") as e:
        mlax.jit(f)(1.0)
    assert isinstance(e.value, mlax.errors.ConcretizationTypeError)
    assert "test_control_flow.py" in str(e.value)
    with pytest.raises(mlax.errors.TracerIntegerConversionError):
        mlax.jit(lambda x: list(range(x)))(3)


# ---------------------------------------------------------------------------
# vmap: against JAX and against a loop over the examples
# ---------------------------------------------------------------------------

XS = np.linspace(-1, 1, 12).astype(np.float32).reshape(4, 3)
PS = np.array([1.0, -1.0, 2.0, -3.0], np.float32)

VMAP_CASES = {
    "cond_batched_pred": (
        lambda l_, n_: lambda p, x: l_.cond(p > 0, lambda v: n_.sin(v), lambda v: v * 2, x),
        (PS, XS),
    ),
    "cond_unbatched_pred": (
        lambda l_, n_: lambda x: l_.cond(True, lambda v: n_.sin(v), lambda v: v * 2, x),
        (XS,),
    ),
    "switch_batched_index": (
        lambda l_, n_: lambda i, x: l_.switch(i, [lambda v: v, lambda v: v * 3, lambda v: -v], x),
        (np.array([0, 2, 1, 5], np.int32), XS),
    ),
    "while_batched_trip_count": (
        lambda l_, n_: (
            lambda k, x: l_.while_loop(lambda c: c[0] < k, lambda c: (c[0] + 1, c[1] * 1.5), (0, x))
        ),
        (np.array([1, 3, 0, 5], np.int32), XS),
    ),
    "scan_batched_xs": (
        lambda l_, n_: lambda x: l_.scan(lambda c, v: (c * 0.5 + v, c * v), 0.0, x),
        (XS,),
    ),
    "scan_batched_carry": (
        lambda l_, n_: lambda c0: l_.scan(lambda c, v: (c * 0.5 + v, c * v), c0, n_.arange(3.0)),
        (PS,),
    ),
    "fori_batched_carry": (
        lambda l_, n_: lambda x: l_.fori_loop(0, 3, lambda i, v: v * v + i, x),
        (PS,),
    ),
}


@pytest.mark.parametrize("name", sorted(VMAP_CASES))
def test_vmap_matches_jax_and_loop(name):
    make, args = VMAP_CASES[name]
    f, g = make(lax, jnp), make(jax.lax, jjnp)
    got = mlax.vmap(f)(*args)
    same(got, jax.vmap(g)(*args), rtol=1e-5)
    stacked = [f(*[a[i] for a in args]) for i in range(args[0].shape[0])]
    for k, leaf in enumerate(mlax.tree_util.tree_leaves(got)):
        loop = np.stack([np.asarray(mlax.tree_util.tree_leaves(s)[k]) for s in stacked])
        np.testing.assert_allclose(np.asarray(leaf), loop, rtol=1e-5, atol=1e-6)


def test_jit_grad_vmap_scan():
    def make(lax_, np_, vmap, grad):
        def loss(w):
            step = lambda c, v: (np_.tanh(c * w + v), c)
            return vmap(lambda x: lax_.scan(step, 0.0, x)[0])(XS).sum()

        return grad(loss)

    got = mlax.jit(make(lax, jnp, mlax.vmap, mlax.grad))(0.7)
    same(got, jax.jit(make(jax.lax, jjnp, jax.vmap, jax.grad))(0.7), rtol=1e-5)


@pytest.mark.parametrize("name", ["rnn_scan", "ode_rk4", "newton_while"])
def test_examples_run(name):
    import os
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    proc = subprocess.run(
        [sys.executable, os.path.join(root, "examples", f"{name}.py")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_sharded_jit_keeps_control_flow_partitioned():
    """mlax-spmd-partition partitions cond/while/scan bodies: a fori_loop
    training loop over row-split data, an RNN scan over a batch-split
    state, a while with a split carry, a cond on a split operand, and the
    gradient through the sharded scan, each against the unsharded run, with
    the carries' shardings kept on the results."""
    import textwrap

    script = textwrap.dedent(
        """
        import numpy as np, mlax, mlax.numpy as jnp
        from mlax import lax
        from mlax.sharding import NamedSharding, PartitionSpec as P
        mesh = mlax.make_mesh((2,), ("d",))
        rows = NamedSharding(mesh, P("d"))
        rng = np.random.default_rng(0)
        close = lambda a, b, tol=1e-5: np.testing.assert_allclose(
            np.asarray(a), np.asarray(b), rtol=tol, atol=tol)

        X = rng.standard_normal((8, 3)).astype(np.float32)
        Y = rng.standard_normal((8,)).astype(np.float32)
        def train(w, x, y):
            def step(i, w):
                return w - 0.1 * mlax.grad(lambda w: ((x @ w - y) ** 2).mean())(w)
            return lax.fori_loop(0, 20, step, w)
        w0 = np.zeros(3, np.float32)
        close(mlax.jit(train)(w0, mlax.device_put(X, rows), mlax.device_put(Y, rows)),
              mlax.jit(train)(w0, X, Y))

        def rnn(h, xs, w):
            def step(h, x):
                h = jnp.tanh(h @ w + x)
                return h, h.sum()
            return lax.scan(step, h, xs)
        H = rng.standard_normal((4, 6)).astype(np.float32)
        XS = rng.standard_normal((5, 4, 6)).astype(np.float32)
        W = (rng.standard_normal((6, 6)) * 0.3).astype(np.float32)
        hs = mlax.device_put(H, rows)
        xss = mlax.device_put(XS, NamedSharding(mesh, P(None, "d")))
        got, want = mlax.jit(rnn)(hs, xss, W), mlax.jit(rnn)(H, XS, W)
        close(got[0], want[0]); close(got[1], want[1])
        assert got[0].sharding.spec == P("d", None), got[0].sharding
        loss = lambda w, h, xs: rnn(h, xs, w)[1].sum()
        close(mlax.jit(mlax.grad(loss))(W, hs, xss), mlax.jit(mlax.grad(loss))(W, H, XS))
        # xs split along the scanned dimension: gathered, same values
        close(mlax.jit(rnn)(H, mlax.device_put(XS[:4], rows), W)[1],
              mlax.jit(rnn)(H, XS[:4], W)[1])

        V = rng.standard_normal((8,)).astype(np.float32)
        loop = lambda v: lax.while_loop(
            lambda c: c[1] < 5, lambda c: (c[0] * 1.5 + c[0].sum(), c[1] + 1), (v, 0))
        got = mlax.jit(loop)(mlax.device_put(V, rows))
        close(got[0], mlax.jit(loop)(V)[0], 1e-4)
        assert got[0].sharding.spec == P("d"), got[0].sharding

        branch = lambda p, v: lax.cond(p, lambda v: v * 2 + v.sum(), lambda v: -v, v)
        for p in (True, False):
            close(mlax.jit(branch, out_shardings=rows)(p, mlax.device_put(V, rows)),
                  mlax.jit(branch)(p, V))
        print("ok")
        """
    )
    run_on_two_devices(script)


def test_spmd_sharded_jit_and_pmap_of_control_flow():
    """Control flow inside a sharded jit and a pmap of a fori_loop whose
    body holds a psum, against the unsharded run."""
    import textwrap

    script = textwrap.dedent(
        """
        import numpy as np, mlax
        from mlax import lax
        from mlax.sharding import NamedSharding, PartitionSpec as P
        mesh = mlax.make_mesh((2,), ("d",))
        f = lambda x: lax.scan(lambda c, v: (c + v, c * v), 0.0, x)[1] + lax.cond(
            x.sum() > 3, lambda: x * 2, lambda: x)
        xs = np.arange(8.0, dtype=np.float32)
        sharded = mlax.device_put(xs, NamedSharding(mesh, P("d")))
        np.testing.assert_allclose(np.asarray(mlax.jit(f)(sharded)), np.asarray(mlax.jit(f)(xs)))
        g = mlax.pmap(
            lambda v: lax.fori_loop(0, 3, lambda i, a: a * 2 + lax.psum(a, "i"), v),
            axis_name="i")
        np.testing.assert_allclose(np.asarray(g(np.arange(2.0, dtype=np.float32))), [28.0, 36.0])
        print("ok")
        """
    )
    run_on_two_devices(script)


# ---------------------------------------------------------------------------
# Scalar loops on the host (mlax-host-scalars) and chunked scan stacking
# ---------------------------------------------------------------------------


def _scalar_loop(np_, lax_):
    """A while loop whose every carry is a scalar, touching the arithmetic
    the host runs: float math, integer division/remainder/shifts, bools."""

    def cond(c):
        i, _, _, _ = c
        return i < 7

    def body(c):
        i, x, k, flag = c
        # (f32 sin, cos, arctan2 and ** evaluate in f64 with conversions
        # IREE's VM lacks, so a loop using them dispatches to the device.)
        x = np_.tanh(x) * 0.9 + np_.exp(-x) * 0.1 + np_.sqrt(np_.abs(x) + 1.0)
        x = x + np_.tanh(x) * np_.exp(-x) - np_.log1p(np_.abs(x)) + np_.log(x * x + 2.0)
        x = np_.maximum(x, 0.5) * 1.5 / (1.0 + np_.floor(x))
        k = (k * 3 + i) % 11 + (k // 2) + (k << 1) - (k >> 1)
        flag = np_.logical_xor(flag, x > 1.0)
        x = np_.where(flag, x, -x)
        return i + 1, x, k, flag

    return lambda x, k: lax_.while_loop(cond, body, (0, x, k, False))


def test_scalar_loop_runs_on_the_host_and_matches_jax():
    f, g = _scalar_loop(jnp, lax), _scalar_loop(jjnp, jax.lax)
    got = mlax.jit(f)(np.float32(0.7), np.int32(5))
    want = jax.jit(g)(np.float32(0.7), np.int32(5))
    for a, b in zip(got, want):
        same(a, b, rtol=1e-5, atol=1e-5)
        assert np.asarray(a).dtype == np.asarray(b).dtype
    text = mlax.jit(f).lower(np.float32(0.7), np.int32(5)).as_text("linalg")
    body = text[text.index("scf.while") :]
    # Every carry and the condition are scalars: no tensor op in the loop.
    assert "linalg.generic" not in body and "tensor<" not in body.split("}")[0]


def test_fori_loop_with_traced_bound_keeps_counter_on_host():
    f = lambda n, x: lax.fori_loop(0, n, lambda i, v: v * 0.5 + i, x)
    g = lambda n, x: jax.lax.fori_loop(0, n, lambda i, v: v * 0.5 + i, x)
    same(mlax.jit(f)(20, np.float32(3.0)), jax.jit(g)(20, np.float32(3.0)))
    text = mlax.jit(f).lower(20, np.float32(3.0)).as_text("linalg")
    assert "scf.while" in text and "(i32, f32) -> (i32, f32)" in text


@pytest.mark.parametrize("length", [31, 32, 40, 49, 101])
@pytest.mark.parametrize("reverse", [False, True])
def test_long_scan_stacks_in_chunks(length, reverse):
    # Lengths around the chunking threshold, square and not, forward and
    # reverse: ys equals the loop-and-stack reference row for row.
    rng = np.random.default_rng(length)
    xs = rng.standard_normal((length, 3)).astype(np.float32)

    def make(np_, lax_):
        def cell(c, x):
            c = np_.tanh(c * 0.9 + x)
            return c, (c * 2.0, np_.sum(c))

        return lambda xs: lax_.scan(cell, np_.zeros(3, np_.float32), xs, reverse=reverse)

    got = mlax.jit(make(jnp, lax))(xs)
    c, ys, sums = np.zeros(3, np.float32), [], []
    order = range(length - 1, -1, -1) if reverse else range(length)
    for t in order:
        c = np.tanh(c * 0.9 + xs[t])
        ys.append(c * 2.0)
        sums.append(c.sum())
    if reverse:
        ys, sums = ys[::-1], sums[::-1]
    same(got[0], c, rtol=1e-5, atol=1e-5)
    same(got[1][0], np.stack(ys), rtol=1e-5, atol=1e-5)
    same(got[1][1], np.array(sums), rtol=1e-5, atol=1e-5)
    want = jax.jit(make(jjnp, jax.lax))(xs)
    same(got[1][0], want[1][0], rtol=1e-5, atol=1e-5)


def test_grad_of_long_scan_matches_jax_and_finite_differences():
    rng = np.random.default_rng(1)
    xs = rng.standard_normal((45, 4)).astype(np.float32)

    def make(np_, lax_):
        def loss(w, xs):
            def cell(c, x):
                c = np_.tanh(c * w + x)
                return c, np_.sum(c**2)

            c, ys = lax_.scan(cell, np_.zeros(4, np_.float32), xs)
            return np_.sum(ys) + np_.sum(c)

        return loss

    loss = make(jnp, lax)
    w = np.float32(0.7)
    g = float(mlax.jit(mlax.grad(loss))(w, xs))
    same(np.float32(g), jax.grad(make(jjnp, jax.lax))(w, xs), rtol=1e-5, atol=1e-5)
    eps = np.float32(1e-2)
    fd = (float(loss(w + eps, xs)) - float(loss(w - eps, xs))) / (2 * float(eps))
    assert abs(g - fd) <= 1e-2 * max(1.0, abs(fd)), (g, fd)


# ---------------------------------------------------------------------------
# Python control flow under eager grad (concrete values, as in JAX)
# ---------------------------------------------------------------------------


def _piecewise(x):
    if x < 3:
        return 3.0 * x**2
    else:
        return -4 * x


def _doubling(x):
    y = x * 2
    while y < 10:
        y = y * 2
    return y


def _repeat(np_):
    def f(x, n):
        y = 0.0
        for i in range(int(n)):
            y = y + np_.sin(x) * i
        return y

    return f


def _all_positive(np_):
    def f(x):
        if (x > 0).all():
            return np_.sum(x**2)
        return np_.sum(np_.abs(x) * 3.0)

    return f


@pytest.mark.parametrize("x", [2.0, 4.0])
def test_eager_grad_of_python_if_follows_the_branch_taken(x):
    # JAX's documented example: each call differentiates its own branch.
    same(mlax.grad(_piecewise)(x), jax.grad(_piecewise)(x))
    same(mlax.value_and_grad(_piecewise)(x), jax.value_and_grad(_piecewise)(x))
    same(mlax.jvp(_piecewise, (x,), (1.0,)), jax.jvp(_piecewise, (x,), (1.0,)))
    same(mlax.jacfwd(_piecewise)(x), jax.jacfwd(_piecewise)(x))
    same(mlax.jacrev(_piecewise)(x), jax.jacrev(_piecewise)(x))
    same(mlax.hessian(_piecewise)(x), jax.hessian(_piecewise)(x))
    same(mlax.vjp(_piecewise, x)[1](1.0), jax.vjp(_piecewise, x)[1](1.0))
    # Finite differences on the branch taken.
    eps = 1e-3
    fd = (_piecewise(x + eps) - _piecewise(x - eps)) / (2 * eps)
    assert abs(float(mlax.grad(_piecewise)(x)) - fd) < 1e-2


def test_eager_grad_of_python_while_and_int_conversion():
    for x in (1.5, 3.0, 7.0):
        same(mlax.grad(_doubling)(x), jax.grad(_doubling)(x))
    same(mlax.grad(_repeat(jnp))(1.0, 3), jax.grad(_repeat(jjnp))(1.0, 3))
    for v in ([1.0, 2.0], [1.0, -2.0]):
        same(
            mlax.grad(_all_positive(jnp))(jnp.array(v)),
            jax.grad(_all_positive(jjnp))(jjnp.array(v)),
        )


def test_concrete_values_do_not_leak_into_jit_or_vmap():
    # Under jit (outside or inside the grad) and for vmapped values, JAX
    # raises; so does mlax.
    with pytest.raises(mlax.errors.TracerBoolConversionError):
        mlax.jit(mlax.grad(_piecewise))(2.0)
    with pytest.raises(mlax.errors.TracerBoolConversionError):
        mlax.grad(mlax.jit(_piecewise))(2.0)
    with pytest.raises(mlax.errors.TracerBoolConversionError):
        mlax.grad(lambda x: mlax.vmap(_piecewise)(x).sum())(jnp.array([1.0, 4.0]))


def test_eager_grad_retraces_per_branch_not_reusing_a_path():
    calls = []

    def f(x):
        calls.append(1)
        return x * 2.0 if x > 0 else x * -3.0

    g = mlax.grad(f)
    assert float(g(1.0)) == 2.0
    assert float(g(-1.0)) == -3.0
    assert float(g(1.0)) == 2.0
    assert len(calls) == 3  # traced for every call: decisions are per input


# ---------------------------------------------------------------------------
# associative_scan, piecewise, select_n
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 13])
@pytest.mark.parametrize("reverse", [False, True])
def test_associative_scan_matches_jax_and_a_loop(n, reverse):
    x = np.arange(1, n + 1, dtype=np.float32) / 3
    for fn, jfn, ref in (
        (jnp.add, jjnp.add, np.cumsum),
        (jnp.multiply, jjnp.multiply, np.cumprod),
        (jnp.maximum, jjnp.maximum, np.maximum.accumulate),
    ):
        got = lax.associative_scan(fn, x, reverse=reverse)
        same(got, jax.lax.associative_scan(jfn, x, reverse=reverse), rtol=1e-5)
        want = ref(x[::-1])[::-1] if reverse else ref(x)
        same(got, want.astype(np.float32), rtol=1e-5)


def test_associative_scan_pytree_axis_bool_jit_grad():
    rng = np.random.default_rng(0)
    a, b = rng.random((3, 6)).astype(np.float32), rng.random((3, 6)).astype(np.float32)

    def affine(p, q):  # composition of x -> a x + b maps: associative
        return (p[0] * q[0], p[1] * q[0] + q[1])

    got = mlax.jit(lambda a, b: lax.associative_scan(affine, (a, b), axis=1))(a, b)
    want = jax.lax.associative_scan(affine, (a, b), axis=1)
    same(got, want, rtol=1e-5)
    flags = np.array([False, True, False, False, True, False, False])
    same(
        lax.associative_scan(jnp.logical_or, flags),
        jax.lax.associative_scan(jjnp.logical_or, flags),
    )
    g = mlax.grad(lambda x: (lax.associative_scan(jnp.multiply, x) ** 2).sum())(a[0])
    h = jax.grad(lambda x: (jax.lax.associative_scan(jjnp.multiply, x) ** 2).sum())(a[0])
    same(g, h, rtol=1e-4)
    with pytest.raises(ValueError):
        lax.associative_scan(affine, (a, b[:, :5]), axis=1)


def test_piecewise_matches_jax():
    x = np.linspace(-2, 2, 9).astype(np.float32)
    ints = np.arange(6)
    cases = [
        (x, lambda v: [v < 0, v >= 0], [lambda v: -v, lambda v: v**2], ()),
        (x, lambda v: [v < 0], [lambda v: -v, 7.0], ()),
        (x, lambda v: [v < -1, v > 1], [1, 2], ()),
        (x, lambda v: [v < 0, v < 1], [lambda v: v, lambda v: 2 * v, 5.0], ()),
        (ints, lambda v: [v < 2], [lambda v: v * 2.5, lambda v: v], ()),
        (x, lambda v: [v < 0], [lambda v, s: -v * s, 0.0], (3.0,)),
    ]
    for v, conds, funcs, args in cases:
        got = jnp.piecewise(v, conds(v), funcs, *args)
        want = jjnp.piecewise(v, conds(v), funcs, *args)
        same(got, want)
        assert np.asarray(got).dtype == np.asarray(want).dtype
        jitted = mlax.jit(lambda v, c=conds, f=funcs, a=args: jnp.piecewise(v, c(v), f, *a))
        same(jitted(v), want)
    with pytest.raises(ValueError):
        jnp.piecewise(x, [x < 0], [1.0, 2.0, 3.0])


def test_select_n_matches_jax():
    which = np.array([0, 1, 2, 3, -1, 5], np.int32)
    cases = [np.full(6, k, np.float32) for k in range(4)]
    same(lax.select_n(which, *cases), jax.lax.select_n(which, *cases))
    same(lax.select_n(np.int32(2), *cases), jax.lax.select_n(np.int32(2), *cases))
    pred = np.array([True, False] * 3)
    same(lax.select_n(pred, cases[0], cases[1]), jax.lax.select_n(pred, cases[0], cases[1]))
    same(lax.select_n(pred, cases[2]), jax.lax.select_n(pred, cases[2]))
    with pytest.raises(TypeError):
        lax.select_n(True, *cases)
    with pytest.raises(TypeError):
        lax.select_n(np.float32(1.0), *cases)
    with pytest.raises(TypeError):
        lax.select_n(which, cases[0], cases[1][:3])


def test_concatenate_skips_empty_operands():
    empty, full = np.zeros((0, 2), np.float32), np.ones((2, 2), np.float32)
    same(jnp.concatenate([empty, full, empty]), np.concatenate([empty, full, empty]))
    assert jnp.concatenate([empty, empty]).shape == (0, 2)
    same(mlax.jit(lambda a, b: lax.concatenate([a, b], 0))(empty, full), full)


@pytest.mark.parametrize("name", ["cumsum", "cumprod", "cummax", "cummin", "cumlogsumexp"])
def test_cumulative_ops_grad_and_vmap_match_jax(name):
    x = np.array([[0.5, -1.0, 2.0, 0.0], [1.5, 0.25, -0.5, 3.0]], np.float32)
    f = lambda l: lambda v: (getattr(l, name)(v, axis=1) ** 2).sum()
    same(mlax.grad(f(lax))(x), jax.grad(f(jax.lax))(x), rtol=1e-4, atol=1e-5)
    g = lambda l: lambda v: getattr(l, name)(v, axis=0, reverse=True)
    same(mlax.vmap(g(lax))(x), np.stack([np.asarray(g(jax.lax)(r)) for r in x]), rtol=1e-5)
    same(mlax.jit(g(lax))(x[0]), g(jax.lax)(x[0]), rtol=1e-5)


def test_fori_loop_index_is_weakly_typed_as_in_jax():
    for body, init in [
        (lambda i, c: c + i, np.int8(0)),
        (lambda i, c: c + i * 0.5, np.float16(1)),
        (lambda i, c: c.at[i].set(i), np.zeros(3, np.uint8)),
    ]:
        got = lax.fori_loop(0, 3, body, jnp.asarray(init))
        want = jax.lax.fori_loop(0, 3, body, jjnp.asarray(init))
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


@pytest.mark.parametrize(("length", "unroll"), [(7, 3), (7, 0), (40, 2), (40, 50)])
def test_scan_unroll_keeps_values_grad_and_vmap(unroll, length):
    """`unroll` runs several steps per loop trip (with a remainder after the
    loop); values, the VJP's reverse scan and the batched scan are JAX's."""
    rng = np.random.default_rng(length)
    xs = rng.standard_normal((length, 3)).astype(np.float32)
    w = rng.standard_normal(3).astype(np.float32)

    def make(np_, lax_):
        def f(w, xs, reverse=False):
            cell = lambda h, x: (np_.tanh(h * w + x), (h * x).sum())
            return lax_.scan(cell, np_.ones(3, np_.float32), xs, unroll=unroll, reverse=reverse)

        return f

    f, g = make(jnp, lax), make(jjnp, jax.lax)
    for reverse in (False, True):
        got = mlax.jit(f, static_argnums=2)(w, xs, reverse)
        same(got, g(w, xs, reverse), rtol=1e-5, atol=1e-5)
    loss = lambda f: lambda w, xs: f(w, xs)[1].sum() + f(w, xs)[0].sum()
    same(mlax.jit(mlax.grad(loss(f)))(w, xs), jax.grad(loss(g))(w, xs), rtol=1e-4, atol=1e-5)
    ws = rng.standard_normal((4, 3)).astype(np.float32)
    same(
        mlax.vmap(f, (0, None))(ws, xs),
        jax.vmap(g, (0, None))(ws, xs),
        rtol=1e-5,
        atol=1e-5,
    )


def test_fori_loop_unroll_and_unroll_errors_match_jax():
    body = lambda i, v: v * 2 + i
    for unroll in (None, 1, 3, True, False):
        assert int(lax.fori_loop(0, 7, body, 1, unroll=unroll)) == int(
            jax.lax.fori_loop(0, 7, body, 1, unroll=unroll)
        )
    # A traced bound makes a while loop: only unroll in (None, False, 1, True) is allowed.
    for mod in (mlax, jax):
        loop = lambda n, u, mod=mod: mod.lax.fori_loop(0, n, body, 1, unroll=u)
        assert int(mod.jit(loop, static_argnums=1)(5, True)) == 58
        with pytest.raises(ValueError, match="statically known"):
            mod.jit(loop, static_argnums=1)(5, 2)
    xs = np.arange(4.0, dtype=np.float32)
    cell = lambda c, x: (c + x, c)
    for mod in (lax, jax.lax):
        with pytest.raises(ValueError, match="non-negative"):
            mod.scan(cell, 0.0, xs, unroll=-1)
        with pytest.raises(TypeError):
            mod.scan(cell, 0.0, xs, unroll=2.5)
    for mod in (mlax, jax):
        with pytest.raises(mod.errors.ConcretizationTypeError):
            mod.jit(lambda u, mod=mod: mod.lax.scan(cell, 0.0, xs, unroll=u))(2)


@pytest.mark.parametrize(("length", "unroll"), [(10, 1), (130, 1), (16, 4)])
def test_scan_with_several_ys_of_one_type(length, unroll):
    """Two ys stacks of one type start from one (CSE'd) empty tensor; each
    must keep its own rows (IREE gave both one buffer when loop carries
    were updated in place: docs/control_flow.md). The JVP stacks the
    primal and tangent ys of one type the same way."""
    xs = np.linspace(0, 1, length).astype(np.float32)

    def make(np_, lax_):
        def f(w, xs):
            cell = lambda c, x: (np_.tanh(c * w + x), (c, c * 2.0 + 1.0))
            return lax_.scan(cell, np_.float32(0.0), xs, unroll=unroll)[1]

        return f

    f, g = make(jnp, lax), make(jjnp, jax.lax)
    same(mlax.jit(f)(np.float32(0.5), xs), g(np.float32(0.5), xs), rtol=1e-5, atol=1e-5)
    got = mlax.jvp(lambda w: f(w, xs)[0], (np.float32(0.5),), (np.float32(1.0),))
    want = jax.jvp(lambda w: g(w, xs)[0], (np.float32(0.5),), (np.float32(1.0),))
    same(got, want, rtol=1e-4, atol=1e-5)


def test_eager_jvp_of_a_long_scan_with_ys_runs_one_loop():
    """Eager jvp returns the primal too; the JVP scan computes it, so the
    module holds one loop (two loop nests over the same constant xs made
    IREE 3.13 fail at run time: 'indirect buffer reference slot 0 is out
    range')."""
    xs = np.linspace(0, 1, 40).astype(np.float32)

    def make(np_, lax_):
        cell = lambda w: lambda c, x: (np_.tanh(c * w + x), c)
        return lambda w: lax_.scan(cell(w), np_.float32(0.0), xs)[1].sum()

    got = mlax.jvp(make(jnp, lax), (np.float32(0.5),), (np.float32(1.0),))
    want = jax.jvp(make(jjnp, jax.lax), (np.float32(0.5),), (np.float32(1.0),))
    same(got, want, rtol=1e-5, atol=1e-5)
    text = (
        mlax.jit(lambda w: mlax.jvp(make(jnp, lax), (w,), (np.float32(1.0),)))
        .lower(np.float32(0.5))
        .as_text("linalg")
    )
    assert text.count("scf.for") == 2  # the chunked scan: one loop nest


def test_two_scans_over_one_constant_with_unread_ys():
    """Two 50-step scans over one closed-over xs whose ys nothing reads
    (IREE 3.13 failed at run time on the two dead chunked stacks; unread
    ys are no longer stacked), under jit and eager jvp."""
    xs = np.linspace(0.0, 1.0, 50).astype(np.float32)

    def make(np_, lax_):
        def rnn(w):
            return lax_.scan(lambda c, x: (np_.tanh(c * w + x), c * x), 0.1, xs)

        return lambda w: rnn(w)[0] + rnn(w * 2)[0]

    f, g = make(jnp, lax), make(jjnp, jax.lax)
    same(mlax.jit(f)(np.float32(0.5)), jax.jit(g)(np.float32(0.5)), rtol=1e-5, atol=1e-6)
    got = mlax.jvp(f, (np.float32(0.5),), (np.float32(1.0),))
    same(got, jax.jvp(g, (np.float32(0.5),), (np.float32(1.0),)), rtol=1e-5, atol=1e-6)
