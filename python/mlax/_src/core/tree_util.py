"""Pytrees: JAX's tree_util (flatten/unflatten/map over nested containers).

Containers: tuple, list, dict (sorted keys), None (no leaves), namedtuples,
OrderedDict, defaultdict, Partial, and any type registered with
register_pytree_node (or the keyed / dataclass / static variants).
Everything else is a leaf. PyTreeDef values are hashable and compare by
structure, so they can key executable caches. Error messages and reprs
follow jaxlib's C++ pytree module.
"""

import collections
import dataclasses
import difflib
import functools
import operator
import textwrap
from collections import namedtuple
from typing import Any, TypeVar

__all__ = [
    "DictKey",
    "FlattenedIndexKey",
    "GetAttrKey",
    "KeyEntry",
    "KeyPath",
    "Partial",
    "PyTreeDef",
    "PyTreeRegistry",
    "SequenceKey",
    "all_leaves",
    "default_registry",
    "flatten_one_level",
    "flatten_one_level_with_keys",
    "is_tree_node",
    "keystr",
    "register_dataclass",
    "register_pytree_node",
    "register_pytree_node_class",
    "register_pytree_with_keys",
    "register_pytree_with_keys_class",
    "register_static",
    "tree_all",
    "tree_broadcast",
    "tree_flatten",
    "tree_flatten_with_path",
    "tree_leaves",
    "tree_leaves_with_path",
    "tree_map",
    "tree_map_with_path",
    "tree_reduce",
    "tree_reduce_associative",
    "tree_structure",
    "tree_transpose",
    "tree_unflatten",
    "treedef_children",
    "treedef_is_leaf",
    "treedef_tuple",
]

KeyEntry = TypeVar("KeyEntry", bound=Any)
KeyPath = tuple[KeyEntry, ...]


# ---------------------------------------------------------------------------
# Key path entries
# ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SequenceKey:
    idx: int

    def __str__(self):
        return f"[{self.idx!r}]"


@dataclasses.dataclass(frozen=True)
class DictKey:
    key: Any

    def __str__(self):
        return f"[{self.key!r}]"


@dataclasses.dataclass(frozen=True)
class GetAttrKey:
    name: str

    def __str__(self):
        return f".{self.name}"


@dataclasses.dataclass(frozen=True)
class FlattenedIndexKey:
    key: int

    def __str__(self):
        return f"[<flat index {self.key}>]"


def keystr(keys, *, simple=False, separator=""):
    """Joins a key path's entries: `['a'][0].x`, or with simple=True `a0x`."""
    return separator.join(map(_simple_entrystr if simple else str, keys))


def _simple_entrystr(key):
    if isinstance(key, SequenceKey):
        return str(key.idx)
    if isinstance(key, DictKey):
        return str(key.key)
    if isinstance(key, GetAttrKey):
        return str(key.name)
    if isinstance(key, FlattenedIndexKey):
        return str(key.key)
    return str(key)


# ---------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------

# to_iter(x) -> (children, aux); from_iter(aux, children) -> x;
# with_keys(x) -> ([(key, child)], aux) or None (children keyed by flat index).
_NodeDef = namedtuple("_NodeDef", ["to_iter", "from_iter", "with_keys"])
_NodeDef.__new__.__defaults__ = (None,)

# Node kinds with their own flatten, error messages and repr.
_LEAF_KIND, _NONE, _TUPLE, _LIST, _DICT, _NAMEDTUPLE, _CUSTOM = range(7)
_BUILTIN_KINDS = {type(None): _NONE, tuple: _TUPLE, list: _LIST, dict: _DICT}

_registry = {}


def _sorted_keys(d):
    try:
        return sorted(d)
    except TypeError:
        raise ValueError(
            "Comparator raised exception while sorting pytree dictionary keys."
        ) from None


def _is_namedtuple_type(t):
    return issubclass(t, tuple) and hasattr(t, "_fields")


