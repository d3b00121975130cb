"""jax.profiler for mlax: traces of host-side spans in the Chrome trace
event format, which Perfetto (ui.perfetto.dev) and chrome://tracing open.

start_trace(log_dir) / stop_trace() (or `with trace(log_dir):`) record
the TraceAnnotation / StepTraceAnnotation / annotate_function spans of
every thread, and mlax's own: each jit call ('mlax.jit <name>'), each
trace of a function and each IREE compile. stop_trace writes them to
log_dir/plugins/profile/<time>/<host>.trace.json.gz (where TensorBoard's
profile plugin looks for traces; JAX writes an .xplane.pb there), and to
perfetto_trace.json.gz beside it when create_perfetto_trace=True. There
is no device-side timeline (IREE's own tracing is Tracy) and no profiler
server; device_memory_profile is not built."""

import contextlib
import functools
import gzip
import json
import os
import socket
import threading
import time

_lock = threading.Lock()
_events = None  # the open trace's events, None when no trace runs
_trace_dir = None
_perfetto = False
_t0 = 0.0
active = False  # read without the lock on hot paths


def _now_us():
    return (time.perf_counter() - _t0) * 1e6


def add_span(name, start_us, end_us, args=None):
    """Adds a complete event (microseconds since the trace started)."""
    event = {
        "name": name,
        "ph": "X",
        "ts": start_us,
        "dur": max(end_us - start_us, 0.0),
        "pid": os.getpid(),
        "tid": threading.get_ident(),
    }
    if args:
        event["args"] = {k: str(v) for k, v in args.items()}
    with _lock:
        if _events is not None:
            _events.append(event)


@contextlib.contextmanager
def span(name, **args):
    """A span of `name` in the open trace (nothing when none runs)."""
    if not active:
        yield
        return
    start = _now_us()
    try:
        yield
    finally:
        add_span(name, start, _now_us(), args)


def start_trace(log_dir, create_perfetto_link=False, create_perfetto_trace=False,
                profiler_options=None):  # fmt: skip
    """Starts collecting spans; stop_trace writes them under log_dir."""
    global _events, _trace_dir, _perfetto, _t0, active
    with _lock:
        if _events is not None:
            raise RuntimeError(
                "Profile has already been started. Only one profile may be run at a time."
            )
        _events, _trace_dir = [], os.fspath(log_dir)
        _perfetto = bool(create_perfetto_trace or create_perfetto_link)
        _t0 = time.perf_counter()
        active = True


def stop_trace():
    """Stops the trace and writes it; returns the path of the trace file."""
    global _events, active
    with _lock:
        if _events is None:
            raise RuntimeError("No profile started")
        events, _events, active = _events, None, False
    run = time.strftime("%Y_%m_%d_%H_%M_%S")
    out_dir = os.path.join(_trace_dir, "plugins", "profile", run)
    os.makedirs(out_dir, exist_ok=True)
    meta = [
        {"name": "process_name", "ph": "M", "pid": os.getpid(), "args": {"name": "mlax (host)"}}
    ]
    payload = json.dumps({"traceEvents": meta + events, "displayTimeUnit": "ms"}).encode()
    path = os.path.join(out_dir, f"{socket.gethostname()}.trace.json.gz")
    with gzip.open(path, "wb") as f:
        f.write(payload)
    if _perfetto:
        with gzip.open(os.path.join(out_dir, "perfetto_trace.json.gz"), "wb") as f:
            f.write(payload)
    return path


@contextlib.contextmanager
def trace(log_dir, create_perfetto_link=False, create_perfetto_trace=False,
          profiler_options=None):  # fmt: skip
    """with trace(log_dir): ... -- start_trace and stop_trace around it."""
    start_trace(log_dir, create_perfetto_link, create_perfetto_trace, profiler_options)
    try:
        yield
    finally:
        stop_trace()


class TraceAnnotation:
    """A named span (with key=value arguments) in the open trace; a context
    manager, as JAX's."""

    def __init__(self, name, **kwargs):
        self.name, self.kwargs = name, kwargs
        self._start = None

    def __enter__(self):
        self._start = _now_us() if active else None
        return self

    def __exit__(self, *exc):
        if self._start is not None:
            add_span(self.name, self._start, _now_us(), self.kwargs)
        return False


class StepTraceAnnotation(TraceAnnotation):
    """A training-step span: TraceAnnotation with step_num among its args."""

    def __init__(self, name, **kwargs):
        super().__init__(name, **kwargs)


def annotate_function(func, name=None, **decorator_kwargs):
    """func, each call of it a span named `name` (default: its qualified
    name) in the open trace."""
    label = name or getattr(func, "__qualname__", getattr(func, "__name__", "function"))

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with TraceAnnotation(label, **decorator_kwargs):
            return func(*args, **kwargs)

    return wrapper


def start_server(port):
    raise NotImplementedError(
        "mlax.profiler.start_server: mlax has no profiler server; record a trace with "
        "mlax.profiler.trace(log_dir) or start_trace/stop_trace"
    )


def stop_server():
    raise NotImplementedError("mlax.profiler.stop_server: mlax has no profiler server")


def device_memory_profile(backend=None):
    raise NotImplementedError(
        "mlax.profiler.device_memory_profile: the pprof memory profile is not built in mlax"
    )


def save_device_memory_profile(filename, backend=None):
    raise NotImplementedError(
        "mlax.profiler.save_device_memory_profile: the pprof memory profile is not built in mlax"
    )
