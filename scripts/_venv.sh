# Sourced by the scripts here: creates .venv on first use and installs mlax
# (a real C++ build of the dialect, passes, mlax-opt and the bindings). It
# reinstalls when the checkout changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MLAX_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
# shellcheck disable=SC1091
. "$VENV/bin/activate"
stamp="$( (git -C "$ROOT" rev-parse HEAD 2>/dev/null; git -C "$ROOT" status --porcelain 2>/dev/null |
  grep -v -e '^?? \.venv' -e '^?? \.ci-venv' || true) | sha256sum | cut -c1-16)"
if [ "$(cat "$VENV/.mlax-stamp" 2>/dev/null)" != "$stamp" ] ||
  ! (cd / && python -c "import mlax._mlir, mlax") >/dev/null 2>&1; then
  python -m pip install --quiet --upgrade pip
  python -m pip install "$ROOT[test]"
  echo "$stamp" > "$VENV/.mlax-stamp"
fi
cd "$ROOT"
