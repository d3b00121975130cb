"""mlax.tree_util against jax.tree_util's documented behaviour."""

import dataclasses
import functools
from collections import OrderedDict, defaultdict, namedtuple

import jax
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from conftest import F32, assert_allclose
from mlax import tree_util as tu

P = namedtuple("P", ["x", "y"])
Q = namedtuple("Q", ["x", "y"])


class Box:
    """A custom container registered with register_pytree_node."""

    def __init__(self, value, label):
        self.value = value
        self.label = label

    def __eq__(self, other):
        return isinstance(other, Box) and (self.value, self.label) == (other.value, other.label)


tu.register_pytree_node(Box, lambda b: ((b.value,), b.label), lambda label, c: Box(c[0], label))


@tu.register_pytree_node_class
class Pair:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def tree_flatten(self):
        return (self.a, self.b), None

    @classmethod
    def tree_unflatten(cls, aux, children):
        return cls(*children)


TREE = {"b": [1, (2, 3)], "a": None, "c": {"y": 4, "x": 5}, "p": P(6, [7])}


def test_flatten_sorted_keys_and_none():
    leaves, treedef = tu.tree_flatten(TREE)
    assert leaves == [1, 2, 3, 5, 4, 6, 7]  # dict keys sorted; None has no leaves
    assert treedef.num_leaves == 7
    assert tu.tree_unflatten(treedef, leaves) == TREE
    assert treedef.unflatten(list(range(7))) == {
        "a": None,
        "b": [0, (1, 2)],
        "c": {"x": 3, "y": 4},
        "p": P(5, [6]),
    }


def test_leaves_and_structure():
    assert tu.tree_leaves([None, 1, (None,), {"k": 2}]) == [1, 2]
    assert tu.tree_leaves(None) == []
    assert tu.tree_leaves(5) == [5]
    x = jnp.zeros(3)
    assert tu.tree_leaves({"x": x, "s": "a string", "n": np.ones(2)})[1:] == ["a string", x]
    assert tu.tree_leaves([[], (), {}]) == []
    s = tu.tree_structure(TREE)
    assert s == tu.tree_structure(
        {"a": None, "b": [0, (0, 0)], "c": {"x": 0, "y": 0}, "p": P(0, [0])}
    )
    assert tu.treedef_is_leaf(tu.tree_structure(1.0))
    assert not tu.treedef_is_leaf(tu.tree_structure((1.0,)))
    assert tu.all_leaves([1, 2.0, x]) and not tu.all_leaves([1, (2,)])
    leaf_def = tu.tree_structure(3)
    assert leaf_def.unflatten(["x"]) == "x"


def test_is_leaf():
    tree = [None, (1, 2), {"a": (3,)}]
    assert tu.tree_leaves(tree, is_leaf=lambda t: t is None) == [None, 1, 2, 3]
    assert tu.tree_leaves(tree, is_leaf=lambda t: isinstance(t, tuple)) == [(1, 2), (3,)]
    out = tu.tree_map(lambda t: len(t), tree, is_leaf=lambda t: isinstance(t, tuple))
    assert out == [None, 2, {"a": 1}]


def test_tree_map():
    assert tu.tree_map(lambda v: v * 10, TREE) == {
        "a": None,
        "b": [10, (20, 30)],
        "c": {"x": 50, "y": 40},
        "p": P(60, [70]),
    }
    assert tu.tree_map(lambda a, b: a + b, (1, [2]), (10, [20])) == (11, [22])
    out = tu.tree_map(lambda v: v + 1, {"w": jnp.zeros(2), "b": 1.0})
    assert_allclose(out["w"], np.ones(2, np.float32), F32)
    assert out["b"] == 2.0


def test_tree_map_structure_mismatch_raises():
    with pytest.raises(ValueError):
        tu.tree_map(lambda a, b: a, [1, 2], (1, 2))
    with pytest.raises(ValueError):
        tu.tree_map(lambda a, b: a, [1, 2], [1, 2, 3])
    with pytest.raises(ValueError):
        tu.tree_map(lambda a, b: a, {"a": 1}, {"b": 1})


