"""mlax.config against jax.config: every JAX option is accepted with JAX's
default, enum options are validated as JAX validates them, and the options
mlax acts on (debug_nans/infs, numpy_rank_promotion, numpy_dtype_promotion,
log_compiles, platforms) behave as JAX's do: same results, same exception
types and messages."""

import ast
import enum
import logging
import warnings
from contextlib import contextmanager

import jax
import jax.numpy as jjnp
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest

# Options mlax keeps in its own attributes, with mlax's own defaults.
_OWN_DEFAULTS = {"jax_num_cpu_devices", "jax_compilation_cache_dir", "jax_enable_compilation_cache"}


@contextmanager
def both(name, value):
    """Sets option `name` in mlax and JAX for a block, then restores both."""
    old_mlax, old_jax = getattr(mlax.config, name), getattr(jax.config, name)
    mlax.config.update(name, value)
    jax.config.update(name, value)
    try:
        yield
    finally:
        mlax.config.update(name, old_mlax)
        jax.config.update(name, old_jax)


def outcome(run):
    """(kind, value): a result's dtype and shape, or the exception's type
    and message without mlax's source-location line."""
    try:
        r = run()
    except Exception as e:  # noqa: BLE001 - compared across libraries
        return type(e).__name__, str(e).split("\n  (at ")[0]
    return "ok", (str(np.asarray(r).dtype), np.shape(r))


def test_every_jax_option_is_accepted_with_jax_default():
    assert set(jax.config.values) <= set(mlax.config.values)
    for name, theirs in jax.config.values.items():
        if name in _OWN_DEFAULTS:
            continue
        if isinstance(theirs, enum.Enum):
            theirs = theirs.value
        assert getattr(mlax.config, name) == theirs, name
    mlax.config.update("jax_platform_name", "cpu")
    mlax.config.update("jax_traceback_filtering", "off")
    mlax.config.update("jax_traceback_filtering", "auto")


def test_unknown_option_and_bad_enum_value_raise_as_jax():
    for lib in (mlax, jax):
        with pytest.raises(AttributeError, match="Unrecognized config option: jax_bogus"):
            lib.config.update("jax_bogus", 1)
    ours = outcome(lambda: mlax.config.update("jax_numpy_rank_promotion", "bogus"))
    theirs = outcome(lambda: jax.config.update("jax_numpy_rank_promotion", "bogus"))
    assert ours == theirs
    assert mlax.config.jax_numpy_rank_promotion == "allow"


def test_unsupported_settings_are_refused_not_ignored():
    with pytest.raises(NotImplementedError, match="partitionable"):
        mlax.config.update("jax_threefry_partitionable", False)
    with pytest.raises(NotImplementedError, match="threefry2x32"):
        mlax.config.update("jax_default_prng_impl", "rbg")
    with pytest.raises(RuntimeError, match="Unable to initialize backend 'cuda'"):
        mlax.config.update("jax_platforms", "cuda")
    assert mlax.config.jax_threefry_partitionable is True
    mlax.config.update("jax_platforms", "cpu")
    mlax.config.update("jax_platforms", None)
    assert mlax.devices()[0].platform == "cpu"


def test_context_manager_states_read_and_restore_the_option():
    assert mlax.numpy_rank_promotion.value == "allow"
    with mlax.numpy_rank_promotion("raise"):
        assert mlax.config.jax_numpy_rank_promotion == "raise"
        assert mlax.numpy_rank_promotion.value == "raise"
    assert mlax.config.jax_numpy_rank_promotion == "allow"
    mlax.config.update("jax_debug_nans", True)
    try:
        assert mlax.debug_nans.value is True
    finally:
        mlax.config.update("jax_debug_nans", False)


def _nan_programs(lib):
    numpy = jnp if lib is mlax else jjnp
    return {
        "eager log": lambda: numpy.log(numpy.array(-1.0)),
        "jit": lambda: lib.jit(lambda x: numpy.log(x) * 2)(numpy.array([-1.0, 1.0])),
        "grad at a kink": lambda: lib.grad(lambda x: numpy.sqrt(x))(0.0),
        "clean": lambda: numpy.exp(numpy.arange(3.0)),
        "integers": lambda: numpy.arange(3) // 1,
    }


@pytest.mark.parametrize("program", ["eager log", "jit", "grad at a kink", "clean", "integers"])
def test_debug_nans_matches_jax(program, capsys):
    with both("jax_debug_nans", True):
        ours = outcome(_nan_programs(mlax)[program])
        theirs = outcome(_nan_programs(jax)[program])
    assert ours == theirs
    # the option off again: the NaN is returned
    assert np.isnan(np.asarray(_nan_programs(mlax)["jit"]())).any()


def test_debug_infs_names_the_op():
    with both("jax_debug_infs", True):
        ours = outcome(lambda: mlax.jit(lambda x: (x / 0.0) + 1)(jnp.float32(1)))
        theirs = outcome(lambda: jax.jit(lambda x: (x / 0.0) + 1)(jjnp.float32(1)))
        assert ours == theirs == ("FloatingPointError", "invalid value (inf) encountered in div")
        # NaNs are not looked for
        assert np.isnan(np.asarray(jnp.log(jnp.array(-1.0))))


_RANK_CASES = {
    "vector+matrix": lambda m: m.ones(3) + m.ones((2, 3)),
    "maximum": lambda m: m.maximum(m.ones(3), m.ones((2, 3))),
    "numpy operand": lambda m: m.ones(3) * np.ones((2, 3), np.float32),
    "same rank": lambda m: m.ones((2, 3)) + m.ones((1, 3)),
    "scalar": lambda m: m.ones(()) + m.ones((2, 3)),
    "python scalar": lambda m: m.ones(3) + 1.0,
    "where (not checked)": lambda m: m.where(m.ones(3) > 0, m.ones((2, 3)), 0.0),
    "matmul (not checked)": lambda m: m.ones((2, 3)) @ m.ones(3),
}


