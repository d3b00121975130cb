"""More of jax's top-level namespace: linear_transpose, custom_gradient,
closure_convert, the checkpoint policies,
the config switches that JAX programs set as context managers (over
mlax.config; docs/config.md), the host/process helpers, the
make_array_from_* constructors, live_arrays and print_environment_info."""

import contextlib
import gc
import platform
import sys
import types

import numpy as np

from ..core import Tracer, current_trace, tree_util, user_error
from ..core.config import config
from ..runtime.array import Array, device_put, put_sharded
from ..runtime.backends import check_backend
from ..runtime.devices import devices as all_devices
from ..runtime.devices import local_devices
from ..runtime.distributed import process_count, process_index
from ..sharding import NamedSharding, SingleDeviceSharding
from .autodiff import vjp
from .callee import _Bound, _call_marked, _trace_callee
from .custom_derivatives import custom_vjp
from .jit import jit

# ---------------------------------------------------------------------------
# Transformations
# ---------------------------------------------------------------------------


def linear_transpose(fun, *primals, reduce_axes=()):
    """The transpose of the linear function `fun` (primals: example inputs,
    only their shapes and dtypes matter): a function from an output
    cotangent to the tuple of input cotangents, built from fun's VJP at zero
    (a linear function's VJP does not depend on the point)."""
    del reduce_axes
    leaves, tree = tree_util.tree_flatten(primals)
    zeros = [np.zeros(np.shape(x), getattr(x, "dtype", np.float32)) for x in leaves]
    _, pullback = vjp(fun, *tree_util.tree_unflatten(tree, zeros))

    def transposed(out_cotangent):
        return tuple(pullback(out_cotangent))

    return transposed


def custom_gradient(fun):
    """jax.custom_gradient: fun(*args) returns (value, vjp) with vjp(g) the
    tuple of argument cotangents. The backward pass calls fun again on the
    saved arguments to get vjp (its closure is recomputed, not stored)."""

    @custom_vjp
    def wrapped(*args):
        return fun(*args)[0]

    def forward(*args):
        return fun(*args)[0], args

    def backward(args, g):
        cts = fun(*args)[1](g)
        return tuple(cts) if isinstance(cts, (tuple, list)) else (cts,)

    wrapped.defvjp(forward, backward)
    return wrapped


def closure_convert(fun, *example_args):
    """(converted, consts): `converted(*args, *consts)` computes fun(*args),
    the traced arrays fun closes over taken from the trailing `consts`
    (so that a custom_vjp/custom_jvp can take them as arguments and
    differentiate them). Outside a trace there is nothing to hoist:
    (fun under jit, []), which returns arrays as JAX's converted jaxpr does."""
    if current_trace() is None:
        return jit(fun), []
    leaves, in_tree = tree_util.tree_flatten((example_args, {}))
    _, probe, _, _ = _trace_callee(fun, leaves, in_tree, "closure_convert")
    closed = [c for c in probe.captured if isinstance(c, Tracer)]
    if not closed:
        return fun, []
    n_consts = len(closed)

    def converted(*args):
        args, consts = args[:-n_consts], args[-n_consts:]
        arg_leaves, arg_tree = tree_util.tree_flatten((tuple(args), {}))
        parent, child, out_avals, out_tree = _trace_callee(
            fun, arg_leaves + [_Bound(c) for c in closed], arg_tree, "closure_converted"
        )
        return _call_marked(parent, child, arg_leaves + list(consts), out_avals, out_tree)

    return converted, closed


# ---------------------------------------------------------------------------
# Checkpoint policies: accepted by mlax.checkpoint, which recomputes everything
# ---------------------------------------------------------------------------


def _policy(name, saves):
    def policy(prim, *avals, **params):
        return saves

    policy.__name__ = policy.__qualname__ = name
    return policy


def _named_policy(name):
    def make(*names, **kwargs):
        return _policy(f"{name}({', '.join(map(str, names))})", False)

    make.__name__ = name
    return make


def _save_from_both_policies(policy_1, policy_2):
    return _policy("save_from_both_policies", False)


checkpoint_policies = types.SimpleNamespace(
    everything_saveable=_policy("everything_saveable", True),
    nothing_saveable=_policy("nothing_saveable", False),
    dots_saveable=_policy("dots_saveable", False),
    checkpoint_dots=_policy("checkpoint_dots", False),
    dots_with_no_batch_dims_saveable=_policy("dots_with_no_batch_dims_saveable", False),
    checkpoint_dots_with_no_batch_dims=_policy("checkpoint_dots_with_no_batch_dims", False),
    offload_dot_with_no_batch_dims=_named_policy("offload_dot_with_no_batch_dims"),
    save_anything_except_these_names=_named_policy("save_anything_except_these_names"),
    save_any_names_but_these=_named_policy("save_any_names_but_these"),
    save_only_these_names=_named_policy("save_only_these_names"),
    save_from_both_policies=_save_from_both_policies,
    save_and_offload_only_these_names=_named_policy("save_and_offload_only_these_names"),
)


# ---------------------------------------------------------------------------
# Config switches: jax.<name>.value, and jax.<name>(new_value) as a context
# ---------------------------------------------------------------------------


class ConfigSwitch:
    """A JAX config state, `jax.<name>`: `.value` reads the option
    `jax_<name>` of mlax.config, and calling it sets the option for a
    `with` block (docs/config.md says which options mlax acts on)."""

    def __init__(self, name):
        self._name = name
        self._option = "jax_" + name

    @property
    def value(self):
        return getattr(config, self._option)

    @contextlib.contextmanager
    def __call__(self, new_val=True):
        previous = self.value
        config.update(self._option, new_val)
        try:
            yield
        finally:
            config.update(self._option, previous)

    def __bool__(self):
        return bool(self.value)

    def __repr__(self):
        return f"<config state {self._name}={self.value!r}>"


