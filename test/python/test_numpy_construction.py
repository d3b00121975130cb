"""NumPy parity of mlax.numpy's grids, stacking/splitting, insertion and
deletion, padding, set operations, polynomials and numerical helpers
(construction.py, padding.py, setops.py, polynomials.py, numerics.py,
complex_numbers.py); machinery in parity.py. Explicit tests cover the
index-object forms (mgrid, ogrid, r_, c_), vectorize signatures, errors,
host-side I/O and derivatives."""

import io

import jax
import jax.numpy as jax_np
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from finite_differences import fd_grad
from parity import R3, S23, A, Case, call, check_against_jax, run_case

CASES = []


def add(*args, **kw):
    CASES.append(Case(*args, **kw))


_LATER = "needs complex numbers or linear algebra (a later issue)"

# Grids and index helpers
add("meshgrid-xy", lambda m, x, y: m.meshgrid(x, y), A((3,)), A((2,)))
add(
    "meshgrid-ij-sparse",
    lambda m, x, y: m.meshgrid(x, y, indexing="ij", sparse=True),
    A((3,)),
    A((2,)),
)
add("meshgrid-3", lambda m, x, y, z: m.meshgrid(x, y, z), A((3,)), A((2,)), A((4,), "i32"))
add("indices", lambda m: m.indices((2, 3)))
add("indices-sparse", lambda m: m.indices((2, 3), sparse=True))
add("ix_", lambda m, x: x[m.ix_(np.array([0, 1]), np.array([2, 0, 1]))], A(S23), covers=("ix_",))
add("mgrid", lambda m: m.mgrid[0:3, 1:4:2], covers=("mgrid",))
add("ogrid", lambda m: m.ogrid[0:3, 0:1:4j], covers=("ogrid",))
add("r_", lambda m, x: m.r_[x, 0:3, [7.0]], A((2,)), covers=("r_",))
add("c_", lambda m, x, y: m.c_[x, y], A((3,)), A((3,)), covers=("c_",))
add("fromfunction", lambda m: m.fromfunction(lambda i, j: i * 2 + j, (2, 3), dtype=m.float32))
add("logspace", lambda m: m.logspace(0.0, 2.0, 5))
add("logspace-base", lambda m: m.logspace(1.0, 3.0, 4, endpoint=False, base=2.0))
add("geomspace", lambda m: m.geomspace(1.0, 1000.0, 4))
add("geomspace-neg", lambda m: m.geomspace(-2.0, -32.0, 5))
add("tri", lambda m: m.tri(3, 4, k=1))
add("tri-int", lambda m: m.tri(3, dtype=m.int32))
add("vander", lambda m, x: m.vander(x), A((4,)))
add("vander-inc", lambda m, x: m.vander(x, 3, increasing=True), A((4,), "i32"))
add("diagflat", lambda m, x: m.diagflat(x, 1), A((2, 2)))
add("diag_indices_from", lambda m, x: x[m.diag_indices_from(x)], A((3, 3)))
add("tril_indices_from", lambda m, x: x[m.tril_indices_from(x, 1)], A((3, 4)))
add("triu_indices_from", lambda m, x: x[m.triu_indices_from(x)], A((3, 4)))
add(
    "mask_indices",
    lambda m: m.mask_indices(3, m.triu, 1, size=3),
    ref=lambda: np.mask_indices(3, np.triu, 1),
    dtype="i32",
)
add(
    "ravel_multi_index",
    lambda m: m.ravel_multi_index((np.array([0, 1, 2]), np.array([3, 0, 1])), (3, 4)),
    dtype="i32",
    jax=False,  # mode='raise' needs concrete indices, which eval_shape traces
)
add(
    "ravel_multi_index-clip",
    lambda m, i: m.ravel_multi_index((i, np.array([3, 9, -1, 0, 2])), (4, 4), mode="clip"),
    A((5,), "i32", "small"),
    covers=("ravel_multi_index",),
)
add("unravel_index", lambda m, i: m.unravel_index(i, (2, 3)), A((4,), "i32", "pos"))

