"""Compiling never hands back the wrong program: Ctrl-C during a compile,
damaged cache entries, concurrent processes and threads, unusable cache
directories.

Interrupts run in subprocesses: a SIGINT that lands after the code under
test returned would otherwise hit pytest itself.
"""

import itertools
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
import warnings

import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from mlax._src.runtime import compile_cache, compile_worker, compiler, devices

IN_PROCESS = os.environ.get("MLAX_COMPILE_IN_PROCESS") == "1"

# A battery run after every interrupt: fresh functions (constants no cache
# holds) with the interrupted function's signature and with others, eager
# ops, and the interrupted function itself. Prints one JSON line of
# mismatches (empty when all values are right).
_BATTERY = """
def battery(tag):
    import math
    salt = (time.time_ns() % 10**6) / 1024.0  # exact in float32; new each run
    bad = []
    x3 = np.arange(3, dtype=np.float32)
    cases = [
        (mlax.jit(lambda x: x * 3.0 + salt), (x3,), x3 * 3 + np.float32(salt)),
        (mlax.jit(lambda x: x - salt), (x3,), x3 - np.float32(salt)),
        (mlax.jit(lambda x: jnp.sin(x) + salt), (x3,), np.sin(x3) + np.float32(salt)),
        (mlax.jit(lambda x, y: x * y + salt), (x3, x3 + 1), x3 * (x3 + 1) + np.float32(salt)),
        (mlax.jit(lambda m: m.sum(0) + salt), (np.ones((4, 5), np.float32),),
         np.full(5, 4 + np.float32(salt), np.float32)),
        (mlax.jit(lambda i: i * 7 + int(salt)), (np.arange(4, dtype=np.int32),),
         np.arange(4, dtype=np.int32) * 7 + int(salt)),
    ]
    for i, (f, args, want) in enumerate(cases):
        got = np.asarray(f(*args))
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-5):
            bad.append(f"{tag}: case {i}: {got.tolist()} != {want.tolist()}")
    got = np.asarray(jnp.ones(3))
    if got.tolist() != [1.0, 1.0, 1.0]:
        bad.append(f"{tag}: jnp.ones(3) gave {got.tolist()}")
    got = np.asarray(jnp.arange(5.0) * 2)
    if got.tolist() != [0.0, 2.0, 4.0, 6.0, 8.0]:
        bad.append(f"{tag}: eager arange*2 gave {got.tolist()}")
    return bad
"""

_PRELUDE = (
    """
import json, os, signal, sys, threading, time
import numpy as np
import mlax, mlax.numpy as jnp
from mlax._src.runtime import compiler
"""
    + _BATTERY
)


