"""mlax.lax's convolutions (conv_general_dilated and its wrappers, patches,
local convolutions, the shape helpers) and stax's convolution and pooling
layers, against jax live: values, shapes, dtypes, derivatives with respect
to both operands, vmap, and the exceptions JAX raises.

To keep the IREE compiles few, most checks put many configurations in one
jitted function (one compile); a few run eagerly.
"""

import subprocess
import sys
import textwrap

import jax
import mlax
import numpy as np
import pytest
from jax.example_libraries import stax as jax_stax
from mlax.example_libraries import stax

RTOL, ATOL = 1e-5, 1e-5


def _rand(shape, seed, dtype=np.float32):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def _close(mine, theirs, err_msg="", rtol=RTOL, atol=ATOL):
    mine, theirs = np.asarray(mine), np.asarray(theirs)
    assert mine.shape == theirs.shape, (err_msg, mine.shape, theirs.shape)
    assert mine.dtype == theirs.dtype, (err_msg, mine.dtype, theirs.dtype)
    np.testing.assert_allclose(mine, theirs, rtol=rtol, atol=atol, err_msg=err_msg)


# (name, lhs shape, rhs shape, keyword arguments of conv_general_dilated)
CONFIGS = [
    ("1d-valid", (2, 3, 9), (4, 3, 3), {"window_strides": (1,), "padding": "VALID"}),
    ("1d-same-stride", (2, 3, 9), (4, 3, 4), {"window_strides": (2,), "padding": "SAME"}),
    ("1d-same-lower", (1, 2, 8), (2, 2, 4), {"window_strides": (3,), "padding": "SAME_LOWER"}),
    (
        "1d-nwc-dilations",
        (2, 10, 3),
        (3, 3, 2),
        {
            "window_strides": (1,),
            "padding": [(2, 1)],
            "lhs_dilation": (2,),
            "rhs_dilation": (2,),
            "dimension_numbers": ("NWC", "WIO", "NWC"),
        },
    ),
    ("2d-nchw-valid", (2, 3, 7, 6), (4, 3, 3, 2), {"window_strides": (1, 1), "padding": "VALID"}),
    (
        "2d-nchw-same-strides",
        (2, 3, 7, 6),
        (4, 3, 3, 3),
        {"window_strides": (2, 3), "padding": "SAME"},
    ),
    (
        "2d-explicit-negative-padding",
        (1, 2, 7, 6),
        (3, 2, 2, 3),
        {"window_strides": (1, 2), "padding": [(1, -1), (-2, 3)]},
    ),
    (
        "2d-nhwc",
        (2, 6, 5, 3),
        (3, 2, 3, 4),
        {
            "window_strides": (1, 2),
            "padding": "SAME",
            "dimension_numbers": ("NHWC", "HWIO", "NHWC"),
        },
    ),
    (
        "2d-lhs-dilation",
        (1, 2, 4, 5),
        (3, 2, 3, 2),
        {"window_strides": (1, 1), "padding": [(2, 2), (1, 0)], "lhs_dilation": (2, 3)},
    ),
    (
        "2d-rhs-dilation-nhwc",
        (2, 9, 8, 2),
        (3, 3, 2, 4),
        {
            "window_strides": (2, 1),
            "padding": "SAME",
            "rhs_dilation": (2, 3),
            "dimension_numbers": ("NHWC", "HWIO", "NHWC"),
        },
    ),
    (
        "2d-both-dilations-strides",
        (1, 2, 5, 5),
        (2, 2, 2, 3),
        {
            "window_strides": (2, 2),
            "padding": [(1, 1), (0, 2)],
            "lhs_dilation": (2, 1),
            "rhs_dilation": (1, 2),
        },
    ),
    (
        "2d-groups",
        (2, 6, 5, 5),
        (4, 3, 3, 3),
        {"window_strides": (1, 1), "padding": "SAME", "feature_group_count": 2},
    ),
    (
        "2d-depthwise-nhwc",
        (2, 6, 6, 3),
        (3, 3, 1, 6),
        {
            "window_strides": (2, 2),
            "padding": "SAME",
            "feature_group_count": 3,
            "dimension_numbers": ("NHWC", "HWIO", "NHWC"),
        },
    ),
    (
        "2d-batch-groups",
        (4, 3, 5, 4),
        (6, 3, 2, 2),
        {"window_strides": (1, 1), "padding": "VALID", "batch_group_count": 2},
    ),
    (
        "2d-batch-groups-nhwc",
        (6, 4, 5, 2),
        (2, 3, 2, 3),
        {
            "window_strides": (1, 2),
            "padding": "SAME",
            "batch_group_count": 3,
            "dimension_numbers": ("NHWC", "HWIO", "NHWC"),
        },
    ),
    (
        "2d-odd-layouts",
        (5, 2, 3, 6),
        (3, 3, 4, 2),
        {
            "window_strides": (1, 2),
            "padding": "SAME",
            "dimension_numbers": ("HNCW", "IHOW", "WCNH"),
        },
    ),
    (
        "3d-ncdhw",
        (1, 2, 4, 5, 4),
        (3, 2, 2, 3, 2),
        {"window_strides": (1, 2, 1), "padding": "SAME"},
    ),
    (
        "3d-ndhwc-dilated",
        (2, 5, 4, 4, 2),
        (2, 2, 2, 2, 3),
        {
            "window_strides": (1, 1, 2),
            "padding": "VALID",
            "rhs_dilation": (2, 1, 1),
            "dimension_numbers": ("NDHWC", "DHWIO", "NDHWC"),
        },
    ),
    (
        "window-larger-than-input",
        (1, 2, 3, 3),
        (2, 2, 4, 2),
        {"window_strides": (1, 1), "padding": "VALID"},
    ),
]


