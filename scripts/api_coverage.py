"""Which public names of JAX's modules mlax has, module by module.

`python scripts/api_coverage.py` prints the markdown table kept in
docs/status.md ("API coverage"); test/python/test_api_coverage.py fails when
a JAX name is missing from mlax and not listed in LATER (the names waiting
for a later issue: complex numbers, linear algebra, FFT, JAX-internal
machinery).
"""

import importlib
import sys

# (JAX module, mlax module); names ending in `_p` (JAX's primitives) and
# private names are not API.
MODULES = [
    ("jax", "mlax"),
    ("jax.numpy", "mlax.numpy"),
    ("jax.numpy.linalg", "mlax.numpy.linalg"),
    ("jax.numpy.fft", "mlax.numpy.fft"),
    ("jax.lax", "mlax.lax"),
    ("jax.nn", "mlax.nn"),
    ("jax.nn.initializers", "mlax.nn.initializers"),
    ("jax.random", "mlax.random"),
    ("jax.scipy.special", "mlax.scipy.special"),
    ("jax.scipy.stats", "mlax.scipy.stats"),
    ("jax.scipy.signal", "mlax.scipy.signal"),
    ("jax.scipy.ndimage", "mlax.scipy.ndimage"),
    ("jax.scipy.interpolate", "mlax.scipy.interpolate"),
    ("jax.scipy.fft", "mlax.scipy.fft"),
    ("jax.scipy.linalg", "mlax.scipy.linalg"),
    ("jax.scipy.spatial.transform", "mlax.scipy.spatial.transform"),
    ("jax.scipy.optimize", "mlax.scipy.optimize"),
    ("jax.scipy.integrate", "mlax.scipy.integrate"),
    ("jax.scipy.sparse.linalg", "mlax.scipy.sparse.linalg"),
    ("jax.scipy.cluster.vq", "mlax.scipy.cluster.vq"),
    ("jax.image", "mlax.image"),
    ("jax.tree_util", "mlax.tree_util"),
    ("jax.tree", "mlax.tree"),
    ("jax.sharding", "mlax.sharding"),
    ("jax.debug", "mlax.debug"),
    ("jax.profiler", "mlax.profiler"),
    ("jax.monitoring", "mlax.monitoring"),
    ("jax.example_libraries.optimizers", "mlax.example_libraries.optimizers"),
    ("jax.example_libraries.stax", "mlax.example_libraries.stax"),
]


def _names(text):
    return set(text.split())


