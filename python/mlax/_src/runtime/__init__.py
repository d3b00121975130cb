"""The runtime floor: devices, `Array` and `device_put`, the compile
worker and the compile caches, and executables.

`devices` owns the IREE HAL devices, `array` the device arrays,
`compiler` the pass pipelines from mlax IR to an IREE module and its
caches (`compile_cache` on disk, `compile_worker` the child process that
runs IREE's compiler), `executable` a module loaded on a device.

May import: `core` only (never `lax`, `numpy` or `transforms`). It
registers core's runtime hooks (`core.hooks.device_put`,
`core.hooks.on_top_level_trace`).
"""