def _operands(i, lhs_shape, rhs_shape, dtype=np.float32):
    return _rand(lhs_shape, 2 * i, dtype), _rand(rhs_shape, 2 * i + 1, dtype)


def _all_configs(lib):
    def f(*args):
        return tuple(
            lib.lax.conv_general_dilated(args[2 * i], args[2 * i + 1], **kw)
            for i, (_, _, _, kw) in enumerate(CONFIGS)
        )

    return f


def _flat_operands():
    args = []
    for i, (_, ls, rs, _) in enumerate(CONFIGS):
        args += _operands(i, ls, rs)
    return args


def test_conv_general_dilated_configurations_under_jit():
    args = _flat_operands()
    mine = mlax.jit(_all_configs(mlax))(*args)
    for (name, *_), m, (_, ls, rs, kw), i in zip(CONFIGS, mine, CONFIGS, range(len(CONFIGS))):
        theirs = jax.lax.conv_general_dilated(args[2 * i], args[2 * i + 1], **kw)
        _close(m, theirs, err_msg=name)


@pytest.mark.parametrize("index", [1, 12, 16])
def test_conv_general_dilated_eager(index):
    name, ls, rs, kw = CONFIGS[index]
    x, w = _operands(index, ls, rs)
    mine = mlax.lax.conv_general_dilated(x, w, **kw)
    _close(mine, jax.lax.conv_general_dilated(x, w, **kw), name)


def test_conv_wrappers_and_dtypes():
    x, w = _rand((2, 3, 6, 5), 0), _rand((4, 3, 3, 2), 1)
    xi = np.arange(2 * 3 * 6 * 5, dtype=np.int32).reshape(2, 3, 6, 5) % 7 - 3
    wi = np.arange(4 * 3 * 3 * 2, dtype=np.int32).reshape(4, 3, 3, 2) % 5 - 2
    x8, w8 = xi.astype(np.int8), wi.astype(np.int8)
    xh, wh = x.astype(np.float16), w.astype(np.float16)

    def f(lax, x, w, xi, wi, x8, w8, xh, wh):
        return (
            lax.conv(x, w, (1, 2), "SAME"),
            lax.conv_with_general_padding(x, w, (2, 1), [(1, 0), (0, 2)], (1, 2), (2, 1)),
            lax.conv(xi, wi, (1, 1), "VALID"),
            lax.conv(x8, w8, (1, 1), "VALID", preferred_element_type=np.int32),
            lax.conv(xi, wi, (1, 1), "SAME", preferred_element_type=np.float32),
            lax.conv(xh, wh, (1, 1), "VALID"),
            lax.conv(xh, wh, (1, 1), "VALID", preferred_element_type=np.float32),
            lax.conv(x, w, (1, 1), "VALID", precision=lax.Precision.HIGHEST),
        )

    args = (x, w, xi, wi, x8, w8, xh, wh)
    mine = mlax.jit(lambda *a: f(mlax.lax, *a))(*args)
    theirs = f(jax.lax, *args)
    for k, (m, t) in enumerate(zip(mine, theirs)):
        tol = 2e-2 if np.asarray(t).dtype == np.float16 else ATOL
        _close(m, t, err_msg=str(k), rtol=tol, atol=tol)


