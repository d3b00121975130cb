"""jax.example_libraries.stax: neural network layers as (init_fun,
apply_fun) pairs.

`init_fun(rng, input_shape) -> (output_shape, params)` and
`apply_fun(params, inputs, **kwargs) -> outputs`. Initial parameters use
the same keys and initializers as JAX, so they equal JAX's bit for bit.
Convolution layers run on mlax.lax.conv_general_dilated / conv_transpose
(im2col and one dot_general), pooling layers on mlax.lax.reduce_window.
"""

import functools
import math

import numpy as np

from ..lax.elementwise import add
from ..lax.elementwise import max as lax_max
from ..lax.extras import padtype_to_pads, reduce_window, reduce_window_shape_tuple
from ..nn.activations import elu, gelu, leaky_relu, relu, selu, sigmoid, softplus
from ..nn.functions import log_softmax, softmax, standardize
from ..nn.initializers import glorot_normal, normal, ones, zeros
from ..numpy.contractions import dot
from ..numpy.creation import ones as _ones
from ..numpy.shape import concatenate, expand_dims, ndim, reshape
from ..numpy.ufuncs import exp, tanh, where
from ..random.keys import split
from ..random.samplers import bernoulli
from ..transforms.convolution import (
    conv_general_dilated,
    conv_general_shape_tuple,
    conv_transpose,
    conv_transpose_shape_tuple,
)

glorot = glorot_normal
randn = normal
logsoftmax = log_softmax


# ---------------------------------------------------------------------------
# Layers
# ---------------------------------------------------------------------------


def Dense(out_dim, W_init=glorot_normal(), b_init=normal()):  # noqa: B008 (as JAX)
    """A dense (fully-connected) layer: inputs @ W + b."""

    def init_fun(rng, input_shape):
        output_shape = input_shape[:-1] + (out_dim,)
        k1, k2 = split(rng)
        W, b = W_init(k1, (input_shape[-1], out_dim)), b_init(k2, (out_dim,))
        return output_shape, (W, b)

    def apply_fun(params, inputs, **kwargs):
        W, b = params
        return dot(inputs, W) + b

    return init_fun, apply_fun


def _conv_layer(dimension_numbers, out_chan, filter_shape, W_init, b_init, shape_tuple, apply):
    """A convolution-like layer's (init_fun, apply_fun), as JAX's stax
    builds GeneralConv and GeneralConvTranspose: the kernel in rhs_spec's
    layout, a bias broadcast along out_spec, W then b from one key split.
    `shape_tuple(input_shape, kernel_shape)` is the output shape and
    `apply(inputs, W)` the layer without its bias."""
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    W_init = W_init or glorot_normal(rhs_spec.index("I"), rhs_spec.index("O"))

    def init_fun(rng, input_shape):
        filter_shape_iter = iter(filter_shape)
        kernel_shape = [
            out_chan
            if c == "O"
            else input_shape[lhs_spec.index("C")]
            if c == "I"
            else next(filter_shape_iter)
            for c in rhs_spec
        ]
        output_shape = shape_tuple(input_shape, kernel_shape)
        bias_shape = [out_chan if c == "C" else 1 for c in out_spec]
        k1, k2 = split(rng)
        W, b = W_init(k1, kernel_shape), b_init(k2, bias_shape)
        return output_shape, (W, b)

    def apply_fun(params, inputs, **kwargs):
        W, b = params
        return apply(inputs, W) + b

    return init_fun, apply_fun


def GeneralConv(
    dimension_numbers,
    out_chan,
    filter_shape,
    strides=None,
    padding="VALID",
    W_init=None,
    b_init=normal(1e-6),  # noqa: B008 (as JAX)
):
    """A general convolution layer (dimension_numbers as lax's string triple)."""
    one = (1,) * len(filter_shape)
    strides = strides or one
    return _conv_layer(
        dimension_numbers,
        out_chan,
        filter_shape,
        W_init,
        b_init,
        lambda shape, kernel: conv_general_shape_tuple(
            shape, kernel, strides, padding, dimension_numbers
        ),
        lambda x, W: conv_general_dilated(
            x, W, strides, padding, one, one, dimension_numbers=dimension_numbers
        ),
    )


Conv = functools.partial(GeneralConv, ("NHWC", "HWIO", "NHWC"))


def GeneralConvTranspose(
    dimension_numbers,
    out_chan,
    filter_shape,
    strides=None,
    padding="VALID",
    W_init=None,
    b_init=normal(1e-6),  # noqa: B008 (as JAX)
):
    """A general transposed-convolution layer."""
    strides = strides or (1,) * len(filter_shape)
    return _conv_layer(
        dimension_numbers,
        out_chan,
        filter_shape,
        W_init,
        b_init,
        lambda shape, kernel: conv_transpose_shape_tuple(
            shape, kernel, strides, padding, dimension_numbers
        ),
        lambda x, W: conv_transpose(x, W, strides, padding, dimension_numbers=dimension_numbers),
    )


