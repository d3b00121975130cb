"""jax.experimental.mesh_utils: device grids for `Mesh`.

mlax's devices (host CPUs, one IREE device each) have no network topology,
so a mesh is the devices in id order, reshaped, as JAX does for CPUs.
"""

import math
from collections import defaultdict

import numpy as np

from ..core import user_error


def _all_devices():
    from ..core import hooks

    return hooks.all_devices()


def _canonical_shape(mesh_shape, name):
    try:
        shape = tuple(int(s) for s in mesh_shape)
    except (TypeError, ValueError):
        shape = None
    if shape is None or any(s != d for s, d in zip(shape, mesh_shape, strict=True)):
        raise user_error(
            ValueError,
            f"`mesh_shape` passed to `{name}` should be a sequence of ints. Got {mesh_shape}",
        )
    return shape


def create_device_mesh(
    mesh_shape, devices=None, *, contiguous_submeshes=False, allow_split_physical_axes=False
):
    """The devices (default: all of them) laid out in `mesh_shape`, for
    `mlax.sharding.Mesh`; their number must equal the shape's product."""
    if devices is None:
        devices = _all_devices()
    shape = _canonical_shape(mesh_shape, "create_device_mesh")
    if math.prod(shape) != len(devices):
        raise user_error(
            ValueError,
            f"Number of devices {len(devices)} must equal the product of mesh_shape {shape}",
        )
    grid = np.empty(len(devices), dtype=object)
    for i, d in enumerate(devices):
        grid[i] = d
    return grid.reshape(shape)


def create_hybrid_device_mesh(
    mesh_shape,
    dcn_mesh_shape,
    devices=None,
    *,
    process_is_granule=False,
    should_sort_granules_by_key=True,
    allow_split_physical_axes=False,
):
    """A mesh of `dcn_mesh_shape` granules (processes, or slices: one per
    process here), each laid out in `mesh_shape`; the result's shape is
    their elementwise product."""
    if devices is None:
        devices = _all_devices()
    attr = "process_index" if process_is_granule else "slice_index"
    granules = defaultdict(list)
    for d in devices:
        granules[getattr(d, attr, getattr(d, "process_index", 0))].append(d)
    keys = sorted(granules) if should_sort_granules_by_key else list(granules)
    if math.prod(dcn_mesh_shape) != len(keys):
        raise user_error(
            ValueError,
            f"Number of slices {len(keys)} must equal the product of "
            f"dcn_mesh_shape {dcn_mesh_shape}",
        )
    meshes = [create_device_mesh(mesh_shape, granules[k]) for k in keys]
    order = np.arange(len(keys)).reshape(tuple(dcn_mesh_shape))
    blocks = np.empty(order.shape, dtype=object)
    for index in np.ndindex(order.shape):
        blocks[index] = meshes[order[index]]
    return np.block(blocks.tolist())
