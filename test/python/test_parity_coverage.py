"""Every public mlax.numpy and mlax.lax function is exercised by some parity
case (the CASES of the modules parity.py lists) or explicit test."""

import mlax.numpy as jnp
from mlax import lax
from parity import LAX_CASE_MODULES, NUMPY_CASE_MODULES, all_cases

_NUMPY_NON_CASE = {  # tested by explicit tests in test_array_api.py
    "shape",
    "ndim",
    "size",
    "broadcast_shapes",
    "result_type",
    "promote_types",
    "finfo",
    "iinfo",
    "issubdtype",
    # return Python bools; test_numpy_math.py::test_object_predicates
    "isscalar",
    "iscomplexobj",
    "isrealobj",
    # test_numpy_math.py: ufunc objects and the dtype namespace
    "frompyfunc",
    "can_cast",
    "isdtype",
    "from_dlpack",
    "einsum_path",
}


def _public_callables(module):
    return {
        n
        for n in dir(module)
        if not n.startswith("_")
        and callable(getattr(module, n))
        and not isinstance(getattr(module, n), type)
    }


def test_every_numpy_function_is_covered():
    covered = {c for case in all_cases(NUMPY_CASE_MODULES) for c in case.covers} | _NUMPY_NON_CASE
    # The callable scalar types (jnp.int16, ...) are all the same converter.
    scalar_types = {
        n for n in _public_callables(jnp) if type(getattr(jnp, n)).__name__ == "_ScalarType"
    }
    missing = _public_callables(jnp) - covered - scalar_types
    assert not missing, f"mlax.numpy functions without a parity case: {sorted(missing)}"


def test_every_lax_function_is_covered():
    covered = {c for case in all_cases(LAX_CASE_MODULES) for c in case.covers}
    missing = _public_callables(lax) - covered
    assert not missing, f"mlax.lax functions without a parity case: {sorted(missing)}"