class PyTreeRegistry:
    """jaxlib's PyTreeRegistry: which types are pytree nodes, and how they
    flatten. mlax has one, `default_registry`."""

    def register_node(self, nodetype, flatten_func, unflatten_func, flatten_with_keys_func=None):
        if nodetype in _registry:
            raise ValueError(f"Duplicate custom PyTreeDef type registration for {nodetype}.")
        _registry[nodetype] = _NodeDef(flatten_func, unflatten_func, flatten_with_keys_func)

    def register_dataclass_node(self, nodetype, data_fields, meta_fields):
        data_fields, meta_fields = tuple(data_fields), tuple(meta_fields)

        def flatten(x):
            return (
                tuple(getattr(x, n) for n in data_fields),
                tuple(getattr(x, n) for n in meta_fields),
            )

        def flatten_with_keys(x):
            return (
                tuple((GetAttrKey(n), getattr(x, n)) for n in data_fields),
                tuple(getattr(x, n) for n in meta_fields),
            )

        def unflatten(meta, data):
            return nodetype(**dict(zip(meta_fields, meta)), **dict(zip(data_fields, data)))

        self.register_node(nodetype, flatten, unflatten, flatten_with_keys)

    def is_node(self, typ):
        return typ in _registry or _is_namedtuple_type(typ)

    def flatten(self, tree, is_leaf=None):
        leaves = []
        return leaves, _flatten(tree, leaves, is_leaf)

    def flatten_with_path(self, tree, is_leaf=None):
        """is_leaf here takes (path, value)."""
        leaves = []
        treedef = _flatten_with_path(tree, (), leaves, is_leaf)
        return leaves, treedef

    def flatten_one_level(self, tree):
        t = type(tree)
        if t in _registry:
            children, aux = _registry[t].to_iter(tree)
            return children, aux
        if _is_namedtuple_type(t):
            return list(tree), t
        return None

    def flatten_one_level_with_keys(self, tree):
        t = type(tree)
        if t is tuple or t is list:
            return [(SequenceKey(i), c) for i, c in enumerate(tree)], None
        if t is dict:
            keys = _sorted_keys(tree)
            return tuple((DictKey(k), tree[k]) for k in keys), tuple(keys)
        if t is type(None):
            return (), None
        if t in _registry:
            node = _registry[t]
            if node.with_keys is not None:
                return node.with_keys(tree)
            children, aux = node.to_iter(tree)
            return [(FlattenedIndexKey(i), c) for i, c in enumerate(children)], aux
        if _is_namedtuple_type(t):
            return [(GetAttrKey(f), c) for f, c in zip(t._fields, tree)], t
        return None


default_registry = PyTreeRegistry()


def register_pytree_node(nodetype, flatten_func, unflatten_func, flatten_with_keys_func=None):
    """flatten_func(x) -> (children, aux); unflatten_func(aux, children) -> x."""
    default_registry.register_node(nodetype, flatten_func, unflatten_func, flatten_with_keys_func)


def register_pytree_node_class(cls):
    register_pytree_node(cls, operator.methodcaller("tree_flatten"), cls.tree_unflatten)
    return cls


def register_pytree_with_keys(nodetype, flatten_with_keys, unflatten_func, flatten_func=None):
    """flatten_with_keys(x) -> ([(key, child), ...], aux)."""
    if not flatten_func:

        def flatten_func(tree):
            key_children, aux = flatten_with_keys(tree)
            return [c for _, c in key_children], aux

    register_pytree_node(nodetype, flatten_func, unflatten_func, flatten_with_keys)


def register_pytree_with_keys_class(cls):
    flatten_func = operator.methodcaller("tree_flatten") if hasattr(cls, "tree_flatten") else None
    register_pytree_with_keys(
        cls, operator.methodcaller("tree_flatten_with_keys"), cls.tree_unflatten, flatten_func
    )
    return cls


