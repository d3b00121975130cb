"""Running one partitioned (per-device) module on every device of a mesh.

Each local device loads the module into its own VM context on its
`local-sync` HAL device and runs it on its own thread (the GIL is released
inside IREE), so N devices use N cores. IREE's CPU devices cannot run
collectives, so mlax-lower-collectives turned each one into a call of an
import `mlaxcoll.cN`; this module serves those imports from the host: the
devices of this process meet at a barrier and read each other's operands
(zero-copy views of device memory); under mlax.distributed the processes
exchange through MPI. Each device's mesh coordinates are stored once into
the module's `mlax_mesh_coordinates` global (axis_index reads it).
"""

import atexit
import gc
import queue
import threading
import weakref

import numpy as np

from ..core import dtypes
from . import callbacks
from .devices import _STORAGE_VIEW, hal_element_type, release_devices, runtime

# ---------------------------------------------------------------------------
# One worker thread per device
# ---------------------------------------------------------------------------


_workers = []
_workers_started = [False]


class _Worker:
    def __init__(self, name):
        self._tasks = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()
        _workers.append(self)
        _workers_started[0] = True

    def stop(self):
        self._tasks.put(None)
        self._thread.join(timeout=5)

    def _loop(self):
        while True:
            task = self._tasks.get()
            if task is None:
                return
            fn, done, box = task
            del task
            try:
                box.append((True, fn()))
            except BaseException as e:  # noqa: BLE001 - handed to the caller
                box.append((False, e))
            done.set()
            # A daemon thread is never torn down: hold no IREE object
            # between tasks (they would outlive the runtime at exit).
            del fn, done, box

    def submit(self, fn):
        done, box = threading.Event(), []
        self._tasks.put((fn, done, box))
        return done, box


_executables = weakref.WeakSet()


@atexit.register
def _release_at_exit():
    # IREE keeps per-thread state that refers to the contexts a thread ran;
    # it is freed when the thread ends, which a daemon thread never does.
    for w in _workers:
        w.stop()
    _workers.clear()
    # A host module and its Python interface refer to each other from C++,
    # where the garbage collector cannot see: drop both explicitly.
    for executable in list(_executables):
        executable.release()
    if _executables or _workers_started[0]:
        # What is still alive (a script's arrays, cached executables) holds
        # IREE objects that must go while IREE's module is still there.
        from .array import Array, ShardedArray
        from .executable import Executable

        for obj in gc.get_objects():
            if isinstance(obj, ShardedArray):
                obj._shards = {}
                obj._gathered = None
            elif isinstance(obj, Array):
                obj._bv = None
            elif isinstance(obj, Executable):
                obj._contexts = [None, None]
                obj._module = obj._fn = None
        gc.collect()
        release_devices()


def _worker(device):
    if device._worker is None:
        device._worker = _Worker(f"mlax-{device}")
    return device._worker


def run_on_devices(devices, fns, on_error=None):
    """Runs fns[i] on devices[i]'s thread; returns their results. If one
    raises, `on_error()` runs (to free the others from a rendezvous) and
    the first exception is re-raised. (The calling thread runs none: IREE
    keeps per-thread references to the contexts a thread invoked, freed
    only when the thread ends, and this one may live until exit.)"""
    pending = [_worker(d).submit(f) for d, f in zip(devices, fns)]
    results, first_error = [None] * len(fns), None
    for i, (done, box) in enumerate(pending):
        while not done.wait(0.5):
            pass
        ok, value = box[0]
        if ok:
            results[i] = value
        elif first_error is None:
            first_error = value
            if on_error is not None:
                on_error()
    if first_error is not None:
        raise first_error
    return results


# ---------------------------------------------------------------------------
# Rendezvous: every device's operand, by mesh position
# ---------------------------------------------------------------------------


