"""lax.gather / lax.scatter* with XLA's dimension numbers (windows, batching
dims, partial windows, every mode) and lax.index_take: values against JAX
(live), gradients against JAX, vmap against loop-and-stack."""

import jax
import mlax
import numpy as np
import pytest


def gather_cases(lax, rng):
    G = lax.GatherDimensionNumbers
    f32 = np.float32
    return {
        "rows": (rng.standard_normal((5, 3)).astype(f32), np.array([[0], [4], [2], [2]]),
                 G((1,), (0,), (0,)), (1, 3)),
        "windows": (np.arange(10.0, dtype=f32), np.array([[0], [8], [9], [-1]]),
                    G((1,), (), (0,)), (3,)),
        "2d-windows": (rng.standard_normal((6, 7)).astype(f32), rng.integers(-1, 6, (2, 3, 2)),
                       G((2, 3), (), (1, 0)), (2, 3)),
        "partial-other": (rng.standard_normal((5, 6)).astype(f32), np.array([[1], [3], [4]]),
                          G((1,), (0,), (0,)), (1, 4)),
        "offset-first": (rng.standard_normal((5, 6)).astype(f32), np.array([[1], [3], [4]]),
                         G((0,), (0,), (0,)), (1, 6)),
        "batching": (rng.standard_normal((4, 5, 3)).astype(f32), rng.integers(0, 5, (4, 2, 1)),
                     G((2,), (1,), (1,), (0,), (0,)), (1, 1, 3)),
        "int-operand": (np.arange(24, dtype=np.int32).reshape(4, 6), np.array([[1, 2], [3, 5]]),
                        G((1,), (0,), (0, 1)), (1, 2)),
    }  # fmt: skip


def scatter_cases(lax, rng):
    S = lax.ScatterDimensionNumbers
    f32 = np.float32
    return {
        "rows": (np.zeros((5, 3), f32), np.array([[0], [4], [2], [2]]),
                 rng.standard_normal((4, 3)).astype(f32), S((1,), (0,), (0,))),
        "windows": (np.arange(10.0, dtype=f32), np.array([[0], [8], [-1], [3]]),
                    np.ones((4, 3), f32), S((1,), (), (0,))),
        "2d": (np.zeros((6, 7), f32), np.array([[1, 2], [4, 4], [1, 2]]),
               rng.standard_normal((3, 2, 3)).astype(f32), S((1, 2), (), (0, 1))),
        "partial-other": (np.zeros((5, 6), f32), np.array([[1], [3]]),
                          rng.standard_normal((2, 4)).astype(f32), S((1,), (0,), (0,))),
        "window-first": (np.zeros((5, 6), f32), np.array([[1], [3]]),
                         rng.standard_normal((6, 2)).astype(f32), S((0,), (0,), (0,))),
        "batching": (np.zeros((4, 5, 3), f32), rng.integers(0, 5, (4, 2, 1)),
                     rng.standard_normal((4, 2, 3)).astype(f32), S((2,), (1,), (1,), (0,), (0,))),
    }  # fmt: skip


def both(make, name):
    return make(mlax.lax, np.random.default_rng(0))[name], make(jax.lax, np.random.default_rng(0))[
        name
    ]


def same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, want.shape)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6, equal_nan=True)


@pytest.mark.parametrize("mode", [None, "clip", "fill", "promise_in_bounds"])
@pytest.mark.parametrize("name", sorted(gather_cases(jax.lax, np.random.default_rng(0))))
def test_gather_matches_jax(name, mode):
    m, j = both(gather_cases, name)
    same(
        mlax.lax.gather(*m[:3], m[3], mode=mode),
        jax.lax.gather(*j[:3], j[3], mode=mode),
    )


@pytest.mark.parametrize(
    "fn", ["scatter", "scatter_add", "scatter_mul", "scatter_min", "scatter_max", "scatter_sub"]
)
@pytest.mark.parametrize("mode", [None, "clip"])
@pytest.mark.parametrize("name", sorted(scatter_cases(jax.lax, np.random.default_rng(0))))
def test_scatter_matches_jax(name, mode, fn):
    m, j = both(scatter_cases, name)
    same(getattr(mlax.lax, fn)(*m, mode=mode), getattr(jax.lax, fn)(*j, mode=mode))


