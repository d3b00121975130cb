"""IREE compiles in a child process, so a compiler crash loses nothing.

IREE's compiler runs in-process through its C API; a crash there (IREE
3.13 segfaulted once on a data-tiled contraction mlax produced) would kill
the user's Python. mlax instead keeps one worker process (this file, run as
a script: it imports only iree.compiler) and sends it IR text and flags
over pipes. A worker that dies raises CompilerCrashed; the next compile
starts a new one. MLAX_COMPILE_IN_PROCESS=1 compiles in-process instead.

Protocol, all integers big-endian, strings as u32 length + bytes:
  request  = u64 id, key, u32 flag count, flags, u64 length + IR bytes
  response = u64 id, key, u8 status (0: ok, 1: compile error),
             32-byte SHA-256 of the payload, u64 length + payload
             (the VM flatbuffer, or the error text).
The parent accepts a response only if it carries the id and key of the
request it is waiting for and its payload matches the checksum. Ids grow,
so a response with a smaller id is a stale answer and is drained. Any
exception while a request is in flight (KeyboardInterrupt included) kills
the worker: its state is unknown, and the next compile starts a new one.

The worker ignores SIGINT (Ctrl-C reaches the whole process group; the
parent decides what an interrupt means) and exits quietly when its parent
goes away: at EOF on its input, on a broken pipe, or, on Linux, through
PR_SET_PDEATHSIG when the parent dies mid-compile.
"""

import hashlib
import itertools
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time


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


def _pack_str(data):
    return struct.pack(">I", len(data)) + data


def _test_delay():
    # A test hook: a compile that takes this many more seconds, so tests can
    # interrupt one deterministically.
    delay = os.environ.get("MLAX_TEST_COMPILE_DELAY")
    if delay:
        time.sleep(float(delay))


# Flags IREE's session API does not bind: they are process-wide LLVM
# options, set once through its global command line.
GLOBAL_FLAGS = ("--iree-global-opt-propagate-transposes",)
_global_flags_set = None


def _split_global_flags(flags):
    """(session flags, global flags); global ones are set once per process
    (IREE parses its global command line only once)."""
    global _global_flags_set
    session = [f for f in flags if not f.startswith(GLOBAL_FLAGS)]
    process = tuple(f for f in flags if f.startswith(GLOBAL_FLAGS))
    if _global_flags_set is None:
        # Recorded before the call: IREE aborts the process if its global
        # command line is parsed twice, and a Ctrl-C landing between the
        # call and the assignment would otherwise cause exactly that.
        _global_flags_set = process
        if process:
            from iree.compiler.api import ctypes_dl

            ctypes_dl._initializeGlobalCL("mlax", *process)
    elif process != _global_flags_set:
        raise ValueError(
            f"IREE's global flags are set once per process: {_global_flags_set}, not {process}"
        )
    return session


def compile_in_process(ir_bytes, flags):
    """(ok, vmfb bytes or error text) from IREE's compiler API."""
    from iree.compiler.api import Output, Session, Source

    _test_delay()
    session_flags = _split_global_flags(flags)
    session = Session()
    try:
        session.set_flags(*session_flags)
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


_MAX_DIAGNOSTICS = 8000


def _capturing_stderr(fn):
    """(fn(), what it wrote to file descriptor 2): IREE prints its
    diagnostics there from C++."""
    with tempfile.TemporaryFile() as tmp:
        saved = os.dup(2)
        os.dup2(tmp.fileno(), 2)
        try:
            result = fn()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        tmp.seek(0)
        return result, tmp.read()


_request_ids = itertools.count(1)