def test_unflatten_wrong_leaf_count_raises():
    treedef = tu.tree_structure(TREE)
    with pytest.raises(ValueError, match="Too few leaves"):
        treedef.unflatten([1, 2])
    with pytest.raises(ValueError, match="Too many leaves"):
        tu.tree_unflatten(treedef, list(range(8)))


def test_namedtuples():
    leaves, treedef = tu.tree_flatten(P(x=1, y=(2, 3)))
    assert leaves == [1, 2, 3]
    out = treedef.unflatten([4, 5, 6])
    assert type(out) is P and out == P(4, (5, 6))
    assert tu.tree_structure(P(1, 2)) != tu.tree_structure((1, 2))
    assert tu.tree_structure(P(1, 2)) != tu.tree_structure(Q(1, 2))
    assert tu.tree_structure(P(1, 2)) == tu.tree_structure(P("a", "b"))
    assert tu.tree_map(lambda v: -v, P(1, 2)) == P(-1, -2)


def test_register_pytree_node():
    tree = [Box(1, "first"), Box((2, 3), "second")]
    leaves, treedef = tu.tree_flatten(tree)
    assert leaves == [1, 2, 3]
    assert treedef.unflatten([7, 8, 9]) == [Box(7, "first"), Box((8, 9), "second")]
    # Aux data is part of the structure.
    assert tu.tree_structure(Box(1, "a")) != tu.tree_structure(Box(1, "b"))
    assert tu.tree_structure(Box(1, "a")) == tu.tree_structure(Box(2, "a"))
    p = tu.tree_map(lambda v: v * 2, Pair(1, [2]))
    assert isinstance(p, Pair) and (p.a, p.b) == (2, [4])


def test_custom_nodes_through_jit():
    @mlax.jit
    def f(box, pair):
        return Box(box.value * pair.a, box.label), Pair(pair.b, pair.a)

    x = jnp.asarray(np.array([1, 2], np.float32))
    box, pair = f(Box(x, "lbl"), Pair(3.0, x))
    assert isinstance(box, Box) and box.label == "lbl"
    assert_allclose(box.value, np.array([3, 6], np.float32), F32)
    assert isinstance(pair, Pair)
    assert_allclose(pair.a, np.array([1, 2], np.float32), F32)
    assert_allclose(pair.b, np.float32(3.0), F32)


def test_treedef_equality_and_hash():
    a = tu.tree_structure({"x": [1, 2], "y": None})
    b = tu.tree_structure({"y": None, "x": ["p", "q"]})
    assert a == b and hash(a) == hash(b)
    cache = {a: "hit"}
    assert cache[b] == "hit"
    different = [
        tu.tree_structure({"x": (1, 2), "y": None}),  # tuple vs list
        tu.tree_structure({"x": [1, 2], "z": None}),  # keys
        tu.tree_structure({"x": [1, 2, 3], "y": None}),  # lengths
        tu.tree_structure({"x": [1, 2], "y": 0}),  # None vs leaf
        tu.tree_structure([1, 2]),
    ]
    assert all(d != a for d in different)
    assert len({a, *different}) == 1 + len(different)
    assert a != "not a treedef"


def test_reduce_all_transpose():
    assert tu.tree_reduce(lambda s, v: s + v, [1, (2, 3)], 10) == 16
    assert tu.tree_reduce(max, {"a": 3, "b": [7, 1]}) == 7
    assert tu.tree_all([True, (1, {"a": True})])
    assert not tu.tree_all([True, (0,)])
    outer = tu.tree_structure([0, 0])
    inner = tu.tree_structure((0, 0, 0))
    transposed = tu.tree_transpose(outer, inner, [(1, 2, 3), (4, 5, 6)])
    assert transposed == ([1, 4], [2, 5], [3, 6])
    with pytest.raises(TypeError):
        tu.tree_transpose(outer, inner, [(1, 2), (3, 4)])


