"""The named axes in scope while tracing: pmap, shard_map and vmap with
`axis_name` bind them; collectives look their sizes up here.

Each frame also says what binds it ("spmd": devices of a mesh, where the
collective runs across devices; "vmap": examples of a batch, where
mlax-batch turns it into a reduction over the batch dimension). The stack
is per thread, like the trace stack.
"""

import threading

from .source_info import user_error

_state = threading.local()


def _stack():
    stack = getattr(_state, "axes", None)
    if stack is None:
        stack = _state.axes = []
    return stack


class AxisFrame:
    __slots__ = ("kind", "name", "size")

    def __init__(self, name, size, kind):
        self.name = name
        self.size = size
        self.kind = kind


class bind_axes:
    """Context manager: the axes {name: size} are in scope."""

    def __init__(self, sizes, kind):
        self.frames = [AxisFrame(n, s, kind) for n, s in sizes.items()]

    def __enter__(self):
        _stack().extend(self.frames)
        return self

    def __exit__(self, *exc):
        del _stack()[len(_stack()) - len(self.frames) :]


def bound_axis_names():
    return [f.name for f in _stack()]


def lookup(name):
    """The innermost frame binding `name`, or NameError as JAX raises it."""
    for frame in reversed(_stack()):
        if frame.name == name:
            return frame
    raise user_error(
        NameError,
        f"unbound axis name: {name}. The following axis names (e.g. defined by pmap) "
        f"are available to collective operations: {bound_axis_names()}",
    )


def axis_size(name):
    """The size of a bound axis (or the product over a tuple of axes)."""
    if isinstance(name, (tuple, list)):
        size = 1
        for n in name:
            size *= lookup(n).size
        return size
    return lookup(name).size


__all__ = ["AxisFrame", "axis_size", "bind_axes", "bound_axis_names", "lookup"]
