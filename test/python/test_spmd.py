"""SPMD across real devices: pmap, shard_map, sharded jit and the
collectives, each checked against NumPy (or the unsharded result), on 1,
2, 4 and 8 CPU devices running in parallel threads."""

import itertools
import re

import jax
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from mlax import grad, jit, lax, pmap, vmap
from mlax.sharding import Mesh, NamedSharding
from mlax.sharding import PartitionSpec as P

DEVICES = 8


@pytest.fixture(scope="module", autouse=True)
def eight_devices():
    old = mlax.config.num_cpu_devices
    mlax.config.update("jax_num_cpu_devices", DEVICES)
    yield
    mlax.config.update("jax_num_cpu_devices", old)


def _rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


# ---------------------------------------------------------------------------
# Every collective against NumPy, on 1, 2, 4 and 8 devices
# ---------------------------------------------------------------------------

# name -> (per-device function, per-device shape given n, NumPy reference of
# the stacked result given the stacked input x of shape (n, ...)).
COLLECTIVES = {
    "psum": (
        lambda v: lax.psum(v, "i"),
        lambda n: (3,),
        lambda x: np.broadcast_to(x.sum(0), x.shape),
    ),
    "pmean": (
        lambda v: lax.pmean(v, "i"),
        lambda n: (3,),
        lambda x: np.broadcast_to(x.mean(0), x.shape),
    ),
    "pmax": (
        lambda v: lax.pmax(v, "i"),
        lambda n: (3,),
        lambda x: np.broadcast_to(x.max(0), x.shape),
    ),
    "pmin": (
        lambda v: lax.pmin(v, "i"),
        lambda n: (3,),
        lambda x: np.broadcast_to(x.min(0), x.shape),
    ),
    "all_gather": (
        lambda v: lax.all_gather(v, "i"),
        lambda n: (2, 3),
        lambda x: np.broadcast_to(x, (x.shape[0],) + x.shape),
    ),
    "all_gather-tiled-axis1": (
        lambda v: lax.all_gather(v, "i", axis=1, tiled=True),
        lambda n: (2, 3),
        lambda x: np.broadcast_to(np.concatenate(list(x), axis=1), (x.shape[0], 2, 3 * x.shape[0])),
    ),
    "psum_scatter": (lambda v: lax.psum_scatter(v, "i"), lambda n: (n, 3), lambda x: x.sum(0)),
    "psum_scatter-tiled": (
        lambda v: lax.psum_scatter(v, "i", tiled=True),
        lambda n: (2 * n, 3),
        lambda x: x.sum(0).reshape(x.shape[0], 2, 3),
    ),
    "all_to_all": (
        lambda v: lax.all_to_all(v, "i", 0, 0),
        lambda n: (n, 3),
        lambda x: x.transpose(1, 0, 2),
    ),
    "all_to_all-tiled-0-1": (
        lambda v: lax.all_to_all(v, "i", 0, 1, tiled=True),
        lambda n: (2 * n, 3),
        lambda x: np.stack(
            [
                np.concatenate([x[j, 2 * i : 2 * i + 2] for j in range(x.shape[0])], axis=1)
                for i in range(x.shape[0])
            ]
        ),
    ),
    "ppermute-ring": (
        lambda v: lax.ppermute(
            v, "i", [(j, (j + 1) % lax.axis_size("i")) for j in range(lax.axis_size("i"))]
        ),
        lambda n: (3,),
        lambda x: np.roll(x, 1, axis=0),
    ),
    "pshuffle-reverse": (
        lambda v: lax.pshuffle(v, "i", list(reversed(range(lax.axis_size("i"))))),
        lambda n: (3,),
        lambda x: x[::-1],
    ),
    "pbroadcast-0": (
        lambda v: lax.pbroadcast(v, "i", 0),
        lambda n: (3,),
        lambda x: np.broadcast_to(x[0], x.shape),
    ),
    "axis_index": (
        lambda v: v * 0 + lax.axis_index("i"),
        lambda n: (3,),
        lambda x: np.broadcast_to(np.arange(x.shape[0], dtype=np.float32)[:, None], x.shape),
    ),
    "psum-int": (
        lambda v: lax.psum((v > 0).astype(jnp.int32), "i"),
        lambda n: (3,),
        lambda x: np.broadcast_to((x > 0).astype(np.int32).sum(0), x.shape),
    ),
}