_JAX_TREES = [
    TREE,
    [1, (2, 3), {"a": 4, "b": [5, None]}],
    {"z": {"y": {"x": 1}}, "a": ()},
    (None,),
    [[], {}, ()],
    7,
]


@pytest.mark.parametrize("tree", _JAX_TREES)
def test_matches_jax(tree):
    leaves, treedef = tu.tree_flatten(tree)
    j_leaves, j_treedef = jax.tree_util.tree_flatten(tree)
    assert leaves == j_leaves
    assert treedef.num_leaves == j_treedef.num_leaves
    assert treedef.num_nodes == j_treedef.num_nodes
    if not any(isinstance(t, P) for t in tu.tree_leaves(tree, is_leaf=lambda t: isinstance(t, P))):
        assert repr(treedef) == repr(j_treedef)
    assert tu.tree_map(lambda v: v, tree) == jax.tree_util.tree_map(lambda v: v, tree)


# --- key paths, the jax.tree namespace, registration variants, Partial ------

_PATH_TREES = [
    TREE,
    {"o": OrderedDict([("z", 1), ("a", [2])]), "d": defaultdict(list, {"k": 3, "b": (4,)})},
    [None, (), 5, P(x=[6], y=None)],
    {1: "one", 2.5: ["two"], -1: {}},
]


def _jax_repr(text):
    return text.replace("jax.tree_util", "mlax.tree_util")


@pytest.mark.parametrize("tree", _PATH_TREES)
def test_paths_and_reprs_match_jax(tree):
    mine, treedef = tu.tree_flatten_with_path(tree)
    theirs, j_treedef = jax.tree_util.tree_flatten_with_path(tree)
    assert repr(mine) == repr(theirs)  # (DictKey(key='b'), SequenceKey(idx=0)) ...
    assert repr(treedef) == repr(j_treedef)
    assert treedef == tu.tree_structure(tree)
    assert (treedef.num_leaves, treedef.num_nodes) == (j_treedef.num_leaves, j_treedef.num_nodes)
    assert repr(treedef.children()) == repr(j_treedef.children())
    assert repr(treedef.node_data()) == repr(j_treedef.node_data())
    for (p, _), (jp, _) in zip(mine, theirs):
        assert tu.keystr(p) == jax.tree_util.keystr(jp)
        assert tu.keystr(p, simple=True, separator="/") == jax.tree_util.keystr(
            jp, simple=True, separator="/"
        )
    assert tu.tree_unflatten(treedef, [v for _, v in mine]) == tree
    assert tu.tree_leaves_with_path(tree) == mine


def test_key_entries():
    assert str(tu.GetAttrKey("x")) == ".x" and str(tu.SequenceKey(1)) == "[1]"
    assert str(tu.DictKey("a")) == "['a']"
    assert str(tu.FlattenedIndexKey(2)) == "[<flat index 2>]"
    assert tu.DictKey("a") == tu.DictKey("a") and hash(tu.DictKey(1)) == hash(tu.DictKey(1))
    assert tu.SequenceKey(3).idx == 3 and tu.GetAttrKey("n").name == "n"
    assert tu.keystr((tu.DictKey("a"), tu.SequenceKey(0), tu.GetAttrKey("w"))) == "['a'][0].w"
    # Custom nodes without key functions are keyed by flat index.
    assert [tu.keystr(p) for p, _ in tu.tree_leaves_with_path([Box(3, "q")])] == [
        "[0][<flat index 0>]"
    ]


def test_is_leaf_with_paths():
    tree = (1, {"a": [2]})
    for kwargs in [
        {"is_leaf": lambda x: isinstance(x, list)},
        {"is_leaf": lambda p, x: len(p) == 1, "is_leaf_takes_path": True},
    ]:
        assert repr(tu.tree_leaves_with_path(tree, **kwargs)) == repr(
            jax.tree_util.tree_leaves_with_path(tree, **kwargs)
        )
    out = tu.tree_map_with_path(
        lambda p, x, y: (tu.keystr(p), x + y), {"a": 1, "b": [2]}, {"a": 10, "b": [20]}
    )
    assert out == {"a": ("['a']", 11), "b": [("['b'][0]", 22)]}


