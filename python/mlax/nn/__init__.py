"""mlax.nn: jax.nn's functions: the activations (relu ... gelu, glu),
logsumexp/log_softmax/softmax/logmeanexp/standardize, one_hot,
dot_product_attention (the 'xla' path), and `initializers`."""

from .._src.nn.activations import (  # noqa: F401
    celu,
    elu,
    gelu,
    glu,
    hard_sigmoid,
    hard_silu,
    hard_swish,
    hard_tanh,
    identity,
    leaky_relu,
    log1mexp,
    log_sigmoid,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    soft_sign,
    softplus,
    sparse_plus,
    sparse_sigmoid,
    squareplus,
    swish,
    tanh,
)
from .._src.nn.attention import dot_product_attention  # noqa: F401
from .._src.nn.functions import (  # noqa: F401
    log_softmax,
    logmeanexp,
    logsumexp,
    one_hot,
    softmax,
    standardize,
)
from . import initializers  # noqa: F401
