"""Multi-process SPMD: examples/pmap_mpi.py under `mpiexec -n 2` (one
device per process, collectives through MPI) prints what the same program
prints in one process on two devices."""

import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples", "pmap_mpi.py")


def _mpiexec():
    exe = shutil.which(
        "mpiexec", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    )
    if exe is None:
        pytest.fail("mpiexec not found: install the test extra (mpi4py and the mpich wheel)")
    return exe


def _run(cmd):
    env = dict(os.environ)
    env.pop("MLAX_NUM_CPU_DEVICES", None)
    proc = subprocess.run(
        cmd, capture_output=True, text=True, timeout=600, env=env, cwd=ROOT, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(("psum:", "step:"))]
    assert len(lines) == 2, proc.stdout + proc.stderr
    return lines, proc.stderr


def test_pmap_psum_and_data_parallel_step_over_mpi_match_one_process():
    single, _ = _run([sys.executable, EXAMPLE, "--single"])
    multi, stderr = _run([_mpiexec(), "-n", "2", sys.executable, EXAMPLE])
    assert single[0] == "psum: [4.0, 6.0, 8.0, 10.0]"
    assert multi == single
    assert "leaked" not in stderr and "Traceback" not in stderr, stderr
