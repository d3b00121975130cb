"""vmap (the mlax-batch pass) against loop-and-stack.

Every mlax.numpy and mlax.lax function, through the parity cases of
test_numpy_parity.py (up to two cases per function): vmap(f) must equal
NumPy's f applied to each example and stacked, with every operand batched at
every axis position, with mixed batched / unbatched operands, and with a
batch of one. All configurations of a case run in one jitted function, so a
case costs one compile.
"""

import warnings
from collections import defaultdict
from functools import partial

import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from mlax import lax
from test_numpy_parity import CASES, LAX_CASES, A, _low_precision_result, _upcast, compare_outputs

B = 3  # examples per batch


def _selected_cases():
    per_function = defaultdict(list)
    for case in CASES + LAX_CASES:
        if case.xfail or not case.values or not any(isinstance(a, A) for a in case.args):
            continue
        if len(per_function[case.covers[0]]) < 2:
            per_function[case.covers[0]].append(case)
    return [c for cases in per_function.values() for c in cases]


SELECTED = _selected_cases()


def _configurations(ndims):
    """(name, batch size, per-operand in_axes) for operands of ranks ndims."""
    configs = [("all-axis0", B, [0] * len(ndims)), ("size1", 1, [0] * len(ndims))]
    for i, nd in enumerate(ndims):
        for p in range(1, nd + 1):
            axes = [0] * len(ndims)
            axes[i] = p
            configs.append((f"operand{i}-axis{p}", B, axes))
        if len(ndims) > 1:
            axes = [None] * len(ndims)
            axes[i] = -1 if nd else 0
            configs.append((f"only-operand{i}", B, axes))
    return configs


def _example_args(case, k):
    """The case's arguments for example k (arrays differ per example)."""
    rng = np.random.default_rng(1000 + k)
    return [a.make(rng) if isinstance(a, A) else a for a in case.args]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in SELECTED])
def test_vmap_matches_loop(case):
    module = lax if case in LAX_CASES else jnp
    examples = [_example_args(case, k) for k in range(B)]
    array_pos = [i for i, a in enumerate(case.args) if isinstance(a, A)]
    ndims = [np.ndim(examples[0][i]) for i in array_pos]
    configs = _configurations(ndims)

    def per_example(*arrays, template):
        args = list(template)
        for i, a in zip(array_pos, arrays):
            args[i] = a
        return case.fn(module, *args)

    # Inputs of each configuration: batched operands stacked at their axis.
    inputs, expected = [], []
    for _, size, axes in configs:
        operands = []
        for j, i in enumerate(array_pos):
            if axes[j] is None:
                operands.append(examples[0][i])
            else:
                stacked = np.stack([examples[k][i] for k in range(size)])
                operands.append(np.moveaxis(stacked, 0, axes[j]))
        inputs.append(operands)
        outs = []
        for k in range(size):
            args = [
                examples[k][i] if axes[j] is not None else examples[0][i]
                for j, i in enumerate(array_pos)
            ]
            full = list(examples[0])
            for j, i in enumerate(array_pos):
                full[i] = args[j]
            low = _low_precision_result(full)
            ref_args = [_upcast(a) for a in full] if low is not None else full
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                outs.append(case.ref(*ref_args) if case.ref else case.fn(np, *ref_args))
        multi = isinstance(outs[0], (list, tuple))
        stacked = (
            [np.stack([np.asarray(o[t]) for o in outs]) for t in range(len(outs[0]))]
            if multi
            else np.stack([np.asarray(o) for o in outs])
        )
        expected.append((stacked, low))

    def run_all(*flat):
        results, pos = [], 0
        for _, _, axes in configs:
            n = len(axes)
            f = partial(per_example, template=examples[0])
            results.append(mlax.vmap(f, in_axes=tuple(axes))(*flat[pos : pos + n]))
            pos += n
        return results

    flat_inputs = [jnp.asarray(x) for operands in inputs for x in operands]
    got = mlax.jit(run_all)(*flat_inputs)
    for (name, _, _), out, (want, low) in zip(configs, got, expected):
        try:
            compare_outputs(case, out, want, low)
        except AssertionError as e:
            raise AssertionError(f"{case.id} [{name}]: {e}") from None