def test_ordered_and_default_dicts():
    od = OrderedDict([("z", 1), ("a", 2)])
    assert tu.tree_leaves(od) == [1, 2]  # insertion order, not sorted
    back = tu.tree_map(lambda v: v * 2, od)
    assert type(back) is OrderedDict and list(back.items()) == [("z", 2), ("a", 4)]
    assert tu.tree_structure(od) != tu.tree_structure({"z": 1, "a": 2})
    dd = defaultdict(list, {"k": 1, "b": 2})
    back = tu.tree_map(lambda v: v + 1, dd)
    assert type(back) is defaultdict and back.default_factory is list and back == {"k": 2, "b": 3}
    assert tu.tree_leaves(dd) == [2, 1]


def test_none_handling_matches_jax():
    assert tu.tree_map(lambda x, y: (x, y), [1, 2], [None, 3]) == [(1, None), (2, 3)]
    assert tu.tree_structure([None, 1]).flatten_up_to([None, {"a": 2}]) == [{"a": 2}]
    assert tu.treedef_is_leaf(tu.tree_structure(None))
    assert not tu.all_leaves([None]) and tu.all_leaves([1, "s"])
    assert tu.all_leaves([None, 1], is_leaf=lambda x: x is None)


_MISMATCHES = [
    ([None, 1], [2, 3]),
    ([1, 2], [1, 2, 3]),
    ((1, 2), [1, 2]),
    ({"a": 1}, {"b": 1}),
    ({"a": 1, "b": 2}, {"a": 1}),
    ([1], 5),
    (P(1, 2), (1, 2)),
    ({"a": [1, (2, 3)]}, {"a": [1, (2,)]}),
]


@pytest.mark.parametrize("first,second", _MISMATCHES)
def test_structure_errors_match_jax(first, second):
    with pytest.raises(ValueError) as theirs:
        jax.tree_util.tree_map(lambda *a: a, first, second)
    with pytest.raises(ValueError) as mine:
        tu.tree_map(lambda *a: a, first, second)
    assert str(mine.value) == str(theirs.value)
    with pytest.raises(ValueError) as theirs:
        jax.tree_util.tree_structure(first).flatten_up_to(second)
    with pytest.raises(ValueError) as mine:
        tu.tree_structure(first).flatten_up_to(second)
    assert str(mine.value) == str(theirs.value)


def test_treedef_methods():
    x = [(1, 2), 3, {"a": 4}]
    treedef = tu.tree_structure(x)
    assert tu.treedef_children(treedef) == [tu.tree_structure(v) for v in x]
    assert tu.treedef_tuple([tu.tree_structure(1), treedef]) == tu.tree_structure((1, x))
    composed = tu.tree_structure([0, 0]).compose(tu.tree_structure((0, 0)))
    assert composed == tu.tree_structure([(0, 0), (0, 0)])
    rebuilt = treedef.from_node_data_and_children(
        tu.default_registry, treedef.node_data(), treedef.children()
    )
    assert rebuilt == treedef
    assert tu.tree_structure(5).node_data() is None
    assert tu.tree_transpose(tu.tree_structure([0, 0]), None, [(1, 2), (3, 4)]) == ([1, 3], [2, 4])
    # Aux data joins equality but not the hash (it may be unhashable).
    a, b = tu.tree_structure(Box(1, [1])), tu.tree_structure(Box(1, [2]))
    assert a != b and hash(a) == hash(b)
    with pytest.raises(ValueError, match="Mismatch custom node data"):
        a.flatten_up_to(Box(1, [2]))


