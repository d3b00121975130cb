"""pmap across processes: one device per MPI rank, collectives over MPI.

    mpiexec -n 2 python examples/pmap_mpi.py

Each process passes pmap its own devices' slice of the data (as in JAX's
multi-process pmap); psum adds across every process's devices. Rank 0
prints the gathered results, which equal the single-process run of the same
program on two devices (python examples/pmap_mpi.py --single).
"""

import sys

import numpy as np

import mlax

single = "--single" in sys.argv
if single:
    mlax.config.update("jax_num_cpu_devices", 2)
else:
    mlax.distributed.initialize()

from mlax import grad, lax, pmap  # noqa: E402
from mlax.experimental import multihost_utils  # noqa: E402
import mlax.numpy as jnp  # noqa: E402

n_global = mlax.device_count()
n_local = mlax.local_device_count()
rank = mlax.process_index()

# The global data; each process takes its devices' rows.
data = np.arange(n_global * 4, dtype=np.float32).reshape(n_global, 4)
mine = data[rank * n_local : (rank + 1) * n_local]

# 1. psum across every device of every process.
total = pmap(lambda x: lax.psum(x, "i"), axis_name="i")(mine)

# 2. A data-parallel gradient step of least squares: the mean gradient.
rng = np.random.default_rng(0)
x = rng.standard_normal((n_global * 8, 3)).astype(np.float32)
y = x @ np.array([1.0, -2.0, 0.5], np.float32)
w = np.zeros(3, np.float32)


def step(w, xb, yb):
    g = grad(lambda w: jnp.mean((xb @ w - yb) ** 2))(w)
    return w - 0.1 * lax.pmean(g, "batch")


xs = x.reshape(n_global, 8, 3)[rank * n_local : (rank + 1) * n_local]
ys = y.reshape(n_global, 8)[rank * n_local : (rank + 1) * n_local]
w1 = pmap(step, axis_name="batch", in_axes=(None, 0, 0))(w, xs, ys)
# A second step takes the first's result as it is: a global array whose
# blocks already sit on each process's devices.
w1 = pmap(step, axis_name="batch")(w1, xs, ys)

total_all = multihost_utils.process_allgather(total)
w1_all = multihost_utils.process_allgather(w1)
if rank == 0:
    print("psum:", np.asarray(total_all).reshape(n_global, 4)[0].tolist())
    print("step:", np.asarray(w1_all).reshape(n_global, 3)[0].round(6).tolist())
