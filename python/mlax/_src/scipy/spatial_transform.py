"""jax.scipy.spatial.transform's Rotation and Slerp on mlax, with JAX's
formulas (which follow SciPy's): a rotation is its unit quaternion
(x, y, z, w), batched over leading dimensions; both classes are
NamedTuples, so pytrees, as in JAX. Where JAX passes the Euler axes and
flags as traced values, they are static here (the same arithmetic).
"""

import re
import typing
from functools import partial

import numpy as np

from ..core import aval_of, user_error
from ..numpy import math_ufuncs as mu
from ..numpy import ufuncs as uf
from ..numpy.contractions import matmul
from ..numpy.creation import ones
from ..numpy.linalg import eigh
from ..numpy.reductions import argmax
from ..numpy.selection import roll, searchsorted
from ..numpy.shape import atleast_1d, concatenate, stack, swapaxes
from ..numpy.util import _promote_inexact, asarray
from ..transforms.jit import jit


def _norm(v):
    return uf.sqrt((v * v).sum(-1))


@jit
def _normalize_quaternion(quat):
    (quat,) = _promote_inexact("Rotation", asarray(quat))
    return quat / _norm(quat)[..., None]


@jit
def _compose_quat(p, q):
    px, py, pz, pw = (p[..., i] for i in range(4))
    qx, qy, qz, qw = (q[..., i] for i in range(4))
    cross = (py * qz - pz * qy, pz * qx - px * qz, px * qy - py * qx)
    return stack(
        [
            pw * qx + qw * px + cross[0],
            pw * qy + qw * py + cross[1],
            pw * qz + qw * pz + cross[2],
            pw * qw - px * qx - py * qy - pz * qz,
        ],
        axis=-1,
    )


@jit
def _as_matrix(quat):
    x, y, z, w = (quat[..., i] for i in range(4))
    x2, y2, z2, w2 = x * x, y * y, z * z, w * w
    xy, zw, xz, yw, yz, xw = x * y, z * w, x * z, y * w, y * z, x * w
    rows = [
        [x2 - y2 - z2 + w2, 2 * (xy - zw), 2 * (xz + yw)],
        [2 * (xy + zw), -x2 + y2 - z2 + w2, 2 * (yz - xw)],
        [2 * (xz - yw), 2 * (yz + xw), -x2 - y2 + z2 + w2],
    ]
    return stack([stack(r, axis=-1) for r in rows], axis=-2)


@jit
def _as_mrp(quat):
    sign = uf.where(quat[..., 3] < 0, -1.0, 1.0).astype(aval_of(quat).dtype)
    denominator = 1.0 + sign * quat[..., 3]
    return sign[..., None] * quat[..., :3] / denominator[..., None]


@partial(jit, static_argnums=(1,))
def _as_rotvec(quat, degrees):
    quat = uf.where(quat[..., 3:4] < 0, -quat, quat)  # w > 0: 0 <= angle <= pi
    angle = 2.0 * uf.arctan2(_norm(quat[..., :3]), quat[..., 3])
    angle2 = angle * angle
    small_scale = 2 + angle2 / 12 + 7 * angle2 * angle2 / 2880
    large_scale = angle / uf.sin(angle / 2)
    scale = uf.where(angle <= 1e-3, small_scale, large_scale)
    if degrees:
        scale = mu.rad2deg(scale)
    return scale[..., None] * quat[..., :3]


@partial(jit, static_argnums=(1,))
def _from_rotvec(rotvec, degrees):
    (rotvec,) = _promote_inexact("Rotation.from_rotvec", asarray(rotvec))
    if degrees:
        rotvec = mu.deg2rad(rotvec)
    angle = _norm(rotvec)
    angle2 = angle * angle
    small_scale = 0.5 - angle2 / 48 + angle2 * angle2 / 3840
    large_scale = uf.sin(angle / 2) / angle
    scale = uf.where(angle <= 1e-3, small_scale, large_scale)
    return concatenate([scale[..., None] * rotvec, uf.cos(angle / 2)[..., None]], axis=-1)