def test_flatten_one_level_and_is_tree_node():
    for tree in [{"b": 1, "a": 2}, (1, 2), None, [3]]:
        assert tu.flatten_one_level(tree) == jax.tree_util.flatten_one_level(tree)
    children, aux = tu.flatten_one_level_with_keys({"b": 1, "a": 2})
    assert repr(children) == "((DictKey(key='a'), 2), (DictKey(key='b'), 1))" and aux == ("a", "b")
    with pytest.raises(ValueError, match="can't tree-flatten type: <class 'int'>"):
        tu.flatten_one_level(1)
    for typ in [list, tuple, dict, type(None), P, int, str, OrderedDict, Box]:
        assert tu.is_tree_node(typ) == jax.tree_util.is_tree_node(typ) or typ is Box
    assert tu.is_tree_node(Box)


def test_broadcast_and_reduce_associative():
    full = {"a": [1, 2], "b": (3, {"c": 4})}
    for prefix in [{"a": 0, "b": 1}, 7, {"a": [5, 6], "b": 8}]:
        assert tu.tree_broadcast(prefix, full) == jax.tree_util.tree_broadcast(prefix, full)
    with pytest.raises(ValueError) as theirs:
        jax.tree_util.tree_broadcast([1, 2], [1, 2, 3])
    with pytest.raises(ValueError) as mine:
        tu.tree_broadcast([1, 2], [1, 2, 3])
    assert str(mine.value) == str(theirs.value)
    calls = []

    def concat(a, b):
        calls.append((a, b))
        return a + b

    assert tu.tree_reduce_associative(concat, ["a", ["b"], ("c", "d"), {"e": "e"}]) == "abcde"
    assert calls == [("a", "b"), ("d", "e"), ("c", "de"), ("ab", "cde")]  # balanced
    assert tu.tree_reduce_associative(concat, [], identity=0) == 0
    with pytest.raises(TypeError, match="Must specify identity"):
        tu.tree_reduce_associative(concat, [])


def test_register_variants():
    @tu.register_dataclass
    @dataclasses.dataclass
    class Params:
        w: object
        name: str = dataclasses.field(metadata={"static": True})

    p = Params(jnp.ones(2), "layer")
    leaves, treedef = tu.tree_flatten(p)
    assert len(leaves) == 1 and treedef.node_data() == (Params, ("layer",))
    assert repr(tu.tree_leaves_with_path(p)[0][0]) == "(GetAttrKey(name='w'),)"
    out = mlax.jit(lambda q: Params(q.w * 2, q.name + "!"))(p)
    assert out.name == "layer!" and np.allclose(np.asarray(out.w), 2)
    with pytest.raises(ValueError, match="Missing fields"):
        tu.register_dataclass(Params, data_fields=["w"], meta_fields=[])
    with pytest.raises(TypeError, match="must both be specified"):
        tu.register_dataclass(Params, data_fields=["w"])

    @tu.register_static
    class Mode:
        def __init__(self, name):
            self.name = name

        def __hash__(self):
            return hash(self.name)

        def __eq__(self, other):
            return isinstance(other, Mode) and other.name == self.name

    assert tu.tree_leaves([Mode("train"), 2]) == [2]
    f = mlax.jit(lambda m, x: x + 1 if m.name == "train" else x - 1)
    assert float(f(Mode("train"), 1.0)) == 2.0 and float(f(Mode("eval"), 1.0)) == 0.0

    @tu.register_pytree_with_keys_class
    class Named:
        def __init__(self, a, b):
            self.a, self.b = a, b

        def tree_flatten_with_keys(self):
            return ((tu.GetAttrKey("a"), self.a), (tu.GetAttrKey("b"), self.b)), None

        @classmethod
        def tree_unflatten(cls, aux, children):
            return cls(*children)

    assert [tu.keystr(k) for k, _ in tu.tree_leaves_with_path(Named(1, [2]))] == [".a", ".b[0]"]
    assert tu.tree_leaves(Named(1, [2])) == [1, 2]
    with pytest.raises(ValueError, match="Duplicate custom PyTreeDef type registration"):
        tu.register_pytree_node(Named, lambda x: ((), None), lambda a, c: None)


