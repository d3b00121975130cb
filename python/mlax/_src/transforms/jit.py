"""jit and eager dispatch.

`jit(f)(*args)` flattens the arguments, looks up an executable by abstract
signature (tree structure, avals, static values) and calls it; on a miss
it traces `f` into an mlax module, lowers it, compiles it with IREE (through
the memory and disk caches) and keeps the executable. Eager primitives are
single-op jitted functions cached by (primitive, params).
"""

import functools
import inspect
import logging
import math
import os
import time
import warnings
import weakref

import numpy as np

from ..._mlir import ir
from ..core import (
    Trace,
    Tracer,
    abstract_only,
    aval_of,
    context,
    current_trace,
    dtypes,
    hooks,
    tracing,
    tree_util,
    user_error,
)
from ..core.config import config
from ..runtime import callbacks, compiler, monitoring, profiler
from ..runtime.array import Array, ShardedArray, default_device
from ..runtime.backends import check_backend
from ..sharding import PartitionSpec, Sharding
from .flat_kernels import (
    DimKernels,
    FlatKernels,
    dims_key,
    reshape_view,
    shape_key,
)
from .spmd import SpmdCompiled, compile_spmd, spmd_mesh

_scalar_buffers = {}


def _scalar_buffer(x, aval, device):
    key = (type(x), x, aval.dtype, device.id)
    if x == 0 and type(x) is float:
        key += (math.copysign(1.0, x),)  # -0.0 == 0.0, but its buffer differs
    bv = _scalar_buffers.get(key)
    if bv is None:
        bv = device.put(np.asarray(x, dtype=aval.dtype))
        if len(_scalar_buffers) < 4096:
            _scalar_buffers[key] = bv
    return bv


def _propagate_commitment(leaves, outs):
    """JAX: a result computed from a committed array is committed."""
    for leaf in leaves:
        if getattr(leaf, "_committed", False):
            for out in outs:
                if isinstance(out, Array):
                    out._committed = True
            return


def _leaf_buffer(leaf, aval, device):
    """(HalBufferView, nbytes) for one dynamic argument leaf."""
    bv = getattr(leaf, "_bv", None)
    if bv is not None:
        return bv, aval.size * aval.dtype.itemsize
    if isinstance(leaf, (bool, int, float, complex)):
        return _scalar_buffer(leaf, aval, device), aval.dtype.itemsize
    return device.put(np.asarray(leaf, dtype=aval.dtype)), aval.size * aval.dtype.itemsize


# ---------------------------------------------------------------------------
# Tracing a function into a module
# ---------------------------------------------------------------------------


class Traced:
    """A traced function: its mlax module plus what calling it needs."""

    def __init__(self, module, out_tree, out_avals, captured, in_avals, mesh=None):
        self.module = module
        self.out_tree = out_tree
        self.out_avals = out_avals
        self.captured = captured
        self.in_avals = in_avals
        self.mesh = mesh  # the device mesh a pmap / shard_map in it runs over
        # Concrete values steered the tracing: valid for those inputs only.
        self.concretized = False

    def mlir_text(self, debug_info=False):
        return self.module.operation.get_asm(enable_debug_info=debug_info)


def _check_output_leaf(x, name):
    if isinstance(x, (Tracer, Array, bool, int, float, np.ndarray, np.generic)):
        return
    raise user_error(
        TypeError,
        f"Value {x!r} with type {type(x).__name__} returned by {name} is not a valid mlax type",
    )


def trace_to_module(fun, in_tree, in_avals, name, embed_arrays=False, concrete_leaves=None):
    """Traces `fun` into a module. With `concrete_leaves` (an eager
    transformation), traced values that depend only on them can be made
    concrete (Python control flow on them works, as in JAX outside jit)."""
    trace = Trace("main")
    trace.embed_arrays = embed_arrays
    sources = [None] * len(in_avals)
    if concrete_leaves is not None:
        trace.concrete = True
        sources = list(concrete_leaves)
    with tracing(trace):
        tracers = [trace.new_arg(a, src) for a, src in zip(in_avals, sources)]
        args, kwargs = tree_util.tree_unflatten(in_tree, tracers)
        out = fun(*args, **kwargs)
        out_leaves, out_tree = tree_util.tree_flatten(out)
        for leaf in out_leaves:
            _check_output_leaf(leaf, name)
        out_avals = [aval_of(x) for x in out_leaves]
        module = trace.finish(out_leaves)
    module.operation.verify()
    traced = Traced(module, out_tree, out_avals, list(trace.captured), in_avals, trace.mesh)
    traced.concretized = trace.concretized
    return traced


