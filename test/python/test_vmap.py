"""vmap (the mlax-batch pass) against loop-and-stack.

Every mlax.numpy and mlax.lax function, through the parity cases of
the test modules parity.py lists (up to two cases per function): vmap(f) must equal
NumPy's f applied to each example and stacked, with every operand batched at
every axis position, with mixed batched / unbatched operands, and with a
batch of one. All configurations of a case run in one jitted function, so a
case costs one compile.
"""

import warnings
from collections import defaultdict
from functools import partial

import jax
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from mlax import lax
from parity import (
    LAX_CASE_MODULES,
    NUMPY_CASE_MODULES,
    VALUE_DEPENDENT_SIZES,
    A,
    all_cases,
    compare_outputs,
    low_precision_result,
    upcast,
)

B = 3  # examples per batch


def _selected_cases():
    per_function = defaultdict(list)
    for case in all_cases(NUMPY_CASE_MODULES + LAX_CASE_MODULES):
        if (
            case.xfail
            or not case.values
            or (case.covers[0] in VALUE_DEPENDENT_SIZES and not case.jax)
            or not any(isinstance(a, A) for a in case.args)
        ):
            continue
        if len(per_function[case.covers[0]]) < 2:
            per_function[case.covers[0]].append(case)
    return [c for cases in per_function.values() for c in cases]


SELECTED = _selected_cases()


def _configurations(ndims):
    """(name, batch size, per-operand in_axes) for operands of ranks ndims."""
    configs = [("all-axis0", B, [0] * len(ndims)), ("size1", 1, [0] * len(ndims))]
    for i, nd in enumerate(ndims):
        for p in range(1, nd + 1):
            axes = [0] * len(ndims)
            axes[i] = p
            configs.append((f"operand{i}-axis{p}", B, axes))
        if len(ndims) > 1:
            axes = [None] * len(ndims)
            axes[i] = -1 if nd else 0
            configs.append((f"only-operand{i}", B, axes))
    return configs


def _example_args(case, k):
    """The case's arguments for example k (arrays differ per example)."""
    rng = np.random.default_rng(1000 + k)
    return [a.make(rng, offset=k) if isinstance(a, A) else a for a in case.args]


def _same_example(examples, positions, k):
    return all(
        np.asarray(examples[0][i]).tobytes() == np.asarray(examples[k][i]).tobytes()
        for i in positions
    )


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in SELECTED])
def test_vmap_matches_loop(case):
    module = lax if case.lax else jnp
    examples = [_example_args(case, k) for k in range(B)]
    array_pos = [i for i, a in enumerate(case.args) if isinstance(a, A)]
    ndims = [np.ndim(examples[0][i]) for i in array_pos]
    # identical examples would hide a batch-axis mix-up
    assert not any(_same_example(examples, array_pos, k) for k in range(1, B)), case.id
    configs = _configurations(ndims)

    def per_example(*arrays, template):
        args = list(template)
        for i, a in zip(array_pos, arrays):
            args[i] = a
        return case.fn(module, *args)

    # Inputs of each configuration: batched operands stacked at their axis.
    inputs, expected = [], []
    for _, size, axes in configs:
        operands = []
        for j, i in enumerate(array_pos):
            if axes[j] is None:
                operands.append(examples[0][i])
            else:
                stacked = np.stack([examples[k][i] for k in range(size)])
                operands.append(np.moveaxis(stacked, 0, axes[j]))
        inputs.append(operands)
        outs = []
        for k in range(size):
            args = [
                examples[k][i] if axes[j] is not None else examples[0][i]
                for j, i in enumerate(array_pos)
            ]
            full = list(examples[0])
            for j, i in enumerate(array_pos):
                full[i] = args[j]
            low = low_precision_result(full)
            ref_args = [upcast(a) for a in full] if low is not None else full
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                outs.append(case.ref(*ref_args) if case.ref else case.fn(np, *ref_args))
        multi = isinstance(outs[0], (list, tuple))
        stacked = (
            [np.stack([np.asarray(o[t]) for o in outs]) for t in range(len(outs[0]))]
            if multi
            else np.stack([np.asarray(o) for o in outs])
        )
        expected.append((stacked, low))

    def run_all(*flat):
        results, pos = [], 0
        for _, _, axes in configs:
            n = len(axes)
            f = partial(per_example, template=examples[0])
            results.append(mlax.vmap(f, in_axes=tuple(axes))(*flat[pos : pos + n]))
            pos += n
        return results

    flat_inputs = [jnp.asarray(x) for operands in inputs for x in operands]
    got = mlax.jit(run_all)(*flat_inputs)
    for (name, _, _), out, (want, low) in zip(configs, got, expected):
        try:
            compare_outputs(case, out, want, low)
        except AssertionError as e:
            raise AssertionError(f"{case.id} [{name}]: {e}") from None


