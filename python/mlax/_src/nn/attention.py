"""jax.nn.dot_product_attention, JAX 0.10's 'xla' implementation (the one
`implementation=None` picks): logits in float32 or wider, scale, bias,
masks (boolean, causal, sequence lengths, local window), a float32 softmax,
and grouped-query heads. Where JAX vmaps its core over the query groups,
mlax carries the group as an extra einsum axis: the same arithmetic."""

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..numpy import contractions
from ..numpy import shape as _shape
from ..numpy import ufuncs as jnp
from ..numpy.util import asarray
from .functions import logsumexp, softmax


def _ensure_4d(t):
    t = asarray(t)
    missing = 4 - aval_of(t).ndim
    return _shape.expand_dims(t, tuple(range(missing))) if missing > 0 else t


def _check_shape_and_dtype(t, shape, dtype, name):
    if t is None:
        return
    a = aval_of(t)
    if a.ndim != len(shape):
        raise user_error(ValueError, f"{name} ndim should be {len(shape)}, but got {a.ndim}")
    if dtype is not None and a.dtype != dtype:
        raise user_error(ValueError, f"{name} dtype should be {dtype}, but got {a.dtype}")
    for want, got in zip(shape, a.shape):
        if want != -1 and got != want:
            raise user_error(ValueError, f"{name} shape should be {list(shape)}: but got {a.shape}")


def _large_negative(dtype):
    # JAX caps at float32's range: the softmax runs in float32.
    dtype_max = min(float(dtypes.finfo(dtype).max), float(np.finfo(np.float32).max))
    return lax.full((), -0.7 * dtype_max, dtype)


def _apply_masks(logits, mask, is_causal, q_seqlen, kv_seqlen, local_window_size):
    """logits: (B, K, G, T, S); mask: None or boolean (mB, K|1, G, mT, mS)."""
    if (
        mask is None
        and not is_causal
        and q_seqlen is None
        and kv_seqlen is None
        and local_window_size is None
    ):
        return logits
    shape = aval_of(logits).shape
    combined = lax.full(shape, True, np.bool_)
    if mask is not None:
        combined = jnp.logical_and(combined, mask)
    t, s = shape[3], shape[4]
    query_pos = lax.broadcasted_iota(np.int32, (t, s), 0)
    key_pos = lax.broadcasted_iota(np.int32, (t, s), 1)
    if is_causal:
        combined = jnp.logical_and(combined, jnp.less_equal(key_pos, query_pos))
    if local_window_size is not None:
        left, right = local_window_size
        window = jnp.logical_and(
            jnp.greater_equal(query_pos, jnp.subtract(key_pos, right)),
            jnp.less_equal(query_pos, jnp.add(key_pos, left)),
        )
        combined = jnp.logical_and(combined, window)
    if q_seqlen is not None or kv_seqlen is not None:
        padding = lax.full((shape[0], 1, 1, t, s), True, np.bool_)
        if q_seqlen is not None:
            rows = lax.broadcasted_iota(np.int32, (shape[0], 1, 1, t, 1), 3)
            limit = lax.reshape(q_seqlen, (shape[0], 1, 1, 1, 1))
            padding = jnp.logical_and(padding, jnp.less(rows, limit))
        if kv_seqlen is not None:
            cols = lax.broadcasted_iota(np.int32, (shape[0], 1, 1, 1, s), 4)
            limit = lax.reshape(kv_seqlen, (shape[0], 1, 1, 1, 1))
            padding = jnp.logical_and(padding, jnp.less(cols, limit))
        combined = jnp.logical_and(combined, padding)
    return jnp.where(combined, logits, _large_negative(aval_of(logits).dtype))


