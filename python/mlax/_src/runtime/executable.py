"""A compiled module loaded on one device, and calls into it."""

from ..core.config import config
from . import callbacks
from .devices import runtime


class Executable:
    """A compiled module bound to one device; calls its entry function."""

    def __init__(self, vmfb, device, name, out_avals, imports=None, evaluating=False, mutated=()):
        """imports: the host callbacks the module calls (callbacks.take_imports);
        evaluating: see callbacks.host_module; mutated: the arguments the
        module may write in place (compiler.written_arguments), passed as
        copies."""
        rt = runtime()
        device._init()
        self.device = device
        self.out_avals = out_avals
        self._module = rt.VmModule.copy_buffer(device._instance, vmfb)
        self._fn = self._module.lookup_function(name)
        self._contexts = [None, None]
        self._nout = len(out_avals)
        self._out_nbytes = sum(a.size * a.dtype.itemsize for a in out_avals)
        self._VmVariantList = rt.VmVariantList
        self._HalBufferView = rt.HalBufferView
        self._imports = imports or {}
        self._evaluating = evaluating
        self._ifaces = []
        self._mutated = mutated

    def _context(self, threaded):
        ctx = self._contexts[threaded]
        if ctx is None:
            modules = [self.device._hal_modules[threaded], self._module]
            if self._imports:
                iface, host = callbacks.host_module(
                    self._imports, self.device, run_debug=not self._evaluating
                )
                self._ifaces.append(iface)
                modules.insert(1, host)
            ctx = runtime().VmContext(self.device._instance, modules)
            self._contexts[threaded] = ctx
        return ctx

    def call(self, buffers, nbytes=0):
        """buffers: HalBufferViews -> list of result HalBufferViews."""
        if self._mutated:
            buffers = list(buffers)
            for i in self._mutated:
                buffers[i] = self.device.copy(buffers[i])
        args = self._VmVariantList(len(buffers))
        for b in buffers:
            args.push_ref(b)
        results = self._VmVariantList(self._nout)
        threaded = max(nbytes, self._out_nbytes) >= config.threaded_min_bytes
        ctx = self._contexts[threaded] or self._context(threaded)
        if self._imports:
            callbacks.clear_pending()
            try:
                ctx.invoke(self._fn, args, results)
            except (RuntimeError, ValueError):
                callbacks.raise_pending()
                raise
        else:
            ctx.invoke(self._fn, args, results)
        get = results.get_as_object
        bv = self._HalBufferView
        return [get(i, bv) for i in range(self._nout)]