# ---------------------------------------------------------------------------
# Composition: nested vmap, autodiff, jit
# ---------------------------------------------------------------------------

RNG = np.random.default_rng(0)


def _loop(f, *xs):
    """Loop-and-stack reference over axis 0 of every argument."""
    outs = [f(*[x[k] for x in xs]) for k in range(len(xs[0]))]
    return np.stack([np.asarray(o) for o in outs])


def test_nested_vmap_different_axes():
    x = RNG.standard_normal((4, 3, 5)).astype(np.float32)  # examples on 0 and 2
    w = RNG.standard_normal((3,)).astype(np.float32)

    def f(row, w):  # row: (3,)
        return jnp.tanh(row * w).sum() + row[0]

    inner = mlax.vmap(f, in_axes=(1, None))  # over axis 1 of a (3, 5) slab
    outer = mlax.vmap(inner, in_axes=(0, None))
    got = np.asarray(outer(x, w))
    want = np.array(
        [[np.tanh(x[i, :, j] * w).sum() + x[i, 0, j] for j in range(5)] for i in range(4)]
    )
    assert got.shape == (4, 5)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    # out_axes on both levels: (5, 4) result
    swapped = mlax.vmap(mlax.vmap(f, in_axes=(1, None), out_axes=0), in_axes=(0, None), out_axes=1)
    np.testing.assert_allclose(np.asarray(swapped(x, w)), want.T, rtol=1e-5, atol=1e-6)


def mlp_loss(params, x, y):
    (w1, b1), (w2, b2) = params
    h = jnp.tanh(x @ w1 + b1)
    return jnp.sum((h @ w2 + b2 - y) ** 2)


PARAMS = (
    (RNG.standard_normal((6, 5)).astype(np.float32) * 0.3, np.zeros(5, np.float32)),
    (RNG.standard_normal((5, 2)).astype(np.float32) * 0.3, np.full(2, 0.1, np.float32)),
)
XS = RNG.standard_normal((7, 6)).astype(np.float32)
YS = RNG.standard_normal((7, 2)).astype(np.float32)


def mlp_loss_grad_numpy(params, x, y):
    """The gradient of mlp_loss for one example, by hand in float64:
    ((dw1, db1), (dw2, db2))."""
    (w1, b1), (w2, b2) = [[np.asarray(p, np.float64) for p in layer] for layer in params]
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    h = np.tanh(x @ w1 + b1)
    dout = 2 * (h @ w2 + b2 - y)
    dpre = (dout @ w2.T) * (1 - h**2)
    return (np.outer(x, dpre), dpre), (np.outer(h, dout), dout)


def jax_mlp_loss(params, x, y):
    (w1, b1), (w2, b2) = params
    return jax.numpy.sum((jax.numpy.tanh(x @ w1 + b1) @ w2 + b2 - y) ** 2)


def _assert_trees_close(got, want, rtol=1e-5, atol=1e-6):
    got, want = mlax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(want)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=rtol, atol=atol)


def test_vmap_of_grad_is_per_example_gradients():
    # NumPy loop-and-stack of the hand-written gradient, and JAX's vmap(grad)
    loop = [mlp_loss_grad_numpy(PARAMS, XS[k], YS[k]) for k in range(len(XS))]
    want = jax.tree_util.tree_map(lambda *leaves: np.stack(leaves), *loop)
    ref = jax.vmap(jax.grad(jax_mlp_loss), in_axes=(None, 0, 0))(PARAMS, XS, YS)
    _assert_trees_close(ref, want)  # the hand-written gradient is JAX's
    per_example = mlax.vmap(mlax.grad(mlp_loss), in_axes=(None, 0, 0))
    for got in (per_example(PARAMS, XS, YS), mlax.jit(per_example)(PARAMS, XS, YS)):
        _assert_trees_close(got, want)
        _assert_trees_close(got, ref)


