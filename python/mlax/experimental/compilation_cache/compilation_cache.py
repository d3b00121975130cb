"""jax.experimental.compilation_cache.compilation_cache: where mlax's
on-disk compile cache lives (the same setting as
`config.update("jax_compilation_cache_dir", path)` and MLAX_CACHE_DIR)."""

from ..._src.core.config import config


def set_cache_dir(path):
    """Compiled executables are written to and read from `path` from now on."""
    config.update("jax_compilation_cache_dir", str(path))


def reset_cache():
    """Forgets the directory chosen by set_cache_dir: back to the default
    (MLAX_CACHE_DIR, else ~/.cache/mlax). Entries on disk stay."""
    import os

    from ..._src.core.config import _default_cache_dir

    config.update(
        "jax_compilation_cache_dir", os.environ.get("MLAX_CACHE_DIR") or _default_cache_dir()
    )


__all__ = ["reset_cache", "set_cache_dir"]
