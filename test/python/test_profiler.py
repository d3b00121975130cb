"""mlax.profiler (Chrome-trace spans: annotations and mlax's jit calls,
traces and IREE compiles) and mlax.monitoring (JAX's listeners and compile
events)."""

import gzip
import json
import os

import mlax
import mlax.numpy as jnp
import numpy as np
import pytest


def _events(log_dir):
    runs = os.listdir(os.path.join(log_dir, "plugins", "profile"))
    assert len(runs) == 1
    run = os.path.join(log_dir, "plugins", "profile", runs[0])
    files = sorted(os.listdir(run))
    (trace_file,) = [f for f in files if f.endswith(".trace.json.gz")]
    with gzip.open(os.path.join(run, trace_file)) as f:
        return json.load(f)["traceEvents"], files


def test_trace_records_annotations_and_mlax_spans(tmp_path):
    salt = float(np.random.default_rng().integers(1 << 20))  # a real compile
    f = mlax.jit(lambda x: jnp.tanh(x) * salt)
    plus = mlax.profiler.annotate_function(lambda x: x + 1, name="plus", kind="test")
    with mlax.profiler.trace(str(tmp_path), create_perfetto_trace=True):
        with mlax.profiler.StepTraceAnnotation("train", step_num=3):
            y = f(jnp.ones(4))
        assert plus(1) == 2
    np.testing.assert_allclose(np.asarray(y), np.tanh(1.0) * salt, rtol=1e-6)
    events, files = _events(str(tmp_path))
    assert "perfetto_trace.json.gz" in files
    spans = {e["name"]: e for e in events if e["ph"] == "X"}
    assert {"train", "plus", "mlax.jit <lambda>", "mlax trace <lambda>", "IREE compile"} <= set(
        spans
    )
    assert spans["train"]["args"] == {"step_num": "3"}
    assert spans["plus"]["args"] == {"kind": "test"}
    train, call = spans["train"], spans["mlax.jit <lambda>"]
    assert train["ts"] <= call["ts"] and call["ts"] + call["dur"] <= train["ts"] + train["dur"] + 1
    # Outside a trace nothing is recorded and annotations are no-ops.
    with mlax.profiler.TraceAnnotation("idle"):
        pass
    with pytest.raises(RuntimeError, match="No profile started"):
        mlax.profiler.stop_trace()


def test_one_trace_at_a_time_and_not_built_parts(tmp_path):
    mlax.profiler.start_trace(str(tmp_path))
    try:
        with pytest.raises(RuntimeError, match="already been started"):
            mlax.profiler.start_trace(str(tmp_path))
    finally:
        mlax.profiler.stop_trace()
    with pytest.raises(NotImplementedError, match="profiler server"):
        mlax.profiler.start_server(9999)
    with pytest.raises(NotImplementedError):
        mlax.profiler.device_memory_profile()


def test_monitoring_listeners_and_compile_events():
    seen, durations, spans, scalars = [], [], [], []

    def on_event(event, **kw):
        seen.append((event, kw))

    def on_duration(event, secs, **kw):
        durations.append((event, secs))

    def on_span(event, start, end, **kw):
        spans.append((event, end - start))

    def on_scalar(event, value, **kw):
        scalars.append((event, value))

    mlax.monitoring.register_event_listener(on_event)
    mlax.monitoring.register_event_duration_secs_listener(on_duration)
    mlax.monitoring.register_event_time_span_listener(on_span)
    mlax.monitoring.register_scalar_listener(on_scalar)
    try:
        salt = float(np.random.default_rng().integers(1 << 20))
        mlax.jit(lambda x: x * salt + 1)(jnp.ones(3))
        mlax.monitoring.record_event("/mine", tag="a")
        mlax.monitoring.record_event_time_span("/span", 1.0, 3.5)
        mlax.monitoring.record_scalar("/value", 7)
    finally:
        mlax.monitoring.unregister_event_listener(on_event)
        mlax.monitoring.unregister_event_duration_listener(on_duration)
        mlax.monitoring.unregister_event_time_span_listener(on_span)
        mlax.monitoring.unregister_scalar_listener(on_scalar)
    names = [e for e, _ in durations]
    assert "/jax/core/compile/jaxpr_trace_duration" in names
    assert "/jax/core/compile/backend_compile_duration" in names
    assert all(secs > 0 for _, secs in durations)
    assert ("/mine", {"tag": "a"}) in seen
    assert spans == [("/span", 2.5)] and scalars == [("/value", 7)]
    with pytest.raises(AssertionError):
        mlax.monitoring.unregister_event_listener(on_event)
