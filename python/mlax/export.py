"""mlax.export: serializable, ahead-of-time exports of jitted functions
(JAX's jax.export)."""

from ._src.transforms.export import (
    Exported,
    default_export_platform,
    deserialize,
    export,
    register_namedtuple_serialization,
    register_pytree_node_serialization,
)

__all__ = [
    "Exported",
    "default_export_platform",
    "deserialize",
    "export",
    "register_namedtuple_serialization",
    "register_pytree_node_serialization",
]