Conv1DTranspose = functools.partial(GeneralConvTranspose, ("NHC", "HIO", "NHC"))
ConvTranspose = functools.partial(GeneralConvTranspose, ("NHWC", "HWIO", "NHWC"))


def _pooling_layer(reducer, init_val, rescaler=None):
    def PoolingLayer(window_shape, strides=None, padding="VALID", spec=None):
        """A pooling layer (reduce_window over the spatial dimensions)."""
        strides = strides or (1,) * len(window_shape)
        rescale = rescaler(window_shape, strides, padding) if rescaler else None

        if spec is None:
            non_spatial_axes = 0, len(window_shape) + 1
        else:
            non_spatial_axes = spec.index("N"), spec.index("C")

        for i in sorted(non_spatial_axes):
            window_shape = window_shape[:i] + (1,) + window_shape[i:]
            strides = strides[:i] + (1,) + strides[i:]

        def init_fun(rng, input_shape):
            padding_vals = padtype_to_pads(input_shape, window_shape, strides, padding)
            ones = (1,) * len(window_shape)
            out_shape = reduce_window_shape_tuple(
                input_shape, window_shape, strides, padding_vals, ones, ones
            )
            return out_shape, ()

        def apply_fun(params, inputs, **kwargs):
            out = reduce_window(inputs, init_val, reducer, window_shape, strides, padding)
            return rescale(out, inputs, spec) if rescale else out

        return init_fun, apply_fun

    return PoolingLayer


MaxPool = _pooling_layer(lax_max, -np.inf)
SumPool = _pooling_layer(add, 0.0)


def _normalize_by_window_size(dims, strides, padding):
    def rescale(outputs, inputs, spec):
        if spec is None:
            non_spatial_axes = 0, inputs.ndim - 1
        else:
            non_spatial_axes = spec.index("N"), spec.index("C")

        spatial_shape = tuple(
            inputs.shape[i] for i in range(inputs.ndim) if i not in non_spatial_axes
        )
        one = _ones(spatial_shape, dtype=inputs.dtype)
        window_sizes = reduce_window(one, 0.0, add, dims, strides, padding)
        for i in sorted(non_spatial_axes):
            window_sizes = expand_dims(window_sizes, i)
        return outputs / window_sizes

    return rescale


AvgPool = _pooling_layer(add, 0.0, _normalize_by_window_size)


def BatchNorm(
    axis=(0, 1, 2), epsilon=1e-5, center=True, scale=True, beta_init=zeros, gamma_init=ones
):
    """Batch normalization over `axis` (statistics of the batch itself; no
    running averages, as in JAX's stax)."""

    def _beta_init(rng, shape):
        return beta_init(rng, shape) if center else ()

    def _gamma_init(rng, shape):
        return gamma_init(rng, shape) if scale else ()

    axis = (axis,) if ndim(axis) == 0 else axis

    def init_fun(rng, input_shape):
        shape = tuple(d for i, d in enumerate(input_shape) if i not in axis)
        k1, k2 = split(rng)
        return input_shape, (_beta_init(k1, shape), _gamma_init(k2, shape))

    def apply_fun(params, x, **kwargs):
        beta, gamma = params
        ed = tuple(None if i in axis else slice(None) for i in range(ndim(x)))
        z = standardize(x, axis, epsilon=epsilon)
        if center and scale:
            return gamma[ed] * z + beta[ed]
        if center:
            return z + beta[ed]
        if scale:
            return gamma[ed] * z
        return z

    return init_fun, apply_fun


def elementwise(fun, **fun_kwargs):
    """A layer applying `fun` to its inputs (no parameters)."""

    def init_fun(rng, input_shape):
        return input_shape, ()

    def apply_fun(params, inputs, **kwargs):
        return fun(inputs, **fun_kwargs)

    return init_fun, apply_fun


Tanh = elementwise(tanh)
Relu = elementwise(relu)
Exp = elementwise(exp)
LogSoftmax = elementwise(log_softmax, axis=-1)
Softmax = elementwise(softmax, axis=-1)
Softplus = elementwise(softplus)
Sigmoid = elementwise(sigmoid)
Elu = elementwise(elu)
LeakyRelu = elementwise(leaky_relu)
Selu = elementwise(selu)
Gelu = elementwise(gelu)


def _flatten_layer():
    def init_fun(rng, input_shape):
        return (input_shape[0], math.prod(input_shape[1:])), ()

    def apply_fun(params, inputs, **kwargs):
        return reshape(inputs, (inputs.shape[0], -1))

    return init_fun, apply_fun