class LocalRendezvous:
    """The devices of one process meet here: `exchange` returns every
    device's array (views, valid until `release`)."""

    def __init__(self, positions, num_devices):
        self.positions = positions  # mesh position of each local device
        self.num_devices = num_devices
        self.slots = [None] * num_devices
        self.barrier = threading.Barrier(len(positions))

    def exchange(self, position, array):
        self.slots[position] = array
        self.barrier.wait()
        return self.slots

    def release(self, position):
        self.barrier.wait()
        self.slots[position] = None  # the views pin device memory

    def abort(self):
        self.barrier.abort()

    def reset(self):
        self.barrier = threading.Barrier(len(self.positions))


class MpiRendezvous(LocalRendezvous):
    """Local devices meet at a barrier; the first of them exchanges the
    process's operands with the other processes through MPI Allgather."""

    def __init__(self, positions, num_devices, comm, positions_by_process):
        super().__init__(positions, num_devices)
        self.comm = comm
        self.positions_by_process = positions_by_process
        self._received = None

    def exchange(self, position, array):
        self.slots[position] = array
        self.barrier.wait()
        if position == self.positions[0]:
            local = np.stack([np.ascontiguousarray(self.slots[p]) for p in self.positions])
            gathered = np.empty((self.comm.Get_size(),) + local.shape, local.dtype)
            self.comm.Allgather(_mpi_buffer(local), _mpi_buffer(gathered))
            for rank, positions in enumerate(self.positions_by_process):
                for j, p in enumerate(positions):
                    self.slots[p] = gathered[rank, j]
        self.barrier.wait()
        return self.slots

    def allreduce_sum(self, position, array, op):
        """The whole mesh's reduction, with one MPI Allreduce per process."""
        self.slots[position] = array
        self.barrier.wait()
        if position == self.positions[0]:
            local = (
                op.reduce([self.slots[p] for p in self.positions])
                if len(self.positions) > 1
                else np.ascontiguousarray(array)
            )
            out = np.empty_like(local)
            self.comm.Allreduce(_mpi_buffer(local), _mpi_buffer(out), op=_mpi_op(op))
            self._received = out
        self.barrier.wait()
        return self._received


def _mpi_buffer(a):
    view = _STORAGE_VIEW.get(a.dtype)
    if view is not None:
        return a.view(view)
    if a.dtype == np.float16:
        return a.view(np.uint16)  # only ever moved, not reduced, as raw bits
    return a


class _Reduction:
    def __init__(self, name, ufunc):
        self.name = name
        self.ufunc = ufunc

    def reduce(self, arrays):
        out = np.array(arrays[0], copy=True)
        for a in arrays[1:]:
            self.ufunc(out, a, out=out)
        return out


_REDUCTIONS = {
    "sum": _Reduction("sum", np.add),
    "max": _Reduction("max", np.maximum),
    "min": _Reduction("min", np.minimum),
    "and": _Reduction("and", np.bitwise_and),
    "or": _Reduction("or", np.bitwise_or),
}


def _mpi_op(reduction):
    from mpi4py import MPI

    return {"sum": MPI.SUM, "max": MPI.MAX, "min": MPI.MIN, "and": MPI.BAND, "or": MPI.BOR}[
        reduction.name
    ]


# ---------------------------------------------------------------------------
# The collectives, computed from every device's operand
# ---------------------------------------------------------------------------


