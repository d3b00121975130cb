"""The image floor: jax.image's resampling (`scale`: resize,
scale_and_translate, ResizeMethod), built from numpy and lax ops.

May import: `numpy`, `transforms`, `lax`, `runtime`, `sharding`, `core` (the
level of `nn` and `scipy`).
"""
