"""PRNG keys: legacy uint32[..., 2] keys and typed key arrays, seeding,
split, fold_in and raw bits, bit for bit as JAX 0.10 computes them with its
default threefry2x32 implementation (jax_threefry_partitionable=True).

A typed key array (`key(seed)`, dtype `key<fry>`) is a view of uint32 key
data whose last dimension (2) is hidden. It is a pytree node whose one
child is that data, so jit, vmap and grad carry it through their ordinary
array paths: the traced function sees a typed key again.
"""

import math
import operator
from collections.abc import Sequence

import numpy as np

from .. import lax
from ..core import Tracer, aval_of, dtypes, tree_util, user_error
from ..core.config import config
from ..core.tree_user import register_user_leaf
from ..numpy.shape import stack
from ..numpy.util import _dtype_arg, asarray
from ..runtime.array import Array
from ..transforms.jit import jit

IMPL_NAME = "threefry2x32"


class KeyDtype:
    """The dtype of typed key arrays (JAX's `key<fry>`)."""

    name = "key<fry>"
    impl = IMPL_NAME

    def __repr__(self):
        return self.name

    __str__ = __repr__

    def __eq__(self, other):
        return isinstance(other, KeyDtype) or other == self.name

    def __hash__(self):
        return hash(self.name)


key_dtype = KeyDtype()


