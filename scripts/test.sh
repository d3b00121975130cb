#!/usr/bin/env bash
# Sets mlax up (first run builds it into .venv) and runs every test:
# lit (dialect, passes and tools, through the installed mlax-opt and
# mlax-compile), pytest, then
# scripts/status_coverage.py (every claim of docs/status.md has a test).
source "$(dirname "$0")/_venv.sh"
# The test extra (pyproject.toml) must be complete: jax and scipy are the
# references that many tests compare with, and a missing reference must fail
# the run rather than quietly skip a third of it. mpi4py (with the mpich
# wheel's mpiexec) runs the multi-process tests.
missing=()
for module in jax scipy pytest xdist lit mpi4py; do
  python -c "import $module" >/dev/null 2>&1 || missing+=("$module")
done
if [ "${#missing[@]}" -ne 0 ]; then
  echo "error: the test dependencies ${missing[*]} cannot be imported;" \
    "install them with: pip install -e '.[test]'" >&2
  exit 1
fi
lit -v test/dialect test/passes test/tools
# Up to 4 workers (-n auto caps at the core count): IREE compiles dominate,
# and each worker compiles in its own process (12 min instead of 23.5 on
# 2 cores with a cold cache).
python -m pytest test/python -q -n auto --maxprocesses 4 "$@"
# Every cell of docs/status.md that claims a checked rule names a test.
python scripts/status_coverage.py --quiet
