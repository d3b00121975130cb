"""Every public name of JAX's modules exists in mlax's counterpart, except
the ones scripts/api_coverage.py lists as waiting for a later issue (complex
numbers, linear algebra, FFT, JAX-internal machinery). The
table in docs/status.md ("API coverage") comes from the same script."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))
import api_coverage


@pytest.mark.parametrize("row", api_coverage.coverage(), ids=lambda r: r[1])
def test_no_unlisted_missing_names(row):
    jax_name, mlax_name, _, _, missing = row
    unlisted = sorted(set(missing) - api_coverage.LATER[mlax_name])
    assert not unlisted, f"{mlax_name} lacks {jax_name}'s {unlisted}"


def test_later_lists_hold_only_missing_names():
    """A name built since it was listed leaves LATER (the list stays true)."""
    for _, mlax_name, _, have, _ in api_coverage.coverage():
        stale = sorted(api_coverage.LATER[mlax_name] & have)
        assert not stale, f"{mlax_name}: built, still listed as later: {stale}"


def test_debug_inspect_array_sharding_and_stax_reexports():
    import mlax
    import mlax.numpy as jnp
    from mlax.example_libraries import optimizers, stax

    seen = []
    mlax.debug.inspect_array_sharding({"a": jnp.ones(3)}, callback=seen.append)
    assert len(seen) == 1 and seen[0].device_set == {mlax.devices()[0]}
    with pytest.raises(NotImplementedError, match="inside jit"):
        mlax.jit(lambda x: mlax.debug.inspect_array_sharding(x, callback=print) or x)(1.0)
    assert stax.relu is mlax.nn.relu and stax.glorot_normal is mlax.nn.initializers.glorot_normal
    assert optimizers.unzip2([(1, 2), (3, 4)]) == ((1, 3), (2, 4))
    assert optimizers.map(lambda a, b: a + b, [1, 2], [3, 4]) == [4, 6]
    with pytest.raises(AssertionError, match="length mismatch"):
        optimizers.zip([1, 2], [3])


def test_set_mesh_reshard_and_single_device_sharding():
    import mlax
    import numpy as np
    from mlax.sharding import NamedSharding, PartitionSpec

    mesh = mlax.make_mesh((1,), ("x",))
    assert mlax.sharding.get_mesh() is None
    with mlax.set_mesh(mesh):
        assert mlax.sharding.get_mesh() == mesh
        y = mlax.sharding.reshard(np.arange(4.0, dtype=np.float32), PartitionSpec("x"))
        assert y.sharding == NamedSharding(mesh, PartitionSpec("x"))
        f = mlax.jit(lambda a: mlax.sharding.reshard(a * 2, PartitionSpec("x")))
        np.testing.assert_array_equal(np.asarray(f(np.arange(4.0))), np.arange(4.0) * 2)
    assert mlax.sharding.get_mesh() is None
    mlax.set_mesh(mesh)  # the global-setter form
    try:
        assert mlax.sharding.get_mesh() == mesh
    finally:
        mlax.set_mesh(None)
    with pytest.raises(ValueError, match="needs a mesh"):
        mlax.sharding.reshard(np.ones(2), PartitionSpec("x"))
    dev = mlax.devices()[0]
    assert mlax.sharding.make_single_device_sharding(dev).device_set == {dev}


def test_status_table_is_current():
    """docs/status.md's API-coverage table is the script's output (rerun
    `python scripts/api_coverage.py --write` after adding names)."""
    path = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "status.md")
    with open(path) as f:
        text = f.read()
    start = text.index(api_coverage._BEGIN) + len(api_coverage._BEGIN)
    shown = text[start : text.index(api_coverage._END)].strip()
    assert shown == api_coverage.table(api_coverage.coverage()), "rerun api_coverage.py --write"
