"""The pytree functions as users see them (mlax.tree_util, mlax.tree).

A few mlax types are pytree nodes for mlax's own transformations but
leaves to users, as in JAX: a typed PRNG key array is one leaf
(`tree_leaves({"k": key})` is `[key]`), while jit, vmap and grad flatten it
to its uint32 key data through core.tree_util. The public functions here
add those types to `is_leaf`; everything inside mlax keeps calling
core.tree_util.
"""

from . import tree_util

_USER_LEAF_TYPES = []


def register_user_leaf(cls):
    """Marks a pytree node type that users see as a leaf."""
    _USER_LEAF_TYPES.append(cls)
    return cls


def _leaf(is_leaf):
    if not _USER_LEAF_TYPES:
        return is_leaf
    types = tuple(_USER_LEAF_TYPES)
    if is_leaf is None:
        return lambda x: isinstance(x, types)
    return lambda x: isinstance(x, types) or is_leaf(x)


def _leaf_with_path(is_leaf, takes_path):
    """_leaf for the *_with_path functions, whose is_leaf may take the path."""
    if not takes_path or is_leaf is None or not _USER_LEAF_TYPES:
        return _leaf(is_leaf), takes_path and is_leaf is not None
    types = tuple(_USER_LEAF_TYPES)
    return (lambda p, x: isinstance(x, types) or is_leaf(p, x)), True


def tree_flatten(tree, is_leaf=None):
    return tree_util.tree_flatten(tree, _leaf(is_leaf))


def tree_leaves(tree, is_leaf=None):
    return tree_util.tree_leaves(tree, _leaf(is_leaf))


def tree_structure(tree, is_leaf=None):
    return tree_util.tree_structure(tree, _leaf(is_leaf))


def all_leaves(iterable, is_leaf=None):
    iterable = list(iterable)
    if is_leaf is None and not any(isinstance(x, tuple(_USER_LEAF_TYPES)) for x in iterable):
        return tree_util.all_leaves(iterable)
    return tree_util.all_leaves(iterable, _leaf(is_leaf))


def tree_map(f, tree, *rest, is_leaf=None):
    return tree_util.tree_map(f, tree, *rest, is_leaf=_leaf(is_leaf))


def tree_all(tree, *, is_leaf=None):
    return tree_util.tree_all(tree, is_leaf=_leaf(is_leaf))


def tree_reduce(function, tree, initializer=tree_util._UNSPECIFIED, is_leaf=None):
    return tree_util.tree_reduce(function, tree, initializer, is_leaf=_leaf(is_leaf))


def tree_reduce_associative(operation, tree, *, identity=tree_util._UNSPECIFIED, is_leaf=None):
    return tree_util.tree_reduce_associative(
        operation, tree, identity=identity, is_leaf=_leaf(is_leaf)
    )


def tree_broadcast(prefix_tree, full_tree, is_leaf=None):
    return tree_util.tree_broadcast(prefix_tree, full_tree, is_leaf=_leaf(is_leaf))


def tree_transpose(outer_treedef, inner_treedef, pytree_to_transpose):
    return tree_util.tree_transpose(
        outer_treedef, inner_treedef, pytree_to_transpose, is_leaf=_leaf(None)
    )


def tree_flatten_with_path(tree, is_leaf=None, is_leaf_takes_path=False):
    return tree_util.tree_flatten_with_path(tree, *_leaf_with_path(is_leaf, is_leaf_takes_path))


def tree_leaves_with_path(tree, is_leaf=None, is_leaf_takes_path=False):
    return tree_util.tree_leaves_with_path(tree, *_leaf_with_path(is_leaf, is_leaf_takes_path))


def tree_map_with_path(f, tree, *rest, is_leaf=None, is_leaf_takes_path=False):
    is_leaf, takes_path = _leaf_with_path(is_leaf, is_leaf_takes_path)
    return tree_util.tree_map_with_path(
        f, tree, *rest, is_leaf=is_leaf, is_leaf_takes_path=takes_path
    )