@pytest.mark.parametrize("mode", ["eager", "jit"])
@pytest.mark.parametrize("n", [1, 2, 4, 8])
@pytest.mark.parametrize("name", sorted(COLLECTIVES))
def test_collective_matches_numpy(name, n, mode):
    fn, shape, ref = COLLECTIVES[name]
    x = _rand((n,) + shape(n), seed=n)
    f = pmap(fn, axis_name="i")
    if mode == "jit":
        # Work before and after the pmap, in the same jitted computation.
        g = jit(lambda a: f(a * 2.0) + 1)
        got, want = g(x), ref(x * 2.0) + 1
    else:
        got, want = f(x), ref(x)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-5)
    assert got.shape == want.shape


def test_psum_of_a_python_scalar_is_the_axis_size():
    out = pmap(lambda x: lax.psum(1, "i"), axis_name="i")(np.zeros((4, 2), np.float32))
    np.testing.assert_array_equal(np.asarray(out), [4, 4, 4, 4])


def test_devices_run_in_parallel_threads():
    x = np.arange(4.0, dtype=np.float32).reshape(4, 1)
    out = pmap(lambda v: v * 2, axis_name="i")(x)
    np.testing.assert_array_equal(np.asarray(out), x * 2)
    from mlax._src.runtime import spmd

    names = {w._thread.name for w in spmd._workers}
    assert {f"mlax-cpu:{i}" for i in range(4)} <= names


# ---------------------------------------------------------------------------
# pmap's arguments
# ---------------------------------------------------------------------------


def test_pmap_in_axes_out_axes_and_static_arguments():
    x = _rand((3, 4))  # mapped along axis 1
    w = _rand((3,))  # broadcast to every device
    f = pmap(
        lambda a, b, k: a * b * k, in_axes=(1, None, None), out_axes=1, static_broadcasted_argnums=2
    )
    out = f(x, w, 3.0)
    assert out.shape == (3, 4)
    np.testing.assert_allclose(np.asarray(out), x * w[:, None] * 3.0, rtol=1e-6)
    # Another static value compiles again.
    np.testing.assert_allclose(np.asarray(f(x, w, 2.0)), x * w[:, None] * 2.0, rtol=1e-6)
    # out_axes=None: the (replicated) value once.
    total = pmap(lambda a: lax.psum(a, "i"), axis_name="i", out_axes=None)(x.T)
    np.testing.assert_allclose(np.asarray(total), x.T.sum(0), rtol=1e-5)


def test_pmap_pytrees_and_keyword_arguments():
    xs = {"a": _rand((2, 3)), "b": _rand((2,), seed=1)}
    out = pmap(lambda d, scale=1.0: (d["a"] * d["b"], d["b"] * scale))(
        xs, scale=np.ones(2, np.float32) * 2
    )
    np.testing.assert_allclose(np.asarray(out[0]), xs["a"] * xs["b"][:, None], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(out[1]), xs["b"] * 2, rtol=1e-6)


def test_pmap_outputs_are_sharded_like_jax():
    out = pmap(lambda v: v + 1)(np.zeros((2, 3), np.float32))
    s = out.sharding
    assert isinstance(s, NamedSharding)
    assert s.mesh.axis_names == ("_internal_pmap_axis_name",)
    assert s.spec == P("_internal_pmap_axis_name")
    assert [sh.device.id for sh in out.addressable_shards] == [0, 1]
    assert [sh.index for sh in out.addressable_shards] == [
        (slice(0, 1), slice(None)),
        (slice(1, 2), slice(None)),
    ]
    assert not out.is_fully_replicated
    np.testing.assert_array_equal(np.asarray(out.addressable_shards[1].data), [[1, 1, 1]])
    # Feeding a pmap output to the next pmap moves no data: same layout.
    again = pmap(lambda v: v * 2)(out)
    np.testing.assert_array_equal(np.asarray(again), np.full((2, 3), 2.0))