@pytest.mark.parametrize("mode", ["allow", "raise"])
@pytest.mark.parametrize("case", list(_RANK_CASES))
def test_numpy_rank_promotion_matches_jax(mode, case):
    with both("jax_numpy_rank_promotion", mode):
        assert outcome(lambda: _RANK_CASES[case](jnp)) == outcome(lambda: _RANK_CASES[case](jjnp))


def test_numpy_rank_promotion_warn_and_jit_cache():
    f = mlax.jit(lambda a, b: a + b)
    a, b = jnp.ones(3), jnp.ones((2, 3))
    assert f(a, b).shape == (2, 3)  # traced and cached while 'allow'
    raises = pytest.raises(ValueError, match="jax_numpy_rank_promotion='raise'")
    with both("jax_numpy_rank_promotion", "raise"), raises:
        f(a, b)  # a new trace: the cached one is not reused
    with both("jax_numpy_rank_promotion", "warn"), warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert (jnp.ones(4) - jnp.ones((2, 4))).shape == (2, 4)
    assert [str(w.message).split(".")[0] for w in seen] == [
        "Following NumPy automatic rank promotion for subtract on shapes (4,) (2, 4)"
    ]
    assert f(a, b).shape == (2, 3)


_DTYPE_CASES = {
    "int32 + 1.0": lambda m: m.ones(3, m.int32) + 1.0,
    "int32 + 1": lambda m: m.ones(3, m.int32) + 1,
    "float32 + 1": lambda m: m.ones(3) + 1,
    "float32 + True": lambda m: m.ones(3) + True,
    "bool + 1": lambda m: m.ones(3, bool) + 1,
    "bfloat16 + 1.0": lambda m: m.ones(3, m.bfloat16) + 1.0,
    "int32 + np.int32": lambda m: m.ones(3, m.int32) + np.int32(1),
    "int32 + np.int8": lambda m: m.ones(3, m.int32) + np.int8(1),
    "float16 + float32": lambda m: m.ones(3, m.float16) * m.ones(3),
    "result_type": lambda m: m.zeros((), m.result_type(m.int8, m.int16)),
    "promote_types": lambda m: m.zeros((), m.promote_types(m.int8, m.int16)),
    "where(1, 2.0)": lambda m: m.where(m.ones(3) > 0, 1, 2.0),
    "concatenate": lambda m: m.concatenate([m.ones(3), m.ones(3, m.int32)]),
}


@pytest.mark.parametrize("mode", ["standard", "strict"])
@pytest.mark.parametrize("case", list(_DTYPE_CASES))
def test_numpy_dtype_promotion_matches_jax(mode, case):
    with both("jax_numpy_dtype_promotion", mode):
        ours = outcome(lambda: _DTYPE_CASES[case](jnp))
        theirs = outcome(lambda: _DTYPE_CASES[case](jjnp))
    assert _unordered(ours) == _unordered(theirs)


def _unordered(result):
    """JAX names the input dtypes in no fixed order: compare them as a set."""
    kind, text = result
    if kind == "TypePromotionError" and text.startswith("Input dtypes ("):
        names, rest = text[len("Input dtypes ") :].split(") have ", 1)
        return kind, frozenset(ast.literal_eval(names + ")")), rest
    return result


def test_type_promotion_error_is_a_value_error():
    assert issubclass(mlax.dtypes.TypePromotionError, ValueError)
    strict = both("jax_numpy_dtype_promotion", "strict")
    with strict, pytest.raises(mlax.dtypes.TypePromotionError):
        jnp.ones(2, jnp.int8) + jnp.ones(2, jnp.int16)


def test_log_compiles_logs_each_compile_once(caplog):
    f = mlax.jit(lambda x: x * 3 + 1)
    x5, x6, x7 = jnp.ones(5), jnp.ones(6), jnp.ones(7)
    with caplog.at_level(logging.WARNING, logger="mlax"):
        with mlax.log_compiles(True):
            f(x5)
            f(x5)
            f(x6)
        f(x7)
    compiles = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Compiling")]
    assert compiles == [
        "Compiling <lambda> with global shapes and types [ShapedArray(float32[5])].",
        "Compiling <lambda> with global shapes and types [ShapedArray(float32[6])].",
    ]


def test_cpu_device_count_from_the_environment_a_jax_program_sets():
    """XLA_FLAGS=--xla_force_host_platform_device_count=N (or
    JAX_NUM_CPU_DEVICES), set before the import as JAX programs do, gives N
    CPU devices; MLAX_NUM_CPU_DEVICES wins over both."""
    import os
    import subprocess
    import sys

    program = "import mlax; print(len(mlax.devices()), mlax.device_count())"
    cases = [
        ({"XLA_FLAGS": "--xla_cpu_something=1 --xla_force_host_platform_device_count=4"}, "4 4"),
        ({"JAX_NUM_CPU_DEVICES": "3"}, "3 3"),
        (
            {"MLAX_NUM_CPU_DEVICES": "2", "XLA_FLAGS": "--xla_force_host_platform_device_count=8"},
            "2 2",
        ),
        ({}, "1 1"),
    ]
    for extra, want in cases:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("XLA_FLAGS", "JAX_NUM_CPU_DEVICES", "MLAX_NUM_CPU_DEVICES")
        }
        env.update(extra)
        out = subprocess.run(
            [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == want, (extra, out.stdout, out.stderr)