# Stacking, splitting, reshaping
add("atleast_3d", lambda m, x, y, z: m.atleast_3d(x, y, z), A(()), A((3,)), A(S23))
add("column_stack", lambda m, x, y: m.column_stack([x, y]), A((3,)), A((3, 2)))
add("dstack", lambda m, x, y: m.dstack([x, y]), A(S23), A(S23))
add("block", lambda m, x, y, z: m.block([[x, y], [z]]), A((2, 2)), A((2, 1)), A((1, 3)))
add("block-1d", lambda m, x, y: m.block([x, y]), A((2,)), A((3,)))
add("array_split", lambda m, x: m.array_split(x, 3, axis=1), A((2, 4)))
add("array_split-indices", lambda m, x: m.array_split(x, [1, 3]), A((5,)))
add("hsplit", lambda m, x: m.hsplit(x, 3), A(S23))
add("vsplit", lambda m, x: m.vsplit(x, [1]), A(S23))
add("dsplit", lambda m, x: m.dsplit(x, 2), A(R3))
add("resize", lambda m, x: m.resize(x, (3, 3)), A(S23))
add("resize-shrink", lambda m, x: m.resize(x, 4), A(S23, "i32"))
add("unstack", lambda m, x: m.unstack(x, axis=1), A(S23))
add("permute_dims", lambda m, x: m.permute_dims(x, (2, 0, 1)), A(R3))
add("matrix_transpose", call("matrix_transpose"), A(R3))
add("concat", lambda m, x, y: m.concat([x, y], axis=1), A(S23), A((2, 1)))
add("astype", lambda m, x: m.astype(x, m.int32), A(S23))
add("copy", call("copy"), A(S23))
add("append", lambda m, x, y: m.append(x, y), A(S23), A((2,)))
add("append-axis", lambda m, x, y: m.append(x, y, axis=0), A(S23), A((1, 3)))
add("insert", lambda m, x: m.insert(x, 1, 5.0), A((4,)))
add("insert-axis", lambda m, x, v: m.insert(x, np.array([0, 2, 2]), v, axis=1), A(S23), A((2, 1)))
add(
    "insert-slice", lambda m, x: m.insert(x, slice(0, 2), np.array([1.0, 2.0], np.float32)), A((4,))
)
add("insert-scalar-axis0", lambda m, x, v: m.insert(x, 1, v, axis=0), A(S23), A((3,)))
add("delete", lambda m, x: m.delete(x, 1), A((4,)))
add("delete-indices", lambda m, x: m.delete(x, np.array([0, 2]), axis=1), A((2, 4)))
add("delete-slice", lambda m, x: m.delete(x, slice(None, None, 2)), A((5,)))
add("delete-mask", lambda m, x: m.delete(x, np.array([True, False, True]), axis=1), A(S23))
add("rollaxis", lambda m, x: m.rollaxis(x, 2), A(R3))
add("rollaxis-start", lambda m, x: m.rollaxis(x, 0, 2), A(R3))
add("trim_zeros", lambda m, x: m.trim_zeros(x * (x > 1)), A((6,), "i32"), jax=False)
add("trim_zeros-f", lambda m, x: m.trim_zeros(x * (x > 1), trim="f"), A((6,), "i32"), jax=False)

# Padding
_PW = ((1, 2), (2, 1))
for _mode in [
    "constant",
    "edge",
    "wrap",
    "reflect",
    "symmetric",
    "maximum",
    "minimum",
    "mean",
    "median",
    "linear_ramp",
]:
    add(
        f"pad-{_mode}",
        lambda m, x, _mode=_mode: m.pad(x, _PW, mode=_mode),
        A(S23),
        covers=("pad",),
        **({"rtol": 1e-6} if _mode in ("mean", "linear_ramp") else {}),
    )