debug_nans = ConfigSwitch("debug_nans")
debug_infs = ConfigSwitch("debug_infs")
log_compiles = ConfigSwitch("log_compiles")
enable_checks = ConfigSwitch("enable_checks")
default_matmul_precision = ConfigSwitch("default_matmul_precision")
numpy_rank_promotion = ConfigSwitch("numpy_rank_promotion")
numpy_dtype_promotion = ConfigSwitch("numpy_dtype_promotion")
default_prng_impl = ConfigSwitch("default_prng_impl")
transfer_guard_host_to_device = ConfigSwitch("transfer_guard_host_to_device")
transfer_guard_device_to_device = ConfigSwitch("transfer_guard_device_to_device")
transfer_guard_device_to_host = ConfigSwitch("transfer_guard_device_to_host")


@contextlib.contextmanager
def transfer_guard(new_val):
    """All three transfer guards at once (accepted; mlax does not guard)."""
    with (
        transfer_guard_host_to_device(new_val),
        transfer_guard_device_to_device(new_val),
        transfer_guard_device_to_host(new_val),
    ):
        yield


@contextlib.contextmanager
def checking_leaks():
    """Accepted: mlax does not check for leaked tracers."""
    yield


# ---------------------------------------------------------------------------
# Hosts, processes, arrays
# ---------------------------------------------------------------------------


def host_count(backend=None):
    check_backend(backend)
    return process_count()


def host_id(backend=None):
    check_backend(backend)
    return process_index()


def process_indices(backend=None):
    check_backend(backend)
    return list(range(process_count()))


host_ids = process_indices


def _put(value, sharding):
    if isinstance(sharding, NamedSharding):
        return put_sharded(value, sharding)
    if isinstance(sharding, SingleDeviceSharding):
        return device_put(value, sharding.device)
    raise user_error(
        TypeError, f"expected a NamedSharding or SingleDeviceSharding, got {sharding!r}"
    )


def _index_map(sharding, shape):
    if isinstance(sharding, SingleDeviceSharding):
        return {sharding.device: tuple(slice(None) for _ in shape)}
    return sharding.devices_indices_map(tuple(shape))


def make_array_from_callback(shape, sharding, data_callback, dtype=None):
    """An array of `shape` whose blocks data_callback(index) gives, one call
    per block of `sharding` (replicated blocks are fetched once)."""
    shape = tuple(shape)
    out, done = None, set()
    for index in _index_map(sharding, shape).values():
        key = tuple((s.start, s.stop, s.step) for s in index)
        if key in done:
            continue
        done.add(key)
        block = np.asarray(data_callback(index))
        if out is None:
            out = np.empty(shape, dtype or block.dtype)
        out[index] = block
    if out is None:
        out = np.empty(shape, dtype or np.float32)
    return _put(out, sharding)


def make_array_from_single_device_arrays(shape, sharding, arrays, *, dtype=None):
    """A global array from one array per device (each on its device, holding
    that device's block of `sharding`)."""
    shape = tuple(shape)
    index_of = _index_map(sharding, shape)
    arrays = list(arrays)
    if dtype is None:
        if not arrays:
            raise user_error(
                ValueError, "make_array_from_single_device_arrays: no arrays and no dtype"
            )
        dtype = arrays[0].dtype
    out = np.empty(shape, dtype)
    for a in arrays:
        devices = a.devices() if hasattr(a, "devices") else set()
        device = next(iter(devices)) if len(devices) == 1 else None
        if device not in index_of:
            raise user_error(
                ValueError,
                f"make_array_from_single_device_arrays: an array on {device} is not on a device "
                f"of the sharding {sharding}",
            )
        out[index_of[device]] = np.asarray(a)
    return _put(out, sharding)


def make_array_from_process_local_data(sharding, local_data, global_shape=None):
    """One process: the local data is the global array."""
    local_data = np.asarray(local_data)
    if global_shape is not None and tuple(global_shape) != local_data.shape:
        raise user_error(
            ValueError,
            f"make_array_from_process_local_data: global_shape {tuple(global_shape)} differs "
            f"from the local data's shape {local_data.shape} in a single-process run",
        )
    return _put(local_data, sharding)


def live_arrays(platform=None):
    """The mlax.Arrays alive now (found through the garbage collector)."""
    check_backend(platform)
    return [o for o in gc.get_objects() if isinstance(o, Array)]


def print_environment_info(return_string=False):
    lines = [
        f"mlax:    {getattr(sys.modules.get('mlax'), '__version__', '?')}",
        f"numpy:  {np.__version__}",
        f"python: {sys.version}",
        f"device info: cpu-{len(all_devices())}, {len(local_devices())} local devices",
        f"process_count: {process_count()}",
        f"platform: {platform.uname()}",
    ]
    text = "\n".join(lines) + "\n"
    if return_string:
        return text
    print(text)
    return None


check_tracer_leaks = ConfigSwitch("check_tracer_leaks")
explain_cache_misses = ConfigSwitch("explain_cache_misses")
debug_key_reuse = ConfigSwitch("debug_key_reuse")
# mlax's random bits are JAX's partitionable threefry ones (the 0.10 default).
threefry_partitionable = ConfigSwitch("threefry_partitionable")


def effects_barrier():
    """Nothing to wait for: mlax's callbacks run before their call returns."""


def copy_to_host_async(x):
    """Starts copying every array leaf of x to the host (done at once)."""
    for leaf in tree_util.tree_leaves(x):
        if isinstance(leaf, Array):
            leaf.copy_to_host_async()
    return x
