"""mlax.monitoring: JAX's event, duration, time-span and scalar listeners;
mlax records JAX's compile events (trace and backend compile durations,
persistent-cache hits and misses) through them."""

from ._src.runtime.monitoring import (  # noqa: F401
    clear_event_listeners,
    record_event,
    record_event_duration_secs,
    record_event_time_span,
    record_scalar,
    register_event_duration_secs_listener,
    register_event_listener,
    register_event_time_span_listener,
    register_scalar_listener,
    unregister_event_duration_listener,
    unregister_event_listener,
    unregister_event_time_span_listener,
    unregister_scalar_listener,
)