def test_the_seed_program_matches_jax_at_small_size():
    from mlax import random

    keys = random.split(random.PRNGKey(0), 2)
    matrices = pmap(lambda key: random.normal(key, (50, 60)))(keys)
    outputs = pmap(lambda x: jnp.dot(x, x.T))(matrices)
    means = pmap(jnp.mean)(outputs)
    jkeys = jax.random.split(jax.random.PRNGKey(0), 2)
    want = [
        float(jax.numpy.mean(jax.numpy.dot(m, m.T)))
        for m in [jax.random.normal(k, (50, 60)) for k in jkeys]
    ]
    np.testing.assert_allclose(np.asarray(means), want, rtol=2e-6)


# ---------------------------------------------------------------------------
# shard_map on a 2x4 mesh
# ---------------------------------------------------------------------------


def _mesh():
    return Mesh(np.array(mlax.devices()[:8]).reshape(2, 4), ("a", "b"))


@pytest.mark.parametrize(
    "in_spec,out_spec,body,ref",
    [
        (P("a", "b"), P("a", "b"), lambda v: v * 2, lambda y: y * 2),
        # Device (i, j) holds y[4i:4i+4, 3j:3j+3]; the sum over j per i.
        (
            P("a", "b"),
            P("a", None),
            lambda v: lax.psum(v, "b"),
            lambda y: y.reshape(8, 4, 3).sum(1),
        ),
        # Rows over b, columns over a: the sum over the row blocks.
        (
            P("b", "a"),
            P(None, "a"),
            lambda v: lax.psum(v, "b"),
            lambda y: y.reshape(4, 2, 12).sum(0),
        ),
    ],
    ids=["blocks", "sum-over-b", "transposed-mesh"],
)
def test_shard_map_on_a_2x4_mesh(in_spec, out_spec, body, ref):
    y = _rand((8, 12))
    f = mlax.shard_map(body, mesh=_mesh(), in_specs=in_spec, out_specs=out_spec)
    got = np.asarray(f(y))
    np.testing.assert_allclose(got, ref(y), rtol=1e-5, atol=1e-5)


def test_shard_map_collectives_over_both_axes():
    mesh = _mesh()
    y = _rand((8, 12))

    def body(v):  # v: (4, 3) block of device (i, j)
        idx = lax.axis_index(("a", "b"))
        return (
            v + idx.astype(jnp.float32),
            lax.psum(v, ("a", "b")),
            lax.all_gather(v, "a", tiled=True),
        )

    f = mlax.shard_map(
        body, mesh=mesh, in_specs=P("a", "b"), out_specs=(P("a", "b"), P(), P(None, "b"))
    )
    shifted, total, gathered = f(y)
    blocks = y.reshape(2, 4, 4, 3).transpose(0, 2, 1, 3)  # [i, j] -> block
    want = y.copy()
    for i in range(2):
        for j in range(4):
            want[4 * i : 4 * i + 4, 3 * j : 3 * j + 3] += i * 4 + j
    np.testing.assert_allclose(np.asarray(shifted), want, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(total), blocks.sum((0, 1)), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(gathered), y, rtol=1e-6)


def test_shard_map_replication_check():
    mesh = _mesh()
    f = mlax.shard_map(lambda v: v * 2, mesh=mesh, in_specs=P("a", "b"), out_specs=P())
    with pytest.raises(ValueError, match="out_specs which require replication"):
        f(np.ones((4, 8), np.float32))
    # check_vma=False trusts the caller (device (0, 0)'s block comes back).
    g = mlax.shard_map(
        lambda v: v * 2, mesh=mesh, in_specs=P("a", "b"), out_specs=P(), check_vma=False
    )
    np.testing.assert_array_equal(np.asarray(g(np.ones((4, 8), np.float32))), np.full((2, 2), 2.0))


# ---------------------------------------------------------------------------
# Sharded jit: the partitioner against the unsharded result
# ---------------------------------------------------------------------------

