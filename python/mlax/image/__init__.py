"""mlax.image: jax.image's `resize`, `scale_and_translate` and
`ResizeMethod` (see docs/status.md)."""

from .._src.image.scale import (  # noqa: F401
    ResizeMethod,
    resize,
    scale_and_translate,
)
