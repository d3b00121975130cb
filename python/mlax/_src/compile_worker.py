"""IREE compiles in a child process, so a compiler crash loses nothing.

IREE's compiler runs in-process through its C API; a crash there (IREE
3.13 segfaulted once on a data-tiled contraction mlax produced) would kill
the user's Python. mlax instead keeps one worker process (this file, run as
a script: it imports only iree.compiler) and sends it IR text and flags
over pipes. A worker that dies raises CompilerCrashed; the next compile
starts a new one. MLAX_COMPILE_IN_PROCESS=1 compiles in-process instead.

Protocol, all lengths big-endian: request = u32 flag count, each flag as
u32 length + bytes, then u64 length + IR bytes; response = u8 status
(0: ok, 1: compile error) + u64 length + the VM flatbuffer or the error.
"""

import struct
import subprocess
import sys


class CompilerCrashed(RuntimeError):
    pass


def _read_exactly(stream, n):
    data = bytearray()
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def compile_in_process(ir_bytes, flags):
    """(ok, vmfb bytes or error text) from IREE's compiler API."""
    from iree.compiler.api import Output, Session, Source

    session = Session()
    try:
        session.set_flags(*flags)
        inv = session.invocation()
        source = Source.wrap_buffer(session, ir_bytes)
        if not (inv.parse_source(source) and inv.execute()):
            return (
                False,
                b"IREE failed to compile the lowered module (run with MLAX_DUMP_IR=1 to see it)",
            )
        out = Output.open_membuffer()
        inv.output_vm_bytecode(out)
        data = bytes(out.map_memory())
        out.close()
        inv.close()
        return True, data
    finally:
        session.close()


class Worker:
    """The parent's handle on one worker process."""

    def __init__(self):
        # run_path, not `python file`: the script's folder (mlax/_src, with
        # its array.py) must not shadow the standard library.
        runner = "import runpy, sys; runpy.run_path(sys.argv[1], run_name='__main__')"
        self.proc = subprocess.Popen(
            [sys.executable, "-u", "-c", runner, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def compile(self, ir_bytes, flags):
        """(ok, payload); raises CompilerCrashed if the worker dies."""
        request = [struct.pack(">I", len(flags))]
        for flag in flags:
            encoded = flag.encode()
            request += [struct.pack(">I", len(encoded)), encoded]
        request += [struct.pack(">Q", len(ir_bytes)), ir_bytes]
        try:
            self.proc.stdin.write(b"".join(request))
            self.proc.stdin.flush()
            header = _read_exactly(self.proc.stdout, 9)
        except (BrokenPipeError, OSError):
            header = None
        if header is None:
            code = self.proc.wait()
            raise CompilerCrashed(f"the IREE compiler process died (exit status {code})")
        status, length = struct.unpack(">BQ", header)
        payload = _read_exactly(self.proc.stdout, length)
        if payload is None:
            raise CompilerCrashed("the IREE compiler process died mid-reply")
        return status == 0, payload

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait()


def _serve():
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = _read_exactly(stdin, 4)
        if header is None:
            return
        (count,) = struct.unpack(">I", header)
        flags = []
        for _ in range(count):
            (n,) = struct.unpack(">I", _read_exactly(stdin, 4))
            flags.append(_read_exactly(stdin, n).decode())
        (n,) = struct.unpack(">Q", _read_exactly(stdin, 8))
        ok, payload = compile_in_process(_read_exactly(stdin, n), flags)
        stdout.write(struct.pack(">BQ", 0 if ok else 1, len(payload)) + payload)
        stdout.flush()


if __name__ == "__main__":
    _serve()