# Names that wait for a later issue (or are JAX-internal), per mlax module.
LATER = {
    # JAX's internals (its tracer machinery, XLA client, refs and stages),
    # and settings with no mlax counterpart
    "mlax": _names(
        "Ref ad api_util core interpreters lib ffi dlpack ds stages "
        "memory empty_ref free_ref new_ref ref freeze fwd_and_bwd smap "
        "custom_batching make_user_context thread_guard no_execution no_tracing "
        "allow_f16_reductions array_garbage_collection_guard auto_pcast "
        "enable_custom_prng legacy_prng_key jax2tf_associative_scan_reductions "
        "remove_size_one_mesh_axis_from_type softmax_custom_jvp test_util"
    ),
    "mlax.numpy": set(),
    "mlax.numpy.linalg": set(),
    "mlax.numpy.fft": set(),
    # complex numbers, tokens/send/recv, ragged ops and precision-control
    # enums: later issues
    "mlax.lax": _names(
        "AccuracyMode DotAlgorithm Tolerance RaggedDotDimensionNumbers "
        "after_all create_token composite dce_sink pcast precv psend pswapaxes "
        "ragged_all_to_all ragged_dot ragged_dot_general scaled_dot shape_as_value "
        "stage"
    ),
    "mlax.nn": {"get_scaled_dot_general_config", "scaled_dot_general", "scaled_matmul"},
    "mlax.nn.initializers": set(),
    "mlax.random": set(),
    # sph_harm_y and wofz (complex numbers, a later issue) exist as stubs
    # raising NotImplementedError, so they are not listed here
    "mlax.scipy.special": set(),
    "mlax.scipy.stats": set(),
    # stft/istft/csd/welch, schur/sqrtm/funm/rsf2csf/dft exist as stubs
    # raising NotImplementedError (complex numbers), so they are not listed
    "mlax.scipy.signal": set(),
    "mlax.scipy.ndimage": set(),
    "mlax.scipy.interpolate": set(),
    "mlax.scipy.fft": set(),
    "mlax.scipy.linalg": set(),
    "mlax.scipy.spatial.transform": set(),
    "mlax.scipy.optimize": set(),
    "mlax.scipy.integrate": set(),
    "mlax.scipy.sparse.linalg": set(),
    "mlax.scipy.cluster.vq": set(),
    "mlax.image": set(),
    "mlax.tree_util": set(),
    "mlax.tree": set(),
    # explicit-sharding types (sharding-in-types): a later SPMD issue
    "mlax.sharding": {
        "AbstractDevice",
        "AbstractMesh",
        "ManualAxisType",
        "auto_axes",
        "explicit_axes",
    },
    # JAX's effect-system types (no counterpart: mlax orders callbacks itself)
    "mlax.debug": {"DebugEffect", "OrderedDebugEffect"},
    # XLA's profiler data types (XSpace protobufs) and its subprocess hook
    "mlax.monitoring": set(),
    "mlax.profiler": _names(
        "ProfileData ProfileEvent ProfileOptions ProfilePlane register_subprocess"
    ),
    "mlax.example_libraries.optimizers": set(),
    "mlax.example_libraries.stax": set(),
}


_NOT_API_MODULES = ("typing", "functools", "builtins", "collections", "__future__")


def _is_api(module, name):
    obj = getattr(module, name)
    if isinstance(obj, type(module)) and not obj.__name__.startswith(module.__name__ + "."):
        return False  # a module imported for internal use (jax.numpy as jnp, math)
    owner = getattr(obj, "__module__", None) or ""
    return owner.split(".")[0] not in _NOT_API_MODULES


def public_names(module):
    return {
        n
        for n in dir(module)
        if not n.startswith("_") and not n.endswith("_p") and _is_api(module, n)
    }


def coverage():
    """[(jax module, mlax module, JAX's names, mlax has, missing)]."""
    # Import every module first: importing a submodule adds its name to the
    # parent (jax.example_libraries), so the order would change the counts.
    importlib.import_module("jax.flatten_util")  # tests import it; count it always
    for jax_name, mlax_name in MODULES:
        importlib.import_module(jax_name)
        try:
            importlib.import_module(mlax_name)
        except ImportError:
            pass
    rows = []
    for jax_name, mlax_name in MODULES:
        theirs = public_names(importlib.import_module(jax_name))
        try:
            mine = public_names(importlib.import_module(mlax_name))
        except ImportError:
            mine = set()
        rows.append((jax_name, mlax_name, theirs, theirs & mine, sorted(theirs - mine)))
    return rows


def table(rows):
    lines = [
        "| JAX module | mlax module | JAX's names | in mlax | missing |",
        "|---|---|---|---|---|",
    ]
    for jax_name, mlax_name, theirs, have, missing in rows:
        shown = ", ".join(f"`{n}`" for n in missing) if missing else "none"
        lines.append(f"| `{jax_name}` | `{mlax_name}` | {len(theirs)} | {len(have)} | {shown} |")
    return "\n".join(lines)


_BEGIN = "<!-- api-coverage: begin (python scripts/api_coverage.py --write) -->"
_END = "<!-- api-coverage: end -->"


def write_status(path):
    """Replaces the table between the markers in docs/status.md."""
    with open(path) as f:
        text = f.read()
    start, end = text.index(_BEGIN) + len(_BEGIN), text.index(_END)
    text = text[:start] + "\n" + table(coverage()) + "\n" + text[end:]
    with open(path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    if "--write" in sys.argv:
        import os

        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        write_status(os.path.join(root, "docs", "status.md"))
    else:
        print(table(coverage()))
