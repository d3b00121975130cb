"""jax.tree's short names for the pytree functions in tree_util."""

import dataclasses

from . import tree_user, tree_util


def all(tree, *, is_leaf=None):
    return tree_user.tree_all(tree, is_leaf=is_leaf)


def flatten(tree, is_leaf=None):
    return tree_user.tree_flatten(tree, is_leaf)


def leaves(tree, is_leaf=None):
    return tree_user.tree_leaves(tree, is_leaf)


def map(f, tree, *rest, is_leaf=None):
    return tree_user.tree_map(f, tree, *rest, is_leaf=is_leaf)


def reduce(function, tree, initializer=tree_util._UNSPECIFIED, is_leaf=None):
    return tree_user.tree_reduce(function, tree, initializer, is_leaf=is_leaf)


def reduce_associative(operation, tree, *, identity=tree_util._UNSPECIFIED, is_leaf=None):
    return tree_user.tree_reduce_associative(operation, tree, identity=identity, is_leaf=is_leaf)


def structure(tree, is_leaf=None):
    return tree_user.tree_structure(tree, is_leaf)


def transpose(outer_treedef, inner_treedef, pytree_to_transpose):
    return tree_user.tree_transpose(outer_treedef, inner_treedef, pytree_to_transpose)


def unflatten(treedef, leaves):
    return tree_util.tree_unflatten(treedef, leaves)


def flatten_with_path(tree, is_leaf=None, is_leaf_takes_path=False):
    return tree_user.tree_flatten_with_path(tree, is_leaf, is_leaf_takes_path)


def leaves_with_path(tree, is_leaf=None, is_leaf_takes_path=False):
    return tree_user.tree_leaves_with_path(tree, is_leaf, is_leaf_takes_path)


def map_with_path(f, tree, *rest, is_leaf=None, is_leaf_takes_path=False):
    return tree_user.tree_map_with_path(
        f, tree, *rest, is_leaf=is_leaf, is_leaf_takes_path=is_leaf_takes_path
    )


def broadcast(prefix_tree, full_tree, is_leaf=None):
    return tree_user.tree_broadcast(prefix_tree, full_tree, is_leaf=is_leaf)


def static(**kwargs):
    """A dataclasses.field marked static (aux data) for register_dataclass."""
    metadata = {"static": True, **(kwargs.pop("metadata", {}) or {})}
    return dataclasses.field(metadata=metadata, **kwargs)
