"""Every op's sharding rule (passes/spmd/ShardingRules.cpp) against the
unsharded result.

Every mlax.numpy and mlax.lax function, through one parity case each (the
cases parity.py's modules list): jit(f) with its operands split over 2
devices, along each dimension in turn, must give NumPy's result. The
partitioner must then keep a dimension split where the op allows, or
gather it, or combine partial results, and any mistake shows in the
values. All layouts of a case run in one jitted function (one compile).
"""

import copy
import warnings

import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from mlax import lax
from mlax.sharding import Mesh, NamedSharding
from mlax.sharding import PartitionSpec as P
from parity import (
    LAX_CASE_MODULES,
    NUMPY_CASE_MODULES,
    VALUE_DEPENDENT_SIZES,
    A,
    all_cases,
    compare_outputs,
    low_precision_result,
    upcast,
)

SPLIT = 2


@pytest.fixture(scope="module", autouse=True)
def two_devices():
    old = mlax.config.num_cpu_devices
    mlax.config.update("jax_num_cpu_devices", max(old, SPLIT))
    yield
    mlax.config.update("jax_num_cpu_devices", old)


def _selected_cases():
    seen, out = set(), []
    for case in all_cases(NUMPY_CASE_MODULES + LAX_CASE_MODULES):
        if (
            case.xfail
            or not case.values
            or (case.covers[0] in VALUE_DEPENDENT_SIZES and not case.jax)
            or case.covers[0] in seen
        ):
            continue
        args = case.np_args()
        if not any(
            isinstance(a, A) and any(s % SPLIT == 0 for s in np.shape(v))
            for a, v in zip(case.args, args)
        ):
            continue
        seen.add(case.covers[0])
        out.append(case)
    return out


SELECTED = _selected_cases()


def _layouts(arrays):
    """(name, spec per operand): each dimension of each operand split in
    turn, and every operand split along its first even dimension."""
    layouts = []
    for i, a in enumerate(arrays):
        for d, size in enumerate(np.shape(a)):
            if size % SPLIT == 0:
                specs = [P()] * len(arrays)
                specs[i] = P(*([None] * d + ["x"]))
                layouts.append((f"operand{i}-dim{d}", specs))
    every = []
    for a in arrays:
        even = [d for d, s in enumerate(np.shape(a)) if s % SPLIT == 0]
        every.append(P(*([None] * even[0] + ["x"])) if even else P())
    if len(arrays) > 1:
        layouts.append(("every-operand", every))
    return layouts


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in SELECTED])
def test_sharded_op_matches_unsharded(case):
    module = lax if case.lax else jnp
    args = case.np_args()
    array_pos = [i for i, a in enumerate(case.args) if isinstance(a, A)]
    arrays = [args[i] for i in array_pos]
    layouts = _layouts(arrays)
    mesh = Mesh(np.array(mlax.devices()[:SPLIT]), ("x",))

    low = low_precision_result(args)
    ref_args = [upcast(a) for a in args] if low is not None else args
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = case.ref(*ref_args) if case.ref else case.fn(np, *ref_args)

    def run_all(*flat):
        results, n = [], len(arrays)
        for k in range(len(layouts)):
            full = list(args)
            for j, i in enumerate(array_pos):
                full[i] = flat[k * n + j]
            results.append(case.fn(module, *full))
        return results

    flat = [
        mlax.device_put(jnp.asarray(a), NamedSharding(mesh, spec))
        for _, specs in layouts
        for a, spec in zip(arrays, specs)
    ]
    got = mlax.jit(run_all)(*flat)
    # Split reductions add partial sums in another order: a few ulp, not bits.
    loose = copy.copy(case)
    if loose.exact:
        loose.exact = False
    for (name, _), out in zip(layouts, got):
        try:
            compare_outputs(loose, out, want, low)
        except AssertionError as e:
            raise AssertionError(f"{case.id} [{name}]: {e}") from None