def test_zero_sized_convolutions():
    cases = [
        ((0, 2, 5), (3, 2, 2), {"window_strides": (1,), "padding": "VALID"}),
        ((2, 2, 5), (0, 2, 2), {"window_strides": (1,), "padding": "VALID"}),
        ((2, 2, 2), (3, 2, 3), {"window_strides": (1,), "padding": "VALID"}),
        ((2, 0, 5), (3, 0, 2), {"window_strides": (1,), "padding": "SAME"}),
    ]
    for ls, rs, kw in cases:
        x, w = _rand(ls, 0), _rand(rs, 1)
        _close(
            mlax.lax.conv_general_dilated(x, w, **kw),
            jax.lax.conv_general_dilated(x, w, **kw),
            err_msg=str((ls, rs)),
        )


# Derivatives with respect to both operands: a few configurations, one
# jitted gradient for all of them, plus one eager gradient.
GRAD_CONFIGS = [6, 10, 11, 13, 17]


def _loss(lib, indices):
    def loss(args):
        total = 0.0
        for k, i in enumerate(indices):
            kw = CONFIGS[i][3]
            y = lib.lax.conv_general_dilated(args[2 * k], args[2 * k + 1], **kw)
            total = total + (y * y).sum() + (y * args[-1][k]).sum()
        return total

    return loss


