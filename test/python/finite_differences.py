"""Central finite differences, the reference the derivative tests share."""

import numpy as np


def fd_grad(f, x, eps=1e-3):
    """d f / d x by central differences, element by element, in float64."""
    x = np.asarray(x, np.float64)
    g = np.zeros_like(x)
    for k in range(x.size):
        e = np.zeros_like(x)
        e.flat[k] = eps
        g.flat[k] = (f(x + e) - f(x - e)) / (2 * eps)
    return g