def test_gather_and_scatter_add_gradients_match_jax():
    m, j = both(gather_cases, "2d-windows")
    w = np.random.default_rng(1).standard_normal((2, 3, 2, 3)).astype(np.float32)

    def loss(lax, c):
        return lambda x: (lax.gather(x, c[1], c[2], c[3], mode="clip") ** 2 * w).sum()

    same(mlax.grad(loss(mlax.lax, m))(m[0]), jax.grad(loss(jax.lax, j))(j[0]))
    ms, js = both(scatter_cases, "2d")

    def sloss(lax, c):
        return lambda x, u: (lax.scatter_add(x, c[1], u, c[3]) ** 2).sum()

    gm = mlax.grad(sloss(mlax.lax, ms), argnums=(0, 1))(ms[0] + 1, ms[2])
    gj = jax.grad(sloss(jax.lax, js), argnums=(0, 1))(js[0] + 1, js[2])
    for a, b in zip(gm, gj):
        same(a, b)


def test_vmap_of_gather_against_loop_and_stack():
    m, _ = both(gather_cases, "windows")
    xs = np.random.default_rng(2).standard_normal((3, 10)).astype(np.float32)
    f = lambda x: mlax.lax.gather(x, m[1], m[2], m[3], mode="clip")
    same(mlax.vmap(f)(xs), np.stack([np.asarray(f(x)) for x in xs]))


def test_index_take_matches_jax():
    x = np.arange(24.0).reshape(2, 3, 4)
    idx = (np.array([0, 2, 1]), np.array([3, 0, 1]))
    same(mlax.lax.index_take(x, idx, (1, 2)), jax.lax.index_take(x, idx, (1, 2)))


def test_bad_dimension_numbers_raise_type_error():
    x = np.zeros((5, 3), np.float32)
    G = mlax.lax.GatherDimensionNumbers
    with pytest.raises(TypeError, match="start_index_map"):
        mlax.lax.gather(x, np.array([[0, 1]]), G((1,), (0,), (0,)), (1, 3))
    with pytest.raises(TypeError, match="collapse slice dims with bound 1"):
        mlax.lax.gather(x, np.array([[0]]), G((1,), (0,), (0,)), (2, 3))
    with pytest.raises(TypeError, match="integer"):
        mlax.lax.gather(x, np.array([[0.5]]), G((1,), (0,), (0,)), (1, 3))


def test_clamped_gather_feeding_a_contraction():
    """IREE 3.13 miscompiled its gather fused into a consuming contraction
    (a segfault under vmap, repeated rows under a sharded jit); the gather
    now sits behind a barrier."""
    import mlax.numpy as jnp
    from mlax import lax

    def body(x, y):
        xp = lax.concatenate([x, x[:2]], 0)
        idx = lax.add(
            lax.broadcasted_iota(np.int32, (4, 2), 0), lax.broadcasted_iota(np.int32, (4, 2), 1)
        )
        return jnp.matmul(xp[idx], jnp.flip(y))

    x = np.arange(9, dtype=np.float32).reshape(3, 3)
    y = np.array([1.0, 10.0], np.float32)
    want = np.stack(
        [np.concatenate([r, r[:2]])[np.add.outer(np.arange(4), np.arange(2))] @ y[::-1] for r in x]
    )
    got = mlax.jit(mlax.vmap(body, in_axes=(0, None)))(x, y)
    np.testing.assert_array_equal(np.asarray(got), want)


def test_clamped_gather_feeding_a_sharded_matmul():
    from multidevice import run_on_two_devices

    run_on_two_devices(
        """
        import numpy as np, mlax, mlax.numpy as jnp
        from mlax import lax
        from mlax.sharding import NamedSharding, PartitionSpec as P

        mesh = mlax.make_mesh((2,), ("x",))
        x = np.arange(6, dtype=np.float32)
        y = np.arange(4, dtype=np.float32) + 1
        idx = np.add.outer(np.arange(5), np.arange(4)).astype(np.int32) % 6

        def f(x, y):
            i = lax.add(lax.broadcasted_iota(np.int32, (5, 4), 0),
                        lax.broadcasted_iota(np.int32, (5, 4), 1))
            i = lax.rem(i, np.int32(6))
            return jnp.matmul(x[i], y)

        ys = mlax.device_put(y, NamedSharding(mesh, P("x")))
        got = mlax.jit(f)(x, ys)
        np.testing.assert_allclose(np.asarray(got), x[idx] @ y)
        print("ok")
        """
    )