SHARDED_PROGRAMS = {
    "elementwise-chain": (lambda a, b: jnp.tanh(a * 2.0 + jnp.exp(-a)) - a, ((8, 12),)),
    "matmul-rows": (lambda a, b: a @ b, ((8, 12), (12, 6))),
    "matmul-then-softmax": (lambda a, b: jax_softmax(a @ b), ((8, 12), (12, 6))),
    "reductions": (lambda a, b: (a.sum(0), a.max(1), a.mean(), jnp.prod(a[:, :2], 0)), ((8, 12),)),
    "reshapes": (
        lambda a, b: (a.reshape(8, 3, 4).sum(1), a.T.reshape(-1)[:5], a.reshape(96)),
        ((8, 12),),
    ),
    "transpose-matmul": (lambda a, b: a.T @ a, ((8, 12),)),
    "iota-broadcast": (
        lambda a, b: (
            a
            + lax.broadcasted_iota(jnp.float32, (8, 12), 1)
            + lax.broadcast_in_dim(a[:, 0], (8, 12), (0,))
            + lax.iota(jnp.float32, 12)
        ),
        ((8, 12),),
    ),
}


def jax_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = jnp.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize(
    "spec_a,spec_b",
    [
        (P("a", None), P()),
        (P(None, "b"), P("b", None)),
        (P(("a", "b"), None), P(None, "a")),
        (P("b", "a"), P()),
    ],
    ids=["rows", "contracting", "rows-over-both-axes", "both-dims"],
)
@pytest.mark.parametrize("name", sorted(SHARDED_PROGRAMS))
def test_sharded_jit_matches_unsharded(name, spec_a, spec_b):
    fn, shapes = SHARDED_PROGRAMS[name]
    mesh = _mesh()
    a = _rand(shapes[0], seed=1)
    b = _rand(shapes[1], seed=2) if len(shapes) > 1 else np.zeros((1, 1), np.float32)
    try:
        sa = mlax.device_put(a, NamedSharding(mesh, spec_a))
        sb = mlax.device_put(b, NamedSharding(mesh, spec_b)) if len(shapes) > 1 else b
    except ValueError:
        pytest.skip("this layout does not divide the shape")
    got = jit(fn)(sa, sb)
    want = jit(fn)(a, b)
    for g, w in zip(jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(want)):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=2e-5, atol=2e-5)


def test_sharded_jit_contracting_split_inserts_one_psum():
    mesh = Mesh(np.array(mlax.devices()[:2]), ("x",))
    a = mlax.device_put(_rand((4, 8)), NamedSharding(mesh, P(None, "x")))
    b = mlax.device_put(_rand((8, 2), seed=1), NamedSharding(mesh, P("x", None)))
    out = jit(lambda u, v: u @ v)(a, b)
    np.testing.assert_allclose(np.asarray(out), np.asarray(a) @ np.asarray(b), rtol=1e-5)
    assert out.sharding.spec == P(None, None) or out.is_fully_replicated


def test_jit_in_and_out_shardings():
    mesh = _mesh()
    x = _rand((8, 12))
    f = jit(
        lambda v: v * 3,
        in_shardings=NamedSharding(mesh, P("a")),
        out_shardings=NamedSharding(mesh, P(None, "b")),
    )
    out = f(x)
    assert out.sharding == NamedSharding(mesh, P(None, "b"))
    np.testing.assert_allclose(np.asarray(out), x * 3, rtol=1e-6)
    assert out.addressable_shards[1].data.shape == (8, 3)


def test_with_sharding_constraint_under_jit():
    mesh = _mesh()
    x = _rand((8, 12))

    def f(v):
        h = lax.with_sharding_constraint(v * 2, NamedSharding(mesh, P("a", "b")))
        return h.sum(1)

    out = jit(f)(x)
    np.testing.assert_allclose(np.asarray(out), (x * 2).sum(1), rtol=1e-5)
    with mesh:
        out2 = jit(lambda v: lax.with_sharding_constraint(v, P("b")) + 1)(x)
    assert out2.sharding.spec == P("b", None)
    np.testing.assert_allclose(np.asarray(out2), x + 1, rtol=1e-6)


# ---------------------------------------------------------------------------
# Sharded arrays
# ---------------------------------------------------------------------------


