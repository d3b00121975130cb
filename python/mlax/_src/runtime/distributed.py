"""Several processes as one mesh, over MPI (mlax.distributed).

`initialize()` reads the rank and size from the MPI launcher (mpiexec):
every process then lists every process's devices (`devices()`), runs its
own (`local_devices()`), and the collectives of SPMD modules reach the
other processes through MPI (runtime.spmd.MpiRendezvous). MPI comes from
PyPI: mpi4py with the mpich wheel (`pip install mlax[mpi]`).
"""

import os

import numpy as np

from ..core import user_error
from . import devices as devices_mod

_state = {"comm": None}


def initialize(
    coordinator_address=None, num_processes=None, process_id=None, local_device_ids=None, **_unused
):
    """Joins the processes started by the MPI launcher (JAX's signature;
    the addresses are MPI's business, so they are only checked)."""
    if _state["comm"] is not None:
        raise user_error(RuntimeError, "mlax.distributed.initialize should only be called once.")
    try:
        from mpi4py import MPI  # MPI_Init reads the launcher's PMI_* variables
    except ImportError:
        raise user_error(
            ImportError,
            "mlax.distributed needs mpi4py and an MPI library: pip install 'mlax[mpi]' "
            "(mpi4py and the mpich wheel)",
        ) from None
    comm = MPI.COMM_WORLD
    # With MPI up, drop them: IREE would try to set up its own MPI channel
    # from them when its devices are created, and fail.
    for key in list(os.environ):
        if key.startswith(("PMI_", "OMPI_COMM_WORLD_")):
            os.environ.pop(key)
    rank, size = comm.Get_rank(), comm.Get_size()
    if num_processes is not None and num_processes != size:
        raise user_error(
            ValueError, f"num_processes={num_processes} but the MPI launcher started {size}"
        )
    if process_id is not None and process_id != rank:
        raise user_error(ValueError, f"process_id={process_id} but the MPI rank is {rank}")
    _state["comm"] = comm
    devices_mod.process_layout[:] = [rank, size]


def is_initialized():
    return _state["comm"] is not None


def shutdown():
    _state["comm"] = None
    devices_mod.process_layout[:] = [0, 1]


def process_index():
    return devices_mod.process_layout[0]


def process_count():
    return devices_mod.process_layout[1]


def comm():
    return _state["comm"]


def rendezvous_factory(mesh):
    from .spmd import MpiRendezvous

    flat = list(mesh.devices.flat)
    by_process = [[] for _ in range(process_count())]
    for pos, d in enumerate(flat):
        by_process[d.process_index].append(pos)
    counts = {len(p) for p in by_process}
    if len(counts) != 1:
        raise user_error(
            ValueError,
            f"a mesh over several processes needs the same number of devices from each, got "
            f"{[len(p) for p in by_process]}",
        )

    def make(positions, num_devices):
        return MpiRendezvous(positions, num_devices, _state["comm"], by_process)

    return make


def globalize_pmap_inputs(args, in_axes):
    """Each process's pmap arguments hold its local devices' slices along
    the mapped axis; gathers the global arrays so every process sees the
    same program input (only its own slices are then put on devices)."""
    from ..core import tree_util
    from .array import Array

    comm_ = _state["comm"]
    leaves, tree = tree_util.tree_flatten(args)
    try:
        axes = tree_util.flatten_prefix(in_axes, tuple(args), "pmap in_axes")
    except ValueError:
        return args
    out = []
    for leaf, ax in zip(leaves, axes):
        if ax is None or (isinstance(leaf, Array) and not leaf.is_fully_addressable):
            # Already global (e.g. an earlier pmap's result): used as it is.
            out.append(leaf)
            continue
        value = np.asarray(leaf._value() if isinstance(leaf, Array) else leaf)
        parts = comm_.allgather(value)
        out.append(np.concatenate(parts, axis=ax))
    return tree.unflatten(out)


__all__ = [
    "comm",
    "initialize",
    "is_initialized",
    "process_count",
    "process_index",
    "shutdown",
]
