"""jax.monitoring: listeners for named events, durations, time spans and
scalars. mlax records JAX's compile events through it: a trace of a
function ('/jax/core/compile/jaxpr_trace_duration'), a real IREE compile
('/jax/core/compile/backend_compile_duration') and persistent-cache hits
and misses ('/jax/compilation_cache/cache_hits' / 'cache_misses')."""

_event_listeners = []
_event_duration_secs_listeners = []
_event_time_span_listeners = []
_scalar_listeners = []


def record_event(event, **kwargs):
    """Calls every event listener with (event, **kwargs)."""
    for callback in _event_listeners[:]:  # a listener may unregister itself
        callback(event, **kwargs)


def record_event_duration_secs(event, duration, **kwargs):
    """Calls every duration listener with (event, duration, **kwargs)."""
    for callback in _event_duration_secs_listeners[:]:  # a listener may unregister itself
        callback(event, duration, **kwargs)


def record_event_time_span(event, start_time, end_time, **kwargs):
    """Calls every time-span listener with (event, start, end, **kwargs)."""
    for callback in _event_time_span_listeners[:]:  # a listener may unregister itself
        callback(event, start_time, end_time, **kwargs)


def record_scalar(event, value, **kwargs):
    """Calls every scalar listener with (event, value, **kwargs)."""
    for callback in _scalar_listeners[:]:  # a listener may unregister itself
        callback(event, value, **kwargs)


def register_event_listener(callback):
    _event_listeners.append(callback)


def register_event_duration_secs_listener(callback):
    _event_duration_secs_listeners.append(callback)


def register_event_time_span_listener(callback):
    _event_time_span_listeners.append(callback)


def register_scalar_listener(callback):
    _scalar_listeners.append(callback)


def _unregister(listeners, callback):
    assert callback in listeners  # as JAX
    listeners.remove(callback)


def unregister_event_listener(callback):
    _unregister(_event_listeners, callback)


def unregister_event_duration_listener(callback):
    _unregister(_event_duration_secs_listeners, callback)


def unregister_event_time_span_listener(callback):
    _unregister(_event_time_span_listeners, callback)


def unregister_scalar_listener(callback):
    _unregister(_scalar_listeners, callback)


def clear_event_listeners():
    for listeners in (
        _event_listeners,
        _event_duration_secs_listeners,
        _event_time_span_listeners,
        _scalar_listeners,
    ):
        listeners.clear()


def get_event_listeners():
    return list(_event_listeners)


def get_event_duration_listeners():
    return list(_event_duration_secs_listeners)


def get_event_time_span_listeners():
    return list(_event_time_span_listeners)


def get_scalar_listeners():
    return list(_scalar_listeners)


def listening():
    """Whether a duration listener wants trace timings (the jit path skips
    the clock otherwise)."""
    return bool(_event_duration_secs_listeners)