def register_dataclass(nodetype, data_fields=None, meta_fields=None, drop_fields=()):
    """Registers a dataclass-like type: data fields are children, meta fields
    static aux data (fields marked `metadata=dict(static=True)` by default)."""
    if data_fields is None or meta_fields is None:
        if (data_fields is None) != (meta_fields is None):
            raise TypeError(
                "register_dataclass: data_fields and meta_fields must both be specified"
                f" when either is specified. Got {data_fields=} {meta_fields=}."
            )
        if not dataclasses.is_dataclass(nodetype):
            raise TypeError(
                "register_dataclass: data_fields and meta_fields are required when"
                f" nodetype is not a dataclass. Got {nodetype=}."
            )
        fields = dataclasses.fields(nodetype)
        data_fields = [f.name for f in fields if not f.metadata.get("static", False)]
        meta_fields = [f.name for f in fields if f.metadata.get("static", False)]
    meta_fields, data_fields = tuple(meta_fields), tuple(data_fields)
    if dataclasses.is_dataclass(nodetype):
        init_fields = {f.name for f in dataclasses.fields(nodetype) if f.init}
        init_fields.difference_update(drop_fields)
        if {*meta_fields, *data_fields} != init_fields:
            msg = (
                "data_fields and meta_fields must include all dataclass fields with"
                " ``init=True`` and only them."
            )
            if missing := init_fields - {*meta_fields, *data_fields}:
                msg += (
                    f" Missing fields: {missing}. Add them to drop_fields to suppress this error."
                )
            if unexpected := {*meta_fields, *data_fields} - init_fields:
                msg += f" Unexpected fields: {unexpected}."
            raise ValueError(msg)
    if overlap := set(data_fields) & set(meta_fields):
        raise ValueError(
            f"data_fields and meta_fields must not overlap. Overlapping fields: {overlap}."
        )
    default_registry.register_dataclass_node(nodetype, data_fields, meta_fields)
    return nodetype


def register_static(cls):
    """Registers `cls` as a pytree with no leaves (jit treats it as static)."""
    register_pytree_with_keys(cls, lambda obj: ((), obj), lambda obj, _: obj)
    return cls


def is_tree_node(typ):
    return default_registry.is_node(typ)


register_pytree_node(tuple, lambda t: (t, None), lambda _, c: tuple(c))
register_pytree_node(list, lambda x: (x, None), lambda _, c: list(c))


def _flatten_dict(d):
    keys = tuple(_sorted_keys(d))
    return tuple(d[k] for k in keys), keys


register_pytree_node(dict, _flatten_dict, lambda keys, c: dict(zip(keys, c)))
register_pytree_node(type(None), lambda _: ((), None), lambda _, c: None)
register_pytree_with_keys(
    collections.OrderedDict,
    lambda x: (tuple((DictKey(k), x[k]) for k in x), tuple(x)),
    lambda keys, values: collections.OrderedDict(zip(keys, values)),
)


def _flatten_defaultdict_with_keys(d):
    keys = tuple(_sorted_keys(d))
    return tuple((DictKey(k), d[k]) for k in keys), (d.default_factory, keys)


register_pytree_with_keys(
    collections.defaultdict,
    _flatten_defaultdict_with_keys,
    lambda s, values: collections.defaultdict(s[0], zip(s[1], values)),
)


# ---------------------------------------------------------------------------
# PyTreeDef
# ---------------------------------------------------------------------------


