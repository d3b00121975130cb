"""mlax.typing: the annotation aliases of jax.typing."""

from typing import Any

import numpy as np

from ._src.runtime.array import PublicArray as Array

ArrayLike = Array | np.ndarray | np.bool_ | np.number | bool | int | float | complex
DTypeLike = str | type[Any] | np.dtype | Any

__all__ = ["ArrayLike", "DTypeLike"]