add(
    "pad-constant-values",
    lambda m, x: m.pad(x, 2, constant_values=((1, 2), (3, 4))),
    A(S23),
    covers=("pad",),
)
add("pad-int", lambda m, x: m.pad(x, (1, 2), constant_values=7), A(S23, "i32"), covers=("pad",))
add(
    "pad-reflect-odd",
    lambda m, x: m.pad(x, 4, mode="reflect", reflect_type="odd"),
    A((3,)),
    covers=("pad",),
)
add(
    "pad-symmetric-odd",
    lambda m, x: m.pad(x, 5, mode="symmetric", reflect_type="odd"),
    A((3,)),
    covers=("pad",),
)
add("pad-wrap-long", lambda m, x: m.pad(x, (5, 4), mode="wrap"), A((3,)), covers=("pad",))
add(
    "pad-stat-length",
    lambda m, x: m.pad(x, 2, mode="mean", stat_length=2),
    A((5,)),
    covers=("pad",),
    rtol=1e-6,
)
add("pad-median-int", lambda m, x: m.pad(x, 1, mode="median"), A((4,), "i32"), covers=("pad",))
add(
    "pad-ramp-end",
    lambda m, x: m.pad(x, (2, 3), mode="linear_ramp", end_values=(1.0, -1.0)),
    A((4,)),
    covers=("pad",),
    rtol=1e-6,
)
add(
    "pad-empty",
    lambda m, x: m.pad(x, 1, mode="empty")[1:-1, 1:-1],
    A(S23),
    covers=("pad",),
)


def _pad_with(vector, pad_width, iaxis, kwargs):
    if isinstance(vector, np.ndarray):  # NumPy pads in place
        vector[: pad_width[0]] = kwargs.get("v", 9)
        vector[len(vector) - pad_width[1] :] = kwargs.get("v", 9)
        return vector
    vector = vector.at[: pad_width[0]].set(kwargs.get("v", 9))
    return vector.at[vector.shape[0] - pad_width[1] :].set(kwargs.get("v", 9))


add("pad-callable", lambda m, x: m.pad(x, 1, _pad_with, v=-1.0), A(S23), covers=("pad",))

# Set operations: with size= (jit/vmap-able) and without (concrete inputs)
_SA = np.array([3, 1, 4, 1, 5, 9, 2, 6], np.int32)


def _padded(values, size, fill):
    values = np.asarray(values)
    out = np.full(size, fill, values.dtype)
    out[: min(size, len(values))] = values[:size]
    return out


add(
    "intersect1d-size",
    lambda m, x: m.intersect1d(x, _SA, size=4, fill_value=-1),
    A((6,), "i32"),
    ref=lambda x: _padded(np.intersect1d(x, _SA), 4, -1),
    covers=("intersect1d",),
)
add(
    "union1d-size",
    lambda m, x: m.union1d(x, _SA, size=9),
    A((6,), "i32"),
    ref=lambda x: _padded(np.union1d(x, _SA), 9, np.union1d(x, _SA).min()),
    covers=("union1d",),
)
add(
    "setdiff1d-size",
    lambda m, x: m.setdiff1d(_SA, x, size=6),
    A((6,), "i32"),
    ref=lambda x: _padded(np.setdiff1d(_SA, x), 6, 0),
    covers=("setdiff1d",),
)
add(
    "setxor1d-size",
    lambda m, x: m.setxor1d(x, _SA, size=8, fill_value=99),
    A((6,), "i32"),
    ref=lambda x: _padded(np.setxor1d(x, _SA), 8, 99),
    covers=("setxor1d",),
)
add("intersect1d", lambda m, x: m.intersect1d(x, _SA), A((6,), "i32"), jax=False)
add(
    "intersect1d-indices",
    lambda m, x: m.intersect1d(x, _SA, return_indices=True),
    A((6,), "i32"),
    jax=False,
    dtype="i32",
    covers=("intersect1d",),
)
add("union1d", lambda m, x, y: m.union1d(x, y), A((4,)), A((3,)), jax=False)
add("setdiff1d", lambda m, x: m.setdiff1d(x, _SA), A((6,), "i32"), jax=False)
add(
    "setdiff1d-unique",
    lambda m: m.setdiff1d(_SA[4:], _SA[:3], assume_unique=True),
    jax=False,
    covers=("setdiff1d",),
)
add("setxor1d", lambda m, x: m.setxor1d(x, _SA), A((6,), "i32"), jax=False)

# Polynomials
add("polyval", lambda m, p, x: m.polyval(p, x), A((4,)), A(S23))
add("polyval-int", lambda m, p: m.polyval(p, np.int32(2)), A((3,), "i32"))
add("polyadd", lambda m, p, q: m.polyadd(p, q), A((4,)), A((2,)))
add("polysub", lambda m, p, q: m.polysub(p, q), A((2,)), A((3,)))
add("polymul", lambda m, p, q: m.polymul(p, q), A((3,)), A((2,)))
_DIVISOR = np.array([1.0, 2.0], np.float32)