class CollectiveSpec:
    """What one `mlaxcoll.cN` import does (from its mlax.collective
    attribute), and each mesh position's group of devices."""

    def __init__(self, attrs, mesh_axes, mesh_shape):
        self.kind = attrs["kind"]
        self.axes = list(attrs["axis_names"])
        self.dtype = attrs["dtype"]
        self.in_shape = attrs["in_shape"]
        self.out_shape = attrs["out_shape"]
        self.reduction = _REDUCTIONS[attrs.get("reduction", "sum")]
        self.dimension = attrs.get("dimension")
        self.tiled = attrs.get("tiled")
        self.split = attrs.get("split_dimension")
        self.concat = attrs.get("concat_dimension")
        pairs = attrs.get("pairs", ())
        self.source_of = {int(d): int(s) for s, d in zip(pairs[0::2], pairs[1::2])}
        # Group members (mesh positions in rank order) and rank, by position.
        coords = list(np.ndindex(*mesh_shape))
        axis_ids = [list(mesh_axes).index(a) for a in self.axes]
        others = [k for k in range(len(mesh_shape)) if k not in axis_ids]
        groups = {}
        for pos, c in enumerate(coords):
            key = tuple(c[k] for k in others)
            rank = 0
            for k in axis_ids:
                rank = rank * mesh_shape[k] + c[k]
            groups.setdefault(key, {})[rank] = pos
        self.members, self.rank = {}, {}
        for pos, c in enumerate(coords):
            group = groups[tuple(c[k] for k in others)]
            self.members[pos] = [group[r] for r in range(len(group))]
        for group in groups.values():
            for r, pos in group.items():
                self.rank[pos] = r
        self.whole_mesh = len(axis_ids) == len(mesh_shape)

    def compute(self, position, arrays):
        members = [arrays[p] for p in self.members[position]]
        rank = self.rank[position]
        n = len(members)
        kind = self.kind
        if kind == "psum":
            return self.reduction.reduce(members)
        if kind == "all_gather":
            if self.tiled:
                return np.concatenate(members, axis=self.dimension)
            return np.stack(members, axis=self.dimension)
        if kind == "psum_scatter":
            total = self.reduction.reduce(members)
            if self.tiled:
                size = total.shape[self.dimension] // n
                return np.take(total, range(rank * size, (rank + 1) * size), axis=self.dimension)
            return np.take(total, rank, axis=self.dimension)
        if kind == "all_to_all":
            chunks = [np.array_split(m, n, axis=self.split)[rank] for m in members]
            return np.concatenate(chunks, axis=self.concat)
        if kind == "ppermute":
            source = self.source_of.get(rank)
            if source is None:
                return np.zeros(self.out_shape, self.dtype)
            return np.array(members[source], copy=True)
        raise NotImplementedError(f"collective {kind}")


# ---------------------------------------------------------------------------
# The executable
# ---------------------------------------------------------------------------


def _read(bv, shape, dtype):
    view = _STORAGE_VIEW.get(dtype)
    raw = bv.map().asarray(shape, np.dtype(view if view else dtype))
    if view is None:
        return raw
    return raw.view(dtype) if dtype != dtypes.bool_ else raw.astype(np.bool_)