class PyTreeDef:
    """The structure of a pytree: node type, aux data and child structures.

    `node_type` is the node's Python type (None for a leaf); `node_data` its
    aux data (a dict's sorted keys, a custom node's flatten aux)."""

    __slots__ = ("_children", "_data", "_hash", "_kind", "_type", "num_leaves", "num_nodes")

    def __init__(self, node_type, node_data, children):
        self._type = node_type
        self._data = node_data
        self._children = tuple(children)
        if node_type is None:
            self._kind = _LEAF_KIND
        elif node_type in _BUILTIN_KINDS:
            self._kind = _BUILTIN_KINDS[node_type]
        elif node_type not in _registry and _is_namedtuple_type(node_type):
            self._kind = _NAMEDTUPLE
        else:
            self._kind = _CUSTOM
        if node_type is None:
            self.num_leaves, self.num_nodes = 1, 1
        else:
            self.num_leaves = sum(c.num_leaves for c in self._children)
            self.num_nodes = 1 + sum(c.num_nodes for c in self._children)
        self._hash = None

    def children(self):
        return list(self._children)

    def node_data(self):
        """None for a leaf, else (node type, aux data) as jaxlib returns it."""
        if self._kind == _LEAF_KIND:
            return None
        if self._kind == _DICT:
            return (dict, list(self._data))
        return (self._type, self._data)

    @staticmethod
    def from_node_data_and_children(registry, node_data, children):
        if node_data is None:
            return _LEAF
        node_type, data = node_data
        if node_type is dict:
            data = tuple(data)
        return PyTreeDef(node_type, data, tuple(children))

    def __eq__(self, other):
        if self is other:
            return True
        if not isinstance(other, PyTreeDef):
            return NotImplemented
        if (
            self._type is not other._type
            or self.num_leaves != other.num_leaves
            or len(self._children) != len(other._children)
        ):
            return False
        try:
            if self._data != other._data:
                return False
        except Exception:  # noqa: BLE001 (aux data like arrays may not compare)
            if self._data is not other._data:
                return False
        return self._children == other._children

    def __hash__(self):
        # Aux data may be unhashable; like jaxlib, hash the shape only.
        if self._hash is None:
            self._hash = hash((self._type, self.num_leaves, self._children))
        return self._hash

    def unflatten(self, leaves):
        leaves = list(leaves)
        if len(leaves) < self.num_leaves:
            raise ValueError(
                f"Too few leaves for PyTreeDef; expected {self.num_leaves}, got {len(leaves)}"
            )
        if len(leaves) > self.num_leaves:
            raise ValueError(f"Too many leaves for PyTreeDef; expected {self.num_leaves}.")
        return self._build(iter(leaves))

    def _build(self, it):
        kind = self._kind
        if kind == _LEAF_KIND:
            return next(it)
        children = [c._build(it) for c in self._children]
        if kind == _TUPLE:
            return tuple(children)
        if kind == _LIST:
            return children
        if kind == _DICT:
            return dict(zip(self._data, children))
        if kind == _NONE:
            return None
        if kind == _NAMEDTUPLE:
            return self._type(*children)
        return _registry[self._type].from_iter(self._data, children)

    def flatten_up_to(self, xs):
        """The subtrees of `xs` at this structure's leaves."""
        out = []
        self._up_to(xs, out)
        return out

    def _up_to(self, x, out):
        kind = self._kind
        if kind == _LEAF_KIND:
            out.append(x)
            return
        n = len(self._children)
        if kind == _NONE:
            if x is not None:
                raise ValueError(
                    f"Expected None, got {x!r}.\n\nIn previous releases of JAX, flatten-up-to "
                    "used to consider None to be a tree-prefix of non-None values. To obtain "
                    "the previous behavior, you can usually write:\n  jax.tree.map(lambda x, "
                    "y: None if x is None else f(x, y), a, b, is_leaf=lambda x: x is None)"
                )
            return
        if kind in (_TUPLE, _LIST):
            name = "tuple" if kind == _TUPLE else "list"
            if type(x) is not self._type:
                raise ValueError(f"Expected {name}, got {x!r}.")
            if len(x) != n:
                raise ValueError(
                    f"{name.capitalize()} arity mismatch: {len(x)} != {n}; {name}: {x!r}."
                )
            children = x
        elif kind == _DICT:
            if type(x) is not dict:
                raise ValueError(f"Expected dict, got {x!r}.")
            keys = _sorted_keys(x)
            if tuple(keys) != self._data:
                raise ValueError(
                    f"Dict key mismatch; expected keys: {list(self._data)}; present keys: {keys}."
                )
            children = [x[k] for k in keys]
        elif kind == _NAMEDTUPLE:
            if not (isinstance(x, tuple) and hasattr(type(x), "_fields")):
                raise ValueError(f"Expected named tuple, got {x!r}.")
            if len(x) != n:
                raise ValueError(f"Named tuple arity mismatch: {len(x)} != {n}; tuple: {x!r}.")
            if type(x) is not self._type:
                raise ValueError(
                    f"Named tuple type mismatch: expected type: {self._type}, tuple: {x!r}."
                )
            children = x
        else:
            if type(x) is not self._type:
                raise ValueError(
                    f"Custom node type mismatch: expected type: {self._type}, value: {x!r}."
                )
            children, aux = _registry[self._type].to_iter(x)
            children = list(children)
            if aux != self._data:
                raise ValueError(f"Mismatch custom node data: {self._data} != {aux}; value: {x!r}.")
            if len(children) != n:
                raise ValueError(
                    f"Custom type arity mismatch: {len(children)} != {n}; value: {x!r}."
                )
        for c, sub in zip(self._children, children):
            c._up_to(sub, out)

    def compose(self, inner):
        """This structure with `inner` in place of each leaf."""
        if self._kind == _LEAF_KIND:
            return inner
        return PyTreeDef(self._type, self._data, tuple(c.compose(inner) for c in self._children))

    def __repr__(self):
        return f"PyTreeDef({self._repr()})"

    def _repr(self):
        kind = self._kind
        if kind == _LEAF_KIND:
            return "*"
        inner = ", ".join(c._repr() for c in self._children)
        if kind == _TUPLE:
            return f"({inner}{',' if len(self._children) == 1 else ''})"
        if kind == _LIST:
            return f"[{inner}]"
        if kind == _DICT:
            items = (f"{k!r}: {c._repr()}" for k, c in zip(self._data, self._children))
            return "{" + ", ".join(items) + "}"
        if kind == _NONE:
            return "None"
        if kind == _NAMEDTUPLE:
            return f"CustomNode(namedtuple[{self._type.__name__}], [{inner}])"
        return f"CustomNode({self._type.__name__}[{self._data}], [{inner}])"