def test_device_put_with_a_sharding_and_back():
    mesh = _mesh()
    x = np.arange(96, dtype=np.float32).reshape(8, 12)
    s = NamedSharding(mesh, P("a", "b"))
    a = mlax.device_put(x, s)
    assert a.sharding == s and a.shape == (8, 12) and a.dtype == np.float32
    assert len(a.addressable_shards) == 8
    assert {sh.data.shape for sh in a.addressable_shards} == {(4, 3)}
    assert a.devices() == set(mlax.devices()[:8])
    np.testing.assert_array_equal(np.asarray(a), x)
    replicated = mlax.device_put(x, NamedSharding(mesh, P()))
    assert replicated.is_fully_replicated
    assert sorted(sh.replica_id for sh in replicated.addressable_shards) == list(range(8))
    # A sharded array in single-device code works (gathered once).
    np.testing.assert_allclose(np.asarray(jnp.sum(a)), x.sum())


def test_visualize_array_sharding(capsys):
    mesh = _mesh()
    a = mlax.device_put(np.zeros((8, 12), np.float32), NamedSharding(mesh, P("a", "b")))
    mlax.debug.visualize_array_sharding(a)
    out = capsys.readouterr().out
    for i in range(8):
        assert f"CPU {i}" in out
    assert out.count("\n") == 5  # 2 rows of blocks, 3 separators


# ---------------------------------------------------------------------------
# Derivatives and batching
# ---------------------------------------------------------------------------


def _finite_difference(f, x, eps=1e-3):
    x = np.asarray(x, np.float64)
    g = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        d = np.zeros_like(x)
        d[idx] = eps
        g[idx] = (float(f((x + d).astype(np.float32))) - float(f((x - d).astype(np.float32)))) / (
            2 * eps
        )
    return g


def test_grad_of_a_pmapped_loss_matches_finite_differences():
    x = _rand((4, 3))

    def loss(v):
        per_device = pmap(
            lambda r: lax.psum(jnp.sum(jnp.sin(r) * r), "i") * lax.pmean(r[0], "i"), axis_name="i"
        )(v)
        return per_device.sum()

    g = grad(loss)(x)
    np.testing.assert_allclose(np.asarray(g), _finite_difference(loss, x), rtol=2e-2, atol=2e-2)


def test_grad_of_a_shard_mapped_loss_matches_finite_differences():
    mesh = Mesh(np.array(mlax.devices()[:4]).reshape(2, 2), ("a", "b"))
    w = _rand((6, 2), seed=3)  # rows split over b, replicated over a

    def loss(x):
        f = mlax.shard_map(
            lambda v, ww: lax.psum(jnp.sum(jnp.tanh(v @ ww)), ("a", "b")),
            mesh=mesh,
            in_specs=(P("a", "b"), P("b")),
            out_specs=P(),
        )
        return f(x, w)

    x = _rand((4, 6))
    g = grad(loss)(x)
    np.testing.assert_allclose(np.asarray(g), _finite_difference(loss, x), rtol=2e-2, atol=2e-2)


def test_jvp_of_pmap_and_shard_map():
    x, t = _rand((2, 3)), _rand((2, 3), seed=5)
    f = pmap(lambda v: lax.psum(jnp.sin(v), "i"), axis_name="i")
    y, ty = mlax.jvp(f, (x,), (t,))
    np.testing.assert_allclose(np.asarray(y), np.broadcast_to(np.sin(x).sum(0), x.shape), rtol=1e-5)
    np.testing.assert_allclose(
        np.asarray(ty), np.broadcast_to((np.cos(x) * t).sum(0), x.shape), rtol=1e-5
    )
    mesh = Mesh(np.array(mlax.devices()[:2]), ("x",))
    g = mlax.shard_map(lambda v: v * v, mesh=mesh, in_specs=P("x"), out_specs=P("x"))
    _, tz = mlax.jvp(g, (x,), (t,))
    np.testing.assert_allclose(np.asarray(tz), 2 * x * t, rtol=1e-5)


def test_derivatives_through_a_sharding_constraint():
    mesh = _mesh()
    s = NamedSharding(mesh, P("a", "b"))

    def f(v):
        return jnp.sum(lax.with_sharding_constraint(jnp.sin(v), s) ** 2)

    x, t = _rand((4, 8)), _rand((4, 8), seed=9)
    np.testing.assert_allclose(
        np.asarray(grad(f)(x)), 2 * np.sin(x) * np.cos(x), rtol=1e-5, atol=1e-6
    )
    _, ty = mlax.jvp(f, (x,), (t,))
    np.testing.assert_allclose(float(ty), float((2 * np.sin(x) * np.cos(x) * t).sum()), rtol=1e-4)