@jit
def _from_matrix(matrix):
    (m,) = _promote_inexact("Rotation.from_matrix", asarray(matrix))
    trace = m[..., 0, 0] + m[..., 1, 1] + m[..., 2, 2]
    decision = stack([m[..., 0, 0], m[..., 1, 1], m[..., 2, 2], trace], axis=-1)
    choice = argmax(decision, axis=-1)
    candidates = []
    for i in range(3):
        j = (i + 1) % 3
        k = (j + 1) % 3
        q = [None] * 4
        q[i] = 1 - trace + 2 * m[..., i, i]
        q[j] = m[..., j, i] + m[..., i, j]
        q[k] = m[..., k, i] + m[..., i, k]
        q[3] = m[..., k, j] - m[..., j, k]
        candidates.append(stack(q, axis=-1))
    quat = stack(
        [
            m[..., 2, 1] - m[..., 1, 2],
            m[..., 0, 2] - m[..., 2, 0],
            m[..., 1, 0] - m[..., 0, 1],
            1 + trace,
        ],
        axis=-1,
    )
    for c in (2, 1, 0):
        quat = uf.where((choice == c)[..., None], candidates[c], quat)
    return _normalize_quaternion(quat)


@jit
def _from_mrp(mrp):
    (mrp,) = _promote_inexact("Rotation.from_mrp", asarray(mrp))
    s = (mrp * mrp).sum(-1) + 1
    return concatenate([2 * mrp[..., :3], (2 - s)[..., None]], axis=-1) / s[..., None]


@jit
def _inv(quat):
    return quat * asarray(np.array([-1, -1, -1, 1], dtype=aval_of(quat).dtype))


@jit
def _magnitude(quat):
    return 2.0 * uf.arctan2(_norm(quat[..., :3]), uf.abs(quat[..., 3]))


@jit
def _make_canonical(quat):
    neg_ = quat < 0
    zero = quat == 0
    neg = (
        neg_[..., 3]
        | (zero[..., 3] & neg_[..., 0])
        | (zero[..., 3] & zero[..., 0] & neg_[..., 1])
        | (zero[..., 3] & zero[..., 0] & zero[..., 1] & neg_[..., 2])
    )
    return uf.where(neg[..., None], -quat, quat)


def _elementary_basis_index(axis):
    if axis in ("x", "y", "z"):
        return "xyz".index(axis)
    raise user_error(ValueError, f"Expected axis to be from ['x', 'y', 'z'], got {axis}")


def _make_elementary_quat(axis, angle):
    parts = [angle * 0] * 3 + [uf.cos(angle / 2.0)]
    parts[axis] = uf.sin(angle / 2.0)
    return stack(parts, axis=-1)


@partial(jit, static_argnums=(1, 2, 3))
def _elementary_quat_compose(angles, axes, intrinsic, degrees):
    if aval_of(angles).shape[-1] != len(axes):
        raise user_error(
            ValueError,
            f"Expected angles with a last axis of {len(axes)} for {len(axes)} axes, got shape "
            f"{tuple(aval_of(angles).shape)}",
        )
    if degrees:
        angles = mu.deg2rad(angles)
    result = _make_elementary_quat(axes[0], angles[..., 0])
    for idx in range(1, len(axes)):
        quat = _make_elementary_quat(axes[idx], angles[..., idx])
        result = _compose_quat(result, quat) if intrinsic else _compose_quat(quat, result)
    return result