_LEAF = PyTreeDef(None, None, ())


def _flatten(x, leaves, is_leaf):
    if is_leaf is not None and is_leaf(x):
        leaves.append(x)
        return _LEAF
    t = type(x)
    node = _registry.get(t)
    if node is not None:
        children, aux = node.to_iter(x)
        return PyTreeDef(t, aux, [_flatten(c, leaves, is_leaf) for c in children])
    if isinstance(x, tuple) and hasattr(t, "_fields"):
        return PyTreeDef(t, None, [_flatten(c, leaves, is_leaf) for c in x])
    leaves.append(x)
    return _LEAF


def _flatten_with_path(x, path, leaves, is_leaf):
    if is_leaf is not None and is_leaf(path, x):
        leaves.append((path, x))
        return _LEAF
    keyed = default_registry.flatten_one_level_with_keys(x)
    if keyed is None:
        leaves.append((path, x))
        return _LEAF
    key_children, aux = keyed
    t = type(x)
    if t in _BUILTIN_KINDS or (t not in _registry and _is_namedtuple_type(t)):
        aux = tuple(_sorted_keys(x)) if t is dict else None
    children = [_flatten_with_path(c, (*path, k), leaves, is_leaf) for k, c in key_children]
    return PyTreeDef(t, aux, children)


# ---------------------------------------------------------------------------
# The functions
# ---------------------------------------------------------------------------


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
    return treedef.num_nodes == 1


def treedef_children(treedef):
    return treedef.children()


def treedef_tuple(treedefs):
    return PyTreeDef(tuple, None, tuple(treedefs))


def all_leaves(iterable, is_leaf=None):
    items = list(iterable)
    if is_leaf is None:
        return all(treedef_is_leaf(tree_structure(x)) and tree_leaves(x) == [x] for x in items)
    leaves = tree_leaves(items, is_leaf)
    return len(leaves) == len(items) and all(a is b for a, b in zip(items, leaves))


def flatten_one_level(tree):
    out = default_registry.flatten_one_level(tree)
    if out is None:
        raise ValueError(f"can't tree-flatten type: {type(tree)}")
    return out


def flatten_one_level_with_keys(tree):
    out = default_registry.flatten_one_level_with_keys(tree)
    if out is None:
        raise ValueError(f"can't tree-flatten type: {type(tree)}")
    return out


def tree_map(f, tree, *rest, is_leaf=None):
    leaves, treedef = tree_flatten(tree, is_leaf)
    all_leaves_ = [leaves]
    for r in rest:
        try:
            all_leaves_.append(treedef.flatten_up_to(r))
        except ValueError as e:
            err = next(_prefix_error((), tree, r, is_leaf), None)
            raise (err("tree_map tree") if err is not None else e) from None
    return treedef.unflatten(f(*xs) for xs in zip(*all_leaves_))


def tree_all(tree, *, is_leaf=None):
    return all(tree_leaves(tree, is_leaf=is_leaf))


class _Unspecified:
    pass


_UNSPECIFIED = _Unspecified()


def tree_reduce(function, tree, initializer=_UNSPECIFIED, is_leaf=None):
    if isinstance(initializer, _Unspecified):
        return functools.reduce(function, tree_leaves(tree, is_leaf=is_leaf))
    return functools.reduce(function, tree_leaves(tree, is_leaf=is_leaf), initializer)


def _parallel_reduce(sequence, operation, identity):
    if not sequence:
        if isinstance(identity, _Unspecified):
            raise TypeError("Must specify identity for parallel reduction of empty sequence.")
        return identity
    if len(sequence) == 1:
        return sequence[0]
    half = len(sequence) // 2
    return operation(
        _parallel_reduce(sequence[:half], operation, identity),
        _parallel_reduce(sequence[half:], operation, identity),
    )