# ---------------------------------------------------------------------------
# jit
# ---------------------------------------------------------------------------


class _Compiled:
    __slots__ = (
        "captured",
        "captured_buffers",
        "captured_nbytes",
        "concretized",
        "device",
        "executable",
        "out_avals",
        "out_tree",
    )

    def __init__(self, traced, device):
        module = traced.module
        compiler.lower_to_linalg(module)
        imports = callbacks.take_imports(module)
        text = module.operation.get_asm()
        if os.environ.get("MLAX_DUMP_IR"):
            print(text)
        self.executable = compiler.load_executable(text, device, "main", traced.out_avals, imports)
        self.out_tree = traced.out_tree
        self.out_avals = traced.out_avals
        self.captured = traced.captured  # keeps captured arrays alive
        self.captured_buffers = [a._bv for a in traced.captured]
        self.captured_nbytes = sum(a.nbytes for a in traced.captured)
        self.device = device


def _static_key(value, what):
    try:
        hash(value)
    except TypeError:
        raise user_error(
            ValueError,
            f"Non-hashable static arguments are not supported. An error occurred while "
            f"trying to hash an object of type {type(value)}, {value!r}. The error was:\n"
            f"TypeError: unhashable type: '{type(value).__name__}'",
        ) from None
    return value


_LEAF_TREEDEF = tree_util.tree_structure(0)
_POSITIONAL_TREEDEFS = {}


def _positional_treedef(n):
    """The treedef of ((leaf,) * n, {}), shared so cache lookups hit by identity."""
    treedef = _POSITIONAL_TREEDEFS.get(n)
    if treedef is None:
        treedef = _POSITIONAL_TREEDEFS[n] = tree_util.tree_structure(((0,) * n, {}))
    return treedef


def _leaf_avals(args):
    """Avals when every argument is a single-device Array or Python scalar,
    else None."""
    avals = []
    for a in args:
        aval = getattr(a, "aval", None)
        if aval is None or a.__class__ is not Array:
            t = type(a)
            if t is not float and t is not int and t is not bool:
                return None
            aval = aval_of(a)
        avals.append(aval)
    return tuple(avals)


_all_jitted = weakref.WeakSet()  # for clear_caches

# MLAX_FLAT_KERNELS=0 compiles every eager elementwise call for its shape.
MLAX_FLAT_KERNELS = os.environ.get("MLAX_FLAT_KERNELS", "1") != "0"


def clear_jit_caches():
    for jitted in list(_all_jitted):
        jitted._cache.clear()
        jitted._flat = jitted._dims = None
    _primitive_cache.clear()


