"""mlax.numpy: NumPy's API with JAX's semantics, on mlax arrays."""

from .._src.numpy_core import (  # noqa: F401
    abs, absolute, add, all, amax, amin, any, arange, arctan2, argmax, argmin, around, array,
    asarray, bfloat16, bitwise_and, bitwise_not, bitwise_or, bitwise_xor, bool_, broadcast_arrays,
    broadcast_shapes, broadcast_to, cbrt, ceil, clip, cos, divide, dtype, e, empty, empty_like,
    equal, exp, exp2, expm1, eye, finfo, float16, float32, float64, floating, floor, floor_divide,
    fmod, full, full_like, greater, greater_equal, identity, iinfo, inexact, inf, int8, int16,
    int32, int64, integer, invert, isfinite, isinf, isnan, issubdtype, left_shift, less,
    less_equal, linspace, log, log1p, logaddexp, logical_and, logical_not, logical_or,
    logical_xor, max, maximum, mean, min, minimum, mod, multiply, nan, ndarray, negative,
    newaxis, not_equal, number, ones, ones_like, pi, positive, power, prod, promote_types,
    reciprocal, remainder, result_type, right_shift, round, sign, signedinteger, sin, sqrt,
    square, std, subtract, sum, tan, tanh, true_divide, uint8, uint16, uint32, uint64,
    unsignedinteger, var, where, zeros, zeros_like,
)
from .._src.numpy_shape import (  # noqa: F401
    atleast_1d, atleast_2d, concatenate, dot, einsum, expand_dims, flip, fliplr, flipud, hstack,
    inner, matmul, moveaxis, ndim, outer, ravel, repeat, reshape, shape, size, split, squeeze,
    stack, swapaxes, tensordot, tile, transpose, vdot, vstack,
)