def _attention_xla(query, key, value, bias, mask, is_causal, scale, q_seqlen, kv_seqlen,
                   local_window_size, return_residual):  # fmt: skip
    b, t, n, h = aval_of(query).shape
    k = aval_of(key).shape[2]
    g = n // k
    query = lax.reshape(query, (b, t, k, g, h))

    def grouped(x):
        if x is None:
            return None
        xb, xn, xt, xs = aval_of(x).shape
        if xn == 1:
            return lax.reshape(x, (xb, 1, 1, xt, xs))
        return lax.reshape(x, (xb, k, g, xt, xs))

    bias, mask = grouped(bias), grouped(mask)
    logits_dtype = dtypes.promote_types(aval_of(query).dtype, np.float32)
    logits = contractions.einsum(
        "BTKGH,BSKH->BKGTS", query, key, preferred_element_type=logits_dtype
    )
    logits = jnp.multiply(logits, lax.full((), scale, logits_dtype))
    if bias is not None:
        logits = lax.convert_element_type(jnp.add(logits, bias), logits_dtype)
    padded = _apply_masks(logits, mask, is_causal, q_seqlen, kv_seqlen, local_window_size)
    padded = lax.convert_element_type(padded, np.float32)
    key_dtype = aval_of(key).dtype
    probs = lax.convert_element_type(softmax(padded, axis=-1), key_dtype)
    encoded = contractions.einsum("BKGTS,BSKH->BTKGH", probs, value)
    if q_seqlen is not None:
        rows = lax.broadcasted_iota(np.int32, (b, t, 1, 1, 1), 1)
        keep = jnp.less(rows, lax.reshape(q_seqlen, (b, 1, 1, 1, 1)))
        encoded = jnp.multiply(encoded, lax.convert_element_type(keep, aval_of(encoded).dtype))
    encoded = lax.reshape(encoded, (b, t, n, h))
    if not return_residual:
        return encoded
    lse = lax.convert_element_type(logsumexp(padded, axis=-1), key_dtype)  # (B, K, G, T)
    lse = lax.reshape(lax.transpose(lse, (0, 3, 1, 2)), (b, t, n))
    return encoded, lax.stop_gradient(lse)


def dot_product_attention(
    query,
    key,
    value,
    bias=None,
    mask=None,
    *,
    scale=None,
    is_causal=False,
    query_seq_lengths=None,
    key_value_seq_lengths=None,
    local_window_size=None,
    implementation=None,
    return_residual=False,
):
    """Like jax.nn.dot_product_attention: softmax(scale * Q K^T + bias,
    masked) V for query (B, T, N, H), key and value (B, S, K, H) with N a
    multiple of K (or the same without the batch axis). Only the 'xla'
    implementation (also what None picks) exists; 'cudnn' raises."""
    output_shape = aval_of(asarray(query)).shape
    residual_shape = output_shape[:-1]
    query_arr, key_arr, value_arr = _ensure_4d(query), _ensure_4d(key), _ensure_4d(value)
    bias = _ensure_4d(bias) if bias is not None else None
    mask = _ensure_4d(mask) if mask is not None else None
    if query_seq_lengths is not None:
        query_seq_lengths = asarray(query_seq_lengths)
    if key_value_seq_lengths is not None:
        key_value_seq_lengths = asarray(key_value_seq_lengths)
    if isinstance(local_window_size, int):
        local_window_size = (local_window_size, local_window_size)

    b, s, k, h = aval_of(key_arr).shape
    key_dtype = aval_of(key_arr).dtype
    _check_shape_and_dtype(value_arr, [b, s, k, h], key_dtype, "value")
    _check_shape_and_dtype(query_arr, [b, -1, -1, h], key_dtype, "query")
    _check_shape_and_dtype(mask, [-1] * 4, np.dtype(bool), "mask")
    _check_shape_and_dtype(bias, [-1] * 4, None, "bias")
    _check_shape_and_dtype(query_seq_lengths, [b], np.dtype("int32"), "query_seq_lengths")
    _check_shape_and_dtype(key_value_seq_lengths, [b], np.dtype("int32"), "key_value_seq_lengths")
    if aval_of(query_arr).shape[-2] % k != 0:
        raise user_error(
            ValueError,
            f"The number of query heads must be a multiple of key/value heads, but got "
            f"{aval_of(query_arr).shape[-2]} vs {k}",
        )
    scale_val = (1.0 / np.sqrt(h)) if scale is None else scale
    if implementation == "cudnn":
        raise user_error(
            NotImplementedError,
            "dot_product_attention(implementation='cudnn') needs cuDNN; mlax has only the "
            "'xla' implementation (implementation=None or 'xla')",
        )
    if implementation not in (None, "xla"):
        raise user_error(ValueError, f"Unsupported implementation option: {implementation}")
    out = _attention_xla(
        query_arr, key_arr, value_arr, bias, mask, is_causal, scale_val,
        query_seq_lengths, key_value_seq_lengths, local_window_size, return_residual,
    )  # fmt: skip
    if return_residual:
        out, residual = out
        return lax.reshape(out, output_shape), lax.reshape(residual, residual_shape)
    return lax.reshape(out, output_shape)