@partial(jit, static_argnums=(1, 2, 3))
def _compute_euler_from_quat(quat, axes, extrinsic, degrees):
    angle_first = 0 if extrinsic else 2
    angle_third = 2 if extrinsic else 0
    axes = list(axes) if extrinsic else list(axes)[::-1]
    i, j, k = axes
    symmetric = i == k
    if symmetric:
        k = 3 - i - j
    sign = (i - j) * (j - k) * (k - i) // 2
    eps = 1e-7
    q = [quat[..., n] for n in range(4)]
    if symmetric:
        a, b, c, d = q[3], q[i], q[j], q[k] * sign
    else:
        a, b, c, d = q[3] - q[j], q[i] + q[k] * sign, q[j] + q[3], q[k] * sign - q[i]
    zero = a * 0
    angles = [zero, 2 * uf.arctan2(mu.hypot(c, d), mu.hypot(a, b)), zero]
    case = uf.where(uf.abs(angles[1] - np.pi) <= eps, 2, 0)
    case = uf.where(uf.abs(angles[1]) <= eps, 1, case)
    half_sum = uf.arctan2(b, a)
    half_diff = uf.arctan2(d, c)
    angles[0] = uf.where(case == 1, 2 * half_sum, 2 * half_diff * (-1 if extrinsic else 1))
    angles[angle_first] = uf.where(case == 0, half_sum - half_diff, angles[angle_first])
    angles[angle_third] = uf.where(case == 0, half_sum + half_diff, angles[angle_third])
    if not symmetric:
        angles[angle_third] = angles[angle_third] * sign
        angles[1] = angles[1] - np.pi / 2
    out = stack(angles, axis=-1)
    out = (out + np.pi) % (2 * np.pi) - np.pi
    return mu.rad2deg(out) if degrees else out


def _check_seq(seq, lo):
    n = len(seq)
    intrinsic = re.match(r"^[XYZ]{1,3}$", seq) is not None
    extrinsic = re.match(r"^[xyz]{1,3}$", seq) is not None
    if not (intrinsic or extrinsic):
        raise user_error(
            ValueError,
            f"Expected axes from `seq` to be from ['x', 'y', 'z'] or ['X', 'Y', 'Z'], got {seq}",
        )
    if any(seq[i] == seq[i + 1] for i in range(n - 1)):
        raise user_error(ValueError, f"Expected consecutive axes to be different, got {seq}")
    return intrinsic, extrinsic


class Rotation(typing.NamedTuple):
    """Like jax.scipy.spatial.transform.Rotation: a (batch of) rotation(s)
    held as unit quaternions (x, y, z, w)."""

    quat: typing.Any

    @classmethod
    def concatenate(cls, rotations):
        return cls(concatenate([r.quat for r in rotations]))

    @classmethod
    def from_euler(cls, seq, angles, degrees=False):
        n = len(seq)
        if n < 1 or n > 3:
            raise user_error(
                ValueError,
                "Expected axis specification to be a non-empty string of upto 3 characters, "
                f"got {seq}",
            )
        intrinsic, _ = _check_seq(seq, 1)
        (angles,) = _promote_inexact("Rotation.from_euler", atleast_1d(asarray(angles)))
        axes = tuple(_elementary_basis_index(x) for x in seq.lower())
        return cls(_elementary_quat_compose(angles, axes, bool(intrinsic), bool(degrees)))

    @classmethod
    def from_matrix(cls, matrix):
        return cls(_from_matrix(matrix))

    @classmethod
    def from_mrp(cls, mrp):
        return cls(_from_mrp(mrp))

    @classmethod
    def from_quat(cls, quat):
        return cls(_normalize_quaternion(quat))

    @classmethod
    def from_rotvec(cls, rotvec, degrees=False):
        return cls(_from_rotvec(rotvec, bool(degrees)))

    @classmethod
    def identity(cls, num=None, dtype=float):
        assert num is None
        return cls(asarray([0.0, 0.0, 0.0, 1.0], dtype=dtype))

    @classmethod
    def random(cls, random_key, num=None):
        raise user_error(NotImplementedError, "Rotation.random is not implemented (as in JAX)")

    def __getitem__(self, indexer):
        if self.single:
            raise user_error(TypeError, "Single rotation is not subscriptable.")
        return Rotation(self.quat[indexer])

    def __len__(self):
        if self.single:
            raise user_error(TypeError, "Single rotation has no len().")
        return aval_of(self.quat).shape[0]

    def __mul__(self, other):
        return Rotation.from_quat(_compose_quat(self.quat, other.quat))

    def apply(self, vectors, inverse=False):
        """The rotation(s) applied to vector(s) (the inverse with inverse=True)."""
        m = self.as_matrix()
        if inverse:
            m = swapaxes(m, -1, -2)
        return matmul(m, asarray(vectors)[..., None])[..., 0]

    def as_euler(self, seq, degrees=False):
        if len(seq) != 3:
            raise user_error(ValueError, f"Expected 3 axes, got {seq}.")
        _, extrinsic = _check_seq(seq, 3)
        axes = tuple(_elementary_basis_index(x) for x in seq.lower())
        return _compute_euler_from_quat(self.quat, axes, bool(extrinsic), bool(degrees))

    def as_matrix(self):
        return _as_matrix(self.quat)

    def as_mrp(self):
        return _as_mrp(self.quat)

    def as_rotvec(self, degrees=False):
        return _as_rotvec(self.quat, bool(degrees))

    def as_quat(self, canonical=False, scalar_first=False):
        quat = _make_canonical(self.quat) if canonical else self.quat
        return roll(quat, shift=1, axis=-1) if scalar_first else quat

    def inv(self):
        return Rotation(_inv(self.quat))

    def magnitude(self):
        return _magnitude(self.quat)

    def mean(self, weights=None):
        """The weighted mean rotation (the top eigenvector of sum w q q^T;
        its sign, which names the same rotation, may differ from JAX's)."""
        dt = aval_of(self.quat).dtype
        n = aval_of(self.quat).shape[0]
        w = ones(n, dtype=dt) if weights is None else asarray(weights, dtype=dt)
        if aval_of(w).ndim != 1:
            raise user_error(
                ValueError,
                f"Expected `weights` to be 1 dimensional, got shape {tuple(aval_of(w).shape)}.",
            )
        if aval_of(w).shape[0] != len(self):
            raise user_error(
                ValueError,
                "Expected `weights` to have number of values equal to number of rotations, "
                f"got {aval_of(w).shape[0]} values and {len(self)} rotations.",
            )
        k = matmul(w[None, :] * self.quat.T, self.quat)
        _, v = eigh(k)
        return Rotation(v[:, -1])

    @property
    def single(self):
        return aval_of(self.quat).ndim == 1


