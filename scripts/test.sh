#!/usr/bin/env bash
# Sets mlax up (first run builds it into .venv) and runs every test:
# lit (dialect and passes, through the installed mlax-opt) then pytest.
source "$(dirname "$0")/_venv.sh"
lit -v test/dialect test/passes
python -m pytest test/python -q "$@"