def test_grad_of_vmap():
    def batch_loss(params, xs, ys):
        return jnp.mean(mlax.vmap(mlp_loss, in_axes=(None, 0, 0))(params, xs, ys))

    def jax_batch_loss(params, xs, ys):
        return jax.numpy.mean(jax.vmap(jax_mlp_loss, in_axes=(None, 0, 0))(params, xs, ys))

    loop = [mlp_loss_grad_numpy(PARAMS, XS[k], YS[k]) for k in range(len(XS))]
    want = jax.tree_util.tree_map(lambda *leaves: np.mean(leaves, axis=0), *loop)
    ref = jax.grad(jax_batch_loss)(PARAMS, XS, YS)
    _assert_trees_close(ref, want)
    for got in (
        mlax.grad(batch_loss)(PARAMS, XS, YS),
        mlax.jit(mlax.grad(batch_loss))(PARAMS, XS, YS),
    ):
        _assert_trees_close(got, want)
        _assert_trees_close(got, ref)


def test_vmap_of_jvp_and_jit_positions():
    f = lambda x: jnp.sin(x) * x
    xs = RNG.standard_normal((5, 3)).astype(np.float32)
    ts = RNG.standard_normal((5, 3)).astype(np.float32)
    tangents = mlax.vmap(lambda x, t: mlax.jvp(f, (x,), (t,))[1])(xs, ts)
    np.testing.assert_allclose(
        np.asarray(tangents), (np.cos(xs) * xs + np.sin(xs)) * ts, rtol=1e-5, atol=1e-6
    )
    want = np.stack([np.sin(x) * x for x in xs])  # loop-and-stack
    for g in (
        mlax.vmap(f),
        mlax.vmap(mlax.jit(f)),
        mlax.jit(mlax.vmap(f)),
        mlax.jit(mlax.vmap(mlax.jit(f))),
    ):
        np.testing.assert_allclose(np.asarray(g(xs)), want, rtol=1e-6)


def test_vmap_of_checkpoint_and_custom_rules():
    @mlax.custom_jvp
    def softplus(x):
        return jnp.log1p(jnp.exp(x))

    @softplus.defjvp
    def softplus_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        return softplus(x), t * lax.logistic(x)

    f = mlax.checkpoint(lambda x: jnp.sum(softplus(x) ** 2))
    xs = RNG.standard_normal((4, 3)).astype(np.float32)
    got = mlax.vmap(mlax.grad(f))(xs)
    sp = np.log1p(np.exp(xs))
    np.testing.assert_allclose(np.asarray(got), 2 * sp / (1 + np.exp(-xs)), rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------
# in_axes / out_axes, keyword arguments, scalars
# ---------------------------------------------------------------------------


def test_in_axes_pytrees_negative_axes_and_kwargs():
    a = RNG.standard_normal((3, 4)).astype(np.float32)
    b = RNG.standard_normal((4, 2)).astype(np.float32)  # batched on axis -1 (2 examples)?
    c = RNG.standard_normal((3,)).astype(np.float32)

    def f(d, scale, *, shift):
        return d["a"] * scale + d["c"][0] + shift

    # d["a"] mapped over axis -1 (4), d["c"] shared, shift (a kwarg) over axis 0
    shift = RNG.standard_normal((4, 3)).astype(np.float32)
    got = mlax.vmap(f, in_axes=({"a": -1, "c": None}, None))({"a": a, "c": c}, 2.0, shift=shift)
    want = np.stack([a[:, k] * 2.0 + c[0] + shift[k] for k in range(4)])
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6)
    # list in_axes count as tuples; out_axes as a pytree; negative out axis
    g = mlax.vmap(
        lambda x, y: {"sum": x + y[0], "y": y}, in_axes=[1, 0], out_axes={"sum": -1, "y": 0}
    )
    out = g(a, b)
    np.testing.assert_allclose(np.asarray(out["sum"]), (a + b[:, :1].T).T.T, rtol=1e-6)
    assert out["y"].shape == (4, 2)


def test_unbatched_outputs_with_out_axes_none():
    f = mlax.vmap(lambda x, w: (x * w, w * 2.0), in_axes=(0, None), out_axes=(0, None))
    xs = np.ones((3, 2), np.float32)
    ys, w2 = f(xs, np.array([1.0, 2.0], np.float32))
    assert ys.shape == (3, 2) and w2.shape == (2,)
    np.testing.assert_allclose(np.asarray(w2), [2.0, 4.0])


