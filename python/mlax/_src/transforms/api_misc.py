"""Small JAX API pieces: disable_jit, named_call/named_scope,
ensure_compile_time_eval, clear_caches, typeof, default_device and the
enable_x64 switch."""

import contextlib
import functools

from ..core import aval_of
from ..core.config import config
from ..runtime import compiler
from . import callee
from .jit import clear_jit_caches


@contextlib.contextmanager
def _config_value(attr, value):
    previous = getattr(config, attr)
    setattr(config, attr, value)
    try:
        yield
    finally:
        setattr(config, attr, previous)


def disable_jit(disable=True):
    """Within this context, jit(f)(...) calls f directly, op by op (Python
    control flow on values works, print shows arrays)."""
    return _config_value("disable_jit", bool(disable))


def default_device(device):
    """Within this context, computations without committed inputs run on
    `device` (None: the first local device)."""
    return _config_value("default_device", device)


class _ConfigState:
    """jax.enable_x64: `.value`, and called with a value, a context manager."""

    def __init__(self, name, attr):
        self._name, self._attr = name, attr

    @property
    def value(self):
        return getattr(config, self._attr)

    def __call__(self, new_val=True):
        return _config_value(self._attr, bool(new_val))

    def __bool__(self):
        return bool(self.value)

    def __repr__(self):
        return f"<config state {self._name}={self.value}>"


enable_x64 = _ConfigState("jax_enable_x64", "x64")


def named_call(fun, *, name=None):
    """JAX names `fun`'s operations in the profile; mlax has no name stack,
    so this is `fun` itself (wrapped, renamed if `name` is given)."""

    @functools.wraps(fun)
    def named(*args, **kwargs):
        return fun(*args, **kwargs)

    if name is not None:
        named.__name__ = name
    return named


@contextlib.contextmanager
def named_scope(name):
    if not isinstance(name, str):
        raise TypeError("named_scope name argument must be a string.")
    yield


@contextlib.contextmanager
def ensure_compile_time_eval():
    """Accepted for compatibility. Outside jit mlax already computes
    eagerly; inside jit, operations stay traced (JAX would evaluate those on
    concrete values at trace time)."""
    yield


def clear_caches():
    """Drops every in-memory compiled executable (jit caches, eager
    primitives, eager transformations, compiled modules). The on-disk cache
    stays."""
    clear_jit_caches()
    callee._eager_cache.clear()
    compiler._vmfb_memory_cache.clear()


def typeof(x):
    """The abstract value (ShapedArray) of an array, tracer or scalar."""
    return aval_of(x)
