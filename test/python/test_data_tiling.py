"""IREE's data tiling (FAST_FLAGS): which modules get it, and that fused
contractions stay correct with it.

IREE 3.13 with data tiling dropped the op a contraction-like generic applied
to an input before its multiply (sin(a) * b summed over the basis of a
jacrev); mlax-fuse-elementwise keeps mlax from forming such generics. The
randomised check runs elementwise ops on both inputs and on the output of
several contraction forms (matmul, a product summed, einsums with transposed
and batched operands, matrix-vector), with data tiling forced on for every
module (MLAX_DATA_TILING=1, in a subprocess), against NumPy in float64."""

import mlax
import mlax.numpy as jnp
import numpy as np
from mlax._src.runtime import compiler
from multidevice import run_script


def _lowered(f, *shapes):
    return mlax.jit(f).lower(*[np.ones(s, np.float32) for s in shapes]).as_text("linalg")


def test_data_tiling_is_chosen_for_large_matmuls_only(monkeypatch):
    monkeypatch.delenv("MLAX_DATA_TILING", raising=False)
    big = _lowered(lambda a, b: a @ b, (1024, 1024), (1024, 1024))
    mlp_layer = _lowered(lambda a, b: a @ b, (128, 784), (784, 512))
    small = _lowered(lambda a, b: a @ b, (256, 256), (256, 256))
    batched = _lowered(lambda a, b: a @ b, (16, 256, 256), (16, 256, 256))
    elementwise = _lowered(lambda a: jnp.sin(a) * 2, (1024, 1024))
    assert compiler._largest_matmul(big) == 1024**3
    assert compiler._largest_matmul(batched) == 16 * 256**3
    assert compiler._largest_matmul(elementwise) == 0
    for text, tiled in ((big, True), (mlp_layer, True), (batched, True)):
        assert (compiler.default_flags(text) is compiler.FAST_FLAGS) == tiled
    for text in (small, elementwise):
        assert compiler.default_flags(text) is compiler.COMPILE_FLAGS
    monkeypatch.setenv("MLAX_DATA_TILING", "0")
    assert compiler.default_flags(big) is compiler.COMPILE_FLAGS
    monkeypatch.setenv("MLAX_DATA_TILING", "1")
    assert compiler.default_flags(small) is compiler.FAST_FLAGS


def test_large_matmul_with_data_tiling_matches_numpy():
    rng = np.random.default_rng(3)
    a = rng.uniform(-1, 1, (1024, 1024)).astype(np.float32)
    b = rng.uniform(-1, 1, (1024, 1024)).astype(np.float32)
    got = mlax.jit(lambda a, b: jnp.tanh(jnp.sin(a) @ b) * 2)(a, b)
    want = np.tanh(np.sin(a.astype(np.float64)) @ b) * 2
    # f32 sums of 1024 terms of size ~10: errors ~1e-5; a dropped sin is O(1)
    np.testing.assert_allclose(np.asarray(got), want, rtol=2e-4, atol=2e-4)


_RANDOM_FUSED_CONTRACTIONS = """
import itertools
import numpy as np, mlax, mlax.numpy as jnp
rng = np.random.default_rng(SEED)
UNARY = {
    "id": (lambda x: x, lambda x: x),
    "neg": (lambda x: -x, lambda x: -x),
    "exp": (jnp.exp, np.exp),
    "sin": (jnp.sin, np.sin),
    "abs": (jnp.abs, np.abs),
    "square": (lambda x: x * x, lambda x: x * x),
    "affine": (lambda x: x * 3.0 - 1.0, lambda x: x * 3.0 - 1.0),
    "tanh": (jnp.tanh, np.tanh),
    "relu": (lambda x: jnp.maximum(x, 0.0), lambda x: np.maximum(x, 0.0)),
}
FORMS = {
    "matmul": ("ij,jk->ik", (5, 7), (7, 4)),
    "product-summed": ("ij,jk->ik", (5, 7), (7, 4)),
    "transposed": ("ij,jk->ki", (5, 7), (7, 4)),
    "batched": ("bij,bjk->bik", (3, 5, 6), (3, 6, 4)),
    "batched-transposed": ("bij,bkj->bki", (3, 5, 6), (3, 4, 6)),
    "rowwise": ("ij,ij->i", (6, 9), (6, 9)),
    "matvec": ("ij,j->i", (33, 17), (17,)),
}
cases = [(form, ua, ub, uo) for form in FORMS for ua, ub, uo in
         itertools.product(UNARY, UNARY, ["id", "tanh", "affine"])]
picked = [cases[i] for i in rng.choice(len(cases), COUNT, replace=False)]
bad = []
for form, ua, ub, uo in picked:
    spec, sa, sb = FORMS[form]
    (fa, na), (fb, nb), (fo, no) = UNARY[ua], UNARY[ub], UNARY[uo]
    if form == "matmul":
        f = lambda a, b: fo(fa(a) @ fb(b))
    elif form == "product-summed":
        f = lambda a, b: fo((fa(a)[:, :, None] * fb(b)[None, :, :]).sum(1))
    else:
        f = lambda a, b: fo(jnp.einsum(spec, fa(a), fb(b)))
    a = rng.uniform(-1, 1, sa).astype(np.float32)
    b = rng.uniform(-1, 1, sb).astype(np.float32)
    want = no(np.einsum(spec, na(a.astype(np.float64)), nb(b.astype(np.float64))))
    got = np.asarray(mlax.jit(f)(a, b))
    err = np.abs(got - want).max() / (1 + np.abs(want).max())
    if not err < 1e-5:
        bad.append((form, ua, ub, uo, float(err)))
print(len(picked), "cases")
assert not bad, bad
"""


def test_random_fused_contractions_with_data_tiling_forced_on():
    script = _RANDOM_FUSED_CONTRACTIONS.replace("SEED", "1").replace("COUNT", "60")
    out = run_script(script, {"MLAX_DATA_TILING": "1"}, timeout=900)
    assert "60 cases" in out
