# Sourced by the scripts here: creates .venv on first use and installs mlax
# (a real C++ build of the dialect, passes, mlax-opt and the bindings).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MLAX_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
# shellcheck disable=SC1091
. "$VENV/bin/activate"
if ! python -c "import mlax._mlir, mlax" >/dev/null 2>&1 || [ "${MLAX_REINSTALL:-0}" = 1 ]; then
  python -m pip install --quiet --upgrade pip
  python -m pip install "$ROOT[test]"
fi
cd "$ROOT"
