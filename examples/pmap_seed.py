"""The pmap seed program of JAX's documentation, with mlax in place of jax.

Run with two CPU devices:
    MLAX_NUM_CPU_DEVICES=2 python examples/pmap_seed.py
JAX 0.10 prints [1.2110119 1.2357731].
"""

import mlax

if mlax.device_count() < 2:
    mlax.config.update("jax_num_cpu_devices", 2)

from mlax import pmap, random  # noqa: E402
import mlax.numpy as jnp  # noqa: E402

random_keys = random.split(random.PRNGKey(0), 2)
matrices = pmap(lambda key: random.normal(key, (5000, 6000)))(random_keys)
outputs = pmap(lambda x: jnp.dot(x, x.T))(matrices)
means = pmap(jnp.mean)(outputs)
print(means)
