"""mlax.profiler: traces of host-side spans (JAX's TraceAnnotation,
StepTraceAnnotation, annotate_function, trace, start_trace, stop_trace)
in the Chrome trace event format, with mlax's jit calls, traces and IREE
compiles among them (_src/runtime/profiler.py). No profiler server and
no device memory profile (NotImplementedError)."""

from ._src.runtime.profiler import (  # noqa: F401
    StepTraceAnnotation,
    TraceAnnotation,
    annotate_function,
    device_memory_profile,
    save_device_memory_profile,
    start_server,
    start_trace,
    stop_server,
    stop_trace,
    trace,
)