def test_pmap_of_grad_and_vmap_inside_pmap():
    x = _rand((2, 5, 3))
    out = pmap(lambda v: vmap(grad(lambda r: jnp.sum(r**3)))(v))(x)
    np.testing.assert_allclose(np.asarray(out), 3 * x**2, rtol=1e-5)


def test_vmap_of_pmap():
    x = _rand((3, 2, 4))
    out = vmap(pmap(lambda v: lax.psum(v, "i") * 2, axis_name="i"))(x)
    want = np.stack([np.broadcast_to(x[k].sum(0) * 2, (2, 4)) for k in range(3)])
    np.testing.assert_allclose(np.asarray(out), want, rtol=1e-5)


@pytest.mark.parametrize("name", sorted(COLLECTIVES))
def test_vmap_axis_name_collectives_match_loop_and_stack(name):
    # vmap's examples as the "devices": the same functions as on devices,
    # against the per-example loop written out in NumPy.
    fn, shape, ref = COLLECTIVES[name]
    n = 4
    x = _rand((n,) + shape(n), seed=7)
    got = np.asarray(vmap(fn, axis_name="i")(x))
    on_devices = np.asarray(pmap(fn, axis_name="i")(x))
    stacked = np.stack([np.asarray(ref(x))[i] for i in range(n)])
    np.testing.assert_allclose(got, stacked, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got, on_devices, rtol=1e-5, atol=1e-5)


def test_grad_through_vmap_axis_name_collective():
    x = _rand((4, 3))
    f = lambda v: jnp.sum(vmap(lambda r: lax.psum(r * r, "i") * r, axis_name="i")(v))
    np.testing.assert_allclose(
        np.asarray(grad(f)(x)), _finite_difference(f, x), rtol=2e-2, atol=2e-2
    )


# ---------------------------------------------------------------------------
# A data-parallel training step equals the single-device step
# ---------------------------------------------------------------------------


def _mlp_params(seed=0, sizes=(16, 32, 32, 4)):
    rng = np.random.default_rng(seed)
    return [
        (rng.standard_normal((m, k)).astype(np.float32) / np.sqrt(m), np.zeros(k, np.float32))
        for m, k in itertools.pairwise(sizes)
    ]


def _mlp_loss(params, x, y):
    h = x
    for w, b in params[:-1]:
        h = jnp.maximum(h @ w + b, 0.0)
    w, b = params[-1]
    logits = h @ w + b
    logp = (
        logits
        - jnp.log(jnp.sum(jnp.exp(logits - logits.max(1, keepdims=True)), 1, keepdims=True))
        - logits.max(1, keepdims=True)
    )
    return -jnp.mean(jnp.sum(logp * y, 1))


def _sgd(params, grads, lr=0.1):
    return [(w - lr * gw, b - lr * gb) for (w, b), (gw, gb) in zip(params, grads)]


@pytest.mark.parametrize("n", [2, 4])
def test_data_parallel_step_equals_single_device_step(n):
    params = _mlp_params()
    rng = np.random.default_rng(1)
    x = rng.standard_normal((32, 16)).astype(np.float32)
    y = np.eye(4, dtype=np.float32)[rng.integers(0, 4, 32)]

    @jit
    def single(p, x, y):
        return _sgd(p, grad(_mlp_loss)(p, x, y))

    def parallel_step(p, xb, yb):
        g = lax.pmean(grad(_mlp_loss)(p, xb, yb), "batch")
        return _sgd(p, g)

    step = pmap(parallel_step, axis_name="batch", in_axes=(None, 0, 0))
    want = single(params, x, y)
    got = step(params, x.reshape(n, -1, 16), y.reshape(n, -1, 4))
    for (gw, gb), (ww, wb) in zip(got, want):
        for d in range(n):
            np.testing.assert_allclose(np.asarray(gw)[d], np.asarray(ww), rtol=2e-5, atol=2e-6)
            np.testing.assert_allclose(np.asarray(gb)[d], np.asarray(wb), rtol=2e-5, atol=2e-6)


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


