"""SPMD: pmap and psum on several CPU devices, against one device, JAX and
raw MPI, in one run.

    python bench/bench_spmd.py [--quick] [--keep-cache]

Rows:
  1. The pmap seed program (normal 5000x6000 per key, x @ x.T, mean) on 2
     devices, against the same work on 1 device (each key in turn), and
     JAX with --xla_force_host_platform_device_count=2.
  2. A data-parallel MLP training step (784-512-512-10, global batch 256,
     pmean of the gradients) on 2 devices, against JAX's.
  3. psum of 64 MiB across 2 devices in this process, and across 2 MPI
     ranks (mpiexec -n 2, started from here) next to a raw mpi4py
     Allreduce of the same buffer.
Ratios >= 1 mean mlax is at least as fast. Nothing here is a test.
"""

import os
import subprocess
import sys

os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=2")

import numpy as np
from common import block, median, once, use_fresh_cache

QUICK = "--quick" in sys.argv
MPI_PART = "--mpi-part" in sys.argv
if not MPI_PART:
    use_fresh_cache()

import itertools

import mlax

PSUM_BYTES = 64 << 20


def seed(n_rows, n_cols, repeat):
    import jax
    import jax.numpy as jjnp
    import mlax.numpy as jnp
    from mlax import pmap, random

    keys = random.split(random.PRNGKey(0), 2)
    gen = pmap(lambda key: random.normal(key, (n_rows, n_cols)))
    mm = pmap(lambda x: jnp.dot(x, x.T))
    mean = pmap(jnp.mean)

    def two():
        return block(mean(mm(gen(keys))))

    def one_in_turn():
        return [block(mean(mm(gen(keys[i : i + 1])))) for i in range(2)]

    jkeys = jax.random.split(jax.random.PRNGKey(0), 2)
    jgen = jax.pmap(lambda key: jax.random.normal(key, (n_rows, n_cols)))
    jmm = jax.pmap(lambda x: jjnp.dot(x, x.T))
    jmean = jax.pmap(jjnp.mean)

    def jax_two():
        return block(jmean(jmm(jgen(jkeys))))

    out, first = once(two)
    t2 = median(two, repeat)
    t1 = median(one_in_turn, repeat)
    tj = median(jax_two, repeat)
    print(
        f"seed {n_rows}x{n_cols} per device (first call {first:.2f} s): means {np.asarray(out)}, "
        f"JAX {np.asarray(jax_two())}"
    )
    print(
        f"  2 devices {t2:7.3f} s   1 device (keys in turn) {t1:7.3f} s   "
        f"speed-up {t1 / t2:5.2f}x   JAX 2 devices {tj:7.3f} s   JAX/mlax {tj / t2:5.2f}"
    )


def mlp_step(repeat):
    import jax
    import jax.numpy as jjnp
    import mlax.numpy as jnp
    from mlax import grad, lax, pmap

    sizes = (784, 512, 512, 10)
    rng = np.random.default_rng(0)
    params = [
        (rng.standard_normal((m, k)).astype(np.float32) * np.sqrt(2 / m), np.zeros(k, np.float32))
        for m, k in itertools.pairwise(sizes)
    ]
    x = rng.standard_normal((2, 128, 784)).astype(np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, (2, 128))]

    def make(np_, lax_, grad_):
        def loss(p, x, y):
            h = x
            for w, b in p[:-1]:
                h = np_.maximum(h @ w + b, 0.0)
            logits = h @ p[-1][0] + p[-1][1]
            m = logits.max(1, keepdims=True)
            logp = logits - m - np_.log(np_.sum(np_.exp(logits - m), 1, keepdims=True))
            return -np_.mean(np_.sum(logp * y, 1))

        def step(p, x, y):
            g = lax_.pmean(grad_(loss)(p, x, y), "batch")
            return [(w - 0.01 * gw, b - 0.01 * gb) for (w, b), (gw, gb) in zip(p, g)]

        return step

    f = pmap(make(jnp, lax, grad), axis_name="batch")
    g = jax.pmap(make(jjnp, jax.lax, jax.grad), axis_name="batch")
    rep = [(np.stack([w, w]), np.stack([b, b])) for w, b in params]
    # Replicated parameters stay on the devices between steps, as in training.
    p_m = f(rep, x, y)
    p_j = g(rep, x, y)
    t_m = median(lambda: block(f(p_m, x, y)), repeat)
    t_j = median(lambda: block(g(p_j, x, y)), repeat)
    print(
        f"data-parallel MLP step 784-512-512-10, batch 256 on 2 devices: mlax {t_m * 1e3:7.2f} ms"
        f"   JAX {t_j * 1e3:7.2f} ms   JAX/mlax {t_j / t_m:5.2f}"
    )


def psum_in_process(repeat):
    from mlax import lax, pmap

    n = PSUM_BYTES // 4
    x = np.ones((2, n), np.float32)
    f = pmap(lambda v: lax.psum(v, "i"), axis_name="i")
    xs = f(x)  # device-resident input
    t = median(lambda: block(f(xs)), repeat)
    print(
        f"psum 64 MiB, 2 devices in one process: {t * 1e3:7.2f} ms  "
        f"({PSUM_BYTES / t / 1e9:5.2f} GB/s per device)"
    )


def psum_mpi(repeat):
    """Run under mpiexec -n 2: mlax's psum and mpi4py's Allreduce."""
    mlax.distributed.initialize()
    from mlax import lax, pmap
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    n = PSUM_BYTES // 4
    buf = np.ones(n, np.float32)
    out = np.empty_like(buf)
    t_raw = median(lambda: comm.Allreduce(buf, out, op=MPI.SUM), repeat)
    f = pmap(lambda v: lax.psum(v, "i"), axis_name="i")
    xs = f(np.ones((1, n), np.float32))
    t_m = median(lambda: block(f(xs)), repeat)
    if comm.Get_rank() == 0:
        print(
            f"psum 64 MiB across 2 MPI ranks: mlax {t_m * 1e3:7.2f} ms "
            f"({PSUM_BYTES / t_m / 1e9:5.2f} GB/s)   raw mpi4py Allreduce {t_raw * 1e3:7.2f} ms "
            f"({PSUM_BYTES / t_raw / 1e9:5.2f} GB/s)   raw/mlax {t_raw / t_m:5.2f}"
        )


def main():
    repeat = 3 if QUICK else 5
    if MPI_PART:
        psum_mpi(repeat)
        return
    mlax.config.update("jax_num_cpu_devices", 2)
    import jax

    print(f"mlax {mlax.__version__}, JAX {jax.__version__}, {os.cpu_count()} cores\n")
    seed(1000, 1200, repeat) if QUICK else seed(5000, 6000, repeat)
    mlp_step(repeat * 4)
    psum_in_process(repeat * 2)
    mpiexec = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    env = dict(os.environ)
    env.pop("MLAX_NUM_CPU_DEVICES", None)
    proc = subprocess.run(
        [mpiexec, "-n", "2", sys.executable, __file__, "--mpi-part", "--keep-cache"]
        + (["--quick"] if QUICK else []),
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    print(proc.stdout.strip() or proc.stderr.strip())


if __name__ == "__main__":
    main()
