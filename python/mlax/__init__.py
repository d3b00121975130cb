"""mlax: JAX rebuilt as an MLIR compiler toolchain.

Python functions are traced into the `mlax` MLIR dialect; C++ passes
transform and lower it; IREE compiles it for the host CPU (and other
targets). The API mirrors JAX's.
"""

from . import (
    custom_derivatives,
    debug,
    distributed,
    dtypes,
    errors,
    experimental,
    export,
    flatten_util,
    image,
    lax,
    monitoring,
    nn,
    numpy,
    ops,
    profiler,
    random,
    scipy,
    sharding,
    tree,
    tree_util,
    typing,
    version,
)
from ._src.core import (
    ConcretizationTypeError,
    ShapedArray,
    ShapeDtypeStruct,
    TracerArrayConversionError,
)
from ._src.core.config import config
from ._src.core.dtypes_api import float0
from ._src.runtime import backends as _backends
from ._src.runtime.array import Array as _ArrayImpl
from ._src.runtime.array import PublicArray as Array
from ._src.runtime.array import Shard
from ._src.runtime.array import device_put_tree as device_put
from ._src.runtime.devices import Device
from ._src.runtime.devices import devices as _devices
from ._src.runtime.devices import local_devices as _local_devices
from ._src.runtime.distributed import process_count, process_index
from ._src.sharding import NamedSharding, make_mesh, set_mesh
from ._src.sharding import PartitionSpec as P
from ._src.transforms.api_extras import (
    check_tracer_leaks,
    checking_leaks,
    checkpoint_policies,
    closure_convert,
    copy_to_host_async,
    custom_gradient,
    debug_infs,
    debug_key_reuse,
    debug_nans,
    default_matmul_precision,
    default_prng_impl,
    effects_barrier,
    enable_checks,
    explain_cache_misses,
    host_count,
    host_ids,
    linear_transpose,
    live_arrays,
    log_compiles,
    make_array_from_callback,
    make_array_from_process_local_data,
    make_array_from_single_device_arrays,
    numpy_dtype_promotion,
    numpy_rank_promotion,
    print_environment_info,
    process_indices,
    threefry_partitionable,
    transfer_guard,
    transfer_guard_device_to_device,
    transfer_guard_device_to_host,
    transfer_guard_host_to_device,
)
from ._src.transforms.api_extras import host_id as _host_id
from ._src.transforms.api_misc import (
    clear_caches,
    default_device,
    disable_jit,
    enable_x64,
    ensure_compile_time_eval,
    named_call,
    named_scope,
    typeof,
)
from ._src.transforms.autodiff import checkpoint, grad, jvp, linearize, remat, value_and_grad, vjp
from ._src.transforms.batching import vmap
from ._src.transforms.callbacks import pure_callback
from ._src.transforms.custom_derivatives import custom_jvp, custom_vjp
from ._src.transforms.jacobians import hessian, jacfwd, jacobian, jacrev
from ._src.transforms.jaxpr import make_jaxpr
from ._src.transforms.jit import eval_shape, jit, make_mlir
from ._src.transforms.spmd import pmap, reshard, shard_map
from .version import __version__


def devices(backend=None):
    """Every device of `backend` (only "cpu" for now), of every process."""
    _backends.check_backend(backend)
    return list(_devices())


def local_devices(process_index=None, backend=None, host_id=None):
    """The devices this process (or `process_index`) runs."""
    _backends.check_backend(backend)
    if process_index is None:
        return list(_local_devices())
    return [d for d in _devices() if d.process_index == process_index]


def device_count(backend=None):
    return len(devices(backend))


def local_device_count(backend=None):
    return len(local_devices(backend=backend))


def default_backend():
    return _backends.default_backend()


def block_until_ready(x):
    return tree_util.tree_map(
        lambda a: a.block_until_ready() if hasattr(a, "block_until_ready") else a, x
    )


def device_get(x):
    import numpy as _np

    return tree_util.tree_map(lambda a: _np.asarray(a) if isinstance(a, _ArrayImpl) else a, x)


host_id = _host_id  # after local_devices, whose host_id argument shadows it

__all__ = [
    "Array",
    "ConcretizationTypeError",
    "Device",
    "ShapeDtypeStruct",
    "ShapedArray",
    "TracerArrayConversionError",
    "block_until_ready",
    "checkpoint",
    "clear_caches",
    "config",
    "custom_jvp",
    "custom_vjp",
    "debug",
    "default_backend",
    "default_device",
    "device_count",
    "device_get",
    "device_put",
    "devices",
    "disable_jit",
    "distributed",
    "dtypes",
    "enable_x64",
    "ensure_compile_time_eval",
    "errors",
    "eval_shape",
    "experimental",
    "export",
    "float0",
    "grad",
    "hessian",
    "jacfwd",
    "jacobian",
    "jacrev",
    "jit",
    "jvp",
    "lax",
    "linearize",
    "local_device_count",
    "local_devices",
    "make_mesh",
    "make_mlir",
    "named_call",
    "named_scope",
    "nn",
    "numpy",
    "ops",
    "pmap",
    "process_count",
    "process_index",
    "pure_callback",
    "random",
    "remat",
    "scipy",
    "set_mesh",
    "shard_map",
    "sharding",
    "tree",
    "tree_util",
    "typeof",
    "value_and_grad",
    "vjp",
    "vmap",
]
__all__ += [
    "NamedSharding",
    "P",
    "Shard",
    "__version__",
    "check_tracer_leaks",
    "checking_leaks",
    "checkpoint_policies",
    "closure_convert",
    "copy_to_host_async",
    "custom_derivatives",
    "custom_gradient",
    "debug_infs",
    "debug_key_reuse",
    "debug_nans",
    "default_matmul_precision",
    "default_prng_impl",
    "effects_barrier",
    "enable_checks",
    "explain_cache_misses",
    "host_count",
    "host_id",
    "host_ids",
    "linear_transpose",
    "live_arrays",
    "log_compiles",
    "make_array_from_callback",
    "make_array_from_process_local_data",
    "make_array_from_single_device_arrays",
    "make_jaxpr",
    "numpy_dtype_promotion",
    "numpy_rank_promotion",
    "print_environment_info",
    "process_indices",
    "reshard",
    "threefry_partitionable",
    "transfer_guard",
    "transfer_guard_device_to_device",
    "transfer_guard_device_to_host",
    "transfer_guard_host_to_device",
    "typing",
    "version",
]
