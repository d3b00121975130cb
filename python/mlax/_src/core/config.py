"""mlax.config: global switches, named like JAX's (`jax_enable_x64`, ...)."""

import os


def _env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.lower() in ("1", "true", "yes", "on")


def _default_cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "mlax")


class Config:
    """Settings read once from the environment, changeable with update()."""

    _aliases = {
        "jax_enable_x64": "x64",
        "mlax_enable_x64": "x64",
        "enable_x64": "x64",
        "jax_compilation_cache_dir": "cache_dir",
        "mlax_cache_dir": "cache_dir",
        "mlax_persistent_cache": "persistent_cache",
        "mlax_num_cpu_devices": "num_cpu_devices",
        "jax_num_cpu_devices": "num_cpu_devices",
        "jax_disable_jit": "disable_jit",
        "jax_default_device": "default_device",
    }

    def __init__(self):
        self.x64 = _env_flag("MLAX_ENABLE_X64") or _env_flag("JAX_ENABLE_X64")
        self.cache_dir = os.environ.get("MLAX_CACHE_DIR") or _default_cache_dir()
        self.persistent_cache = not _env_flag("MLAX_DISABLE_PERSISTENT_CACHE")
        self.num_cpu_devices = int(os.environ.get("MLAX_NUM_CPU_DEVICES", "1"))
        # jit(f) calls f op by op (jax.disable_jit).
        self.disable_jit = _env_flag("JAX_DISABLE_JIT")
        # Where uncommitted computations run (jax.default_device); None: the first.
        self.default_device = None
        # Calls whose inputs hold at least this many bytes run on the
        # threaded (local-task) runtime; smaller ones on local-sync, whose
        # call overhead is ~5 us instead of ~30 us.
        self.threaded_min_bytes = int(os.environ.get("MLAX_THREADED_MIN_BYTES", str(1 << 18)))

    def update(self, name, value):
        attr = self._aliases.get(name, name)
        if not hasattr(self, attr) or attr.startswith("_"):
            raise AttributeError(f"Unrecognized config option: {name}")
        setattr(self, attr, value)

    @property
    def jax_enable_x64(self):
        return self.x64

    @property
    def jax_disable_jit(self):
        return self.disable_jit


config = Config()