def tree_reduce_associative(operation, tree, *, identity=_UNSPECIFIED, is_leaf=None):
    """Reduces the leaves pairwise as a balanced tree (for associative ops)."""
    return _parallel_reduce(tree_leaves(tree, is_leaf=is_leaf), operation, identity)


def tree_transpose(outer_treedef, inner_treedef, pytree_to_transpose, is_leaf=None):
    flat, treedef = tree_flatten(pytree_to_transpose, is_leaf)
    if inner_treedef is None:
        inner_treedef = tree_structure(outer_treedef.flatten_up_to(pytree_to_transpose)[0], is_leaf)
    inner_size, outer_size = inner_treedef.num_leaves, outer_treedef.num_leaves
    if treedef.num_leaves != inner_size * outer_size:
        raise TypeError(f"Mismatch\n{treedef}\n != \n{outer_treedef.compose(inner_treedef)}")
    groups = [flat[i * inner_size : (i + 1) * inner_size] for i in range(outer_size)]
    transposed = [outer_treedef.unflatten([g[i] for g in groups]) for i in range(inner_size)]
    return inner_treedef.unflatten(transposed)


def tree_broadcast(prefix_tree, full_tree, is_leaf=None):
    """`prefix_tree`'s leaves repeated over the matching subtrees of `full_tree`."""
    result = []

    def add_leaves(x, subtree):
        result.extend([x] * tree_structure(subtree).num_leaves)

    try:
        tree_map(add_leaves, prefix_tree, full_tree, is_leaf=is_leaf)
    except ValueError:
        errors = list(_prefix_error((), prefix_tree, full_tree, is_leaf))
        if not errors:
            raise
        raise errors[0]("broadcast_prefix prefix_tree") from None
    return tree_structure(full_tree).unflatten(result)


def tree_flatten_with_path(tree, is_leaf=None, is_leaf_takes_path=False):
    """([(key path, leaf), ...], treedef)."""
    is_leaf_with_path = is_leaf
    if not is_leaf_takes_path and is_leaf is not None:
        is_leaf_with_path = lambda _, x: is_leaf(x)
    return default_registry.flatten_with_path(tree, is_leaf_with_path)


def tree_leaves_with_path(tree, is_leaf=None, is_leaf_takes_path=False):
    return tree_flatten_with_path(tree, is_leaf, is_leaf_takes_path)[0]


def tree_map_with_path(f, tree, *rest, is_leaf=None, is_leaf_takes_path=False):
    """tree_map, with f(key_path, leaf, *rest_leaves)."""
    keypath_leaves, treedef = tree_flatten_with_path(tree, is_leaf, is_leaf_takes_path)
    columns = [[p for p, _ in keypath_leaves], [x for _, x in keypath_leaves]]
    for r in rest:
        try:
            columns.append(treedef.flatten_up_to(r))
        except ValueError as e:
            plain_is_leaf = None if is_leaf_takes_path else is_leaf
            err = next(_prefix_error((), tree, r, plain_is_leaf), None)
            raise (err("tree_map_with_path tree") if err is not None else e) from None
    return treedef.unflatten(f(*xs) for xs in zip(*columns))


# ---------------------------------------------------------------------------
# Partial
# ---------------------------------------------------------------------------


class _HashableCallableShim:
    """Delegates __call__, __hash__ and __eq__ to another callable."""

    def __init__(self, fun):
        self.fun = fun

    def __call__(self, *args, **kw):
        return self.fun(*args, **kw)

    def __hash__(self):
        return hash(self.fun)

    def __eq__(self, other):
        if isinstance(other, _HashableCallableShim):
            return self.fun == other.fun
        return self.fun == other

    def __repr__(self):
        return f"_HashableCallableShim({self.fun!r})"


class Partial(functools.partial):
    """functools.partial as a pytree: the bound arguments are its leaves, the
    function is static (so a Partial can be passed to jit'd functions)."""

    def __new__(klass, func, *args, **kw):
        # functools.partial would merge a partial `func`'s arguments into this
        # one; box it so exactly this Partial's arguments are its leaves.
        if isinstance(func, functools.partial):
            original = func
            func = _HashableCallableShim(original)
            out = super().__new__(klass, func, *args, **kw)
            func.func, func.args, func.keywords = original.func, original.args, original.keywords
            return out
        return super().__new__(klass, func, *args, **kw)