def _run(script, env, timeout=300, new_session=False):
    proc = subprocess.run(
        [sys.executable, "-c", _PRELUDE + textwrap.dedent(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        start_new_session=new_session,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc.stderr


# ---------------------------------------------------------------------------
# KeyboardInterrupt during a compile
# ---------------------------------------------------------------------------

_INTERRUPT_WHILE_WORKER_HOLDS_REQUEST = """
# The worker sleeps 60 s before each compile (a test hook), so the SIGINT
# at 1 s arrives after the request was sent and before the response.
interrupted = False
old_worker_pid = None
def watch():
    global old_worker_pid
    while compiler._worker is None:
        time.sleep(0.01)
    old_worker_pid = compiler._worker.proc.pid
    time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGINT)
watcher = threading.Thread(target=watch)
f = mlax.jit(lambda a, b, c, d: (a * b + c) * d)  # 4 arguments, unlike battery's
try:
    watcher.start()
    f(*[np.ones(3, np.float32)] * 4)
    watcher.join()
    time.sleep(0.5)
except KeyboardInterrupt:
    interrupted = True
watcher.join()
old_alive = os.path.exists(f"/proc/{old_worker_pid}") and \
    open(f"/proc/{old_worker_pid}/stat").read().split()[2] != "Z"
del os.environ["MLAX_TEST_COMPILE_DELAY"]
bad = battery("after interrupt")
got = np.asarray(f(*[np.full(3, 2.0, np.float32)] * 4))
if got.tolist() != [12.0] * 3:
    bad.append(f"interrupted function gave {got.tolist()}")
bad += battery("again")
print(json.dumps({"interrupted": interrupted, "bad": bad, "old_worker_alive": old_alive}))
"""


@pytest.mark.skipif(IN_PROCESS, reason="the worker protocol is off")
def test_interrupt_between_request_and_response(fresh_cache_env):
    env = dict(fresh_cache_env, MLAX_TEST_COMPILE_DELAY="60")
    out, stderr = _run(_INTERRUPT_WHILE_WORKER_HOLDS_REQUEST, env)
    assert out["interrupted"]
    assert out["bad"] == []
    assert not out["old_worker_alive"], "the interrupted worker must be gone"
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr


_INTERRUPT_REAL_COMPILES = """
# A real, slow compile (jit of an MLP gradient, ~1-2 s), interrupted at
# several points: during tracing, the passes, the IREE compile or loading.
def loss(params, x):
    h = x
    for w in params:
        h = jnp.tanh(h @ w)
    return jnp.sum(h * h)
rng = np.random.default_rng(0)
params = [rng.standard_normal((64, 64)).astype(np.float32) * 0.1 for _ in range(4)]
x = rng.standard_normal((8, 64)).astype(np.float32)
results = []
for delay in DELAYS:
    g = mlax.jit(mlax.grad(lambda p, x, k=delay: loss(p, x) * (1.0 + k)))
    timer = threading.Timer(delay, os.kill, (os.getpid(), signal.SIGINT))
    interrupted = False
    try:
        timer.start()
        g(params, x)
        timer.join()
        time.sleep(0.3)  # the signal lands here if the compile was faster
    except KeyboardInterrupt:
        interrupted = True
    timer.join()
    results.append(interrupted)
bad = battery("after real interrupts")
# The interrupted gradients, recompiled, are right. (JAX is imported only
# now: a SIGINT landing in its garbage-collection hook prints a traceback.)
LOSS_JAX
import jax
jax.config.update("jax_platforms", "cpu")
for delay in DELAYS:
    g = mlax.jit(mlax.grad(lambda p, x, k=delay: loss(p, x) * (1.0 + k)))
    want = jax.grad(lambda p, x: loss_jax(p, x) * (1.0 + delay))(params, x)
    for gi, wi in zip(g(params, x), want):
        if not np.allclose(np.asarray(gi), np.asarray(wi), rtol=2e-4, atol=1e-5):
            bad.append(f"grad with k={delay} differs from JAX")
print(json.dumps({"interrupted": results, "bad": bad}))
"""

_LOSS_JAX = """
import jax.numpy as jjnp
def loss_jax(params, x):
    h = x
    for w in params:
        h = jjnp.tanh(h @ w)
    return jjnp.sum(h * h)
"""


@pytest.mark.parametrize("in_process", [False, True], ids=["worker", "in_process"])
def test_interrupt_real_compiles_at_many_points(fresh_cache_env, in_process):
    env = dict(fresh_cache_env)
    if in_process:
        env["MLAX_COMPILE_IN_PROCESS"] = "1"
    else:
        env.pop("MLAX_COMPILE_IN_PROCESS", None)
    script = _INTERRUPT_REAL_COMPILES.replace("DELAYS", "[0.02, 0.1, 0.3, 0.6, 1.0]")
    script = script.replace("LOSS_JAX", _LOSS_JAX)
    out, stderr = _run(script, env)
    assert any(out["interrupted"]), "no compile was interrupted"
    assert out["bad"] == []
    assert "Traceback" not in stderr, stderr


def test_ctrl_c_to_the_process_group_spares_the_worker_tracebacks(fresh_cache_env):
    """A terminal's Ctrl-C reaches the whole process group, worker included:
    the worker must not print a traceback, and the parent goes on."""
    if IN_PROCESS:
        pytest.skip("the worker protocol is off")
    env = dict(fresh_cache_env, MLAX_TEST_COMPILE_DELAY="60")
    script = """
    interrupted = False
    def ctrl_c():
        while compiler._worker is None:
            time.sleep(0.01)
        time.sleep(1.0)
        os.killpg(os.getpgrp(), signal.SIGINT)
    t = threading.Thread(target=ctrl_c)
    try:
        t.start()
        mlax.jit(lambda x: x / 7.0)(np.ones(3, np.float32))
        t.join()
        time.sleep(0.5)
    except KeyboardInterrupt:
        interrupted = True
    t.join()
    del os.environ["MLAX_TEST_COMPILE_DELAY"]
    print(json.dumps({"interrupted": interrupted, "bad": battery("after ctrl-c")}))
    """
    out, stderr = _run(script, env, new_session=True)
    assert out["interrupted"] and out["bad"] == []
    assert "Traceback" not in stderr, stderr


def test_stale_responses_are_drained_not_taken():
    """The protocol itself: a response is accepted only for the request that
    waits for it. An abandoned request's answer, still in the pipe, is
    skipped by id."""
    if IN_PROCESS:
        pytest.skip("the worker protocol is off")
    worker = compile_worker.Worker()
    try:
        text_a = _lowered_text(lambda a, b: a * b, np.ones(2, np.float32), np.ones(2, np.float32))
        text_b = _lowered_text(lambda a: a + 1.0, np.ones(2, np.float32))
        # Send request A and abandon it: its answer stays in the pipe.
        key_a = compiler.cache_key(text_a, compiler.COMPILE_FLAGS)
        worker._send(
            next(compile_worker._request_ids), text_a.encode(), compiler.COMPILE_FLAGS, key_a
        )
        key_b = compiler.cache_key(text_b, compiler.COMPILE_FLAGS)
        ok, vmfb = worker.compile(text_b.encode(), compiler.COMPILE_FLAGS, key_b)
        assert ok
        exe = compiler.Executable(
            vmfb, devices.devices()[0], "main", [mlax.ShapedArray((2,), np.float32)]
        )
        out = exe.call([devices.devices()[0].put(np.array([1.0, 2.0], np.float32))])
        assert devices.to_numpy(out[0], mlax.ShapedArray((2,), np.float32)).tolist() == [2, 3]
    finally:
        worker.close()


def _lowered_text(fun, *args):
    return mlax.jit(fun).lower(*args).as_text("linalg")


def test_worker_exits_quietly_when_its_parent_dies(fresh_cache_env):
    if IN_PROCESS:
        pytest.skip("the worker protocol is off")
    env = dict(fresh_cache_env, MLAX_TEST_COMPILE_DELAY="60")
    script = _PRELUDE + textwrap.dedent(
        """
        compiler.start_compile_worker()
        print(compiler._worker.proc.pid, flush=True)
        mlax.jit(lambda x: x * 5.0)(np.ones(3, np.float32))  # blocks in the worker
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    worker_pid = int(parent.stdout.readline())
    time.sleep(1.0)  # the request is in the worker now
    parent.kill()
    parent.wait()
    # The worker dies with it (PR_SET_PDEATHSIG), not 60 s later.
    for _ in range(300):
        if not _alive(worker_pid):
            break
        time.sleep(0.1)
    assert not _alive(worker_pid)
    assert "Traceback" not in parent.stderr.read()


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


# ---------------------------------------------------------------------------
# Damaged cache entries
# ---------------------------------------------------------------------------


def _truncate(data, other):
    return data[: len(data) // 2]


def _flip(data, other):
    flipped = bytearray(data)
    for i in range(len(flipped) // 3, len(flipped), max(1, len(flipped) // 7)):
        flipped[i] ^= 0x5A
    return bytes(flipped)


def _flip_one_payload_byte(data, other):
    flipped = bytearray(data)
    flipped[-100] ^= 0x01
    return bytes(flipped)


def _zero(data, other):
    return bytes(len(data))


def _empty(data, other):
    return b""


def _other_entry(data, other):
    return other


def _header_only(data, other):
    return data[:40]


def _raw_vmfb(data, other):
    return compile_cache.decode_entry(other[1], other[0])  # a bare module, no header


DAMAGES = {
    "truncate": _truncate,
    "flip_bytes": _flip,
    "flip_one_payload_bit": _flip_one_payload_byte,
    "zero": _zero,
    "empty": _empty,
    "header_only": _header_only,
    "another_entrys_contents": _other_entry,
    "a_bare_vmfb": _raw_vmfb,
}


def _entries(cache_dir):
    found = set()
    for root, _, files in os.walk(cache_dir):
        found.update(os.path.join(root, f) for f in files)
    return found


def _forget_in_memory():
    compiler._vmfb_memory_cache.clear()


@pytest.fixture
def private_cache(tmp_path):
    old = mlax.config.cache_dir
    mlax.config.update("mlax_cache_dir", str(tmp_path / "cache"))
    try:
        yield tmp_path / "cache"
    finally:
        mlax.config.update("mlax_cache_dir", old)


_DAMAGE_SCRIPT = """
import warnings
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    f = mlax.jit(lambda x: jnp.cos(x) * SALT)
    g = mlax.jit(lambda x: x * x + SALT)
    x = np.arange(5, dtype=np.float32)
    out_f = np.asarray(f(x)).tolist()
    out_g = np.asarray(g(x)).tolist()
print(json.dumps({"f": out_f, "g": out_g, "stats": compiler.stats,
                  "warnings": [str(w.message) for w in caught]}))
"""


_SALTS = itertools.count(1)


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_damaged_entry_is_a_miss_in_this_and_a_fresh_process(
    damage, private_cache, fresh_cache_env
):
    # Unique in this process (the in-memory cache outlives each test's
    # private disk cache), varied across processes.
    salt = float(np.float32(1.0 + next(_SALTS) / 1024.0 + (time.time_ns() % 997) / 2.0**21))
    x = np.arange(5, dtype=np.float32)
    want_f = np.cos(x) * np.float32(salt)
    want_g = x * x + np.float32(salt)

    def f(x):
        return jnp.cos(x) * salt

    def g(x):
        return x * x + salt

    before = _entries(private_cache)
    mlax.jit(f)(x)
    f_entry = (_entries(private_cache) - before).pop()
    before = _entries(private_cache)
    mlax.jit(g)(x)
    (g_entry,) = _entries(private_cache) - before
    with open(f_entry, "rb") as fh:
        data = fh.read()
    with open(g_entry, "rb") as fh:
        other = fh.read()
    g_key = os.path.basename(g_entry)[: -len(compile_cache.SUFFIX)]
    damaged = DAMAGES[damage](data, (g_key, other) if damage == "a_bare_vmfb" else other)
    with open(f_entry, "wb") as fh:
        fh.write(damaged)

    # This process: the in-memory copy is gone, so the disk entry is read.
    _forget_in_memory()
    compiles = compiler.stats["iree_compiles"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = mlax.jit(f)(x)
    np.testing.assert_allclose(np.asarray(out), want_f, rtol=1e-6)
    assert compiler.stats["iree_compiles"] == compiles + 1, "the damaged entry must recompile"
    messages = [str(w.message) for w in caught if w.category is compile_cache.CacheWarning]
    assert len(messages) == 1 and f_entry in messages[0], messages
    with open(f_entry, "rb") as fh:  # rewritten whole
        compile_cache.decode_entry(fh.read(), os.path.basename(f_entry)[:-6])

    # Damage it again; a fresh process recompiles too, and g is untouched.
    with open(f_entry, "wb") as fh:
        fh.write(damaged)
    env = dict(fresh_cache_env, MLAX_CACHE_DIR=str(private_cache))
    result, _ = _run(_DAMAGE_SCRIPT.replace("SALT", repr(salt)), env)
    np.testing.assert_allclose(result["f"], want_f, rtol=1e-6)
    np.testing.assert_allclose(result["g"], want_g, rtol=1e-6)
    assert result["stats"]["iree_compiles"] == 1 and result["stats"]["disk_hits"] == 1
    assert len(result["warnings"]) == 1 and f_entry in result["warnings"][0]
    # A third process finds both entries whole.
    result, _ = _run(_DAMAGE_SCRIPT.replace("SALT", repr(salt)), env)
    assert result["stats"]["iree_compiles"] == 0 and result["warnings"] == []
    np.testing.assert_allclose(result["f"], want_f, rtol=1e-6)


def test_entry_that_verifies_but_will_not_load_is_recompiled(private_cache):
    """A whole entry whose module IREE rejects (e.g. written by a broken
    build) is dropped from both caches and compiled again."""
    salt = float(np.float32(2.0 + (time.time_ns() % 991) / 1024.0))

    def f(x):
        return x * 2.0 - salt

    x = np.arange(4, dtype=np.float32)
    mlax.jit(f)(x)
    (entry,) = _entries(private_cache)
    key = os.path.basename(entry)[: -len(compile_cache.SUFFIX)]
    with open(entry, "wb") as fh:
        fh.write(compile_cache.encode_entry(key, b"not a flatbuffer at all" * 10))
    _forget_in_memory()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = mlax.jit(f)(x)
    np.testing.assert_allclose(np.asarray(out), x * 2 - np.float32(salt))
    assert sum("could not load" in str(w.message) for w in caught) == 1
    with open(entry, "rb") as fh:
        assert compile_cache.decode_entry(fh.read(), key) != b"not a flatbuffer at all" * 10


def test_entry_format_round_trip_and_checks():
    entry = compile_cache.encode_entry("ab" * 32, b"payload bytes")
    assert compile_cache.decode_entry(entry, "ab" * 32) == b"payload bytes"
    with pytest.raises(ValueError, match="another key"):
        compile_cache.decode_entry(entry, "cd" * 32)
    with pytest.raises(ValueError, match="checksum"):
        compile_cache.decode_entry(entry[:-1] + b"X", "ab" * 32)
    with pytest.raises(ValueError, match="payload of"):
        compile_cache.decode_entry(entry + b"more", "ab" * 32)
    bumped = bytearray(entry)
    bumped[11] += 1  # the format version's low byte
    with pytest.raises(ValueError, match="format version"):
        compile_cache.decode_entry(bytes(bumped), "ab" * 32)


# ---------------------------------------------------------------------------
# Concurrency
# ---------------------------------------------------------------------------

_SAME_FUNCTIONS = """
bad = []
x = np.linspace(-2, 2, 64, dtype=np.float32)
for k in range(6):
    f = mlax.jit(lambda x, k=k: jnp.tanh(x * (k + 1)) + jnp.exp(-x * x) * k)
    want = np.tanh(x * (k + 1)) + np.exp(-x * x) * k
    got = np.asarray(f(x))
    if not np.allclose(got, want, rtol=1e-5, atol=1e-6):
        bad.append(k)
print(json.dumps({"bad": bad, "stats": compiler.stats}))
"""


def test_two_processes_fill_an_empty_cache_together(fresh_cache_env):
    script = _PRELUDE + textwrap.dedent(_SAME_FUNCTIONS)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            env=fresh_cache_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (stdout, stderr) in zip(procs, outs):
        assert p.returncode == 0, stderr
        result = json.loads(stdout.strip().splitlines()[-1])
        assert result["bad"] == []
        assert "damaged" not in stderr, stderr
    cache_dir = fresh_cache_env["MLAX_CACHE_DIR"]
    entries = _entries(cache_dir)
    assert entries and all(e.endswith(compile_cache.SUFFIX) for e in entries), entries
    for entry in entries:  # no temporary file left, every entry whole
        with open(entry, "rb") as fh:
            compile_cache.decode_entry(fh.read(), os.path.basename(entry)[:-6])
    # A third process compiles nothing.
    result, _ = _run(_SAME_FUNCTIONS, fresh_cache_env)
    assert result["bad"] == [] and result["stats"]["iree_compiles"] == 0


def test_threads_compile_and_call_at_once():
    salt = (time.time_ns() % 10**5) / 512.0
    errors = []

    def work(t):
        try:
            n = 3 + t
            x = np.arange(n, dtype=np.float32)
            f = mlax.jit(lambda x: x * (t + 1) + salt)
            for _ in range(3):
                np.testing.assert_allclose(
                    np.asarray(f(x)), x * (t + 1) + np.float32(salt), rtol=1e-6
                )
                y = jnp.asarray(x) - t  # eager, a new shape per thread
                np.testing.assert_allclose(np.asarray(y), x - t)
                m = np.ones((t + 1, 2), np.float32)
                np.testing.assert_allclose(np.asarray(jnp.sum(m, axis=0)), [t + 1, t + 1])
        except BaseException as error:  # reported below, not lost in a thread
            errors.append((t, repr(error)))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


# ---------------------------------------------------------------------------
# Unusable cache directories
# ---------------------------------------------------------------------------

_BAD_DIR_SCRIPT = """
import warnings
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    bad = battery("unusable cache dir")
print(json.dumps({"bad": bad, "warnings": [str(w.message) for w in caught],
                  "stats": compiler.stats}))
"""


def _check_runs_without_disk_cache(env, cache_dir, setup=""):
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _PRELUDE + textwrap.dedent(setup) + textwrap.dedent(_BAD_DIR_SCRIPT),
        ],
        env=dict(env, MLAX_CACHE_DIR=cache_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["bad"] == []
    assert len(result["warnings"]) == 1, result["warnings"]
    assert cache_dir in result["warnings"][0] and "without the disk cache" in result["warnings"][0]


def test_read_only_cache_dir(fresh_cache_env, tmp_path):
    if os.geteuid() == 0:
        # root writes through permission bits; /proc/self is read-only for all
        cache_dir = "/proc/self"
    else:
        cache_dir = str(tmp_path / "ro")
        os.mkdir(cache_dir, 0o555)
    _check_runs_without_disk_cache(fresh_cache_env, cache_dir)


def test_missing_cache_dir_that_cannot_be_created(fresh_cache_env, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    _check_runs_without_disk_cache(fresh_cache_env, str(blocker / "cache"))


@pytest.mark.skipif(IN_PROCESS, reason="IREE itself needs temporary files in-process")
def test_full_disk(fresh_cache_env, tmp_path):
    """A file-size limit makes every cache write fail as a full disk does
    (EFBIG instead of ENOSPC: the same OSError path). The compile worker
    starts first: IREE's own temporary files are not the cache's."""
    setup = """
    import resource
    compiler.start_compile_worker()
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))
    """
    _check_runs_without_disk_cache(fresh_cache_env, str(tmp_path / "full"), setup)
    assert not [e for e in _entries(tmp_path / "full") if e.endswith(compile_cache.SUFFIX)]