def _np_polydiv(p):
    """JAX keeps the remainder's leading (zero) terms; NumPy trims them."""
    q, r = np.polydiv(p, _DIVISOR)
    return q, np.concatenate([np.zeros(len(p) - len(r)), r])


add("polydiv", lambda m, p: m.polydiv(p, _DIVISOR), A((4,)), ref=_np_polydiv, atol=1e-6)
add("polyder", lambda m, p: m.polyder(p, 2), A((4,)))
add("polyint", lambda m, p: m.polyint(p, 2, k=np.array([1.0, 2.0], np.float32)), A((3,)))
add("poly", call("poly"), A((3,)))
add(
    "roots",
    call("roots"),
    A((3,)),
    ref=lambda p: np.roots(p).astype(np.complex64),  # jnp.roots is always complex
    jax=False,  # strip_zeros needs concrete coefficients, which eval_shape traces
    rtol=1e-5,
    atol=1e-5,
)
add("polyfit", lambda m, x, y: m.polyfit(x, y, 1), A((4,)), A((4,)), rtol=1e-4, atol=1e-4)

# Numerical helpers
_XP = np.array([-2.0, -0.5, 0.0, 1.0, 2.5], np.float32)
add("interp", lambda m, x, fp: m.interp(x, _XP, fp), A((6,)), A((5,)))
add(
    "interp-left-right",
    lambda m, x, fp: m.interp(x, _XP, fp, left=-9.0, right=9.0),
    A((6,), dom="big"),
    A((5,)),
    covers=("interp",),
)
add(
    "interp-period",
    lambda m, x, fp: m.interp(x, _XP, fp, period=4.0),
    A((6,)),
    A((5,)),
    covers=("interp",),
)
add("trapezoid", call("trapezoid"), A(S23))
add("trapezoid-x", lambda m, y, x: m.trapezoid(y, x, axis=0), A(S23), A((2,)))
add("trapezoid-dx", lambda m, y: m.trapezoid(y, dx=0.5, axis=0), A(R3))
add("gradient", call("gradient"), A(S23))
add("gradient-spacing", lambda m, f: m.gradient(f, 2.0, axis=1), A((2, 4)))
add(
    "gradient-coords",
    lambda m, f: m.gradient(f, np.array([0.0, 1.0, 3.0, 3.5], np.float32)),
    A((4,)),
)
add("unwrap", call("unwrap"), A((6,), dom="big"))
add("unwrap-period", lambda m, p: m.unwrap(p, period=4.0, axis=0), A((4, 2), dom="big"))
add("cross", call("cross"), A(S23), A(S23))
add("cross-2d", lambda m, a, b: m.cross(a, b), A((4, 2)), A((2,)))
add("cross-axis", lambda m, a, b: m.cross(a, b, axisa=0, axisb=0), A((3, 2)), A((3, 1)))
add("kron", call("kron"), A((2, 2)), A(S23))
add("kron-int", call("kron"), A((3,), "i32"), A((2, 2), "i32"))
add("vecdot", call("vecdot"), A(S23), A((3,)))
add("matvec", call("matvec"), A(R3), A((4,)))
add("vecmat", call("vecmat"), A((3,)), A((2, 3, 4)))
add("apply_along_axis", lambda m, x: m.apply_along_axis(lambda v: m.cumsum(v)[::-1], 1, x), A(R3))
add("apply_over_axes", lambda m, x: m.apply_over_axes(m.sum, x, [0, 2]), A(R3))
add(
    "vectorize",
    lambda m, x, y: m.vectorize(lambda a, b: m.sum(a * b), signature="(n),(n)->()")(x, y),
    A(S23),
    A((3,)),
)
add(
    "vectorize-scalar",
    lambda m, x, y: m.vectorize(lambda a, b: a * 2 + b)(x, y),
    A(S23),
    A((3,)),
    covers=("vectorize",),
)
add("i0", call("i0"), A((6,), dom="big"), rtol=2e-5)
add("bartlett", lambda m: m.bartlett(5))
add("blackman", lambda m: m.blackman(6), atol=1e-6)
add("hamming", lambda m: m.hamming(5))
add("hanning", lambda m: m.hanning(1))
add("kaiser", lambda m: m.kaiser(6, 2.5))
for _mode in ["full", "same", "valid"]:
    add(
        f"convolve-{_mode}",
        lambda m, a, v, _mode=_mode: m.convolve(a, v, mode=_mode),
        A((5,)),
        A((3,)),
        covers=("convolve",),
    )
    add(
        f"correlate-{_mode}",
        lambda m, a, v, _mode=_mode: m.correlate(a, v, mode=_mode),
        A((5,)),
        A((3,)),
        covers=("correlate",),
    )
