"""mlax.example_libraries.stax: as jax.example_libraries.stax (convolution
and pooling layers raise NotImplementedError)."""

from .._src.example_libraries.stax import (  # noqa: F401
    AvgPool,
    BatchNorm,
    Conv,
    Conv1DTranspose,
    ConvTranspose,
    Dense,
    Dropout,
    Elu,
    Exp,
    FanInConcat,
    FanInSum,
    FanOut,
    Flatten,
    Gelu,
    GeneralConv,
    GeneralConvTranspose,
    Identity,
    LeakyRelu,
    LogSoftmax,
    MaxPool,
    Relu,
    Selu,
    Sigmoid,
    Softmax,
    Softplus,
    SumPool,
    Tanh,
    elementwise,
    glorot,
    logsoftmax,
    parallel,
    randn,
    serial,
    shape_dependent,
)

# The names jax's stax module imports and so exposes (jax.nn's functions
# and initializers), for programs that take them from stax.
from ..nn import (  # noqa: F401
    elu,
    gelu,
    leaky_relu,
    log_softmax,
    relu,
    selu,
    sigmoid,
    softmax,
    softplus,
    standardize,
)
from ..nn.initializers import glorot_normal, normal, ones, zeros  # noqa: F401
