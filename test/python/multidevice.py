"""Runs a test script in a fresh interpreter with two host devices (the
device count is fixed when mlax starts, so sharded checks that need a
mesh of two get a process of their own)."""

import os
import subprocess
import sys
import textwrap


def run_on_two_devices(script, timeout=600):
    """Runs `script` (dedented) with MLAX_NUM_CPU_DEVICES=2; it must print
    "ok" last. Fails the test with the script's output otherwise."""
    env = dict(os.environ, MLAX_NUM_CPU_DEVICES="2")
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    assert proc.returncode == 0 and "ok" in proc.stdout, proc.stdout + proc.stderr