add("convolve-short-first", lambda m, a, v: m.convolve(a, v), A((2,)), A((4,)))
add("correlate-short-first", lambda m, a, v: m.correlate(a, v, mode="full"), A((2,)), A((4,)))
add("convolve-int", lambda m, a, v: m.convolve(a, v), A((3,), "i32"), A((2,), "i32"), dtype="f32")
add(
    "histogram2d",
    lambda m, x, y: m.histogram2d(x, y, bins=3, range=[[-3, 3], [-3, 3]])[0],
    A((8,)),
    A((8,)),
    dtype="i32",  # JAX counts in int32 (NumPy in float64)
)
add(
    "histogram2d-edges",
    lambda m, x, y: m.histogram2d(x, y, bins=(2, 3), weights=y)[1:],
    A((8,)),
    A((8,)),
    covers=("histogram2d",),
)
add(
    "histogramdd",
    lambda m, s: m.histogramdd(s, bins=(2, 3), range=[(-3, 3), (-3, 3)], density=True)[0],
    A((8, 2)),
)
add("packbits", call("packbits"), A((2, 5), "bool"))
add(
    "packbits-axis",
    lambda m, x: m.packbits(x, axis=1, bitorder="little"),
    A((2, 9), "i32", "small"),
)
add("unpackbits", call("unpackbits"), A((3,), "u8", "bits"))
add("unpackbits-count", lambda m, x: m.unpackbits(x, axis=0, count=10), A((2, 2), "u8", "bits"))

# Real inputs to the complex-number functions
add("real", call("real"), A(S23))
add("imag", call("imag"), A(S23))
add("conj", call("conj"), A(S23, "i32"))
add("conjugate", call("conjugate"), A(S23))
add("iscomplex", call("iscomplex"), A(S23))
add("angle", call("angle"), A((5,)))
add("angle-special", call("angle"), A((8,), dom="special"), covers=("angle",))
add("angle-deg", lambda m, x: m.angle(x, deg=True), A((5,), "i32"), covers=("angle",))
add("sort_complex", call("sort_complex"), A((3,)))
add(
    "complex64",
    lambda m: [
        m.complex64(1.0),
        m.csingle(1.0),
        m.complex128(1.0),
        m.cdouble(1.0),
        m.complex_(1.0),
    ],
    jax=False,
    xfail=_LATER,
    covers=("complex64", "csingle", "complex128", "cdouble", "complex_"),
)

# Host-side helpers (NumPy's, as JAX exposes them)
_HOST = np.arange(6.0, dtype=np.float32).reshape(2, 3)


def _io_roundtrip(m):
    buf = io.BytesIO()
    m.save(buf, m.asarray(_HOST))
    buf.seek(0)
    one = m.load(buf)
    buf = io.BytesIO()
    m.savez(buf, a=m.asarray(_HOST))
    buf.seek(0)
    return [one, m.asarray(np.load(buf)["a"])]


def _printing(m):
    with m.printoptions(precision=2):
        s = m.array_str(m.asarray(_HOST))
    old = m.get_printoptions()["precision"]
    m.set_printoptions(precision=old)
    r = m.array_repr(m.asarray(np.arange(3, dtype=np.int32)))
    return m.asarray([len(s), len(r), int(m.iterable(_HOST)), int(m.iterable(3))])


add("save", _io_roundtrip, jax=False, covers=("save", "load", "savez"))
add(
    "array_str",
    _printing,
    jax=False,
    dtype="i32",
    covers=(
        "array_str",
        "array_repr",
        "printoptions",
        "get_printoptions",
        "set_printoptions",
        "iterable",
    ),
)
add("frombuffer", lambda m: m.frombuffer(b"\x01\x02\x03\x04", dtype=m.uint8))
add("fromstring", lambda m: m.fromstring("1 2 3.5", sep=" "), jax=False)
add(
    "fromiter",
    lambda m: m.fromiter(range(3), dtype=float),
    jax=False,
    xfail="JAX does not implement fromiter",
)
add(
    "fromfile",
    lambda m: m.fromfile(io.BytesIO(b"\x00" * 8)),
    jax=False,
    xfail="JAX does not implement fromfile",
)