class PRNGKeyArray:
    """An array of threefry2x32 keys: `shape` is the key data's shape
    without its last dimension (2)."""

    __slots__ = ("_base",)
    dtype = key_dtype
    _mlax_public_array = True  # isinstance(key, mlax.Array), as JAX

    def __init__(self, base):
        self._base = base

    # What jnp.concatenate, stack and where use to join key arrays.
    @property
    def _key_data(self):
        return self._base

    def _with_key_data(self, data):
        return PRNGKeyArray(data)

    @property
    def shape(self):
        return tuple(self._base.shape[:-1])

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return math.prod(self.shape)

    @property
    def device(self):
        return self._base.device

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __getitem__(self, idx):
        if not isinstance(idx, tuple):
            idx = (idx,)
        if any(i is Ellipsis for i in idx):
            idx = idx + (slice(None),)
        return PRNGKeyArray(self._base[idx])

    def __iter__(self):
        if not self.shape:
            raise TypeError("iteration over a 0-d key array")
        for i in range(self.shape[0]):
            yield self[i]

    def reshape(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return PRNGKeyArray(self._base.reshape(tuple(shape) + (2,)))

    def ravel(self):
        return self.reshape(-1)

    flatten = ravel

    @property
    def T(self):
        perm = tuple(reversed(range(self.ndim))) + (self.ndim,)
        return PRNGKeyArray(self._base.transpose(perm))

    def __eq__(self, other):
        if not isinstance(other, PRNGKeyArray):
            return NotImplemented
        return (self._base == other._base).all(axis=-1)

    def __ne__(self, other):
        if not isinstance(other, PRNGKeyArray):
            return NotImplemented
        return (self._base != other._base).any(axis=-1)

    def __hash__(self):
        raise TypeError("unhashable type: PRNGKeyArray")

    def block_until_ready(self):
        self._base.block_until_ready()
        return self

    def __array__(self, *args, **kwargs):
        raise TypeError(
            "mlax array with PRNGKey dtype cannot be converted to a NumPy array. Use "
            "mlax.random.key_data(arr) if you wish to extract the underlying integer array."
        )

    def __repr__(self):
        if isinstance(self._base, Tracer):
            return f"Traced<key<fry>[{','.join(map(str, self.shape))}]>"
        return f"Array({self.shape}, dtype=key<fry>) overlaying:\n{np.asarray(self._base)}"

    def _binary_error(self, *_):
        raise user_error(
            TypeError, "arithmetic on typed PRNG key arrays (dtype key<fry>) is not defined"
        )

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _binary_error
    __truediv__ = __floordiv__ = __mod__ = __pow__ = __matmul__ = _binary_error


# A node for mlax's transformations (jit, vmap and grad see the uint32 key
# data), a leaf in the public pytree functions, as in JAX.
tree_util.register_pytree_node(
    PRNGKeyArray, lambda k: ((k._base,), None), lambda _, children: PRNGKeyArray(children[0])
)
register_user_leaf(PRNGKeyArray)


# ---------------------------------------------------------------------------
# Checking keys
# ---------------------------------------------------------------------------


def check_key_data(data):
    """Raises JAX's TypeError unless `data` can be threefry key data."""
    shape = tuple(np.shape(data)) if not hasattr(data, "shape") else tuple(data.shape)
    dtype = getattr(data, "dtype", None)
    if len(shape) < 1:
        raise user_error(
            TypeError,
            f"mlax encountered invalid PRNG key data: expected key_data.ndim >= 1; "
            f"got ndim={len(shape)}",
        )
    if shape[-1:] != (2,):
        raise user_error(
            TypeError,
            f"mlax encountered invalid PRNG key data: expected key_data.shape to end with "
            f"(2,); got shape={shape} for impl={IMPL_NAME}",
        )
    if np.dtype(dtype) != dtypes.uint32:
        raise user_error(
            TypeError,
            f"mlax encountered invalid PRNG key data: expected key_data.dtype = uint32; "
            f"got dtype={np.dtype(dtype)}",
        )


def _is_arraylike(x):
    return isinstance(x, (Array, Tracer, np.ndarray, np.generic))


def check_key(name, key, allow_batched=False):
    """(uint32 key data, typed): the data of a typed key array or of a
    legacy uint32 key, checked as JAX checks it."""
    if isinstance(key, PRNGKeyArray):
        data, typed = key._base, True
    elif _is_arraylike(key):
        check_key_data(key)
        data, typed = (key if isinstance(key, (Array, Tracer)) else asarray(key)), False
    else:
        raise user_error(TypeError, f"unexpected PRNG key type {type(key)}")
    if not allow_batched and aval_of(data).ndim > 1:
        shape = key.shape if typed else aval_of(data).shape
        raise user_error(
            ValueError,
            f"{name} accepts a single key, but was given a key array of shape {shape} != (). "
            f"Use jax.vmap for batching.",
        )
    return data, typed


def _wrap(data, typed):
    return PRNGKeyArray(data) if typed else data


# ---------------------------------------------------------------------------
# Seeds
# ---------------------------------------------------------------------------


def _seed_impl(seed):
    hi = lax.convert_element_type(lax.shift_right_logical(seed, np.array(32, seed.dtype)), "uint32")
    lo = lax.convert_element_type(seed, "uint32")  # the low 32 bits
    return stack([hi, lo])


_seed_jit = jit(_seed_impl)


def _seed_data(ctor, seed):
    if isinstance(seed, PRNGKeyArray):
        raise user_error(TypeError, f"{ctor} accepts a scalar seed, but was given a PRNG key.")
    if np.ndim(seed) if not isinstance(seed, (Array, Tracer)) else aval_of(seed).ndim:
        shape = seed.shape if hasattr(seed, "shape") else np.shape(seed)
        raise user_error(
            TypeError,
            f"{ctor} accepts a scalar seed, but was given an array of shape {tuple(shape)} "
            f"!= (). Use jax.vmap for batching",
        )
    if isinstance(seed, int) and not isinstance(seed, bool):
        # Like JAX: a Python int goes through int64 (wrapping to 32 bits
        # without x64), so Python hashes work as seeds.
        seed = np.int64(seed)
    seed = asarray(seed)
    if not dtypes.is_int(aval_of(seed).dtype):
        raise user_error(TypeError, f"PRNG key seed must be an integer; got {seed!r}")
    return _seed_jit(seed)


def PRNGKey(seed, *, impl=None):
    """A legacy key: uint32[2] holding the seed's high and low 32 bits."""
    _check_impl(impl)
    return _seed_data("PRNGKey", seed)


def key(seed, *, impl=None, dtype=None):
    """A typed key array of shape () (dtype key<fry>)."""
    if dtype is not None and impl is not None:
        raise ValueError("Cannot specify both `impl` and `dtype` arguments to jax.random.key")
    _check_impl(impl if dtype is None else dtype)
    return PRNGKeyArray(_seed_data("key", seed))


def _check_impl(impl):
    if impl is None or impl == IMPL_NAME or isinstance(impl, KeyDtype):
        return
    if isinstance(impl, str):
        raise ValueError(
            f'unrecognized PRNG implementation "{impl}". Did you mean one of: "{IMPL_NAME}"? '
            f"(mlax implements threefry2x32 only)"
        )
    raise TypeError(f"unrecognized type {type(impl)} for specifying PRNG implementation.")


def key_data(keys):
    """The uint32 data underlying a key array (shape + (2,))."""
    data, _ = check_key("key_data", keys, allow_batched=True)
    return data


def wrap_key_data(key_bits_array, *, impl=None, dtype=None):
    """A typed key array over uint32 data whose last dimension is 2."""
    if dtype is not None and impl is not None:
        raise ValueError(
            "Cannot specify both `impl` and `dtype` arguments to jax.random.wrap_key_data"
        )
    _check_impl(impl if dtype is None else dtype)
    if isinstance(key_bits_array, PRNGKeyArray):
        raise user_error(
            TypeError,
            "mlax encountered invalid PRNG key data: expected key_data.ndim >= 1; got ndim=0",
        )
    check_key_data(key_bits_array)
    data = key_bits_array
    if not isinstance(data, (Array, Tracer)):
        data = asarray(data)
    return PRNGKeyArray(data)


def key_impl(keys):
    check_key("key_impl", keys, allow_batched=True)
    return IMPL_NAME


def key_dtype(impl_spec=None):
    """The dtype of typed keys of a PRNG implementation (only threefry2x32,
    JAX's default, exists in mlax)."""
    if impl_spec not in (None, IMPL_NAME, "threefry"):
        raise user_error(
            ValueError, f"unrecognized PRNG implementation {impl_spec!r}; mlax has {IMPL_NAME!r}"
        )
    return KeyDtype()


def clone(key):
    """A copy of a key (the identity for mlax's immutable arrays)."""
    return key


# ---------------------------------------------------------------------------
# split, fold_in, bits
# ---------------------------------------------------------------------------


def _split_impl(data, shape):
    hi, lo = lax.iota_2x32_shape(shape)
    bits0, bits1 = lax.threefry2x32(data[0], data[1], hi, lo)
    return stack([bits0, bits1], axis=len(shape))


_split_jit = jit(_split_impl, static_argnums=(1,))


def split_data(data, shape):
    return _split_jit(data, shape)


def split(key, num=2):
    """`num` (an int or a shape) new keys, stacked along new leading axes."""
    data, typed = check_key("split", key)
    shape = tuple(num) if isinstance(num, Sequence) else (num,)
    shape = tuple(operator.index(d) for d in shape)
    return _wrap(split_data(data, shape), typed)


def _fold_in_impl(data, value):
    bits0, bits1 = lax.threefry2x32(data[0], data[1], np.uint32(0), value)
    return stack([bits0, bits1])


_fold_in_jit = jit(_fold_in_impl)


def fold_in(key, data):
    """A new key from `key` and 32-bit integer `data`."""
    base, typed = check_key("fold_in", key)
    if np.ndim(data) if not isinstance(data, (Array, Tracer)) else aval_of(data).ndim:
        raise user_error(
            TypeError,
            f"fold_in accepts a scalar, but was given an array ofshape {np.shape(data)} != (). "
            f"Use jax.vmap for batching.",
        )
    return _wrap(_fold_in_jit(base, asarray(data, dtype=dtypes.uint32)), typed)


def random_bits(data, bit_width, shape):
    """Raw bits of `bit_width` (8, 16, 32, 64) for each element of `shape`,
    as JAX's partitionable threefry computes them."""
    hi, lo = lax.iota_2x32_shape(shape)
    bits0, bits1 = lax.threefry2x32(data[0], data[1], hi, lo)
    if bit_width == 64:
        high = lax.convert_element_type(bits0, "uint64")
        low = lax.convert_element_type(bits1, "uint64")
        return lax.bitwise_or(lax.shift_left(high, lax.full_like(high, 32)), low)
    bits = lax.bitwise_xor(bits0, bits1)
    if bit_width == 32:
        return bits
    return lax.convert_element_type(bits, f"uint{bit_width}")


_bits_jit = jit(random_bits, static_argnums=(1, 2))


def canonical_shape(shape):
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        return tuple(operator.index(d) for d in shape)
    except TypeError:
        raise user_error(
            TypeError,
            f"Shapes must be 1D sequences of concrete values of integer type, got {shape!r}.",
        ) from None


def bits(key, shape=(), dtype=None):
    """Uniform random bits as unsigned integers of `dtype` (uint32, or
    uint64 with x64)."""
    data, _ = check_key("bits", key)
    if dtype is None:
        dtype = dtypes.uint64 if config.x64 else dtypes.uint32
    else:
        dtype = _dtype_arg(dtype, "")
    if not dtypes.is_unsigned(dtype):
        raise user_error(
            ValueError, f"dtype argument to `bits` must be an unsigned int dtype, got {dtype}"
        )
    return _bits_jit(data, np.dtype(dtype).itemsize * 8, canonical_shape(shape))
