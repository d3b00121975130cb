"""A compiled module loaded on one device, and calls into it."""

from ..core.config import config
from .devices import runtime


class Executable:
    """A compiled module bound to one device; calls its entry function."""

    def __init__(self, vmfb, device, name, out_avals):
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

    def _context(self, threaded):
        ctx = self._contexts[threaded]
        if ctx is None:
            ctx = runtime().VmContext(
                self.device._instance, [self.device._hal_modules[threaded], self._module]
            )
            self._contexts[threaded] = ctx
        return ctx

    def call(self, buffers, nbytes=0):
        """buffers: HalBufferViews -> list of result HalBufferViews."""
        args = self._VmVariantList(len(buffers))
        for b in buffers:
            args.push_ref(b)
        results = self._VmVariantList(self._nout)
        threaded = max(nbytes, self._out_nbytes) >= config.threaded_min_bytes
        ctx = self._contexts[threaded] or self._context(threaded)
        ctx.invoke(self._fn, args, results)
        get = results.get_as_object
        bv = self._HalBufferView
        return [get(i, bv) for i in range(self._nout)]