class SpmdExecutable:
    """A partitioned module loaded on every local device of a mesh."""

    def __init__(
        self,
        vmfb,
        mesh,
        name,
        out_avals_by_position,
        collectives,
        rendezvous_factory,
        imports=None,
        mutated=(),
    ):
        """imports: the host callbacks the module calls (callbacks.take_imports);
        every device serves them (see callbacks.host_module for debug callbacks).
        mutated: the arguments the module may write in place, passed as
        copies (compiler.written_arguments)."""
        rt = runtime()
        self.mesh = mesh
        self._mutated = mutated
        flat = list(mesh.devices.flat)
        self.positions = [p for p, d in enumerate(flat) if getattr(d, "is_local", True)]
        self.devices = [flat[p] for p in self.positions]
        self.out_avals = out_avals_by_position
        self.rendezvous = rendezvous_factory(self.positions, len(flat))
        specs = {
            n: CollectiveSpec(a, mesh.axis_names, mesh.devices.shape)
            for n, a in collectives.items()
        }
        self._contexts = []
        coords = list(np.ndindex(*mesh.devices.shape))
        for position, device in zip(self.positions, self.devices):
            device._init()
            sync = device._hal[0]
            module = rt.VmModule.copy_buffer(device._instance, vmfb)
            modules = [device._hal_modules[0]]
            if specs:
                modules.append(self._host_module(specs, position, sync))
            self._imports = imports or {}
            if self._imports:
                iface, host = callbacks.host_module(
                    self._imports, device, first_device=position == self.positions[0]
                )
                self._ifaces = getattr(self, "_ifaces", []) + [iface]
                modules.append(host)
            modules.append(module)
            ctx = rt.VmContext(device._instance, modules)
            setter = module.lookup_function("mlax_set_mesh_coordinates")
            if setter is not None:
                c = np.asarray(coords[position], dtype=np.int32).reshape(len(coords[position]))
                args = rt.VmVariantList(1)
                args.push_ref(device.put(c))
                ctx.invoke(setter, args, rt.VmVariantList(0))
            self._contexts.append((ctx, module.lookup_function(name), module))
        _executables.add(self)

    def release(self):
        """Drops the contexts and host modules (at exit, before IREE goes)."""
        self._contexts = []
        self._ifaces = []

    def _host_module(self, specs, position, hal_device):
        rt = runtime()
        rendezvous = self.rendezvous

        def serve(spec):
            def call(self_, ref):
                x = _read(ref.deref(rt.HalBufferView), spec.in_shape, spec.dtype)
                try:
                    if (
                        spec.kind == "psum"
                        and spec.whole_mesh
                        and isinstance(rendezvous, MpiRendezvous)
                        and spec.dtype not in (dtypes.bfloat16, np.float16)
                    ):
                        out = rendezvous.allreduce_sum(position, x, spec.reduction)
                        if len(rendezvous.positions) > 1:
                            out = np.array(out, copy=True)  # shared by the local devices
                    else:
                        arrays = rendezvous.exchange(position, x)
                        out = spec.compute(position, arrays)
                finally:
                    rendezvous.release(position)
                out = np.ascontiguousarray(
                    np.asarray(out, dtype=spec.dtype).reshape(spec.out_shape)
                )
                view = _STORAGE_VIEW.get(out.dtype)
                host = out.view(view) if view is not None else out
                bv = hal_device.allocator.allocate_buffer_copy(
                    memory_type=rt.MemoryType.DEVICE_LOCAL,
                    allowed_usage=rt.BufferUsage.DEFAULT,
                    device=hal_device,
                    buffer=host,
                    element_type=hal_element_type(spec.dtype),
                )
                if not spec.out_shape and list(bv.shape) != []:
                    bv = rt.HalBufferView(bv.get_buffer(), [], hal_element_type(spec.dtype))
                return bv.ref

            return call

        class Host:
            def __init__(self, iface):
                pass

        iface = rt.PyModuleInterface("mlaxcoll", Host)
        for name, spec in specs.items():
            iface.export(name, "0r_r", serve(spec))
        self._ifaces = getattr(self, "_ifaces", []) + [iface]
        return iface.create()

    def call(self, args_by_device):
        """args_by_device[i]: the argument HalBufferViews of local device i;
        returns each local device's result HalBufferViews."""
        rt = runtime()

        def runner(i):
            ctx, fn, _ = self._contexts[i]
            nout = len(self.out_avals[self.positions[i]])

            def run():
                buffers = list(args_by_device[i])
                for j in self._mutated:
                    buffers[j] = self.devices[i].copy(buffers[j])
                args = rt.VmVariantList(len(buffers))
                for b in buffers:
                    args.push_ref(b)
                out = rt.VmVariantList(nout)
                callbacks.clear_pending()
                try:
                    ctx.invoke(fn, args, out)
                except (RuntimeError, ValueError):
                    callbacks.raise_pending()
                    raise
                return [out.get_as_object(j, rt.HalBufferView) for j in range(nout)]

            return run

        try:
            return run_on_devices(
                self.devices,
                [runner(i) for i in range(len(self.devices))],
                on_error=self.rendezvous.abort,
            )
        except BaseException:
            self.rendezvous.reset()
            raise


__all__ = ["LocalRendezvous", "MpiRendezvous", "SpmdExecutable", "run_on_devices"]