class Jitted:
    """The function jit returns."""

    def __init__(
        self,
        fun,
        static_argnums=(),
        static_argnames=(),
        name=None,
        in_shardings=None,
        out_shardings=None,
    ):
        self.fun = fun
        self._in_shardings = in_shardings
        self._out_shardings = out_shardings
        functools.update_wrapper(self, fun, updated=())
        self._name = name or getattr(fun, "__name__", "fun")
        if isinstance(static_argnums, int):
            static_argnums = (static_argnums,)
        if isinstance(static_argnames, str):
            static_argnames = (static_argnames,)
        static_argnums = tuple(static_argnums or ())
        static_argnames = tuple(static_argnames or ())
        try:
            sig = inspect.signature(fun)
            params = list(sig.parameters.values())
        except (TypeError, ValueError):
            params = None
        # Resolve names <-> positions as JAX does.
        if params is not None:
            positional = [
                p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
            nums = {i if i >= 0 else i + len(positional) for i in static_argnums}
            names = set(static_argnames)
            for i in list(nums):
                if 0 <= i < len(positional):
                    names.add(positional[i])
            for n in list(names):
                if n in positional:
                    nums.add(positional.index(n))
            static_argnums, static_argnames = tuple(sorted(nums)), tuple(sorted(names))
        self._has_static = bool(static_argnums or static_argnames)
        self._has_static |= in_shardings is not None or out_shardings is not None
        self._static_argnums = frozenset(static_argnums)
        self._static_argnames = frozenset(static_argnames)
        self._cache = {}
        _all_jitted.add(self)
        # Set by jit() for the user's functions: those, and only those, run
        # op by op under disable_jit (eager primitives and transformations
        # still compile).
        self._user = False
        # Set by eager transformations (callee._eager with concrete=True):
        # tracing sees the arguments' values (Python control flow works).
        self._concrete = False
        # jit(..., donate_argnums/argnames): (positions, names) or None.
        self._donate = None
        # mlax's own functions (jnp, lax, eager primitives) may reuse one
        # elementwise kernel across shapes; a user's function is traced once
        # per shape, as in JAX.
        self._library = MLAX_FLAT_KERNELS and (getattr(fun, "__module__", None) or "").startswith(
            "mlax."
        )
        self._backend = None  # jit(..., backend=)
        self._flat = None  # FlatKernels, made on first use
        self._dims = None  # DimKernels, likewise

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return functools.partial(self, obj)

    def _split(self, args, kwargs):
        if not self._static_argnums and not self._static_argnames:
            return args, kwargs, ()
        dyn_args, static = [], []
        for i, a in enumerate(args):
            if i in self._static_argnums:
                static.append((i, _static_key(a, "arg")))
            else:
                dyn_args.append(a)
        dyn_kwargs = {}
        for k, v in kwargs.items():
            if k in self._static_argnames:
                static.append((k, _static_key(v, "kwarg")))
            else:
                dyn_kwargs[k] = v
        return tuple(dyn_args), dyn_kwargs, tuple(static)

    def _rebuild(self, static, dyn_args, dyn_kwargs):
        """Call self.fun with static values spliced back in."""
        static_pos = {k: v for k, v in static if isinstance(k, int)}
        static_kw = {k: v for k, v in static if isinstance(k, str)}
        n = len(dyn_args) + len(static_pos)
        it = iter(dyn_args)
        args = [static_pos[i] if i in static_pos else next(it) for i in range(n)]
        return self.fun(*args, **dyn_kwargs, **static_kw)

    def __call__(self, *args, **kwargs):
        if profiler.active:
            with profiler.span(f"mlax.jit {self._name}"):
                return self._call(*args, **kwargs)
        return self._call(*args, **kwargs)

    def _call(self, *args, **kwargs):
        if config.disable_jit and self._user:
            return self.fun(*args, **kwargs)
        if current_trace() is not None:
            # Nested under another jit: trace inline into the caller, with
            # no concrete values (JAX's errors stay under jit).
            with abstract_only():
                return self.fun(*args, **kwargs)
        avals = None
        if not kwargs and not self._has_static:
            avals = _leaf_avals(args)
        if avals is not None:  # fast path: positional array/scalar leaves only
            leaves, in_tree, static = args, _positional_treedef(len(args)), ()
        else:
            dyn_args, dyn_kwargs, static = self._split(args, kwargs)
            leaves, in_tree = tree_util.tree_flatten((dyn_args, dyn_kwargs))
            avals = tuple([aval_of(x) for x in leaves])
            shardings = tuple(x.sharding if isinstance(x, ShardedArray) else None for x in leaves)
            if any(s is not None for s in shardings):
                # Sharded arguments compile for their layout.
                avals = avals + (shardings,)
        key = (in_tree, avals, static, config.trace_context)
        compiled = self._cache.get(key)
        if compiled is None:
            compiled, traced = self._flat_call(in_tree, avals, static, leaves)
            if compiled is None:
                if config.jax_log_compiles:
                    _log_compile(self._name, avals)
                compiled = self._compile(in_tree, avals, static, leaves, traced)
            if not compiled.concretized:
                self._cache[key] = compiled
        cls = compiled.__class__
        if cls is not _Compiled and cls is not SpmdCompiled:  # a shape-reusing call
            outs = compiled(leaves, _leaf_buffer)
            _propagate_commitment(leaves, outs)
            if config.check_values:
                self._check_values(outs, args, kwargs)
            return compiled.out_tree.unflatten(outs)
        if cls is SpmdCompiled:
            outs = compiled(leaves)
            if config.check_values:
                self._check_values(outs, args, kwargs)
            if self._donate is not None:
                _consume_donated(self._donate, args, kwargs, outs)
            return compiled.out_tree.unflatten(outs)
        device = compiled.device
        buffers = []
        nbytes = compiled.captured_nbytes
        for leaf, aval in zip(leaves, avals):
            bv, n = _leaf_buffer(leaf, aval, device)
            buffers.append(bv)
            nbytes += n
        if compiled.captured_buffers:
            buffers.extend(compiled.captured_buffers)
        out_bvs = compiled.executable.call(buffers, nbytes)
        outs = [Array(bv, aval, device) for bv, aval in zip(out_bvs, compiled.out_avals)]
        _propagate_commitment(leaves, outs)
        if config.check_values:
            self._check_values(outs, args, kwargs)
        if self._donate is not None:
            _consume_donated(self._donate, args, kwargs, outs)
        if compiled.out_tree is _LEAF_TREEDEF:
            return outs[0]
        return compiled.out_tree.unflatten(outs)

    def _check_values(self, outs, args, kwargs):
        """jax_debug_nans / jax_debug_infs: a NaN (inf) among the results
        raises FloatingPointError naming the op. A jitted user function is
        rerun op by op first, so the op that made it is the one named (as
        JAX reruns the de-optimized function)."""
        bad = _first_bad_value(outs)
        if bad is None:
            return
        if self._user:
            print(
                f"Invalid {bad} value encountered in the output of a jax.jit function. "
                "Calling the de-optimized version."
            )
            previous, config.disable_jit = config.disable_jit, True
            try:
                self.fun(*args, **kwargs)
            finally:
                config.disable_jit = previous
        raise FloatingPointError(f"invalid value ({bad}) encountered in {self._name}")

    def _device_for(self, leaves):
        for leaf in leaves:
            dev = getattr(leaf, "_device", None)
            if dev is not None:
                return dev
        return default_device()

    def _trace(self, in_tree, avals, static, embed_arrays=False, leaves=None):
        fun = self.fun
        if static:

            def fun(*dyn_args, **dyn_kwargs):
                return self._rebuild(static, dyn_args, dyn_kwargs)

        concrete = leaves if self._concrete else None
        if not (profiler.active or monitoring.listening()):
            return trace_to_module(fun, in_tree, list(avals), self._name, embed_arrays, concrete)
        start = time.perf_counter()
        with profiler.span(f"mlax trace {self._name}"):
            traced = trace_to_module(fun, in_tree, list(avals), self._name, embed_arrays, concrete)
        monitoring.record_event_duration_secs(
            "/jax/core/compile/jaxpr_trace_duration",
            time.perf_counter() - start,
            fun_name=self._name,
        )
        return traced

    def _flat_call(self, in_tree, avals, static, leaves):
        """(a call reusing a kernel across shapes (flat_kernels), or None;
        the trace at `avals` made while deciding, or None), so the static
        path does not trace again."""
        if not self._library or self._concrete or len(avals) != len(leaves):
            return None, None
        if config.trace_context[1] != "allow":
            return None, None  # jax_numpy_rank_promotion checks every call's shapes
        device = self._device_for(leaves)
        made = []  # the trace at `avals`, shared by the checks below

        def trace(in_avals):
            if in_avals is avals and made:
                return made[0]
            traced = self._trace(in_tree, in_avals, static)
            if in_avals is avals:
                made.append(traced)
            return traced

        call = self._reusing_call(trace, in_tree, avals, static, leaves, device)
        return call, (None if call is not None or not made else made[0])

    def _reusing_call(self, trace, in_tree, avals, static, leaves, device):

        key, shape = shape_key(in_tree, avals, static, config.trace_context, device)
        if key is not None:
            if self._flat is None:
                self._flat = FlatKernels()
            call = self._flat.lookup(trace, key, shape, avals, device)
            if call is not None:
                return call
        key, sizes = dims_key(in_tree, avals, static, config.trace_context, device)
        if key is not None:
            if self._dims is None:
                self._dims = DimKernels()
            call = self._dims.lookup(trace, key, sizes, avals, device)
            if call is not None:
                return call
        if len(leaves) == 1 and getattr(leaves[0], "_bv", None) is not None:
            try:
                return reshape_view(trace(avals), device)
            except Exception:  # noqa: BLE001 - the static path raises it for the user
                return None
        return None

    def _compile(self, in_tree, avals, static, leaves, traced=None):
        """`traced`: the function already traced at `avals` (_flat_call)."""
        check_backend(self._backend)
        if len(avals) == len(leaves) + 1:
            avals = avals[:-1]  # the sharded arguments' layouts
        if traced is None:
            traced = self._trace(in_tree, avals, static, leaves=leaves)
        in_shardings = _flat_shardings(self._in_shardings, in_tree, len(leaves), "in_shardings")
        out_shardings = _flat_shardings(
            self._out_shardings, traced.out_tree, len(traced.out_avals), "out_shardings"
        )
        mesh = spmd_mesh(traced, leaves, in_shardings, out_shardings)
        if mesh is not None:
            compiled = compile_spmd(traced, mesh, leaves, in_shardings, out_shardings)
        else:
            compiled = _Compiled(traced, self._device_for(leaves))
        compiled.concretized = traced.concretized
        return compiled

    def lower(self, *args, **kwargs):
        """Traces for these arguments; returns a Lowered (its mlax IR)."""
        dyn_args, dyn_kwargs, static = self._split(args, kwargs)
        leaves, in_tree = tree_util.tree_flatten((dyn_args, dyn_kwargs))
        avals = tuple(aval_of(x) for x in leaves)
        lowered = Lowered(self._trace(in_tree, avals, static))
        lowered._signature = (self, in_tree, avals, static)
        return lowered

    def clear_cache(self):
        self._cache.clear()


class Lowered:
    """jit(f).lower(...): the traced mlax module, before and after lowering."""

    def __init__(self, traced):
        self._traced = traced
        self._text = traced.mlir_text()
        self._signature = None  # (Jitted, in_tree, avals, static), set by lower

    def compile(self, compiler_options=None):
        """The executable for the lowered signature (jax.stages.Compiled)."""
        if self._signature is None:
            raise ValueError("only jit(f).lower(...) results can be compiled")
        return Compiled(self)

    def as_text(self, dialect="mlax", debug_info=False):
        if dialect == "mlax":
            return self._traced.mlir_text(debug_info) if debug_info else self._text
        if dialect == "linalg":
            from ..._mlir import ir
            from ..core import context

            module = ir.Module.parse(self._text, context())
            compiler.lower_to_linalg(module)
            return module.operation.get_asm(enable_debug_info=debug_info)
        raise ValueError(f"unknown dialect {dialect!r}; expected 'mlax' or 'linalg'")

    @property
    def in_avals(self):
        return self._traced.in_avals

    @property
    def out_avals(self):
        return self._traced.out_avals

    def __str__(self):
        return self._text

    def __repr__(self):
        return self._text


class Compiled:
    """jit(f).lower(*args).compile(): called with the dynamic arguments of
    that signature (static ones are part of it), as jax.stages.Compiled."""

    def __init__(self, lowered):
        self._lowered = lowered
        jitted, in_tree, avals, static = lowered._signature
        self._jitted, self.in_tree, self._avals, self._static = jitted, in_tree, avals, static
        key = (in_tree, avals, static, config.trace_context)
        if key not in jitted._cache:
            compiled = jitted._compile(in_tree, avals, static, list(avals))
            if not compiled.concretized:
                jitted._cache[key] = compiled

    @property
    def in_avals(self):
        return self._avals

    @property
    def out_tree(self):
        return self._lowered._traced.out_tree

    def as_text(self):
        return self._lowered.as_text("linalg")

    def __call__(self, *args, **kwargs):
        leaves, tree = tree_util.tree_flatten((args, kwargs))
        if tree != self.in_tree:
            raise user_error(
                TypeError,
                "Function compiled with input pytree does not match the input pytree it was "
                f"called with: compiled for {self.in_tree}, called with {tree}",
            )
        bad = [
            f"Argument {i} compiled with {want.str_short()} and called with {got.str_short()}"
            for i, (want, got) in enumerate(zip(self._avals, map(aval_of, leaves)))
            if (want.shape, want.dtype) != (got.shape, got.dtype)
        ]
        if bad:
            raise user_error(
                TypeError,
                "Argument types differ from the types for which this computation was "
                "compiled. The mismatches are:\n" + "\n".join(bad),
            )
        static_pos = {k: v for k, v in self._static if isinstance(k, int)}
        static_kw = {k: v for k, v in self._static if isinstance(k, str)}
        it = iter(args)
        full = [
            static_pos[i] if i in static_pos else next(it)
            for i in range(len(args) + len(static_pos))
        ]
        return self._jitted(*full, **kwargs, **static_kw)


def _flat_shardings(spec, tree, count, what):
    """in_shardings/out_shardings as one entry (a Sharding or None) per
    leaf; a single Sharding applies to every leaf."""
    if spec is None:
        return None
    if isinstance(spec, (Sharding, PartitionSpec)):
        return [spec] * count
    full = tree.unflatten([0] * count)
    if what == "in_shardings":
        full = full[0]  # (args, kwargs): in_shardings covers the positional args
        if not isinstance(spec, (tuple, list)):
            spec = (spec,)
        spec = tuple(spec)
    try:
        flat = tree_util.flatten_prefix(spec, full, what)
    except ValueError:
        raise user_error(
            ValueError,
            f"jit {what} must be a Sharding or a tree prefix of the "
            f"{'arguments' if what == 'in_shardings' else 'outputs'}, got {spec}",
        ) from None
    return flat + [None] * (count - len(flat))


def jit(
    fun=None,
    /,
    *,
    in_shardings=None,
    out_shardings=None,
    static_argnums=None,
    static_argnames=None,
    donate_argnums=None,
    donate_argnames=None,
    keep_unused=False,
    device=None,
    backend=None,
    inline=False,
    compiler_options=None,
):
    """Like jax.jit. Donated arrays are deleted after the call as in JAX
    (_consume_donated). keep_unused, inline, device and compiler_options are
    accepted and not acted on: unused inputs are kept, a nested jit always
    traces inline, and computations run where their inputs live."""
    if fun is None:
        return lambda f: jit(
            f,
            in_shardings=in_shardings,
            out_shardings=out_shardings,
            static_argnums=static_argnums,
            static_argnames=static_argnames,
            donate_argnums=donate_argnums,
            donate_argnames=donate_argnames,
            keep_unused=keep_unused,
            device=device,
            backend=backend,
            inline=inline,
            compiler_options=compiler_options,
        )
    if not callable(fun):
        raise TypeError(f"Expected a callable value, got {fun!r}")
    donate = _check_donation(fun, static_argnums, donate_argnums, static_argnames, donate_argnames)
    jitted = Jitted(
        fun,
        () if static_argnums is None else static_argnums,
        () if static_argnames is None else static_argnames,
        in_shardings=in_shardings,
        out_shardings=out_shardings,
    )
    jitted._user = True
    jitted._donate = donate
    jitted._backend = backend  # checked when it first compiles, as JAX does
    return jitted


def _as_tuple(x):
    if x is None:
        return ()
    return (x,) if isinstance(x, (int, str)) else tuple(x)


def _check_donation(fun, static_argnums, donate_argnums, static_argnames, donate_argnames):
    """JAX's ValueError for an argument both static and donated (positions
    resolved to names through the signature, as JAX does)."""
    static, donated = set(_as_tuple(static_argnames)), set(_as_tuple(donate_argnames))
    try:
        params = list(inspect.signature(fun).parameters.values())
        positional = [
            p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        positional = []
    for nums, names in ((static_argnums, static), (donate_argnums, donated)):
        names.update(
            positional[i] for i in _as_tuple(nums) if -len(positional) <= i < len(positional)
        )
    if static & donated:
        raise ValueError(
            f"static_argnames and donate_argnames cannot intersect. Argument names "
            f"{static & donated} appear in both static_argnames and donate_argnames"
        )
    if not donated and not _as_tuple(donate_argnums):
        return None
    nums = {i % len(positional) if positional else i for i in _as_tuple(donate_argnums)}
    nums.update(positional.index(n) for n in donated if n in positional)
    return frozenset(nums), frozenset(donated)


def _consume_donated(donate, args, kwargs, outs):
    """Donation as JAX does it: a donated Array whose shape and dtype some
    result has is deleted (its buffer goes back to the allocator, where the
    results and later calls reuse it); the others stay valid, with JAX's
    warning."""
    nums, names = donate
    donated = [a for i, a in enumerate(args) if i in nums]
    donated += [v for k, v in kwargs.items() if k in names]
    free = {}
    for out in outs:
        key = (out.aval.shape, out.aval.dtype)
        free[key] = free.get(key, 0) + 1
    unusable = []
    for leaf in tree_util.tree_leaves(donated):
        if not isinstance(leaf, Array) or leaf.is_deleted():
            continue
        key = (leaf.aval.shape, leaf.aval.dtype)
        if free.get(key, 0):
            free[key] -= 1
            leaf.delete()
        else:
            unusable.append(leaf.aval.str_long())
    if unusable:
        warnings.warn(
            f"Some donated buffers were not usable: {', '.join(unusable)}.\n"
            "See an explanation at https://docs.jax.dev/en/latest/faq.html#buffer-donation.",
            stacklevel=3,
        )


_logger = logging.getLogger("mlax")


def _log_compile(name, avals):
    """jax_log_compiles: one WARNING per compile, worded as JAX's."""
    shown = ", ".join(repr(a) for a in avals if not isinstance(a, tuple))
    _logger.warning("Compiling %s with global shapes and types [%s].", name, shown)


def _first_bad_value(outs):
    """'nan' or 'inf' when a float result holds one that the
    jax_debug_nans / jax_debug_infs options look for; else None."""
    for out in outs:
        aval = getattr(out, "aval", None)
        if aval is None or not dtypes.is_inexact(aval.dtype):
            continue
        values = np.asarray(out)
        if config.jax_debug_nans and np.isnan(values).any():
            return "nan"
        if config.jax_debug_infs and np.isinf(values).any():
            return "inf"
    return None


def make_mlir(fun, static_argnums=(), static_argnames=()):
    """Like jax.make_jaxpr: make_mlir(f)(*args) gives f's mlax IR (a Lowered)."""
    jitted = fun if isinstance(fun, Jitted) else Jitted(fun, static_argnums, static_argnames)

    def wrapped(*args, **kwargs):
        return jitted.lower(*args, **kwargs)

    return wrapped


# ---------------------------------------------------------------------------
# Eager primitives
# ---------------------------------------------------------------------------

_primitive_cache = {}


def _freeze(params):
    return tuple(sorted(params.items()))


def apply_primitive(prim, args, params):
    key = (prim, _freeze(params))
    jitted = _primitive_cache.get(key)
    if jitted is None:

        def single_op(*xs):
            return prim.bind(*xs, **params)

        jitted = Jitted(single_op, name=prim.name)
        _primitive_cache[key] = jitted
    return jitted(*args)


hooks.apply_primitive = apply_primitive


def evaluate(module_text, args, aval):
    """Runs @main of an mlax module on concrete `args`; its one result as
    NumPy (a traced value's concrete value, see Trace.concrete_value)."""
    with context():
        module = ir.Module.parse(module_text)
    compiler.lower_to_linalg(module)
    imports = callbacks.take_imports(module)
    device = default_device()
    for a in args:
        device = getattr(a, "_device", None) or device
    executable = compiler.load_executable(
        module.operation.get_asm(), device, "main", [aval], imports, evaluating=True
    )
    buffers = [_leaf_buffer(a, aval_of(a), device)[0] for a in args]
    (out,) = executable.call(buffers)
    return np.asarray(Array(out, aval, device))


hooks.evaluate = evaluate


def eval_shape(fun, *args, **kwargs):
    """The shapes and dtypes `fun` returns for these arguments (arrays,
    scalars or ShapeDtypeStructs), as ShapeDtypeStructs; nothing runs."""
    from ..core import ShapeDtypeStruct

    leaves, in_tree = tree_util.tree_flatten((args, kwargs))
    avals = [aval_of(x) for x in leaves]
    traced = trace_to_module(fun, in_tree, avals, getattr(fun, "__name__", "fun"))
    return traced.out_tree.unflatten(
        [ShapeDtypeStruct(a.shape, a.dtype, weak_type=a.weak_type) for a in traced.out_avals]
    )
