"""mlax.tree_util: pytrees, as in jax.tree_util."""

from ._src.core.tree_util import (  # noqa: F401
    PyTreeDef,
    all_leaves,
    register_pytree_node,
    register_pytree_node_class,
    tree_all,
    tree_flatten,
    tree_leaves,
    tree_map,
    tree_reduce,
    tree_structure,
    tree_transpose,
    tree_unflatten,
    treedef_is_leaf,
)