def test_axis_size_without_batched_inputs():
    out = mlax.vmap(lambda x: x + 1.0, in_axes=None, axis_size=4)(np.float32(2.0))
    np.testing.assert_allclose(np.asarray(out), [3.0] * 4)


# ---------------------------------------------------------------------------
# Per-example indices: dynamic_slice / dynamic_update_slice gather and scatter
# ---------------------------------------------------------------------------


def test_dynamic_slice_with_batched_indices():
    x = RNG.standard_normal((5, 6, 4)).astype(np.float32)
    starts = np.array([0, 3, 5, -1, 2], np.int32)  # -1 wraps to 5; then clamped to 4

    def start(s):
        return min(max(s + 6 if s < 0 else s, 0), 4)

    def f(xi, s):
        return lax.dynamic_slice(xi, (s, jnp.int32(1)), (2, 3))

    got = np.asarray(mlax.vmap(f)(x, starts))
    want = np.stack([x[k][start(s) : start(s) + 2, 1:4] for k, s in enumerate(starts)])
    np.testing.assert_array_equal(got, want)
    # shared operand, batched index
    got = np.asarray(mlax.vmap(f, in_axes=(None, 0))(x[0], starts))
    want = np.stack([x[0][start(s) : start(s) + 2, 1:4] for s in starts])
    np.testing.assert_array_equal(got, want)
    # integer and boolean operands
    xi = np.arange(5 * 6 * 4, dtype=np.int32).reshape(5, 6, 4)
    np.testing.assert_array_equal(
        np.asarray(mlax.vmap(f)(xi, starts)),
        np.stack([xi[k][start(s) : start(s) + 2, 1:4] for k, s in enumerate(starts)]),
    )


def test_dynamic_update_slice_with_batched_indices():
    x = RNG.standard_normal((4, 6)).astype(np.float32)
    u = RNG.standard_normal((4, 2)).astype(np.float32)
    starts = np.array([0, 4, 7, 2], np.int32)

    got = np.asarray(
        mlax.vmap(lambda xi, ui, s: lax.dynamic_update_slice(xi, ui, (s,)))(x, u, starts)
    )
    want = x.copy()
    for k, s in enumerate(starts):
        s = min(max(s, 0), 4)
        want[k, s : s + 2] = u[k]
    np.testing.assert_array_equal(got, want)


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


def test_errors():
    x3, x4 = np.ones((3, 2), np.float32), np.ones((4, 2), np.float32)
    with pytest.raises(
        ValueError, match=r"(?s)inconsistent sizes.*args\[0\].*size 3.*args\[1\].*size 4"
    ):
        mlax.vmap(lambda a, b: a + b)(x3, x4)
    with pytest.raises(ValueError, match="tree prefix"):
        mlax.vmap(lambda a: a["x"], in_axes=({"y": 0},))({"x": x3})
    with pytest.raises(ValueError, match=r"len\(in_axes\)=2, len\(args\)=1"):
        mlax.vmap(lambda a: a, in_axes=(0, 0))(x3)
    with pytest.raises(ValueError, match=r"axis 2.*rank should be at least 3.*\(3, 2\)"):
        mlax.vmap(lambda a: a, in_axes=2)(x3)
    with pytest.raises(ValueError, match="out_axes is None"):
        mlax.vmap(lambda a: a * 2, out_axes=None)(x3)
    with pytest.raises(ValueError, match="at least one non-None"):
        mlax.vmap(lambda a: a, in_axes=None)(x3)
    with pytest.raises(TypeError, match="in_axes must be an int, None, or a tuple"):
        mlax.vmap(lambda a: a, in_axes="0")(x3)
    with pytest.raises(ValueError, match="test_vmap.py"):
        mlax.vmap(lambda a, b: a + b)(x3, x4)