Flatten = _flatten_layer()  # all but the leading dimension


def _identity_layer():
    def init_fun(rng, input_shape):
        return input_shape, ()

    def apply_fun(params, inputs, **kwargs):
        return inputs

    return init_fun, apply_fun


Identity = _identity_layer()


def FanOut(num):
    """Copies its input into a list of `num` outputs."""

    def init_fun(rng, input_shape):
        return [input_shape] * num, ()

    def apply_fun(params, inputs, **kwargs):
        return [inputs] * num

    return init_fun, apply_fun


def _fan_in_sum_layer():
    def init_fun(rng, input_shape):
        return input_shape[0], ()

    def apply_fun(params, inputs, **kwargs):
        return sum(inputs)

    return init_fun, apply_fun


FanInSum = _fan_in_sum_layer()


def FanInConcat(axis=-1):
    """Concatenates a list of inputs along `axis`."""

    def init_fun(rng, input_shape):
        ax = axis % len(input_shape[0])
        concat_size = sum(shape[ax] for shape in input_shape)
        out_shape = input_shape[0][:ax] + (concat_size,) + input_shape[0][ax + 1 :]
        return out_shape, ()

    def apply_fun(params, inputs, **kwargs):
        return concatenate(inputs, axis)

    return init_fun, apply_fun


def Dropout(rate, mode="train"):
    """Keeps each input with probability `rate` (scaled by 1/rate) in
    'train' mode; the identity otherwise. apply_fun needs rng=."""

    def init_fun(rng, input_shape):
        return input_shape, ()

    def apply_fun(params, inputs, **kwargs):
        rng = kwargs.get("rng", None)
        if rng is None:
            raise ValueError(
                "Dropout layer requires apply_fun to be called with a PRNG key "
                "argument. That is, instead of `apply_fun(params, inputs)`, call "
                "it like `apply_fun(params, inputs, rng)` where `rng` is a "
                "PRNG key (e.g. from `jax.random.key`)."
            )
        if mode == "train":
            keep = bernoulli(rng, rate, inputs.shape)
            return where(keep, inputs / rate, 0)
        return inputs

    return init_fun, apply_fun


# ---------------------------------------------------------------------------
# Combinators
# ---------------------------------------------------------------------------


def serial(*layers):
    """The layers composed in sequence."""
    nlayers = len(layers)
    init_funs, apply_funs = zip(*layers)

    def init_fun(rng, input_shape):
        params = []
        for layer_init in init_funs:
            rng, layer_rng = split(rng)
            input_shape, param = layer_init(layer_rng, input_shape)
            params.append(param)
        return input_shape, params

    def apply_fun(params, inputs, **kwargs):
        rng = kwargs.pop("rng", None)
        rngs = split(rng, nlayers) if rng is not None else (None,) * nlayers
        for fun, param, layer_rng in zip(apply_funs, params, rngs):
            inputs = fun(param, inputs, rng=layer_rng, **kwargs)
        return inputs

    return init_fun, apply_fun


def parallel(*layers):
    """The layers side by side: a list of inputs to a list of outputs
    (often between FanOut and FanInSum/FanInConcat)."""
    nlayers = len(layers)
    init_funs, apply_funs = zip(*layers)

    def init_fun(rng, input_shape):
        rngs = split(rng, nlayers)
        return zip(*[init(r, shape) for init, r, shape in zip(init_funs, rngs, input_shape)])

    def apply_fun(params, inputs, **kwargs):
        rng = kwargs.pop("rng", None)
        rngs = split(rng, nlayers) if rng is not None else (None,) * nlayers
        return [f(p, x, rng=r, **kwargs) for f, p, x, r in zip(apply_funs, params, inputs, rngs)]

    return init_fun, apply_fun


def shape_dependent(make_layer):
    """A layer built by `make_layer(input_shape)` once the shape is known."""

    def init_fun(rng, input_shape):
        return make_layer(input_shape)[0](rng, input_shape)

    def apply_fun(params, inputs, **kwargs):
        return make_layer(inputs.shape)[1](params, inputs, **kwargs)

    return init_fun, apply_fun


__all__ = [
    "AvgPool",
    "BatchNorm",
    "Conv",
    "Conv1DTranspose",
    "ConvTranspose",
    "Dense",
    "Dropout",
    "Elu",
    "Exp",
    "FanInConcat",
    "FanInSum",
    "FanOut",
    "Flatten",
    "Gelu",
    "GeneralConv",
    "GeneralConvTranspose",
    "Identity",
    "LeakyRelu",
    "LogSoftmax",
    "MaxPool",
    "Relu",
    "Selu",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "SumPool",
    "Tanh",
    "elementwise",
    "glorot",
    "logsoftmax",
    "parallel",
    "randn",
    "serial",
    "shape_dependent",
]
