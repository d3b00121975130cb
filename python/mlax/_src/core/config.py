"""mlax.config: global switches, named like JAX's (`jax_enable_x64`, ...).

Every option JAX 0.10 has is accepted (config_options.py lists them with
JAX's defaults); docs/config.md says which ones mlax acts on. Options that
change what a trace produces form `trace_context`, part of jit's cache key.
"""

import os
from typing import ClassVar

from .config_options import JAX_OPTIONS


def _env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.lower() in ("1", "true", "yes", "on")


def _default_cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "mlax")


_GUARDS = (None, "allow", "log", "disallow", "log_explicit", "disallow_explicit")

# Options whose value must be one of a few (JAX's enum states).
CHOICES = {
    "jax_numpy_rank_promotion": ("allow", "warn", "raise"),
    "jax_numpy_dtype_promotion": ("standard", "strict"),
    "jax_default_matmul_precision": (
        None,
        "default",
        "high",
        "highest",
        "bfloat16",
        "tensorfloat32",
        "float32",
        "bfloat16_3x",
        "tensorfloat32_3x",
        "fastest",
    ),
    "jax_default_prng_impl": ("threefry2x32", "rbg", "unsafe_rbg"),
    "jax_traceback_filtering": (
        "off",
        "tracebackhide",
        "remove_frames",
        "quiet_remove_frames",
        "auto",
    ),
    "jax_legacy_prng_key": ("allow", "warn", "error"),
    "jax_transfer_guard": _GUARDS,
    "jax_transfer_guard_host_to_device": _GUARDS,
    "jax_transfer_guard_device_to_device": _GUARDS,
    "jax_transfer_guard_device_to_host": _GUARDS,
}

# Settings JAX accepts that mlax cannot honour: refused rather than ignored,
# since ignoring them would change a program's numbers silently.
_UNSUPPORTED = {
    ("jax_threefry_partitionable", False): "mlax's PRNG always produces the "
    "partitionable threefry bits (JAX 0.10's default, jax_threefry_partitionable=True)",
    ("jax_default_prng_impl", "rbg"): "mlax implements only the threefry2x32 PRNG",
    ("jax_default_prng_impl", "unsafe_rbg"): "mlax implements only the threefry2x32 PRNG",
}


def _parse_env(default, text):
    if isinstance(default, bool):
        return text.lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(text)
    if isinstance(default, float):
        return float(text)
    return text


def _default_cpu_devices():
    """MLAX_NUM_CPU_DEVICES, else what a JAX program sets before importing
    jax: JAX_NUM_CPU_DEVICES or XLA_FLAGS' xla_force_host_platform_device_count."""
    for name in ("MLAX_NUM_CPU_DEVICES", "JAX_NUM_CPU_DEVICES"):
        text = os.environ.get(name)
        if text and int(text) > 0:
            return int(text)
    count = 1
    for flag in os.environ.get("XLA_FLAGS", "").split():
        key, _, value = flag.lstrip("-").partition("=")
        if key == "xla_force_host_platform_device_count" and value.isdigit():
            count = max(1, int(value))
    return count


class Config:
    """Settings read once from the environment, changeable with update()."""

    # JAX option -> the attribute mlax keeps it in
    _aliases: ClassVar[dict] = {
        "jax_enable_x64": "x64",
        "mlax_enable_x64": "x64",
        "enable_x64": "x64",
        "jax_compilation_cache_dir": "cache_dir",
        "mlax_cache_dir": "cache_dir",
        "mlax_persistent_cache": "persistent_cache",
        "jax_enable_compilation_cache": "persistent_cache",
        "mlax_num_cpu_devices": "num_cpu_devices",
        "jax_num_cpu_devices": "num_cpu_devices",
        "jax_disable_jit": "disable_jit",
        "jax_default_device": "default_device",
    }

    def __init__(self):
        values = dict(JAX_OPTIONS)
        for name, default in JAX_OPTIONS.items():
            text = os.environ.get(name.upper())
            if text is not None:
                values[name] = _parse_env(default, text)
        self.__dict__["_values"] = values
        self.x64 = _env_flag("MLAX_ENABLE_X64") or _env_flag("JAX_ENABLE_X64")
        self.cache_dir = os.environ.get("MLAX_CACHE_DIR") or _default_cache_dir()
        self.persistent_cache = not _env_flag("MLAX_DISABLE_PERSISTENT_CACHE")
        self.num_cpu_devices = _default_cpu_devices()
        # jit(f) calls f op by op (jax.disable_jit).
        self.disable_jit = _env_flag("JAX_DISABLE_JIT")
        # Where uncommitted computations run (jax.default_device); None: the first.
        self.default_device = None
        # Calls whose inputs hold at least this many bytes run on the
        # threaded (local-task) runtime; smaller ones on local-sync, whose
        # call overhead is ~5 us instead of ~30 us.
        self.threaded_min_bytes = int(os.environ.get("MLAX_THREADED_MIN_BYTES", str(1 << 18)))

    def __setattr__(self, attr, value):
        object.__setattr__(self, attr, value)
        if attr == "x64":
            self._refresh()

    def _refresh(self):
        """Recomputes the cached settings the hot paths read."""
        v = self._values
        # What changes a trace: part of every jit cache key.
        self.__dict__["trace_context"] = (
            self.__dict__.get("x64", False),
            v["jax_numpy_rank_promotion"],
            v["jax_numpy_dtype_promotion"],
            v["jax_default_matmul_precision"],
        )
        self.__dict__["check_values"] = bool(v["jax_debug_nans"] or v["jax_debug_infs"])

    def update(self, name, value):
        attr = self._aliases.get(name)
        if attr is not None:
            setattr(self, attr, value)
            return
        if name in self._values:
            self._check(name, value)
            self._values[name] = value
            self._refresh()
            return
        if name in self.__dict__ and not name.startswith("_") and name != "trace_context":
            setattr(self, name, value)
            return
        raise AttributeError(f"Unrecognized config option: {name}")

    @staticmethod
    def _check(name, value):
        choices = CHOICES.get(name)
        if choices is not None and value not in choices:
            raise ValueError(
                f"new enum value must be in {[c for c in choices if c is not None]}, "
                f"got {value} of type {type(value)}."
            )
        why = _UNSUPPORTED.get((name, value))
        if why is not None:
            raise NotImplementedError(f"{name}={value!r} is not supported: {why}.")
        if name in ("jax_platforms", "jax_platform_name") and value:
            platforms = [p.strip() for p in str(value).split(",") if p.strip()]
            if "cpu" not in platforms:
                # JAX fails when the backend initialises; mlax's Python API
                # has only CPU devices so far, so it fails here.
                raise RuntimeError(
                    f"Unable to initialize backend {platforms[0]!r}: mlax's Python API "
                    f"has only the 'cpu' backend (GPU devices are not built yet)"
                )

    def read(self, name):
        return getattr(self, name)

    @property
    def values(self):
        """Every option's current value, by JAX's names."""
        out = dict(self._values)
        for name, attr in self._aliases.items():
            if name.startswith("jax_"):
                out[name] = getattr(self, attr)
        return out

    def __getattr__(self, name):
        # Called only for names that are not attributes: JAX's option names.
        values = self.__dict__.get("_values")
        if values is not None:
            attr = self._aliases.get(name)
            if attr is not None:
                return getattr(self, attr)
            if name in values:
                return values[name]
        raise AttributeError(f"Unrecognized config option: {name}")


config = Config()
config._refresh()