@pytest.mark.parametrize("case", [c.param() for c in CASES])
def test_numpy_parity(case):
    run_case(case)


@pytest.mark.parametrize("case", [c.param(jax=True) for c in CASES if c.jax])
def test_numpy_matches_jax(case):
    check_against_jax(case, jnp, jax_np)


# ---------------------------------------------------------------------------
# Index-object forms
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expr",
    [
        lambda m: m.mgrid[0:4],
        lambda m: m.mgrid[0:1:5j],
        lambda m: m.mgrid[-1:1:0.5, 0:2],
        lambda m: m.ogrid[0:3],
        lambda m: m.ogrid[0:2, 0:1:3j],
        lambda m: m.r_[1:4, 0, np.array([5, 6])],
        lambda m: m.r_["0,2", np.array([1, 2]), np.array([3, 4])],
        lambda m: m.r_["-1,2,0", np.array([1, 2]), np.array([3, 4])],
        lambda m: m.r_["r", np.array([1.0, 2.0])],
        lambda m: m.r_["c", np.array([1.0, 2.0])],
        lambda m: m.c_[np.array([1, 2]), np.array([[3], [4]])],
        lambda m: m.c_[np.zeros((2, 2)), 0:2],
    ],
)
def test_index_objects_match_numpy(expr):
    got, want = expr(jnp), expr(np)
    got = list(got) if isinstance(got, (list, tuple)) else [got]
    want = list(want) if isinstance(want, (list, tuple)) else [want]
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.shape == w.shape
        np.testing.assert_allclose(np.asarray(g), w, rtol=1e-6)
    assert jnp.s_[1:2, ::3] == np.s_[1:2, ::3]
    assert jnp.index_exp[0] == np.index_exp[0]


# ---------------------------------------------------------------------------
# vectorize
# ---------------------------------------------------------------------------


def test_vectorize_signature_excluded_and_errors():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    mat = np.arange(12, dtype=np.float32).reshape(3, 4)

    # Two outputs, a matrix core dimension, broadcasting over the rest.
    def stats(v):
        return jnp.sum(v), jnp.max(v)

    s, mx = jnp.vectorize(stats, signature="(n)->(),()")(x)
    np.testing.assert_allclose(np.asarray(s), x.sum(-1))
    np.testing.assert_allclose(np.asarray(mx), x.max(-1))
    got = jnp.vectorize(jnp.matmul, signature="(n,m),(m)->(n)")(mat, x)
    np.testing.assert_allclose(np.asarray(got), np.einsum("nm,abm->abn", mat, x), rtol=1e-6)

    # Excluded positional and keyword arguments pass through unbatched.
    def scaled(v, k, *, mode):
        assert isinstance(k, int) and mode == "twice"
        return v * k * 2

    f = jnp.vectorize(scaled, excluded={1, "mode"})
    np.testing.assert_allclose(np.asarray(f(x, 3, mode="twice")), x * 6)
    # Under jit, as a vmap inside.
    np.testing.assert_allclose(
        np.asarray(mlax.jit(jnp.vectorize(lambda v: jnp.cumsum(v), signature="(n)->(n)"))(x)),
        np.cumsum(x, -1),
    )
    with pytest.raises(ValueError, match="not a valid gufunc signature"):
        jnp.vectorize(jnp.sum, signature="(n)->()x")(x)
    with pytest.raises(ValueError, match="inconsistent size for core dimension"):
        jnp.vectorize(jnp.dot, signature="(n),(n)->()")(x, np.ones((3, 5)))
    with pytest.raises(TypeError, match="wrong number of positional arguments"):
        jnp.vectorize(jnp.dot, signature="(n),(n)->()")(x)
    with pytest.raises(ValueError, match="output shape"):
        jnp.vectorize(lambda v: v, signature="(n)->()")(x)
    with pytest.raises(TypeError, match="exclude integer or string"):
        jnp.vectorize(jnp.sum, excluded={1.5})