class Slerp(typing.NamedTuple):
    """Like jax.scipy.spatial.transform.Slerp: spherical linear
    interpolation between rotations at increasing times."""

    times: typing.Any
    timedelta: typing.Any
    rotations: Rotation
    rotvecs: typing.Any

    @classmethod
    def init(cls, times, rotations):
        if not isinstance(rotations, Rotation):
            raise user_error(TypeError, "`rotations` must be a `Rotation` instance.")
        if rotations.single or len(rotations) == 1:
            raise user_error(ValueError, "`rotations` must be a sequence of at least 2 rotations.")
        times = asarray(times, dtype=aval_of(rotations.quat).dtype)
        if aval_of(times).ndim != 1:
            raise user_error(
                ValueError,
                "Expected times to be specified in a 1 dimensional array, got "
                f"{aval_of(times).ndim} dimensions.",
            )
        if aval_of(times).shape[0] != len(rotations):
            raise user_error(
                ValueError,
                "Expected number of rotations to be equal to number of timestamps given, got "
                f"{len(rotations)} rotations and {aval_of(times).shape[0]} timestamps.",
            )
        timedelta = times[1:] - times[:-1]
        new_rotations = Rotation(rotations.as_quat()[:-1])
        rotvecs = (new_rotations.inv() * Rotation(rotations.as_quat()[1:])).as_rotvec()
        return cls(times=times, timedelta=timedelta, rotations=new_rotations, rotvecs=rotvecs)

    def __call__(self, times):
        t = asarray(times, dtype=aval_of(self.times).dtype)
        if aval_of(t).ndim > 1:
            raise user_error(ValueError, "`times` must be at most 1-dimensional.")
        single_time = aval_of(t).ndim == 0
        t = atleast_1d(t)
        ind = uf.maximum(searchsorted(self.times, t) - 1, 0)
        alpha = (t - self.times[ind]) / self.timedelta[ind]
        result = self.rotations[ind] * Rotation.from_rotvec(self.rotvecs[ind] * alpha[:, None])
        return result[0] if single_time else result