def test_too_few_devices_names_the_option():
    with pytest.raises(
        ValueError, match=r"pmap needs 9 devices.*MLAX_NUM_CPU_DEVICES=9.*jax_num_cpu_devices"
    ):
        pmap(lambda v: v)(np.zeros((9, 2), np.float32))


def test_inconsistent_mapped_sizes():
    with pytest.raises(ValueError, match="inconsistent sizes"):
        pmap(lambda a, b: a + b)(np.zeros((2, 3), np.float32), np.zeros((4, 3), np.float32))


def test_unbound_axis_name_names_the_line():
    with pytest.raises(NameError, match=r"unbound axis name: j[\s\S]*test_spmd.py"):
        pmap(lambda v: lax.psum(v, "j"), axis_name="i")(np.zeros((2, 3), np.float32))
    with pytest.raises(NameError, match="unbound axis name: i"):
        lax.psum(np.zeros(3, np.float32), "i")


def test_bad_partition_specs():
    mesh = _mesh()
    with pytest.raises(Exception, match="duplicate entries for `a`") as info:
        NamedSharding(mesh, P("a", "a"))
    assert type(info.value).__name__ == "DuplicateSpecError"  # as JAX names it
    with pytest.raises(
        ValueError, match=re.escape("Resource axis: z of P('z',) is not found in mesh")
    ):
        NamedSharding(mesh, P("z"))
    with pytest.raises(ValueError, match="not evenly divisible"):
        mlax.shard_map(lambda v: v, mesh=mesh, in_specs=P("a", "b"), out_specs=P("a", "b"))(
            np.zeros((5, 8), np.float32)
        )
    with pytest.raises(ValueError, match="does not evenly divide the dimension size 6"):
        mlax.device_put(np.zeros((6, 5), np.float32), NamedSharding(mesh, P("b")))
    with pytest.raises(ValueError, match="not in the mesh axis names"):
        mlax.shard_map(lambda v: v, mesh=mesh, in_specs=P("c"), out_specs=P("a"))(
            np.zeros((4, 8), np.float32)
        )


def test_mesh_utils_grids_and_errors_match_jax():
    from jax.experimental import mesh_utils as jax_mesh_utils
    from mlax.experimental import mesh_utils

    grid = mesh_utils.create_device_mesh((2, 4))
    assert grid.shape == (2, 4) and [d.id for d in grid.flat] == list(range(8))
    mesh = Mesh(mesh_utils.create_device_mesh((4, 2)), ("x", "y"))
    a = mlax.device_put(
        np.arange(32.0, dtype=np.float32).reshape(8, 4), NamedSharding(mesh, P("x", "y"))
    )
    assert {sh.data.shape for sh in a.addressable_shards} == {(2, 2)}
    sub = mesh_utils.create_device_mesh((2,), mlax.devices()[2:4])
    assert [d.id for d in sub] == [2, 3]
    hybrid = mesh_utils.create_hybrid_device_mesh((2, 4), (1, 1), process_is_granule=True)
    assert hybrid.shape == (2, 4)
    # JAX: ValueError for a shape that does not use every device exactly.
    with pytest.raises(ValueError, match="must equal the product of mesh_shape"):
        mesh_utils.create_device_mesh((3, 2))
    with pytest.raises(ValueError, match="Number of devices 1 must equal"):
        jax_mesh_utils.create_device_mesh((3, 2), jax.devices())


def test_compilation_cache_set_cache_dir(tmp_path):
    from mlax.experimental.compilation_cache import compilation_cache as cc

    old = mlax.config.cache_dir
    try:
        cc.set_cache_dir(tmp_path)
        assert mlax.config.cache_dir == str(tmp_path)
        np.testing.assert_allclose(
            mlax.jit(lambda x: x * 3.0 + 0.125)(np.ones(3, np.float32)), 3.125
        )
        assert any(p.is_file() for p in tmp_path.rglob("*")), "nothing was written to the cache"
        cc.reset_cache()
        assert mlax.config.cache_dir != str(tmp_path)
    finally:
        mlax.config.update("jax_compilation_cache_dir", old)
