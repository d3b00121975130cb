#!/usr/bin/env python3
"""Lists, for every op row of docs/status.md, the tests behind each cell that
claims a rule is checked, and exits 1 when such a cell has no test at all.

A claim is a cell that starts with "yes", and a jvp/vjp cell that says "zero"
(docs/status.md: zero-derivative ops are checked in both modes by
test_zero_derivatives.py). The evidence is found by name, column by column:

  verify    a lit test in test/dialect/ uses the op (round trip or diagnostic)
  lit rt    a round-trip file test/dialect/ops_*.mlir / canonicalize.mlir uses it
  lit diag  an `expected-error` in test/dialect/invalid_*.mlir names 'mlax.<op>'
  lower     test/passes/mlax-lower-to-linalg*.mlir (or, for collectives,
            mlax-lower-collectives*.mlir) uses it
  numpy     test/python/test_lax_ops.py has a case of its lax function
  jvp, vjp  test/python/test_autodiff.py or test_zero_derivatives.py calls
            its lax or numpy function (or names it as a case)
  batch     a loop-and-stack case of test_vmap.py exercises its function (the
            parity cases test_vmap.py selects, read by importing it), or
            test_vmap.py / test_spmd.py calls the function;
            test/passes/mlax-batch.mlir lines are listed too, but do not
            count on their own
  shard     a case of test_sharding_rules.py (split operands against the
            unsharded result) exercises its function, or test_spmd.py calls
            it; test/passes/mlax-spmd-partition.mlir and
            mlax-sharding-propagation.mlir lines are listed too

  native    test_native.py's OPS table has a case named after the op
            (exported, compiled natively, compared with the IREE path)

Finding a name is not proof that the rule is checked: it catches cells that
no test could be checking. Run from anywhere: python scripts/status_coverage.py
[-v | -q] (-v lists every piece of evidence, not only the first three; -q only
the cells without a test).
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATUS = ROOT / "docs" / "status.md"
PYTEST_DIR = ROOT / "test" / "python"

# op -> (mlax.lax spellings, mlax.numpy / mlax spellings). Ops missing here
# are spelled as their own name in both (exp: lax.exp, jnp.exp).
SPELLINGS = {
    "constant": (["full", "full_like"], ["asarray", "array", "full", "zeros", "ones"]),
    "iota": (["iota", "broadcasted_iota"], ["arange", "eye", "identity"]),
    "convert": (["convert_element_type"], ["astype"]),
    "bitcast_convert": (["bitcast_convert_type"], []),
    "neg": (["neg"], ["negative"]),
    "abs": (["abs"], ["abs", "absolute"]),
    "not": (["bitwise_not"], ["invert", "bitwise_not", "logical_not"]),
    "round": (["round"], ["round", "around"]),
    "integer_pow": (["integer_pow"], ["square"]),
    "is_finite": (["is_finite"], ["isfinite"]),
    "sub": (["sub"], ["subtract"]),
    "mul": (["mul"], ["multiply"]),
    "div": (["div"], ["divide", "true_divide"]),
    "rem": (["rem"], ["fmod", "remainder", "mod"]),
    "pow": (["pow"], ["power"]),
    "max": (["max"], ["maximum"]),
    "min": (["min"], ["minimum"]),
    "atan2": (["atan2"], ["arctan2"]),
    "and": (["bitwise_and"], ["bitwise_and", "logical_and"]),
    "or": (["bitwise_or"], ["bitwise_or", "logical_or"]),
    "xor": (["bitwise_xor"], ["bitwise_xor", "logical_xor"]),
    "shift_left": (["shift_left"], ["left_shift"]),
    "shift_right_logical": (["shift_right_logical"], []),
    "shift_right_arithmetic": (["shift_right_arithmetic"], ["right_shift"]),
    "compare": (
        ["eq", "ne", "lt", "le", "gt", "ge"],
        ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal"],
    ),
    "select": (["select", "select_n"], ["where"]),
    "clamp": (["clamp"], ["clip"]),
    "broadcast_in_dim": (["broadcast_in_dim", "broadcast"], ["broadcast_to"]),
    "reshape": (["reshape"], ["reshape", "ravel"]),
    "transpose": (["transpose"], ["transpose", "swapaxes", "moveaxis"]),
    "rev": (["rev"], ["flip"]),
    "concatenate": (["concatenate"], ["concatenate", "stack"]),
    "pad": (["pad"], ["pad"]),
    "slice": (["slice"], ["split", "getitem"]),
    "dynamic_slice": (["dynamic_slice", "dynamic_index_in_dim"], []),
    "dynamic_update_slice": (["dynamic_update_slice"], []),
    "reduce_sum": (["reduce_sum"], ["sum", "mean"]),
    "reduce_prod": (["reduce_prod"], ["prod"]),
    "reduce_max": (["reduce_max"], ["max", "amax"]),
    "reduce_min": (["reduce_min"], ["min", "amin"]),
    "reduce_and": (["reduce_and"], ["all"]),
    "reduce_or": (["reduce_or"], ["any"]),
    "argmax": (["argmax"], ["argmax"]),
    "argmin": (["argmin"], ["argmin"]),
    "dot_general": (["dot_general", "dot"], ["dot", "matmul", "einsum", "tensordot"]),
    # transformation requests: spelled as the API that emits them
    "vjp": ([], ["grad", "vjp", "value_and_grad", "jacrev"]),
    "jvp": ([], ["jvp", "jacfwd", "linearize"]),
    "batch": ([], ["vmap"]),
    # SPMD: the collectives under their lax names, shard_map as the APIs
    # that emit it
    "psum": (["psum", "pmean", "pmax", "pmin", "pbroadcast"], []),
    "ppermute": (["ppermute", "pshuffle"], []),
    "axis_index": (["axis_index"], []),
    "shard_map": ([], ["shard_map", "pmap"]),
    "sharding_constraint": (["with_sharding_constraint"], []),
    # control flow under its lax names
    "cond": (["cond", "switch"], ["cond", "switch"]),
    "while": (["while_loop", "fori_loop"], ["while_loop", "fori_loop"]),
    "scan": (["scan", "map", "fori_loop"], ["scan", "map", "fori_loop"]),
    # indexing: the point ops under the functions and methods that emit them
    "gather": (["take", "take_along_axis"], ["take", "take_along_axis"]),
    "scatter": (["segment_sum", "segment_max"], ["segment_sum", "segment_max"]),
    "top_k": (["top_k"], ["partition", "argpartition"]),
    # host callbacks: the APIs that emit them (test_callbacks.py)
    "host_callback": (
        _CALLBACKS := ["debug.print", "debug.callback", "pure_callback", "io_callback"],
        _CALLBACKS,
    ),
}

PYTHON_COLUMNS = {
    "numpy": [
        "test_lax_ops.py",
        "test_control_flow.py",
        "test_indexing.py",
        "test_sorting.py",
        "test_cumulative.py",
        "test_callbacks.py",
    ],
    "jvp": [
        "test_autodiff.py",
        "test_zero_derivatives.py",
        "test_spmd.py",
        "test_control_flow.py",
        "test_indexing.py",
        "test_sorting.py",
        "test_callbacks.py",
    ],
    "vjp": [
        "test_autodiff.py",
        "test_zero_derivatives.py",
        "test_spmd.py",
        "test_control_flow.py",
        "test_indexing.py",
        "test_sorting.py",
        "test_callbacks.py",
    ],
    "batch": [
        "test_vmap.py",
        "test_spmd.py",
        "test_control_flow.py",
        "test_indexing.py",
        "test_sorting.py",
        "test_callbacks.py",
    ],
    "shard": [
        "test_spmd.py",
        "test_control_flow.py",
        "test_indexing.py",
        "test_sorting.py",
        "test_cumulative.py",
        "test_callbacks.py",
    ],
}


def parse_status():
    """[(op, {column: cell})] of the op table."""
    rows, header = [], None
    for line in STATUS.read_text().splitlines():
        if not line.startswith("|"):
            if header is not None and rows:
                break
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            if cells and cells[0] == "op":
                header = cells
            continue
        if set(cells[0]) <= set("-: "):
            continue
        op = cells[0].strip("`")
        rows.append((op, dict(zip(header[1:], cells[1:]))))
    if not rows:
        sys.exit(f"{STATUS}: no op table found")
    return rows


def claims(column, cell):
    if cell.startswith("yes"):
        return True
    return column in ("jvp", "vjp") and cell == "zero"


class Files:
    """Text of the test files, read once."""

    def __init__(self):
        self._cache = {}

    def lines(self, path):
        if path not in self._cache:
            self._cache[path] = path.read_text().splitlines() if path.exists() else []
        return self._cache[path]

    def grep(self, paths, pattern):
        regex = re.compile(pattern)
        found = []
        for path in paths:
            for number, line in enumerate(self.lines(path), 1):
                if regex.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}")
        return found


def mlir_op(op):
    """An IR line (not a comment: CHECK-NOT lines name ops that are gone) using op."""
    return rf"^(?!\s*//).*\bmlax\.{re.escape(op)}\b(?![.\w])"


def python_names(op, lax_names, numpy_names):
    """A regex matching a call or a case of the op's Python functions."""
    names = sorted(set(lax_names) | set(numpy_names))
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in names)
    prefixed = rf"\b(?:lax|l|m|lib|jnp|mlax|jax\.lax|jjnp)\.(?:{alternatives})\b"
    quoted = rf"\"(?:{alternatives})(?:\"|-)"  # case names and ids: "max", "max-f32"
    return rf"{prefixed}|{quoted}"


