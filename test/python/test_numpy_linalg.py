"""NumPy parity of mlax.numpy's linear algebra (dot, matmul, inner, outer,
tensordot, einsum); machinery in parity.py."""

import jax.numpy as jax_np
import mlax.numpy as jnp
import pytest
from parity import (
    S23,
    A,
    Case,
    call,
    check_against_jax,
    run_case,
)

CASES = []


def add(*args, **kw):
    CASES.append(Case(*args, **kw))


# Linear algebra
add("dot-vv", call("dot"), A((3,)), A((3,)))
add("dot-mm", call("dot"), A((2, 3)), A((3, 4)))
add("dot-mv", call("dot"), A((2, 3)), A((3,)))
add("dot-vm", call("dot"), A((3,)), A((3, 4)))
add("dot-scalar", call("dot"), A(()), A((2, 3)))
add("dot-3d2d", call("dot"), A((2, 2, 3)), A((3, 4)))
add("dot-i32", call("dot"), A((2, 3), "i32"), A((3, 4), "i32"))
add("dot-mixed", call("dot"), A((2, 3), "i32"), A((3,), "f32"))
add("matmul-mm", call("matmul"), A((2, 3)), A((3, 4)))
add("matmul-batch", call("matmul"), A((2, 2, 3)), A((2, 3, 4)))
add("matmul-bcast-batch", call("matmul"), A((2, 1, 2, 3)), A((3, 3, 4)))
add("matmul-3d2d", call("matmul"), A((2, 2, 3)), A((3, 4)))
add("matmul-vm", call("matmul"), A((3,)), A((3, 4)))
add("matmul-mv", call("matmul"), A((2, 3)), A((3,)))
add("matmul-vv", call("matmul"), A((3,)), A((3,)))
add("matmul-bf16", call("matmul"), A((2, 3), "bf16"), A((3, 4), "bf16"))
add("matmul-i32", call("matmul"), A((2, 3), "i32"), A((3, 4), "i32"))
add("matmul-bool", call("matmul"), A(S23, "bool"), A((3, 2), "bool"))
add("dot-bool", call("dot"), A((3,), "bool"), A((3,), "bool"))
add("inner-bool", call("inner"), A(S23, "bool"), A((4, 3), "bool"))
add("tensordot-bool", lambda m, x, y: m.tensordot(x, y, 1), A(S23, "bool"), A((3, 2), "bool"))
add("vdot", call("vdot"), A((2, 3)), A((2, 3)))
add("inner-vv", call("inner"), A((3,)), A((3,)))
add("inner-mm", call("inner"), A((2, 3)), A((4, 3)))
add("inner-scalar", call("inner"), A(()), A((3,)))
add("outer", call("outer"), A((3,)), A((4,)))
add("outer-2d", call("outer"), A((2, 2), "i32"), A((3,), "i32"))
add("tensordot-2", call("tensordot"), A((2, 3, 4)), A((3, 4, 2)))
add("tensordot-1", lambda m, a, b: m.tensordot(a, b, axes=1), A((2, 3)), A((3, 4)))
add("tensordot-0", lambda m, a, b: m.tensordot(a, b, axes=0), A((2,)), A((3,)))
add(
    "tensordot-pairs",
    lambda m, a, b: m.tensordot(a, b, axes=([0, 2], [1, 0])),
    A((2, 3, 4)),
    A((4, 2, 5)),
)
add("tensordot-int-pair", lambda m, a, b: m.tensordot(a, b, axes=(1, 0)), A((2, 3)), A((3, 4)))
_ES = {
    "matmul": ("ij,jk->ik", A((2, 3)), A((3, 4))),
    "batch": ("bij,bjk->bik", A((2, 2, 3)), A((2, 3, 4))),
    "transpose": ("ij->ji", A((2, 3))),
    "sum-all": ("ij->", A((2, 3))),
    "sum-axis": ("ij->j", A((2, 3))),
    "outer": ("i,j->ij", A((3,)), A((4,))),
    "implicit": ("ij,jk", A((2, 3)), A((3, 4))),
    "dot": ("i,i->", A((3,)), A((3,))),
    "3op": ("ij,jk,kl->il", A((2, 3)), A((3, 4)), A((4, 2))),
    "permuted-out": ("bij,bjk->kbi", A((2, 2, 3)), A((2, 3, 4))),
    "i32": ("ij,jk->ik", A((2, 3), "i32"), A((3, 4), "i32")),
    "diagonal": ("ii->i", A((3, 3))),
    "trace": ("ii", A((3, 3))),
    "diag-then-contract": ("ij,jj->i", A((3, 3)), A((3, 3))),
    "triple-diagonal": ("iii->i", A((2, 2, 2))),
    "ellipsis-batch": ("...jk,kl->...jl", A((2, 3, 4)), A((4, 5))),
    "ellipsis-broadcast": ("...ij,...jk", A((2, 1, 3, 4)), A((5, 4, 6))),
    "ellipsis-diagonal": ("...ii->...i", A((2, 3, 3))),
    "ellipsis-implicit": ("i...->...", A((3, 2))),
}
for _eid, (_spec, *_ops) in _ES.items():
    add(f"einsum-{_eid}", lambda m, *a, _s=_spec: m.einsum(_s, *a), *_ops)


@pytest.mark.parametrize("case", [c.param() for c in CASES])
def test_numpy_parity(case):
    run_case(case)


@pytest.mark.parametrize("case", [c.param(jax=True) for c in CASES if c.jax])
def test_numpy_matches_jax(case):
    check_against_jax(case, jnp, jax_np)