def test_grad_wrt_lhs_and_rhs_matches_jax():
    args = []
    for i in GRAD_CONFIGS:
        args += _operands(i, CONFIGS[i][1], CONFIGS[i][2])
    args.append(np.linspace(-1, 1, len(GRAD_CONFIGS)).astype(np.float32))
    mine = mlax.jit(mlax.grad(_loss(mlax, GRAD_CONFIGS)))(args)
    theirs = jax.grad(_loss(jax, GRAD_CONFIGS))(args)
    for k, (m, t) in enumerate(zip(mine[:-1], theirs[:-1])):
        name = CONFIGS[GRAD_CONFIGS[k // 2]][0] + (" lhs" if k % 2 == 0 else " rhs")
        _close(m, t, err_msg=name, rtol=1e-4, atol=1e-4)


def test_eager_grad_and_jvp():
    _name, ls, rs, kw = CONFIGS[8]  # lhs dilation
    x, w = _operands(8, ls, rs)

    def f(lib):
        return lambda x, w: (lib.lax.conv_general_dilated(x, w, **kw) ** 2).sum()

    mine = mlax.grad(f(mlax), argnums=(0, 1))(x, w)
    theirs = jax.grad(f(jax), argnums=(0, 1))(x, w)
    for m, t in zip(mine, theirs):
        _close(m, t, rtol=1e-4, atol=1e-4)
    tx, tw = _rand(ls, 5), _rand(rs, 6)
    conv = lambda lib: lambda x, w: lib.lax.conv_general_dilated(x, w, **kw)
    (p1, t1), (p2, t2) = (
        mlax.jvp(conv(mlax), (x, w), (tx, tw)),
        jax.jvp(conv(jax), (x, w), (tx, tw)),
    )
    _close(p1, p2)
    _close(t1, t2, rtol=1e-4, atol=1e-4)


def test_vmap_matches_loop_and_stack():
    _name, ls, rs, kw = CONFIGS[12]  # depthwise NHWC
    xs, ws = _rand((3,) + ls, 0), _rand((3,) + rs, 1)
    conv = lambda x, w: mlax.lax.conv_general_dilated(x, w, **kw)

    def f(xs, ws):
        return (
            mlax.vmap(conv)(xs, ws),
            mlax.vmap(conv, in_axes=(0, None))(xs, ws[0]),
            mlax.vmap(conv, in_axes=(None, 0))(xs[0], ws),
            mlax.vmap(conv, in_axes=(2, 4), out_axes=1)(
                np.moveaxis(xs, 0, 2), np.moveaxis(ws, 0, 4)
            ),
        )

    mine = mlax.jit(f)(xs, ws)
    ref = lambda x, w: np.asarray(jax.lax.conv_general_dilated(x, w, **kw))
    both = np.stack([ref(xs[i], ws[i]) for i in range(3)])
    _close(mine[0], both)
    _close(mine[1], np.stack([ref(xs[i], ws[0]) for i in range(3)]))
    _close(mine[2], np.stack([ref(xs[0], ws[i]) for i in range(3)]))
    _close(mine[3], np.moveaxis(both, 0, 1))


TRANSPOSE_CONFIGS = [
    ((1, 4, 5, 2), (3, 3, 2, 3), {"strides": (2, 2), "padding": "SAME"}),
    ((2, 4, 3, 2), (3, 2, 2, 3), {"strides": (2, 1), "padding": "VALID"}),
    ((1, 4, 4, 2), (3, 3, 3, 2), {"strides": (2, 2), "padding": "SAME", "transpose_kernel": True}),
    ((1, 5, 2), (3, 2, 4), {"strides": (3,), "padding": [(1, 2)], "rhs_dilation": (2,)}),
    ((1, 5, 2), (4, 2, 3), {"strides": (2,), "padding": ((1, 1),), "use_consistent_padding": True}),
    (
        (2, 2, 4, 3),
        (3, 2, 2, 3),
        {"strides": (1, 2), "padding": "SAME", "dimension_numbers": ("NCHW", "OIHW", "NCHW")},
    ),
    ((1, 3, 3, 3, 1), (2, 2, 2, 1, 2), {"strides": (2, 1, 2), "padding": "VALID"}),
]


def test_conv_transpose_matches_jax():
    args = []
    for k, (ls, rs, _) in enumerate(TRANSPOSE_CONFIGS):
        args += [_rand(ls, 2 * k), _rand(rs, 2 * k + 1)]

    def f(lib):
        def g(*args):
            return tuple(
                lib.lax.conv_transpose(args[2 * k], args[2 * k + 1], **kw)
                for k, (_, _, kw) in enumerate(TRANSPOSE_CONFIGS)
            )

        return g

    mine = mlax.jit(f(mlax))(*args)
    theirs = f(jax)(*args)
    for k, (m, t) in enumerate(zip(mine, theirs)):
        _close(m, t, err_msg=str(TRANSPOSE_CONFIGS[k][2]))
    # conv_transpose_shape_tuple agrees with the results' shapes for string padding
    for (ls, rs, kw), t in zip(TRANSPOSE_CONFIGS, theirs):
        if isinstance(kw["padding"], str) and "dimension_numbers" not in kw and len(ls) == 4:
            dn = ("NHWC", "HWIO", "NHWC")
            assert mlax.lax.conv_transpose_shape_tuple(
                ls, rs, kw["strides"], kw["padding"], dn
            ) == jax.lax.conv_transpose_shape_tuple(ls, rs, kw["strides"], kw["padding"], dn)


def test_patches_and_local_convolution_match_jax():
    x2 = _rand((2, 3, 6, 5), 0)
    xn = _rand((2, 6, 5, 3), 1)
    x1 = _rand((2, 7, 2), 2)
    wl = _rand((3 * 3 * 2, 4, 3, 5), 3)  # local: (I = C * filter, O, out spatial...)

    def f(lax, x2, xn, x1, wl):
        return (
            lax.conv_general_dilated_patches(x2, (3, 2), (1, 1), "SAME"),
            lax.conv_general_dilated_patches(
                xn,
                (2, 3),
                (2, 1),
                "VALID",
                rhs_dilation=(1, 2),
                dimension_numbers=("NHWC", "OIHW", "NCHW"),
            ),
            lax.conv_general_dilated_patches(
                xn,
                (2, 3),
                (1, 1),
                [(1, 0), (0, 1)],
                lhs_dilation=(2, 1),
                dimension_numbers=("NHWC", "OIWH", "CNHW"),
            ),
            lax.conv_general_dilated_patches(
                x1, (3,), (2,), "SAME", dimension_numbers=("NWC", "WIO", "NWC")
            ),
            lax.conv_general_dilated_local(
                x2, wl, (2, 1), "SAME", (3, 2), dimension_numbers=("NCHW", "IOHW", "NCHW")
            ),
        )

    args = (x2, xn, x1, wl)
    mine = mlax.jit(lambda *a: f(mlax.lax, *a))(*args)
    theirs = f(jax.lax, *args)
    for k, (m, t) in enumerate(zip(mine, theirs)):
        _close(m, t, err_msg=str(k))
    args = (x2, (2, 2), (1, 1), "VALID")
    _close(
        mlax.lax.conv_general_dilated_patches(*args, preferred_element_type=np.float32),
        jax.lax.conv_general_dilated_patches(*args, preferred_element_type=np.float32),
    )


def test_shape_helpers_match_jax():
    dn = ("NHWC", "HWIO", "NHWC")
    for lib in (mlax.lax, jax.lax):
        assert lib.ConvDimensionNumbers is not None
    assert mlax.lax.conv_general_permutations(dn) == jax.lax.conv_general_permutations(dn)
    odd = ("HNCW", "IHOW", "WCNH")
    assert mlax.lax.conv_general_permutations(odd) == jax.lax.conv_general_permutations(odd)
    for lhs, rhs, d in [
        ((2, 3, 4, 5), (6, 3, 2, 2), None),
        ((2, 3, 4, 5), (6, 3, 2, 2), ("NCHW", "OIHW", "NCHW")),
        ((1, 2, 3), (4, 2, 3), None),
        ((1, 2, 3), (4, 2, 3), ["NWC", "OWI", "CWN"]),
    ]:
        m = mlax.lax.conv_dimension_numbers(lhs, rhs, d)
        j = jax.lax.conv_dimension_numbers(lhs, rhs, d)
        assert tuple(map(tuple, m)) == tuple(map(tuple, j))
    m = mlax.lax.conv_dimension_numbers((2, 5, 5, 3), (3, 3, 3, 4), dn)
    j = jax.lax.conv_dimension_numbers((2, 5, 5, 3), (3, 3, 3, 4), dn)
    assert tuple(map(tuple, m)) == tuple(map(tuple, j))
    assert m.lhs_spec == tuple(j.lhs_spec) and isinstance(m, mlax.lax.ConvDimensionNumbers)
    for pads in ("SAME", "VALID", "SAME_LOWER", [(1, 2), (0, 1)]):
        args = ((2, 9, 8, 3), (3, 2, 3, 4), (2, 3), pads, dn)
        assert mlax.lax.conv_general_shape_tuple(*args) == jax.lax.conv_general_shape_tuple(*args)
        args = ((2, 3, 9, 8), (4, 3, 3, 2), (2, 3), pads)
        assert mlax.lax.conv_shape_tuple(*args) == jax.lax.conv_shape_tuple(*args)
    assert mlax.lax.conv_shape_tuple((4, 3, 9), (6, 3, 2), (1,), "VALID", 2) == (
        jax.lax.conv_shape_tuple((4, 3, 9), (6, 3, 2), (1,), "VALID", 2)
    )
    for pads in ("SAME", "VALID", [(1, 2), (0, 1)]):
        args = ((2, 5, 4, 3), (3, 2, 3, 4), (2, 3), pads, dn)
        mine = mlax.lax.conv_transpose_shape_tuple(*args)
        assert mine == jax.lax.conv_transpose_shape_tuple(*args)


_X = np.zeros((2, 4, 5, 5), np.float32)
_W = np.zeros((6, 2, 3, 3), np.float32)
_W4 = np.zeros((6, 4, 3, 3), np.float32)
ERROR_CASES = {
    "lhs/rhs features": lambda l: l.conv(_X, np.zeros((6, 3, 3, 3), np.float32), (1, 1), "VALID"),
    "group count does not divide": lambda l: l.conv_general_dilated(
        _X, _W, (1, 1), "VALID", feature_group_count=3
    ),
    "output features not a multiple": lambda l: l.conv_general_dilated(
        _X, np.zeros((5, 2, 3, 3), np.float32), (1, 1), "VALID", feature_group_count=2
    ),
    "zero groups": lambda l: l.conv_general_dilated(_X, _W, (1, 1), "VALID", feature_group_count=0),
    "batch groups": lambda l: l.conv_general_dilated(
        np.zeros((3, 2, 5, 5), np.float32), _W, (1, 1), "VALID", batch_group_count=2
    ),
    "both group counts": lambda l: l.conv_general_dilated(
        np.zeros((4, 4, 5, 5), np.float32),
        np.zeros((4, 2, 3, 3), np.float32),
        (1, 1),
        "VALID",
        batch_group_count=2,
        feature_group_count=2,
    ),
    "ranks": lambda l: l.conv(_X, np.zeros((6, 4, 3), np.float32), (1, 1), "VALID"),
    "strides": lambda l: l.conv(_X, _W4, (1,), "VALID"),
    "number of pads": lambda l: l.conv_general_dilated(_X, _W4, (1, 1), [(0, 0)]),
    "negative padding": lambda l: l.conv_general_dilated(_X, _W4, (1, 1), [(-4, -3), (0, 0)]),
    "padding string": lambda l: l.conv(_X, _W4, (1, 1), "FOO"),
    "padding pairs": lambda l: l.conv_general_dilated(_X, _W4, (1, 1), [1, 2]),
    "dtypes": lambda l: l.conv(_X, _W4.astype(np.float16), (1, 1), "VALID"),
    "dimension_numbers length": lambda l: l.conv_general_dilated(
        _X, _W4, (1, 1), "VALID", dimension_numbers=("NCHW", "OIHW")
    ),
    "spatial characters": lambda l: l.conv_general_dilated(
        _X, _W4, (1, 1), "VALID", dimension_numbers=("NCHW", "OIHW", "NCHX")
    ),
    "spec length": lambda l: l.conv_general_dilated(
        _X, _W4, (1, 1), "VALID", dimension_numbers=("NCHW", "OIH", "NCHW")
    ),
    "duplicate O": lambda l: l.conv_general_dilated(
        _X, _W4, (1, 1), "VALID", dimension_numbers=("NCHW", "OOHW", "NCHW")
    ),
    "dimension_numbers type": lambda l: l.conv_general_dilated(
        _X, _W4, (1, 1), "VALID", dimension_numbers=5
    ),
    "string padding with lhs_dilation": lambda l: l.conv_general_dilated(
        _X, _W4, (1, 1), "SAME", lhs_dilation=(2, 1)
    ),
    "zero dilation": lambda l: l.conv_general_dilated(
        _X, _W4, (1, 1), "VALID", rhs_dilation=(0, 1)
    ),
    "preferred int for float": lambda l: l.conv(
        _X, _W4, (1, 1), "VALID", preferred_element_type=np.int32
    ),
    "preferred narrower": lambda l: l.conv(
        _X, _W4, (1, 1), "VALID", preferred_element_type=np.float16
    ),
    "transpose rank": lambda l: l.conv_transpose(
        np.zeros((1,) * 6, np.float32), np.zeros((1,) * 6, np.float32), (1,) * 4, "SAME"
    ),
    "transpose padding": lambda l: l.conv_transpose(
        np.zeros((1, 5, 5, 2), np.float32), np.zeros((3, 3, 2, 2), np.float32), (2, 2), "FOO"
    ),
    "patches of no channels": lambda l: l.conv_general_dilated_patches(
        np.zeros((2, 0, 5, 5), np.float32), (3, 3), (1, 1), "VALID"
    ),
}


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_errors_match_jax(case):
    fn = ERROR_CASES[case]
    with pytest.raises(Exception) as theirs:
        fn(jax.lax)
    with pytest.raises(type(theirs.value)):
        fn(mlax.lax)


def test_float64_under_x64():
    script = textwrap.dedent(
        """
        import jax, numpy as np
        jax.config.update("jax_enable_x64", True)
        import mlax
        mlax.config.update("jax_enable_x64", True)
        rng = np.random.default_rng(0)
        x, w = rng.standard_normal((2, 6, 5, 4)), rng.standard_normal((3, 2, 2, 2))
        dn = ("NHWC", "HWIO", "NHWC")
        def f(lax, x, w):
            return lax.conv_general_dilated(x, w, (1, 2), "SAME", rhs_dilation=(2, 1),
                                            dimension_numbers=dn, feature_group_count=2)
        m = mlax.jit(lambda x, w: f(mlax.lax, x, w))(x, w)
        j = f(jax.lax, x, w)
        assert np.asarray(m).dtype == np.float64 == np.asarray(j).dtype
        np.testing.assert_allclose(np.asarray(m), np.asarray(j), rtol=1e-12, atol=1e-12)
        g = mlax.grad(lambda w: (f(mlax.lax, x, w) ** 2).sum())(w)
        gj = jax.grad(lambda w: (f(jax.lax, x, w) ** 2).sum())(w)
        np.testing.assert_allclose(np.asarray(g), np.asarray(gj), rtol=1e-12, atol=1e-12)
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=300)


def _cnn(lib):
    return lib.serial(
        lib.Conv(4, (3, 3), strides=(1, 2), padding="SAME"),
        lib.Relu,
        lib.MaxPool((2, 2), strides=(2, 2)),
        lib.Flatten,
        lib.Dense(5),
        lib.LogSoftmax,
    )


def test_stax_cnn_init_apply_grad_match_jax():
    init, apply = _cnn(stax)
    j_init, j_apply = _cnn(jax_stax)
    shape, params = init(mlax.random.PRNGKey(1), (2, 8, 8, 3))
    j_shape, j_params = j_init(jax.random.PRNGKey(1), (2, 8, 8, 3))
    assert tuple(shape) == tuple(j_shape)
    mine, theirs = jax.tree_util.tree_leaves(params), jax.tree_util.tree_leaves(j_params)
    assert len(mine) == len(theirs)
    for a, b in zip(mine, theirs):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))  # bit for bit
    x = _rand((2, 8, 8, 3), 0)
    _close(mlax.jit(apply)(params, x), j_apply(j_params, x))
    grads = mlax.jit(mlax.grad(lambda p, x: apply(p, x)[:, 0].sum()))(params, x)
    j_grads = jax.grad(lambda p, x: j_apply(p, x)[:, 0].sum())(j_params, x)
    for a, b in zip(jax.tree_util.tree_leaves(grads), jax.tree_util.tree_leaves(j_grads)):
        _close(a, b, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "name, shape, kernel",
    [("ConvTranspose", (1, 4, 4, 2), (3, 3)), ("Conv1DTranspose", (1, 5, 2), (3,))],
)
def test_stax_transposed_convolutions_match_jax(name, shape, kernel):
    x = _rand(shape, 0)
    layers = [
        getattr(lib, name)(3, kernel, strides=(2,) * len(kernel), padding=pad)
        for lib in (stax, jax_stax)
        for pad in ("SAME", "VALID")
    ]
    outs = []
    for k, (init, apply) in enumerate(layers):
        key = (mlax if k < 2 else jax).random.PRNGKey(2)
        out_shape, params = init(key, shape)
        outs.append((tuple(out_shape), params, apply))
    for (s1, p1, a1), (s2, p2, a2) in zip(outs[:2], outs[2:]):
        assert s1 == s2
        for a, b in zip(p1, p2):
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
        y = a1(p1, x)
        assert tuple(np.shape(y)) == s1
        _close(y, a2(p2, x))


def test_stax_general_conv_nchw_and_pooling_spec():
    dn = ("NCHW", "OIHW", "NCHW")
    x = _rand((2, 3, 6, 6), 0)
    layers = [
        lib.serial(
            lib.GeneralConv(dn, 4, (3, 3), strides=(1, 1), padding="SAME"),
            lib.MaxPool((2, 2), strides=(2, 2), spec="NCHW"),
            lib.AvgPool((2, 2), padding="SAME", spec="NCHW"),
            lib.SumPool((1, 2), strides=(1, 2), spec="NCHW"),
        )
        for lib in (stax, jax_stax)
    ]
    (s1, p1), (s2, p2) = (
        layers[0][0](mlax.random.PRNGKey(3), x.shape),
        layers[1][0](jax.random.PRNGKey(3), x.shape),
    )
    assert tuple(s1) == tuple(s2)
    for a, b in zip(jax.tree_util.tree_leaves(p1), jax.tree_util.tree_leaves(p2)):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    _close(mlax.jit(layers[0][1])(p1, x), layers[1][1](p2, x))
