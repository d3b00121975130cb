#!/usr/bin/env bash
# Sets mlax up (first run builds it into .venv) and runs the seed example.
source "$(dirname "$0")/_venv.sh"
python examples/cube.py
