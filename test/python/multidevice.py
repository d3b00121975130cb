"""Runs a test script in a fresh interpreter with two host devices (the
device count is fixed when mlax starts, so sharded checks that need a
mesh of two get a process of their own)."""

import os
import subprocess
import sys
import textwrap


def run_script(script, env=None, timeout=600):
    """Runs `script` (dedented) in a fresh interpreter with `env` added to
    the environment; fails the test with its output unless it exits 0.
    Returns what it printed."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        env=dict(os.environ, **(env or {})),
        timeout=timeout,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def run_on_two_devices(script, timeout=600):
    """Runs `script` with MLAX_NUM_CPU_DEVICES=2; it must print "ok" last.
    Fails the test with the script's output otherwise."""
    out = run_script(script, {"MLAX_NUM_CPU_DEVICES": "2"}, timeout)
    assert "ok" in out, out
