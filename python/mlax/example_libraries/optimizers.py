"""mlax.example_libraries.optimizers: as jax.example_libraries.optimizers."""

from .._src.example_libraries.optimizers import (  # noqa: F401
    JoinPoint,
    Optimizer,
    OptimizerState,
    adagrad,
    adam,
    adamax,
    clip_grads,
    constant,
    exponential_decay,
    inverse_time_decay,
    l2_norm,
    make_schedule,
    momentum,
    nesterov,
    optimizer,
    pack_optimizer_state,
    piecewise_constant,
    polynomial_decay,
    rmsprop,
    rmsprop_momentum,
    safe_map,
    safe_zip,
    sgd,
    sm3,
    unpack_optimizer_state,
    unzip2,
)
from .._src.example_libraries.optimizers import safe_map as map  # noqa: F401
from .._src.example_libraries.optimizers import safe_zip as zip  # noqa: F401
