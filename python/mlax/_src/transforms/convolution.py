"""jax.lax's convolutions, built from the existing primitives (no op of
their own): conv_general_dilated and its wrappers (conv,
conv_with_general_padding, conv_transpose), conv_general_dilated_patches,
conv_general_dilated_local and the shape/dimension-number helpers.

The algorithm is im2col: both operands are transposed to the layouts
(N, spatial..., C) and (spatial..., I, O); lhs_dilation and the
padding are one `pad` (interior padding dilates, negative padding becomes
an offset of the slices); every kernel offset is one strided `slice` of the
padded input (channels last), and the slices are stacked into patches
(N, out..., K, C) that ONE matmul contracts with the kernel (K, I, O)
over kernel offsets and channels, a contiguous run, so IREE sees a plain
matmul (the feature or batch group is a batch dimension of a batched
matmul); a transpose gives the output layout. Derivatives and vmap
come from the rules of pad/slice/dot_general/transpose. `precision` and
`out_sharding` are accepted and ignored.

The core runs under a library jit with static parameters, so an eager call
compiles once per shape and configuration (nested under a trace it inlines).
"""

import itertools
import math
import operator
from typing import NamedTuple

import numpy as np

from ..core import aval_of, dtypes, user_error
from ..lax.common import _as_operand
from ..lax.elementwise import _scalar, convert_element_type
from ..lax.extras import padtype_to_pads
from ..lax.reductions import dot_general
from ..lax.shape import broadcast_in_dim, concatenate, pad, reshape, rev, transpose
from ..lax.slicing import slice
from .jit import jit


class ConvDimensionNumbers(NamedTuple):
    """Describes batch, spatial, and feature dimensions of a convolution.

    lhs_spec: (batch dimension, feature dimension, spatial dimensions...);
    rhs_spec: (out feature dimension, in feature dimension, spatial
    dimensions...); out_spec: (batch dimension, feature dimension, spatial
    dimensions...).
    """

    lhs_spec: tuple
    rhs_spec: tuple
    out_spec: tuple


ConvGeneralDilatedDimensionNumbers = tuple[str, str, str] | ConvDimensionNumbers | None


# ---------------------------------------------------------------------------
# Dimension numbers and shapes (as JAX's, with JAX's errors)
# ---------------------------------------------------------------------------


def conv_general_permutations(dimension_numbers):
    """Utility for convolution dimension permutations relative to Conv HLO."""
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    lhs_char, rhs_char, out_char = charpairs = ("N", "C"), ("O", "I"), ("N", "C")
    for i, (a, b) in enumerate(charpairs):
        if not dimension_numbers[i].count(a) == dimension_numbers[i].count(b) == 1:
            raise user_error(
                TypeError,
                f"convolution dimension_numbers[{i}] must contain the characters "
                f"'{a}' and '{b}' exactly once, got {dimension_numbers[i]}.",
            )
        if len(dimension_numbers[i]) != len(set(dimension_numbers[i])):
            raise user_error(
                TypeError,
                f"convolution dimension_numbers[{i}] cannot have duplicate "
                f"characters, got {dimension_numbers[i]}.",
            )
    if not (
        set(lhs_spec) - set(lhs_char)
        == set(rhs_spec) - set(rhs_char)
        == set(out_spec) - set(out_char)
    ):
        raise user_error(
            TypeError,
            "convolution dimension_numbers elements must each have the same "
            f"set of spatial characters, got {dimension_numbers}.",
        )

    def getperm(spec, charpair):
        spatial = (i for i, c in enumerate(spec) if c not in charpair)
        if spec is not rhs_spec:
            spatial = sorted(spatial, key=lambda i: rhs_spec.index(spec[i]))
        return (spec.index(charpair[0]), spec.index(charpair[1])) + tuple(spatial)

    lhs_perm, rhs_perm, out_perm = map(getperm, dimension_numbers, charpairs)
    return lhs_perm, rhs_perm, out_perm


