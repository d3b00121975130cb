"""An MNIST-like classifier with stax and optimizers.adam, as in JAX's
examples/mnist_classifier.py, on synthetic data drawn from a PRNGKey.

Replace `mlax` with `jax` throughout (sed 's/mlax/jax/g') and it runs
under JAX and prints the same losses (mlax.random is bit-exact with
jax.random, so the data and initial parameters are the same).
"""

import mlax
import mlax.numpy as jnp
from mlax import random
from mlax.example_libraries import optimizers, stax

NUM_CLASSES, IMAGE_SIZE = 10, 8 * 8
NUM_EXAMPLES, BATCH_SIZE, EPOCHS = 1024, 128, 8


def synthetic_data(key):
    """Images: a class template plus noise; labels uniform over classes."""
    k_templates, k_labels, k_noise = random.split(key, 3)
    templates = random.normal(k_templates, (NUM_CLASSES, IMAGE_SIZE))
    labels = random.randint(k_labels, (NUM_EXAMPLES,), 0, NUM_CLASSES)
    images = templates[labels] + 2.0 * random.normal(k_noise, (NUM_EXAMPLES, IMAGE_SIZE))
    return images, mlax.nn.one_hot(labels, NUM_CLASSES)


init_random_params, predict = stax.serial(
    stax.Dense(128), stax.Relu, stax.Dense(64), stax.Relu, stax.Dense(NUM_CLASSES), stax.LogSoftmax
)


def loss(params, batch):
    inputs, targets = batch
    return -jnp.mean(jnp.sum(predict(params, inputs) * targets, axis=1))


def accuracy(params, batch):
    inputs, targets = batch
    return jnp.mean(jnp.argmax(predict(params, inputs), axis=1) == jnp.argmax(targets, axis=1))


opt_init, opt_update, get_params = optimizers.adam(1e-3)


@mlax.jit
def update(i, opt_state, batch):
    value, grads = mlax.value_and_grad(loss)(get_params(opt_state), batch)
    return value, opt_update(i, grads, opt_state)


def main():
    data_key, init_key, shuffle_key = random.split(random.PRNGKey(0), 3)
    images, labels = synthetic_data(data_key)
    _, params = init_random_params(init_key, (-1, IMAGE_SIZE))
    opt_state = opt_init(params)
    num_batches = NUM_EXAMPLES // BATCH_SIZE
    step = 0
    for epoch in range(EPOCHS):
        order = random.permutation(random.fold_in(shuffle_key, epoch), NUM_EXAMPLES)
        total = 0.0
        for b in range(num_batches):
            idx = order[b * BATCH_SIZE : (b + 1) * BATCH_SIZE]
            value, opt_state = update(step, opt_state, (images[idx], labels[idx]))
            total += float(value)
            step += 1
        acc = float(accuracy(get_params(opt_state), (images, labels)))
        print(f"epoch {epoch}: loss {total / num_batches:.6f}  train accuracy {acc:.4f}")


if __name__ == "__main__":
    main()