# ---------------------------------------------------------------------------
# Errors (the exception types JAX raises)
# ---------------------------------------------------------------------------


def test_errors_match_jax():
    x = np.ones((2, 3), np.float32)
    for m in (jnp, jax_np):
        with pytest.raises(NotImplementedError, match="Unimplemented padding mode"):
            m.pad(x, 1, mode="bogus")
        with pytest.raises(ValueError, match="unsupported keyword arguments"):
            m.pad(x, 1, mode="edge", constant_values=3)
        with pytest.raises(ValueError, match="negative"):
            m.pad(x, -1)
        with pytest.raises(TypeError, match="integral"):
            m.pad(x, 1.5)
        with pytest.raises(ValueError, match="unsupported shape"):
            m.pad(x, ((1, 2, 3),))
        with pytest.raises(ValueError):
            m.matrix_transpose(np.ones(3))
        with pytest.raises(IndexError):
            m.dsplit(np.ones((2, 4)), 2)
        with pytest.raises(ValueError):
            m.diag_indices_from(np.ones((2, 3)))
        with pytest.raises(ValueError, match="full"):
            m.convolve(np.ones(3), np.ones(2), mode="bogus")
        with pytest.raises(ValueError):
            m.cross(np.ones(4), np.ones(4))
        with pytest.raises(ValueError, match="indexing"):
            m.meshgrid(np.ones(2), indexing="xz")
        with pytest.raises(ValueError):
            m.interp(np.ones(2), np.ones(3), np.ones(2))
        with pytest.raises(TypeError):
            m.unpackbits(np.ones(3, np.int32))
        with pytest.raises(NotImplementedError):
            m.gradient(x, edge_order=2)
        with pytest.raises(NotImplementedError, match="non-pure"):
            m.fromiter(range(3), float)
        with pytest.raises(NotImplementedError, match="non-pure"):
            m.fromfile("unused.bin")
        with pytest.raises(ValueError, match="copy=True"):
            m.meshgrid(np.ones(2), copy=False)
        with pytest.raises(ValueError, match="stat_length of 0"):
            m.pad(np.ones(3), 1, mode="mean", stat_length=0)


def test_complex_dtypes_and_real_fft_helpers():
    assert jnp.issubdtype(np.complex64, jnp.complexfloating)
    assert jnp.complex64 == np.complex64
    # The real-valued pieces of jnp.fft and jnp.linalg work.
    for n in (5, 6):
        np.testing.assert_allclose(
            np.asarray(jnp.fft.fftfreq(n, 0.5)), np.fft.fftfreq(n, 0.5), rtol=1e-6
        )
        np.testing.assert_allclose(np.asarray(jnp.fft.rfftfreq(n)), np.fft.rfftfreq(n), rtol=1e-6)
        a = np.arange(n * 2).reshape(2, n)
        np.testing.assert_array_equal(np.asarray(jnp.fft.fftshift(a)), np.fft.fftshift(a))
        np.testing.assert_array_equal(
            np.asarray(jnp.fft.ifftshift(a, axes=1)), np.fft.ifftshift(a, axes=1)
        )
    np.testing.assert_array_equal(np.asarray(jnp.linalg.trace(np.eye(3))), 3.0)


def test_value_dependent_sizes_need_concrete_inputs():
    x = jnp.asarray(np.array([0, 1, 2, 0], np.int32))
    for fn in (
        lambda v: jnp.trim_zeros(v),
        lambda v: jnp.union1d(v, v),
        lambda v: jnp.intersect1d(v, v),
        lambda v: jnp.setdiff1d(v, v),
        lambda v: jnp.setxor1d(v, v),
    ):
        with pytest.raises(mlax.errors.ConcretizationTypeError):
            mlax.jit(fn)(x)
    # With size= they run under jit (JAX's padding).
    got = mlax.jit(lambda v: jnp.intersect1d(v, _SA, size=3, return_indices=True))(x)
    want = jax.jit(lambda v: jax_np.intersect1d(v, _SA, size=3, return_indices=True))(np.asarray(x))
    for g, w in zip(got, want):
        np.testing.assert_array_equal(np.asarray(g), np.asarray(w))
    got = mlax.jit(lambda v: jnp.setxor1d(v, _SA, size=9))(x)
    want = jax_np.setxor1d(np.asarray(x), _SA, size=9)
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
    # delete with traced unique indices.
    got = mlax.jit(lambda i: jnp.delete(jnp.arange(6), i, assume_unique_indices=True))(
        jnp.asarray(np.array([4, 1], np.int32))
    )
    np.testing.assert_array_equal(np.asarray(got), [0, 2, 3, 5])
    # insert with traced indices.
    got = mlax.jit(lambda i: jnp.insert(jnp.arange(4), i, -1))(
        jnp.asarray(np.array([3, 0], np.int32))
    )
    np.testing.assert_array_equal(np.asarray(got), np.insert(np.arange(4), [3, 0], -1))