def test_per_example_scalar_operands():
    # pad value, select predicate and clamp bounds that are 0-d per example
    x = RNG.standard_normal((4, 3)).astype(np.float32)
    v = RNG.standard_normal(4).astype(np.float32)
    p = np.array([True, False, True, False])
    got = mlax.vmap(lambda xi, vi: lax.pad(xi, vi, [(1, 2, 1)]))(x, v)
    want = np.stack(
        [np.array([v[k], x[k, 0], v[k], x[k, 1], v[k], x[k, 2], v[k], v[k]]) for k in range(4)]
    )
    np.testing.assert_array_equal(np.asarray(got), want)
    got = mlax.vmap(lambda pi, xi: lax.select(pi, xi, -xi))(p, x)
    np.testing.assert_array_equal(np.asarray(got), np.where(p[:, None], x, -x))
    lo, hi = -np.abs(v) * 0.5, np.abs(v) * 0.5
    got = mlax.vmap(lambda a, xi, b: lax.clamp(a, xi, b))(lo, x, hi)
    np.testing.assert_array_equal(np.asarray(got), np.clip(x, lo[:, None], hi[:, None]))
    # shared 0-d predicate with batched operands stays 0-d
    got = mlax.vmap(lambda xi: lax.select(jnp.bool_(True), xi, -xi))(x)
    np.testing.assert_array_equal(np.asarray(got), x)


def test_constant_outputs_and_empty_batches():
    xs = np.arange(6, dtype=np.float32).reshape(3, 2)
    np.testing.assert_array_equal(np.asarray(mlax.vmap(lambda x: 1.0)(xs)), [1.0, 1.0, 1.0])
    empty = mlax.vmap(lambda x: x * 2 + jnp.sum(x))(np.zeros((0, 2), np.float32))
    assert empty.shape == (0, 2)


def test_review_regressions():
    # narrow (uint8) per-example start indices into a 300-element operand
    x = np.arange(300, dtype=np.float32)
    starts = np.array([10, 100, 5, 255], np.uint8)
    got = mlax.vmap(lambda i: lax.dynamic_slice(x, (i,), (1,)))(starts)
    np.testing.assert_array_equal(np.asarray(got).ravel(), [10, 100, 5, 255])
    upd = mlax.vmap(lambda i: lax.dynamic_update_slice(jnp.zeros(300), jnp.ones(1), (i,)))(starts)
    assert [int(np.flatnonzero(np.asarray(r))[0]) for r in upd] == [10, 100, 5, 255]
    # results of a checkpointed call or a barrier that do not depend on the
    # batch stay unbatched, so out_axes=None is allowed on them (as in JAX)
    b = np.array([0.5, 1.5], np.float32)
    xs = np.arange(6, dtype=np.float32).reshape(3, 2)
    pair = mlax.checkpoint(lambda a, b: (a * b, jnp.sin(b)))
    y, s = mlax.vmap(pair, in_axes=(0, None), out_axes=(0, None))(xs, b)
    assert y.shape == (3, 2) and s.shape == (2,)
    np.testing.assert_allclose(np.asarray(s), np.sin(b), rtol=1e-6)
    y, s = mlax.vmap(
        lambda a, b: lax.optimization_barrier((a, b)), in_axes=(0, None), out_axes=(0, None)
    )(xs, b)
    np.testing.assert_array_equal(np.asarray(s), b)
    # error messages name keyword arguments correctly
    with pytest.raises(ValueError, match=r"kwargs\['a'\] has shape \(4, 2\)"):
        mlax.vmap(lambda *, a, b: a + b)(b=np.ones((3, 2)), a=np.ones((4, 2)))


def test_unmapped_python_scalars_reach_the_function_as_they_are():
    # JAX hands an in_axes=None Python scalar to the function unchanged, so
    # it can be a shape (a common pattern with random keys).
    got = mlax.vmap(lambda k, n: mlax.random.uniform(k, (n, 2)), in_axes=(0, None))(
        mlax.random.split(mlax.random.PRNGKey(0), 3), 4
    )
    want = jax.vmap(lambda k, n: jax.random.uniform(k, (n, 2)), in_axes=(0, None))(
        jax.random.split(jax.random.PRNGKey(0), 3), 4
    )
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
    seen = []
    f = mlax.vmap(lambda x, n: (seen.append(type(n)), x * n)[1], in_axes=(0, None))
    np.testing.assert_array_equal(np.asarray(f(jnp.ones(3), 4)), [4.0, 4.0, 4.0])
    assert set(seen) == {int}
    out = mlax.jit(mlax.vmap(lambda x, s: x * s, in_axes=(0, None)))(jnp.ones(2), 2.5)
    np.testing.assert_array_equal(np.asarray(out), [2.5, 2.5])
