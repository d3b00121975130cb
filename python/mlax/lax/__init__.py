"""mlax.lax: the mlax primitives under their jax.lax names."""

from .._src.lax import (  # noqa: F401
    RoundingMethod, abs, add, argmax, argmin, atan2, bitcast_convert_type, bitwise_and,
    bitwise_not, bitwise_or, bitwise_xor, broadcast, broadcast_in_dim, broadcasted_iota, cbrt,
    ceil, clamp, concatenate, convert_element_type, cos, div, dot, dot_general, dynamic_index_in_dim,
    dynamic_slice, dynamic_update_slice, eq, erf, erf_inv, exp, exp2, expand_dims, expm1, floor,
    full, ge, gt, integer_pow, iota, is_finite, le, log, log1p, logistic, lt, max, min, mul, ne,
    neg, pad, pow, reduce_and, reduce_max, reduce_min, reduce_or, reduce_prod, reduce_sum, rem,
    reshape, rev, round, rsqrt, select, select_n, shift_left, shift_right_arithmetic,
    shift_right_logical, sign, sin, slice, sqrt, squeeze, sub, tan, tanh, transpose,
)