def selected_cases(module_name, column):
    """(case id, covers name, is lax) of every case a test module selects."""
    sys.path.insert(0, str(PYTEST_DIR))
    try:
        module = __import__(module_name)  # needs mlax and jax: imported only here
    except Exception as error:  # noqa: BLE001 - reported, then fatal
        sys.exit(f"cannot import test/python/{module_name}.py for the {column} column: {error!r}")
    return [(c.id, c.covers[0], c.lax) for c in module.SELECTED]


def evidence(op, column, files, selected):
    lax_names, numpy_names = SPELLINGS.get(op, ([op], [op]))
    dialect = sorted((ROOT / "test" / "dialect").glob("*.mlir"))
    if column == "verify":
        return files.grep(dialect, mlir_op(op)), []
    if column == "lit rt":
        round_trip = [p for p in dialect if not p.name.startswith("invalid")]
        return files.grep(round_trip, mlir_op(op)), []
    if column == "lit diag":
        invalid = [p for p in dialect if p.name.startswith("invalid")]
        return files.grep(invalid, rf"expected-error.*'mlax\.{re.escape(op)}'"), []
    if column == "lower":
        passes = ROOT / "test" / "passes"
        lowering = sorted(passes.glob("mlax-lower-to-linalg*.mlir"))
        lowering += sorted(passes.glob("mlax-lower-collectives*.mlir"))
        return files.grep(lowering, mlir_op(op)), []
    if column in PYTHON_COLUMNS:
        paths = [PYTEST_DIR / name for name in PYTHON_COLUMNS[column]]
        if column == "numpy":
            pattern = python_names(op, lax_names, [])
        else:
            pattern = python_names(op, lax_names, numpy_names)
        found = files.grep(paths, pattern) if pattern else []
        extra = []
        if column == "batch":
            found = [
                f"test_vmap_matches_loop[{case_id}]"
                for case_id, name, is_lax in selected["batch"]
                if name in (lax_names if is_lax else numpy_names)
            ] + found
            extra = files.grep([ROOT / "test" / "passes" / "mlax-batch.mlir"], mlir_op(op))
        if column == "shard":
            found = [
                f"test_sharded_op_matches_unsharded[{case_id}]"
                for case_id, name, is_lax in selected["shard"]
                if name in (lax_names if is_lax else numpy_names)
            ] + found
            passes = ROOT / "test" / "passes"
            extra = files.grep(
                [passes / "mlax-spmd-partition.mlir", passes / "mlax-sharding-propagation.mlir"],
                mlir_op(op),
            )
        return found, extra
    if column == "native":
        return files.grep([PYTEST_DIR / "test_native.py"], rf'^    "{re.escape(op)}": \('), []
    return None, []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list all evidence")
    parser.add_argument("-q", "--quiet", action="store_true", help="list only cells without tests")
    args = parser.parse_args()
    out = (lambda *a, **k: None) if args.quiet else print
    files = Files()
    selected = {
        "batch": selected_cases("test_vmap", "batch"),
        "shard": selected_cases("test_sharding_rules", "shard"),
    }
    missing = []
    for op, cells in parse_status():
        out(f"{op}")
        for column, cell in cells.items():
            if not claims(column, cell):
                continue
            found, extra = evidence(op, column, files, selected)
            if found is None:
                continue  # a column this script does not check
            shown = found if args.verbose else found[:3]
            more = "" if args.verbose or len(found) <= 3 else f" (+{len(found) - 3} more)"
            status = ", ".join(shown) + more if found else "NO TEST"
            out(f"  {column:9} {cell[:20]:20} {status}")
            if extra and args.verbose:
                out(f"  {'':9} {'':20} also: {', '.join(extra)}")
            if not found:
                missing.append(f"{op}: {column} ({cell})")
    if missing:
        print(
            f"status_coverage: {len(missing)} claimed cell(s) of docs/status.md with no test:",
            file=sys.stderr,
        )
        for m in missing:
            print(f"  {m}", file=sys.stderr)
        return 1
    print("status_coverage: every claimed cell of docs/status.md has at least one test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