def test_partial_is_a_pytree_and_a_jit_argument():
    def affine(w, x, b=0.0):
        return w * x + b

    part = tu.Partial(affine, 2.0, b=1.0)
    leaves, treedef = tu.tree_flatten(part)
    assert leaves == [2.0, 1.0] and part(3.0) == 7.0
    assert treedef.node_data() == (tu.Partial, affine)

    @mlax.jit
    def call(fn, x):
        return fn(x)

    assert float(call(part, 3.0)) == 7.0
    assert float(call(tu.Partial(affine, 4.0, b=0.5), 3.0)) == 12.5
    doubled = tu.tree_map(lambda v: v * 2, part)
    assert isinstance(doubled, tu.Partial) and doubled(1.0) == 6.0
    # A partial of a partial keeps only its own arguments as leaves.
    nested = tu.Partial(functools.partial(affine, 2.0, b=1.0), 3.0)
    assert tu.tree_leaves(nested) == [3.0] and nested() == 7.0


def test_tree_namespace_matches_jax():
    import jax.tree as jt
    import mlax.tree as mt

    assert sorted(n for n in dir(jt) if not n.startswith("_")) == sorted(
        n for n in dir(mt) if not n.startswith("_")
    )
    tree = {"b": [1, (2, 3)], "a": None, "c": P(4, 5)}
    assert mt.leaves(tree) == jt.leaves(tree)
    assert mt.map(lambda x, y: x * y, tree, tree) == jt.map(lambda x, y: x * y, tree, tree)
    assert repr(mt.structure(tree)) == repr(jt.structure(tree))
    leaves, treedef = mt.flatten(tree)
    assert mt.unflatten(treedef, leaves) == tree
    assert mt.reduce(lambda a, b: a + b, tree) == 15 and mt.reduce(max, tree, 100) == 100
    assert mt.reduce_associative(lambda a, b: a + b, tree) == 15
    assert mt.all([1, True]) and not mt.all([1, 0])
    assert mt.transpose(mt.structure([0, 0]), mt.structure((0, 0)), [(1, 2), (3, 4)]) == (
        [1, 3],
        [2, 4],
    )
    assert mt.broadcast(0, [1, (2,)]) == [0, (0,)]
    assert repr(mt.leaves_with_path(tree)) == repr(jt.leaves_with_path(tree))
    assert repr(mt.flatten_with_path(tree)[0]) == repr(jt.flatten_with_path(tree)[0])
    assert mt.map_with_path(lambda p, x: len(p), tree) == jt.map_with_path(
        lambda p, x: len(p), tree
    )
    field = mt.static(default=3)
    assert field.metadata["static"] and field.default == 3


def test_ravel_pytree_matches_jax():
    # mlax.flatten_util was missing (jax.flatten_util.ravel_pytree).
    import jax.flatten_util
    import jax.numpy as jax_np
    import mlax.flatten_util

    def run(lib, m):
        tree = {"w": m.ones((2, 2)), "b": (m.arange(3), 2.5), "n": None}
        flat, unravel = lib.flatten_util.ravel_pytree(tree)
        same_dtype, unravel_same = lib.flatten_util.ravel_pytree([m.ones(2), m.zeros(1)])
        with pytest.raises(TypeError, match="expected dtype float32"):
            unravel(m.arange(8))
        jitted = lib.jit(lambda t: lib.flatten_util.ravel_pytree(t)[0])({"a": m.ones(2)})
        return (
            flat,
            unravel(flat * 2),
            unravel_same(same_dtype.astype(m.int32)),
            lib.flatten_util.ravel_pytree({})[0],
            jitted,
        )

    got, want = run(mlax, mlax.numpy), run(jax, jax_np)
    assert jax.tree_util.tree_structure(got) == jax.tree_util.tree_structure(want)
    for g, w in zip(jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(want)):
        assert np.asarray(g).dtype == np.asarray(w).dtype
        np.testing.assert_array_equal(np.asarray(g), np.asarray(w))