class Worker:
    """The parent's handle on one worker process."""

    def __init__(self):
        # run_path, not `python file`: the script's folder (mlax/_src, with
        # its array.py) must not shadow the standard library.
        runner = "import runpy, sys; runpy.run_path(sys.argv[1], run_name='__main__')"
        self.proc = subprocess.Popen(
            [sys.executable, "-u", "-c", runner, __file__, str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def compile(self, ir_bytes, flags, key):
        """(ok, payload) for this request; raises CompilerCrashed if the
        worker dies. Any exception leaves the worker killed."""
        request_id = next(_request_ids)
        try:
            self._send(request_id, ir_bytes, flags, key)
            return self._receive(request_id, key)
        except BaseException:
            self.kill()
            raise

    def _send(self, request_id, ir_bytes, flags, key):
        request = [struct.pack(">Q", request_id), _pack_str(key.encode())]
        request.append(struct.pack(">I", len(flags)))
        request += [_pack_str(flag.encode()) for flag in flags]
        request += [struct.pack(">Q", len(ir_bytes)), ir_bytes]
        try:
            self.proc.stdin.write(b"".join(request))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # a dead worker: reading the response finds EOF

    def _receive(self, request_id, key):
        while True:
            got_id, got_key, ok, payload = self._read_response()
            if got_id < request_id:
                continue  # a stale answer to an abandoned request
            if got_id != request_id or got_key != key.encode():
                raise CompilerCrashed(
                    f"the IREE compiler process answered request {got_id} "
                    f"while request {request_id} was waiting"
                )
            return ok, payload

    def _read_response(self):
        stdout = self.proc.stdout
        head = _read_exactly(stdout, 12)
        if head is None:
            code = self.proc.wait()
            raise CompilerCrashed(f"the IREE compiler process died (exit status {code})")
        got_id, key_len = struct.unpack(">QI", head)
        rest = _read_exactly(stdout, key_len + 1 + 32 + 8)
        if rest is None:
            raise CompilerCrashed("the IREE compiler process died mid-reply")
        got_key = rest[:key_len]
        status = rest[key_len]
        digest = rest[key_len + 1 : key_len + 33]
        (length,) = struct.unpack(">Q", rest[key_len + 33 :])
        payload = _read_exactly(stdout, length)
        if payload is None:
            raise CompilerCrashed("the IREE compiler process died mid-reply")
        if hashlib.sha256(payload).digest() != digest:
            raise CompilerCrashed("the IREE compiler process sent a damaged reply")
        return got_id, got_key, status == 0, payload

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            self.proc.wait()
        self.kill()  # closes the pipes


def _die_with_parent(parent_pid):
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL("libc.so.6").prctl(pr_set_pdeathsig, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent went away before prctl
        os._exit(0)


class _ParentGone(Exception):
    pass


def _serve():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if len(sys.argv) > 2:  # runpy's argv: ["-c", this file, parent pid]
        _die_with_parent(int(sys.argv[2]))
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer

    def need(n):
        data = _read_exactly(stdin, n)
        if data is None:
            raise _ParentGone
        return data

    def read_str():
        (n,) = struct.unpack(">I", need(4))
        return need(n)

    while True:
        head = _read_exactly(stdin, 8)
        if head is None:
            return
        (request_id,) = struct.unpack(">Q", head)
        key = read_str()
        (count,) = struct.unpack(">I", need(4))
        flags = [read_str().decode() for _ in range(count)]
        (n,) = struct.unpack(">Q", need(8))
        ir_bytes = need(n)
        try:
            (ok, payload), diagnostics = _capturing_stderr(
                lambda ir_bytes=ir_bytes, flags=flags: compile_in_process(ir_bytes, flags)
            )
        except Exception as error:  # an API error, not a crash: report it
            ok, payload, diagnostics = False, f"IREE compiler API error: {error}".encode(), b""
        if not ok and diagnostics:
            # IREE's diagnostics go into the CompileError (a failure the
            # parent retries with other flags then prints nothing).
            payload += b"\n" + diagnostics[-_MAX_DIAGNOSTICS:]
        elif diagnostics:
            os.write(2, diagnostics)
        stdout.write(
            struct.pack(">Q", request_id)
            + _pack_str(key)
            + struct.pack(">B", 0 if ok else 1)
            + hashlib.sha256(payload).digest()
            + struct.pack(">Q", len(payload))
            + payload
        )
        stdout.flush()


if __name__ == "__main__":
    try:
        _serve()
    except (_ParentGone, BrokenPipeError):
        # The parent went away mid-request or mid-reply. Exit quietly,
        # skipping the interpreter's flush of the dead pipe.
        os._exit(0)