def conv_dimension_numbers(lhs_shape, rhs_shape, dimension_numbers) -> ConvDimensionNumbers:
    """Converts convolution `dimension_numbers` to a `ConvDimensionNumbers`."""
    if isinstance(dimension_numbers, ConvDimensionNumbers):
        return dimension_numbers
    if len(lhs_shape) != len(rhs_shape):
        raise user_error(
            TypeError,
            f"convolution requires lhs and rhs ndim to be equal, got {len(lhs_shape)} and "
            f"{len(rhs_shape)}.",
        )
    if dimension_numbers is None:
        iota = tuple(range(len(lhs_shape)))
        return ConvDimensionNumbers(iota, iota, iota)
    if isinstance(dimension_numbers, (list, tuple)):
        if len(dimension_numbers) != 3:
            raise user_error(
                TypeError,
                "convolution dimension_numbers list/tuple must be length 3, got "
                f"{len(dimension_numbers)}.",
            )
        if not all(isinstance(elt, str) for elt in dimension_numbers):
            raise user_error(
                TypeError,
                "convolution dimension_numbers elements must be strings, got "
                f"{tuple(map(type, dimension_numbers))}.",
            )
        for i, elt in enumerate(dimension_numbers):
            if len(elt) != len(lhs_shape):
                raise user_error(
                    TypeError,
                    f"convolution dimension_numbers[{i}] must have len equal to the ndim "
                    f"of lhs and rhs, got {len(elt)} for lhs and rhs shapes {lhs_shape} and "
                    f"{rhs_shape}.",
                )
        lhs_spec, rhs_spec, out_spec = conv_general_permutations(dimension_numbers)
        return ConvDimensionNumbers(lhs_spec, rhs_spec, out_spec)
    raise user_error(
        TypeError,
        f"convolution dimension_numbers must be tuple/list or None, got {type(dimension_numbers)}.",
    )


def _dilate_dim(d, dilation):
    return d if dilation == 1 else max(1 + dilation * (d - 1), 0)


def _dilate_shape(shape, dilation):
    if not np.all(np.greater(dilation, 0)):
        raise user_error(TypeError, f"All dilations must be positive, got {dilation}.")
    dilation = (1,) * (len(shape) - len(dilation)) + tuple(dilation)
    return tuple(map(_dilate_dim, shape, dilation))


