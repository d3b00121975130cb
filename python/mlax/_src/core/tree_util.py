"""Pytrees: JAX's tree_util (flatten/unflatten/map over nested containers).

Containers: tuple, list, dict (sorted keys), None (no leaves), namedtuples,
and any type registered with register_pytree_node. Everything else is a
leaf. PyTreeDef values are hashable and compare by structure, so they can
key executable caches.
"""

from collections import namedtuple

__all__ = [
    "PyTreeDef",
    "all_leaves",
    "register_pytree_node",
    "register_pytree_node_class",
    "tree_all",
    "tree_flatten",
    "tree_leaves",
    "tree_map",
    "tree_reduce",
    "tree_structure",
    "tree_transpose",
    "tree_unflatten",
    "treedef_is_leaf",
]

_registry = {}

_NodeDef = namedtuple("_NodeDef", ["to_iter", "from_iter"])


def register_pytree_node(nodetype, flatten_func, unflatten_func):
    """flatten_func(x) -> (children, aux); unflatten_func(aux, children) -> x."""
    _registry[nodetype] = _NodeDef(flatten_func, unflatten_func)


def register_pytree_node_class(cls):
    register_pytree_node(cls, lambda x: x.tree_flatten(), cls.tree_unflatten)
    return cls


register_pytree_node(tuple, lambda t: (t, None), lambda _, c: tuple(c))
register_pytree_node(list, lambda x: (x, None), lambda _, c: list(c))
register_pytree_node(
    dict,
    lambda d: (tuple(d[k] for k in sorted(d)), tuple(sorted(d))),
    lambda keys, c: dict(zip(keys, c)),
)
register_pytree_node(type(None), lambda _: ((), None), lambda _, c: None)


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


class PyTreeDef:
    """The structure of a pytree: node type, aux data and child structures."""

    __slots__ = ("_hash", "children", "node_data", "node_type", "num_leaves")

    def __init__(self, node_type, node_data, children):
        self.node_type = node_type  # None for a leaf
        self.node_data = node_data
        self.children = children
        self.num_leaves = 1 if node_type is None else sum(c.num_leaves for c in children)
        self._hash = None

    @property
    def num_nodes(self):
        return 1 + sum(c.num_nodes for c in self.children)

    def _key(self):
        return (self.node_type, self.node_data, self.children)

    def __eq__(self, other):
        return isinstance(other, PyTreeDef) and self._key() == other._key()

    def __hash__(self):
        if self._hash is None:
            self._hash = hash(self._key())
        return self._hash

    def unflatten(self, leaves):
        leaves = list(leaves)
        if len(leaves) != self.num_leaves:
            raise ValueError(
                f"Too {'few' if len(leaves) < self.num_leaves else 'many'} leaves for "
                f"PyTreeDef; expected {self.num_leaves}, got {len(leaves)}"
            )
        it = iter(leaves)
        return self._build(it)

    def _build(self, it):
        if self.node_type is None:
            return next(it)
        children = [c._build(it) for c in self.children]
        if self.node_type == "namedtuple":
            return self.node_data(*children)
        return _registry[self.node_type].from_iter(self.node_data, children)

    def __repr__(self):
        return f"PyTreeDef({self._repr()})"

    def _repr(self):
        if self.node_type is None:
            return "*"
        inner = ", ".join(c._repr() for c in self.children)
        if self.node_type is tuple:
            return f"({inner}{',' if len(self.children) == 1 else ''})"
        if self.node_type is list:
            return f"[{inner}]"
        if self.node_type is dict:
            return (
                "{"
                + ", ".join(f"'{k}': {c._repr()}" for k, c in zip(self.node_data, self.children))
                + "}"
            )
        if self.node_type is type(None):
            return "None"
        name = getattr(self.node_data, "__name__", None) or getattr(
            self.node_type, "__name__", "node"
        )
        return f"{name}({inner})"


_LEAF = PyTreeDef(None, None, ())


def _flatten(x, leaves, is_leaf):
    if is_leaf is not None and is_leaf(x):
        leaves.append(x)
        return _LEAF
    node = _registry.get(type(x))
    if node is not None:
        children, aux = node.to_iter(x)
        return PyTreeDef(type(x), aux, tuple(_flatten(c, leaves, is_leaf) for c in children))
    if _is_namedtuple(x):
        return PyTreeDef("namedtuple", type(x), tuple(_flatten(c, leaves, is_leaf) for c in x))
    leaves.append(x)
    return _LEAF


def tree_flatten(tree, is_leaf=None):
    """Returns (leaves, treedef)."""
    leaves = []
    treedef = _flatten(tree, leaves, is_leaf)
    return leaves, treedef


def tree_unflatten(treedef, leaves):
    return treedef.unflatten(leaves)


def tree_leaves(tree, is_leaf=None):
    return tree_flatten(tree, is_leaf)[0]


def tree_structure(tree, is_leaf=None):
    return tree_flatten(tree, is_leaf)[1]


def treedef_is_leaf(treedef):
    return treedef.node_type is None


def all_leaves(iterable):
    return all(treedef_is_leaf(tree_structure(x)) for x in iterable)


def tree_map(f, tree, *rest, is_leaf=None):
    leaves, treedef = tree_flatten(tree, is_leaf)
    all_leaves_ = [leaves]
    for r in rest:
        r_leaves, r_def = tree_flatten(r, is_leaf)
        if r_def != treedef:
            raise ValueError(f"Custom node type mismatch; expected {treedef}, got {r_def}")
        all_leaves_.append(r_leaves)
    return treedef.unflatten(f(*xs) for xs in zip(*all_leaves_))


def tree_all(tree):
    return all(tree_leaves(tree))


def tree_reduce(function, tree, *initializer, is_leaf=None):
    import functools

    return functools.reduce(function, tree_leaves(tree, is_leaf), *initializer)


def tree_transpose(outer_treedef, inner_treedef, pytree_to_transpose):
    flat, treedef = tree_flatten(pytree_to_transpose)
    inner_size, outer_size = inner_treedef.num_leaves, outer_treedef.num_leaves
    if treedef.num_leaves != inner_size * outer_size:
        raise TypeError(f"Mismatch\n{treedef}\n != \n{outer_treedef} of {inner_treedef}")
    groups = [flat[i * inner_size : (i + 1) * inner_size] for i in range(outer_size)]
    transposed = [outer_treedef.unflatten([g[i] for g in groups]) for i in range(inner_size)]
    return inner_treedef.unflatten(transposed)


def flatten_prefix(prefix_tree, full_tree, what):
    """Broadcasts each leaf of `prefix_tree` over the matching subtree of
    `full_tree` (JAX's in_axes semantics); returns one value per full leaf."""
    out = []

    def rec(p, f):
        if treedef_is_leaf(tree_structure(p, is_leaf=lambda x: x is None)) or p is None:
            out.extend([p] * len(tree_leaves(f)))
            return
        if type(p) is not type(f) and not (
            isinstance(p, (list, tuple)) and isinstance(f, (list, tuple))
        ):
            raise ValueError(f"{what} specification must be a tree prefix of the arguments")
        node = _registry.get(type(f))
        if node is None:
            raise ValueError(f"{what} specification must be a tree prefix of the arguments")
        pc, p_aux = _registry[type(p)].to_iter(p)
        fc, f_aux = node.to_iter(f)
        if len(pc) != len(fc) or (type(p) is type(f) and p_aux != f_aux):
            raise ValueError(f"{what} specification must be a tree prefix of the arguments")
        for a, b in zip(pc, fc):
            rec(a, b)

    rec(prefix_tree, full_tree)
    return out
