"""First-call and new-shape latency, mlax next to JAX (issue 16).

    python bench/bench_latency.py

First calls: each workload runs in a fresh process with an empty mlax
cache (JAX has no persistent cache by default), timing the first call
(trace + compile + run). Eager new shapes: in one process per library,
each of 10 common ops is called once on a warm-up shape, then on 20 shapes
not seen before; the median per call is printed.
"""

import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

FIRST_CALLS = ["tiny", "matmul", "softmax", "mlp_forward", "mlp_grad", "mlp_vmap_grad"]
EAGER_OPS = [
    "add",
    "mul",
    "exp",
    "sum",
    "matmul",
    "reshape",
    "transpose",
    "where",
    "max",
    "concatenate",
]


def _mlp_params(np_rng, sizes=(784, 512, 512, 10)):
    return [
        (np_rng.standard_normal((m, n)).astype(np.float32) * 0.05, np.zeros(n, np.float32))
        for m, n in itertools.pairwise(sizes)
    ]


def first_call(lib, name):
    """Seconds of the first call of workload `name` under `lib`."""
    if lib == "mlax":
        import mlax as jax
        import mlax.numpy as jnp
    else:
        import jax
        import jax.numpy as jnp
    rng = np.random.default_rng(0)

    def mlp(params, x):
        for w, b in params[:-1]:
            x = jnp.tanh(x @ w + b)
        w, b = params[-1]
        return x @ w + b

    def loss(params, x, y):
        return jnp.mean((mlp(params, x) - y) ** 2)

    params = _mlp_params(rng)
    x = rng.standard_normal((128, 784)).astype(np.float32)
    y = rng.standard_normal((128, 10)).astype(np.float32)
    a = rng.standard_normal((1024, 1024)).astype(np.float32)
    if name == "tiny":
        f, args = jax.jit(lambda v: v + 1), (np.arange(4, dtype=np.float32),)
    elif name == "matmul":
        f, args = jax.jit(lambda p, q: p @ q), (a, a)
    elif name == "softmax":
        f, args = jax.jit(lambda v: jax.nn.softmax(v, axis=-1)), (a,)
    elif name == "mlp_forward":
        f, args = jax.jit(mlp), (params, x)
    elif name == "mlp_grad":
        f, args = jax.jit(jax.grad(loss)), (params, x, y)
    else:
        per_example = jax.vmap(jax.grad(loss), in_axes=(None, 0, 0))
        f, args = jax.jit(per_example), (params, x[:32, None], y[:32, None])
    t = time.perf_counter()
    jax.block_until_ready(f(*args))
    return time.perf_counter() - t


def _eager_call(jnp, name, x, y):
    if name == "add":
        return x + y
    if name == "mul":
        return x * y
    if name == "exp":
        return jnp.exp(x)
    if name == "sum":
        return jnp.sum(x, axis=0)
    if name == "matmul":
        return x @ y.T
    if name == "reshape":
        return x.reshape(-1)
    if name == "transpose":
        return x.T
    if name == "where":
        return jnp.where(x > 0, x, y)
    if name == "max":
        return jnp.max(x)
    return jnp.concatenate([x, y])


def eager_new_shapes(lib):
    """{op: (first call in the process, median over 20 new shapes)} seconds."""
    if lib == "mlax":
        import mlax as jax
        import mlax.numpy as jnp
    else:
        import jax
        import jax.numpy as jnp
    rng = np.random.default_rng(1)
    out = {}
    for k, name in enumerate(EAGER_OPS):
        x = jnp.asarray(rng.standard_normal((3, 5 + k)).astype(np.float32))
        t = time.perf_counter()
        jax.block_until_ready(_eager_call(jnp, name, x, x))
        first = time.perf_counter() - t
        times = []
        for i in range(20):
            shape = (4 + i, 40 + 3 * i + k)
            x = jnp.asarray(rng.standard_normal(shape).astype(np.float32))
            y = jnp.asarray(rng.standard_normal(shape).astype(np.float32))
            t = time.perf_counter()
            jax.block_until_ready(_eager_call(jnp, name, x, y))
            times.append(time.perf_counter() - t)
        out[name] = (first, statistics.median(times))
    return out


def _in_fresh_process(*args):
    env = dict(os.environ, MLAX_CACHE_DIR=tempfile.mkdtemp(prefix="mlax-bench-cache-"))
    env.setdefault("JAX_PLATFORMS", "cpu")
    out = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--first":
        print(json.dumps(first_call(sys.argv[2], sys.argv[3])))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--eager":
        print(json.dumps(eager_new_shapes(sys.argv[2])))
        return
    print("First call, empty cache (s)")
    print(f"{'workload':16} {'mlax':>8} {'jax':>8} {'jax/mlax':>9}")
    for name in FIRST_CALLS:
        m = _in_fresh_process("--first", "mlax", name)
        j = _in_fresh_process("--first", "jax", name)
        print(f"{name:16} {m:8.3f} {j:8.3f} {j / m:9.2f}")
    print("\nEager op: first call in a fresh process / median over 20 new shapes (ms)")
    m = _in_fresh_process("--eager", "mlax")
    j = _in_fresh_process("--eager", "jax")
    print(
        f"{'op':12} {'mlax first':>11} {'jax first':>10} {'mlax new':>9} {'jax new':>8} {'jax/mlax':>9}"
    )
    for name in EAGER_OPS:
        (mf, mn), (jf, jn) = m[name], j[name]
        print(
            f"{name:12} {mf * 1e3:11.1f} {jf * 1e3:10.1f} {mn * 1e3:9.2f} {jn * 1e3:8.2f} "
            f"{jn / mn:9.2f}"
        )


if __name__ == "__main__":
    main()
