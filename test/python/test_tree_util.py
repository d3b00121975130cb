"""mlax.tree_util against jax.tree_util's documented behaviour."""

from collections import namedtuple

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