def conv_shape_tuple(lhs_shape, rhs_shape, strides, pads, batch_group_count=1):
    """Compute the shape tuple of a conv given input shapes in canonical order."""
    if isinstance(pads, str):
        pads = padtype_to_pads(lhs_shape[2:], rhs_shape[2:], strides, pads)
    if len(pads) != len(lhs_shape) - 2:
        raise user_error(
            TypeError,
            f"Wrong number of explicit pads for convolution: expected {len(lhs_shape) - 2}, "
            f"got {len(pads)}.",
        )
    lhs_padded = np.add(lhs_shape[2:], np.sum(np.array(pads).reshape(-1, 2), axis=1))
    if np.any(lhs_padded < 0):
        raise user_error(
            ValueError,
            "Negative padding is larger than the size of the corresponding dimension: "
            f"got padding={pads} for lhs_shape[2:]={lhs_shape[2:]}",
        )
    # np.int64 sizes, as JAX's (what stax's printed shapes show).
    out_space = tuple(
        np.int64(max((int(d) - int(w)) // int(s) + 1, 0))
        for d, w, s in zip(lhs_padded, rhs_shape[2:], strides)
    )
    if batch_group_count > 1:
        out_shape_0 = lhs_shape[0] // batch_group_count
    else:
        out_shape_0 = lhs_shape[0]
    return tuple((out_shape_0, rhs_shape[0]) + out_space)


def conv_general_shape_tuple(lhs_shape, rhs_shape, window_strides, padding, dimension_numbers):
    lhs_perm, rhs_perm, out_perm = conv_general_permutations(dimension_numbers)
    lhs_trans = np.take(lhs_shape, lhs_perm)
    rhs_trans = np.take(rhs_shape, rhs_perm)
    out_trans = conv_shape_tuple(lhs_trans, rhs_trans, window_strides, padding)
    return tuple(np.take(out_trans, np.argsort(out_perm)))


def _conv_transpose_padding(k, s, padding):
    """Before and after padding of one dimension of a transposed convolution."""
    if padding == "SAME":
        pad_len = k + s - 2
        pad_a = k - 1 if s > k - 1 else int(np.ceil(pad_len / 2))
    elif padding == "VALID":
        pad_len = k + s - 2 + max(k - s, 0)
        pad_a = k - 1
    elif isinstance(padding, tuple):
        pads = tuple(k - p - 1 for p in padding)
        pad_a = pads[0]
        pad_len = sum(pads)
    else:
        raise user_error(ValueError, f"Invalid padding mode: {padding}")
    return pad_a, pad_len - pad_a


def conv_transpose_shape_tuple(lhs_shape, rhs_shape, window_strides, padding, dimension_numbers):
    lhs_perm, rhs_perm, out_perm = conv_general_permutations(dimension_numbers)
    lhs_trans = np.take(lhs_shape, lhs_perm)
    rhs_trans = np.take(rhs_shape, rhs_perm)
    if isinstance(padding, str):
        padding = [
            _conv_transpose_padding(k, s, padding) for k, s in zip(rhs_trans[2:], window_strides)
        ]
    padding = list(map(np.sum, padding))
    unpad_out_space = [
        (i - 1) * s - k + 2 for i, k, s in zip(lhs_trans[2:], rhs_trans[2:], window_strides)
    ]
    out_space = np.sum([unpad_out_space, padding], axis=0).tolist()
    out_trans = tuple((lhs_trans[0], rhs_trans[0]) + tuple(out_space))
    return tuple(np.take(out_trans, np.argsort(out_perm)))


def _check_shapes(lhs_shape, rhs_shape, strides, pads, lhs_dil, rhs_dil, dnums, fgc, bgc):
    """JAX's shape rule of conv_general_dilated (its ValueErrors), returning
    the output shape."""
    lhs_spec, rhs_spec, out_spec = dnums

    def err(msg):
        return user_error(ValueError, msg)

    if len(lhs_shape) != len(rhs_shape):
        raise err(
            "conv_general_dilated lhs and rhs must have the same number of dimensions, "
            f"but got {lhs_shape} and {rhs_shape}."
        )
    if not fgc > 0:
        raise err(
            f"conv_general_dilated feature_group_count must be a positive integer, got {fgc}."
        )
    lhs_features = lhs_shape[lhs_spec[1]]
    quot, rem = divmod(lhs_features, fgc)
    if rem:
        raise err(
            "conv_general_dilated feature_group_count must divide lhs feature dimension "
            f"size, but {fgc} does not divide {lhs_features}."
        )
    if quot != rhs_shape[rhs_spec[1]]:
        raise err(
            "conv_general_dilated lhs feature dimension size divided by feature_group_count "
            "must equal the rhs input feature dimension size, but "
            f"{lhs_features} // {fgc} != {rhs_shape[rhs_spec[1]]}."
        )
    if rhs_shape[rhs_spec[0]] % fgc:
        raise err(
            "conv_general_dilated rhs output feature dimension size must be a multiple of "
            f"feature_group_count, but {rhs_shape[rhs_spec[0]]} is not a multiple of {fgc}."
        )
    if not bgc > 0:
        raise err(f"conv_general_dilated batch_group_count must be a positive integer, got {bgc}.")
    lhs_batch = lhs_shape[lhs_spec[0]]
    if bgc > 1 and lhs_batch % bgc != 0:
        raise err(
            "conv_general_dilated batch_group_count must divide lhs batch dimension size, "
            f"but {bgc} does not divide {lhs_batch}."
        )
    if rhs_shape[rhs_spec[0]] % bgc:
        raise err(
            "conv_general_dilated rhs output feature dimension size must be a multiple of "
            f"batch_group_count, but {rhs_shape[rhs_spec[0]]} is not a multiple of {bgc}."
        )
    if bgc > 1 and fgc > 1:
        raise err(
            "At most one of batch_group_count and feature_group_count may be > 1, got "
            f"batch_group_count={bgc} and feature_group_count={fgc}"
        )
    if len(rhs_spec[2:]) != len(strides):
        raise err(
            "conv_general_dilated window and window_strides must have the same number of "
            f"dimensions, but got {len(rhs_spec[2:])} and {len(strides)}"
        )
    lhs_trans = _dilate_shape(np.take(lhs_shape, lhs_spec), lhs_dil)
    rhs_trans = _dilate_shape(np.take(rhs_shape, rhs_spec), rhs_dil)
    out_trans = conv_shape_tuple(lhs_trans, rhs_trans, strides, pads, bgc)
    return tuple(int(d) for d in np.take(out_trans, np.argsort(out_spec)))


def _validate_preferred_element_type(input_dtype, preferred):
    if dtypes.issubdtype(input_dtype, np.integer) and dtypes.issubdtype(preferred, np.floating):
        pass  # integer -> float is allowed, whatever the signedness
    else:
        for t in (np.integer, np.floating, np.complexfloating):
            if dtypes.issubdtype(input_dtype, t) and not dtypes.issubdtype(preferred, t):
                raise user_error(
                    TypeError,
                    "Input type is incompatible with `preferred_element_type`. The compatible "
                    "combinations of (input_type, preferred_element_type) are (integral, "
                    "integral), (integral, floating), (floating, floating), (complex, complex.",
                )
        if dtypes.issubdtype(input_dtype, np.signedinteger) and not dtypes.issubdtype(
            preferred, np.signedinteger
        ):
            raise user_error(
                TypeError,
                "`preferred_element_type` must have the same signedness as the original type.",
            )
    if np.dtype(preferred).itemsize < np.dtype(input_dtype).itemsize:
        raise user_error(
            TypeError, "`preferred_element_type` must not be narrower than the original type."
        )


def _canonical_pet(input_dtype, preferred_element_type):
    if preferred_element_type is None:
        return None
    pet = dtypes.canonicalize_dtype(np.dtype(preferred_element_type))
    _validate_preferred_element_type(input_dtype, pet)
    return None if pet == input_dtype else pet


# ---------------------------------------------------------------------------
# The composition
# ---------------------------------------------------------------------------


def _im2col(x, kernel, strides, pads, lhs_dil, rhs_dil):
    """x in (N, spatial..., C) layout -> patches (N, out..., K, C), K the
    kernel offsets in row-major order, and the output spatial shape.
    Channels stay last so that the contraction over (K, C) is one
    contiguous run: a plain matmul for IREE, not a generic reduction."""
    n, *spatial, c = aval_of(x).shape
    config = [(0, 0, 0)]
    config += [(max(lo, 0), max(hi, 0), d - 1) for (lo, hi), d in zip(pads, lhs_dil)]
    config += [(0, 0, 0)]
    if any(cfg != (0, 0, 0) for cfg in config):
        x = pad(x, _scalar(0, aval_of(x).dtype), config)
    # Negative padding crops: the windows start further in.
    offsets = [-min(lo, 0) for lo, _ in pads]
    padded = [_dilate_dim(s, d) + lo + hi for s, d, (lo, hi) in zip(spatial, lhs_dil, pads)]
    window = [_dilate_dim(k, r) for k, r in zip(kernel, rhs_dil)]
    out = [max((p - w) // s + 1, 0) for p, w, s in zip(padded, window, strides)]
    cols = []
    for offset in itertools.product(*(range(k) for k in kernel)):
        first = [o + k * r for o, k, r in zip(offsets, offset, rhs_dil)]
        starts = [0, *first, 0]
        limits = [n] + [st + (m - 1) * s + 1 for st, m, s in zip(first, out, strides)] + [c]
        piece = slice(x, starts, limits, (1, *strides, 1))
        cols.append(reshape(piece, (n, *out, 1, c)))
    return concatenate(cols, len(kernel) + 1), tuple(out)


def _conv_impl(lhs, rhs, strides, pads, lhs_dil, rhs_dil, dnums, fgc, bgc, pet):
    lhs_spec, rhs_spec, out_spec = dnums
    if pet is not None:
        lhs, rhs = convert_element_type(lhs, pet), convert_element_type(rhs, pet)
    nsp = len(lhs_spec) - 2
    # (N, spatial..., C) and (kernel..., I, O): channels last for _im2col.
    x = transpose(lhs, (lhs_spec[0], *lhs_spec[2:], lhs_spec[1]))
    w = transpose(rhs, (*rhs_spec[2:], rhs_spec[1], rhs_spec[0]))
    n, c = aval_of(lhs).shape[lhs_spec[0]], aval_of(lhs).shape[lhs_spec[1]]
    *kernel, i, o = aval_of(w).shape
    dtype = aval_of(x).dtype
    kp = math.prod(kernel)
    canon_out = _check_shapes(
        (n, c, *aval_of(x).shape[1:-1]),
        (o, i, *kernel),
        strides,
        pads,
        lhs_dil,
        rhs_dil,
        ConvDimensionNumbers(*(tuple(range(nsp + 2)),) * 3),
        fgc,
        bgc,
    )
    if math.prod(canon_out) == 0 or kp == 0 or i == 0:
        zeros = broadcast_in_dim(_scalar(0, dtype), canon_out, ())
        return transpose(zeros, tuple(np.argsort(out_spec)))
    patches, out = _im2col(x, kernel, strides, pads, lhs_dil, rhs_dil)  # (N, out..., K, C)
    p = math.prod(out)
    if fgc == 1 and bgc == 1:
        y = dot_general(reshape(patches, (n * p, kp * c)), reshape(w, (kp * i, o)), _MATMUL)
        y = reshape(y, (n, *out, o))
    elif fgc > 1:
        # Group g reads channels [g*i, (g+1)*i) and writes features
        # [g*o/G, (g+1)*o/G): a batched matmul over the groups.
        g = fgc
        patches = reshape(patches, (n * p, kp, g, i))
        patches = reshape(transpose(patches, (2, 0, 1, 3)), (g, n * p, kp * i))
        w = reshape(w, (kp, i, g, o // g))
        w = reshape(transpose(w, (2, 0, 1, 3)), (g, kp * i, o // g))
        y = dot_general(patches, w, _BATCHED_MATMUL)  # (G, N*P, O/G)
        y = reshape(transpose(y, (1, 0, 2)), (n, *out, o))
    else:
        # Batch group b reads examples [b*N/B, (b+1)*N/B) and writes
        # features [b*o/B, (b+1)*o/B).
        g = bgc
        patches = reshape(patches, (g, (n // g) * p, kp * c))
        w = reshape(w, (kp, c, g, o // g))
        w = reshape(transpose(w, (2, 0, 1, 3)), (g, kp * c, o // g))
        y = dot_general(patches, w, _BATCHED_MATMUL)  # (B, N/B*P, O/B)
        y = reshape(transpose(y, (1, 0, 2)), (n // g, *out, o))
    # (N, out..., O) -> the output layout.
    return transpose(
        y, tuple(int(d) for d in np.argsort((out_spec[0], *out_spec[2:], out_spec[1])))
    )


_MATMUL = (((1,), (0,)), ((), ()))
_BATCHED_MATMUL = (((2,), (1,)), ((0,), (0,)))


_conv_jit = jit(_conv_impl, static_argnums=(2, 3, 4, 5, 6, 7, 8, 9))


def _patches_impl(lhs, filter_shape, strides, pads, lhs_dil, rhs_dil, dnums, pet):
    """filter_shape in canonical (rhs_spec[2:]) order."""
    lhs_spec, rhs_spec, out_spec = dnums
    nsp = len(filter_shape)
    x = transpose(lhs, (lhs_spec[0], *lhs_spec[2:], lhs_spec[1]))  # (N, spatial..., C)
    n, *spatial, c = aval_of(x).shape
    kp = math.prod(filter_shape)
    canon_out = _check_shapes(
        (n, c, *spatial),
        (c * kp, 1) + tuple(filter_shape),
        strides,
        pads,
        lhs_dil,
        rhs_dil,
        ConvDimensionNumbers(*(tuple(range(len(filter_shape) + 2)),) * 3),
        max(c, 1),
        1,
    )
    if math.prod(canon_out) == 0 or kp == 0:
        y = broadcast_in_dim(_scalar(0, aval_of(x).dtype), canon_out, ())
    else:
        patches, out = _im2col(x, filter_shape, strides, pads, lhs_dil, rhs_dil)
        # (N, out..., K, C) -> (N, C, K, out...)
        patches = transpose(patches, (0, nsp + 2, nsp + 1, *range(1, nsp + 1)))
        # JAX's patch channels run over the filter dimensions in the order of
        # their positions in the kernel (its identity kernel's layout).
        order = tuple(int(i) for i in np.argsort(rhs_spec[2:]))
        if order != tuple(sorted(order)):
            patches = reshape(patches, (n, c, *filter_shape, *out))
            perm = (0, 1) + tuple(2 + i for i in order) + tuple(range(2 + nsp, 2 + 2 * nsp))
            patches = transpose(patches, perm)
        y = reshape(patches, (n, c * kp, *out))
    if pet is not None:
        y = convert_element_type(y, pet)
    return transpose(y, tuple(int(p) for p in np.argsort(out_spec)))


_patches_jit = jit(_patches_impl, static_argnums=(1, 2, 3, 4, 5, 6, 7))


# ---------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------


def _hashable_dnums(dnums):
    return ConvDimensionNumbers(*(tuple(int(d) for d in spec) for spec in dnums))


def _resolve(lhs_shape, rhs_shape, window_strides, padding, lhs_dilation, rhs_dilation, dnums):
    nsp = len(rhs_shape) - 2
    if lhs_dilation is None:
        lhs_dilation = (1,) * (len(lhs_shape) - 2)
    elif isinstance(padding, str) and len(lhs_dilation) != tuple(lhs_dilation).count(1):
        raise user_error(
            ValueError,
            "String padding is not implemented for transposed convolution using this op. "
            "Please either exactly specify the required padding or use conv_transpose.",
        )
    if rhs_dilation is None:
        rhs_dilation = (1,) * nsp
    window_strides = tuple(operator.index(s) for s in window_strides)
    lhs_dilation = tuple(operator.index(d) for d in lhs_dilation)
    rhs_dilation = tuple(operator.index(d) for d in rhs_dilation)
    if isinstance(padding, str):
        lhs_perm, rhs_perm, _ = dnums
        kernel = np.take(rhs_shape, rhs_perm)[2:]
        effective = [_dilate_dim(int(k), r) for k, r in zip(kernel, rhs_dilation)]
        padding = padtype_to_pads(
            np.take(lhs_shape, lhs_perm)[2:], effective, window_strides, padding
        )
    else:
        try:
            padding = [(operator.index(lo), operator.index(hi)) for lo, hi in padding]
        except (ValueError, TypeError) as e:
            raise user_error(
                ValueError,
                "padding argument to conv_general_dilated should be a string or a "
                f"sequence of (low, high) pairs, got {padding}",
            ) from e
    padding = tuple((int(lo), int(hi)) for lo, hi in padding)
    return window_strides, padding, lhs_dilation, rhs_dilation


def conv_general_dilated(
    lhs,
    rhs,
    window_strides,
    padding,
    lhs_dilation=None,
    rhs_dilation=None,
    dimension_numbers=None,
    feature_group_count=1,
    batch_group_count=1,
    precision=None,
    preferred_element_type=None,
    out_sharding=None,
):
    """jax.lax.conv_general_dilated: im2col (one pad, a strided slice per
    kernel offset) and one dot_general. `precision` is accepted and ignored."""
    lhs, rhs = _as_operand(lhs), _as_operand(rhs)
    l, r = aval_of(lhs), aval_of(rhs)
    dnums = _hashable_dnums(conv_dimension_numbers(l.shape, r.shape, dimension_numbers))
    strides, pads, lhs_dil, rhs_dil = _resolve(
        l.shape, r.shape, window_strides, padding, lhs_dilation, rhs_dilation, dnums
    )
    fgc, bgc = operator.index(feature_group_count), operator.index(batch_group_count)
    _check_shapes(l.shape, r.shape, strides, pads, lhs_dil, rhs_dil, dnums, fgc, bgc)
    if l.dtype != r.dtype:
        raise user_error(
            TypeError,
            "lax.conv_general_dilated requires arguments to have the same dtypes, got "
            f"{l.dtype.name}, {r.dtype.name}.",
        )
    pet = _canonical_pet(l.dtype, preferred_element_type)
    return _conv_jit(lhs, rhs, strides, pads, lhs_dil, rhs_dil, dnums, fgc, bgc, pet)


def conv(lhs, rhs, window_strides, padding, precision=None, preferred_element_type=None):
    """jax.lax.conv: conv_general_dilated in the NCHW/OIHW layout."""
    return conv_general_dilated(
        lhs,
        rhs,
        window_strides,
        padding,
        precision=precision,
        preferred_element_type=preferred_element_type,
    )


def conv_with_general_padding(
    lhs,
    rhs,
    window_strides,
    padding,
    lhs_dilation,
    rhs_dilation,
    precision=None,
    preferred_element_type=None,
):
    """jax.lax.conv_with_general_padding."""
    return conv_general_dilated(
        lhs,
        rhs,
        window_strides,
        padding,
        lhs_dilation=lhs_dilation,
        rhs_dilation=rhs_dilation,
        precision=precision,
        preferred_element_type=preferred_element_type,
    )


def conv_transpose(
    lhs,
    rhs,
    strides,
    padding,
    rhs_dilation=None,
    dimension_numbers=None,
    transpose_kernel=False,
    precision=None,
    preferred_element_type=None,
    use_consistent_padding=False,
):
    """jax.lax.conv_transpose: a fractionally strided convolution (strides
    become lhs_dilation)."""
    lhs, rhs = _as_operand(lhs), _as_operand(rhs)
    lshape, rshape = aval_of(lhs).shape, aval_of(rhs).shape
    assert len(lshape) == len(rshape) and len(lshape) >= 2
    ndims = len(lshape)
    one = (1,) * (ndims - 2)
    if dimension_numbers is None:
        defaults = {
            2: ("NC", "IO", "NC"),
            3: ("NHC", "HIO", "NHC"),
            4: ("NHWC", "HWIO", "NHWC"),
            5: ("NHWDC", "HWDIO", "NHWDC"),
        }
        if ndims not in defaults:
            raise user_error(ValueError, "No 4+ dimensional dimension_number defaults.")
        dimension_numbers = defaults[ndims]
    dn = conv_dimension_numbers(lshape, rshape, dimension_numbers)
    k_sdims = np.take(rshape, dn.rhs_spec)[2:]
    if rhs_dilation is None:
        rhs_dilation = (1,) * (len(rshape) - 2)
    if use_consistent_padding or (isinstance(padding, str) and padding in {"SAME", "VALID"}):
        effective = [_dilate_dim(int(k), r) for k, r in zip(k_sdims, rhs_dilation)]
        replicated = [padding] * len(strides) if isinstance(padding, str) else padding
        pads = tuple(
            _conv_transpose_padding(k, s, p) for k, s, p in zip(effective, strides, replicated)
        )
    else:
        pads = padding
    if transpose_kernel:
        rhs = rev(rhs, tuple(int(d) for d in dn.rhs_spec[2:]))
        perm = list(range(ndims))
        perm[dn.rhs_spec[0]], perm[dn.rhs_spec[1]] = dn.rhs_spec[1], dn.rhs_spec[0]
        rhs = transpose(rhs, perm)
    return conv_general_dilated(
        lhs,
        rhs,
        one,
        pads,
        strides,
        rhs_dilation,
        dn,
        precision=precision,
        preferred_element_type=preferred_element_type,
    )


def conv_general_dilated_patches(
    lhs,
    filter_shape,
    window_strides,
    padding,
    lhs_dilation=None,
    rhs_dilation=None,
    dimension_numbers=None,
    precision=None,
    preferred_element_type=None,
):
    """jax.lax.conv_general_dilated_patches: the im2col patches themselves
    (channel-major: feature c, then the filter offsets in rhs_spec order),
    taken directly by strided slices rather than by a convolution with an
    identity kernel."""
    lhs = _as_operand(lhs)
    l = aval_of(lhs)
    filter_shape = tuple(operator.index(k) for k in filter_shape)
    dnums = _hashable_dnums(
        conv_dimension_numbers(l.shape, (1, 1) + filter_shape, dimension_numbers)
    )
    n_channels = l.shape[dnums.lhs_spec[1]]
    # JAX convolves with an identity kernel of n_channels * prod(filter_shape)
    # output features, the filter dimensions in increasing positions.
    kernel_shape = [0] * (len(filter_shape) + 2)
    kernel_shape[dnums.rhs_spec[0]] = n_channels * math.prod(filter_shape)
    kernel_shape[dnums.rhs_spec[1]] = 1
    for d, k in zip(sorted(dnums.rhs_spec[2:]), filter_shape):
        kernel_shape[d] = k
    kernel_shape = tuple(kernel_shape)
    strides, pads, lhs_dil, rhs_dil = _resolve(
        l.shape, kernel_shape, window_strides, padding, lhs_dilation, rhs_dilation, dnums
    )
    _check_shapes(l.shape, kernel_shape, strides, pads, lhs_dil, rhs_dil, dnums, n_channels, 1)
    pet = _canonical_pet(l.dtype, preferred_element_type)
    canon_filter = tuple(int(kernel_shape[d]) for d in dnums.rhs_spec[2:])
    return _patches_jit(lhs, canon_filter, strides, pads, lhs_dil, rhs_dil, dnums, pet)


def conv_general_dilated_local(
    lhs,
    rhs,
    window_strides,
    padding,
    filter_shape,
    lhs_dilation=None,
    rhs_dilation=None,
    dimension_numbers=None,
    precision=None,
):
    """jax.lax.conv_general_dilated_local: an unshared convolution (a
    separate kernel per output position) as patches and one dot_general."""
    lhs, rhs = _as_operand(lhs), _as_operand(rhs)
    patches = conv_general_dilated_patches(
        lhs,
        filter_shape,
        window_strides,
        padding,
        lhs_dilation,
        rhs_dilation,
        dimension_numbers,
    )
    _lhs_spec, rhs_spec, out_spec = conv_dimension_numbers(
        aval_of(lhs).shape, (1, 1) + tuple(filter_shape), dimension_numbers
    )
    lhs_c_dims, rhs_c_dims = [out_spec[1]], [rhs_spec[1]]
    lhs_b_dims = out_spec[2:]
    rhs_b_dims = rhs_spec[2:]
    rhs_b_dims = [
        rhs_b_dims[i] for i in sorted(range(len(rhs_b_dims)), key=lambda k: lhs_b_dims[k])
    ]
    lhs_b_dims = sorted(lhs_b_dims)
    dn = ((tuple(lhs_c_dims), tuple(rhs_c_dims)), (tuple(lhs_b_dims), tuple(rhs_b_dims)))
    out = dot_general(patches, rhs, dn)
    # moveaxis(out, (-2, -1), (out_spec[0], out_spec[1]))
    ndim = aval_of(out).ndim
    src, dst = (ndim - 2, ndim - 1), (out_spec[0], out_spec[1])
    rest = [d for d in range(ndim) if d not in src]
    perm = [None] * ndim
    for s, d in zip(src, dst):
        perm[d] = s
    it = iter(rest)
    perm = [p if p is not None else next(it) for p in perm]
    return transpose(out, perm)


__all__ = [
    "ConvDimensionNumbers",
    "ConvGeneralDilatedDimensionNumbers",
    "conv",
    "conv_dimension_numbers",
    "conv_general_dilated",
    "conv_general_dilated_local",
    "conv_general_dilated_patches",
    "conv_general_permutations",
    "conv_general_shape_tuple",
    "conv_shape_tuple",
    "conv_transpose",
    "conv_transpose_shape_tuple",
    "conv_with_general_padding",
]