# ---------------------------------------------------------------------------
# Derivatives: float64 finite differences and jax.grad
# ---------------------------------------------------------------------------

_W = np.linspace(-1.0, 1.0, 12)
_XQ = np.array([-1.7, -0.2, 0.4, 1.3, 2.2])

LOSSES = {
    # name: (loss(m, x) on a (2, 3) float input)
    "interp": lambda m, x: m.sum(
        m.interp(_XQ, np.array([-2.0, -1.0, 0.0, 0.5, 1.0, 2.0]), m.ravel(x)) * _W[:5]
    ),
    "interp-x": lambda m, x: m.sum(
        m.interp(m.ravel(x), np.array([-2.0, -0.5, 0.5, 2.0]), np.array([1.0, -1.0, 2.0, 0.5]))
        * _W[:6]
    ),
    "pad": lambda m, x: (
        m.sum(m.pad(x, ((1, 1), (2, 1)), mode="reflect") ** 2 * _W[:6].sum())
        + m.sum(m.pad(x, 1, mode="mean") ** 2)
    ),
    "pad-ramp": lambda m, x: m.sum(m.pad(x, 2, mode="linear_ramp", end_values=0.5) ** 2),
    "convolve": lambda m, x: m.sum(m.convolve(x[0], x[1], mode="full") * _W[:5]),
    "correlate": lambda m, x: m.sum(m.correlate(m.ravel(x), x[1], mode="same") ** 2),
    "trapezoid": lambda m, x: m.trapezoid(x**2, np.array([0.0, 0.5, 2.0]), axis=1).sum(),
    "gradient": lambda m, x: m.sum(m.gradient(x, axis=1) ** 2 * _W[:6].reshape(2, 3)),
    "cross": lambda m, x: m.sum(m.cross(x, x[::-1] * 2.0) * _W[:6].reshape(2, 3)),
    "kron": lambda m, x: m.sum(m.kron(x, x) ** 2 * _W[:1]),
    "polyval": lambda m, x: m.sum(m.polyval(m.ravel(x), _XQ)),
}


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_gradients_match_jax_and_finite_differences(name, x64):
    loss = LOSSES[name]
    x = np.random.default_rng(7).uniform(-1.5, 1.5, (2, 3))
    got = mlax.grad(lambda v: loss(jnp, v))(jnp.asarray(x))
    assert got.dtype == np.float64
    np.testing.assert_allclose(
        np.asarray(got), fd_grad(lambda v: loss(np, v), x), rtol=1e-5, atol=1e-6
    )
    want = jax.grad(lambda v: loss(jax_np, v))(x.astype(np.float32))
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=2e-4, atol=2e-4)


def test_index_results_are_default_ints_under_x64(x64):
    """nonzero & co. and the *_indices constructors give int64 under x64,
    as JAX's (they had int32)."""
    x = jnp.array([0, 1, 2, 0, 3])
    for got in [
        jnp.nonzero(x)[0],
        jnp.nonzero(x, size=4)[0],
        jnp.argwhere(x),
        jnp.flatnonzero(x),
        jnp.where(x > 0)[0],
        jnp.tril_indices(2)[0],
        jnp.triu_indices_from(jnp.ones((2, 2)))[1],
        jnp.diag_indices(2)[0],
        jnp.mask_indices(3, jnp.triu)[0],
    ]:
        assert got.dtype == np.int64, got.dtype
    np.testing.assert_array_equal(
        np.asarray(jnp.nonzero(x, size=4, fill_value=-1)[0]), [1, 2, 4, -1]
    )