Partial.__module__ = "mlax.tree_util"

register_pytree_node(
    Partial,
    lambda p: ((p.args, p.keywords), p.func),
    lambda func, xs: Partial(func, *xs[0], **xs[1]),
)


# ---------------------------------------------------------------------------
# Structure errors (JAX's messages)
# ---------------------------------------------------------------------------


def _is_strict_leaf(treedef):
    return treedef.num_nodes == 1 and treedef.num_leaves == 1


def _child_keys(pytree):
    return tuple(k for k, _ in flatten_one_level_with_keys(pytree)[0])


def _prefix_error(key_path, prefix_tree, full_tree, is_leaf=None):
    """Yields functions name -> ValueError describing where `prefix_tree` is
    not a prefix of `full_tree`."""
    if _is_strict_leaf(tree_structure(prefix_tree, is_leaf=is_leaf)):
        return
    if type(prefix_tree) is not type(full_tree):
        yield lambda name: ValueError(
            "pytree structure error: different types at key path\n"
            f"    {name}{keystr(key_path)}\n"
            f"At that key path, the prefix pytree {name} has a subtree of type\n"
            f"    {type(prefix_tree)}\n"
            f"but at the same key path the full pytree has a subtree of different type\n"
            f"    {type(full_tree)}."
        )
        return
    prefix_children, prefix_meta = flatten_one_level(prefix_tree)
    full_children, full_meta = flatten_one_level(full_tree)
    prefix_children, full_children = tuple(prefix_children), tuple(full_children)
    prefix_keys, full_keys = _child_keys(prefix_tree), _child_keys(full_tree)
    if isinstance(prefix_tree, (list, tuple)):
        if len(prefix_tree) != len(full_tree):
            ty = type(prefix_tree)
            yield lambda name: ValueError(
                f"pytree structure error: different lengths of {ty.__name__} at key path\n"
                f"    {name}{keystr(key_path)}\n"
                f"At that key path, the prefix pytree {name} has a subtree of type "
                f"{ty.__name__} of length {len(prefix_tree)}, but the full pytree "
                f"has a subtree of the same type but of length {len(full_tree)}."
            )
            return
    else:
        try:
            diff = set(prefix_keys).symmetric_difference(set(full_keys))
        except TypeError:  # unhashable keys
            diff = None
        if len(prefix_children) != len(full_children):
            yield lambda name: ValueError(
                "pytree structure error: different numbers of pytree children at key path\n"
                f"    {name}{keystr(key_path)}\n"
                f"At that key path, the prefix pytree {name} has a subtree of type\n"
                f"    {type(prefix_tree)}\n"
                f"with {len(prefix_children)} child keys\n"
                f"    {' '.join(str(k.key) for k in prefix_keys)}\n"
                f"but at the same key path the full pytree has a subtree of the same "
                f"type but with {len(full_children)} child keys\n"
                f"    {' '.join(str(k.key) for k in full_keys)}\n"
                + (
                    ""
                    if diff is None
                    else "so the symmetric difference on key sets is\n"
                    f"    {' '.join(str(k.key) for k in diff)}"
                )
            )
            return
    if prefix_meta != full_meta:
        prefix_str, full_str = str(prefix_meta), str(full_meta)
        metadata_diff = textwrap.indent(
            "\n".join(difflib.ndiff(prefix_str.splitlines(), full_str.splitlines())),
            prefix="    ",
        )
        yield lambda name: ValueError(
            "pytree structure error: different pytree metadata at key path\n"
            f"    {name}{keystr(key_path)}\n"
            f"At that key path, the prefix pytree {name} has a subtree of type\n"
            f"    {type(prefix_tree)}\n"
            f"with metadata\n"
            f"    {prefix_str}\n"
            f"but at the same key path the full pytree has a subtree of the same "
            f"type but with metadata\n"
            f"    {full_str}\n"
            f"so the diff in the metadata at these pytree nodes is\n"
            f"{metadata_diff}"
        )
        return
    for k, t1, t2 in zip(prefix_keys, prefix_children, full_children):
        yield from _prefix_error((*key_path, k), t1, t2)


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
