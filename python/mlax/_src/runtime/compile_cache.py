"""The on-disk compile cache: entries that verify themselves.

A cache file can be damaged in ways mlax does not control (a full disk, a
killed copy, a bad sync, another tool), and a damaged compiled module must
never be loaded: it would fail on every call, or run the wrong program. So
each entry carries what it takes to recognise it as whole and as the answer
to the question asked:

    magic b"MLAXC\\0\\r\\n" (8 bytes; the CR/LF catch text-mode mangling)
    u32 format version
    u32 key length, key (the full cache key, ASCII)
    u64 payload length
    32-byte SHA-256 of the payload
    payload

(all integers big-endian). An entry that fails any check is a miss: it is
removed, one warning names it, and the caller recompiles. Writes go to a
temporary file in the same directory and are renamed into place, so a
reader (in this or another process) sees either no entry or a whole one.

A cache directory that cannot be written (read-only, missing and not
creatable, a full disk) turns the disk cache off for this process, with one
warning naming the directory; compiling goes on.
"""

import hashlib
import os
import struct
import tempfile
import threading
import warnings

MAGIC = b"MLAXC\0\r\n"
FORMAT_VERSION = 1
SUFFIX = ".mlaxc"
_HEADER = struct.Struct(">8sII")
_LENGTH = struct.Struct(">Q")
_DIGEST_SIZE = 32

_lock = threading.Lock()
# Directories found unwritable in this process: no more writes there.
_disabled_dirs = set()


class CacheWarning(RuntimeWarning):
    """A compile-cache entry was discarded or the cache directory is unusable."""


def entry_path(cache_dir, key):
    return os.path.join(cache_dir, key[:2], key + SUFFIX)


def encode_entry(key, payload):
    key_bytes = key.encode("ascii")
    return b"".join(
        [
            _HEADER.pack(MAGIC, FORMAT_VERSION, len(key_bytes)),
            key_bytes,
            _LENGTH.pack(len(payload)),
            hashlib.sha256(payload).digest(),
            payload,
        ]
    )


def decode_entry(data, key):
    """The payload of a whole entry written for `key`; else raises
    ValueError saying what is wrong with it."""
    if len(data) < _HEADER.size:
        raise ValueError(f"truncated header ({len(data)} bytes)")
    magic, version, key_len = _HEADER.unpack_from(data, 0)
    if magic != MAGIC:
        raise ValueError("not an mlax cache entry (bad magic)")
    if version != FORMAT_VERSION:
        raise ValueError(f"format version {version}, expected {FORMAT_VERSION}")
    offset = _HEADER.size
    stored_key = data[offset : offset + key_len]
    offset += key_len
    if stored_key != key.encode("ascii"):
        raise ValueError("written for another key")
    if len(data) < offset + _LENGTH.size + _DIGEST_SIZE:
        raise ValueError("truncated header")
    (length,) = _LENGTH.unpack_from(data, offset)
    offset += _LENGTH.size
    digest = data[offset : offset + _DIGEST_SIZE]
    offset += _DIGEST_SIZE
    payload = data[offset:]
    if len(payload) != length:
        raise ValueError(f"payload of {len(payload)} bytes, header says {length}")
    if hashlib.sha256(payload).digest() != digest:
        raise ValueError("checksum mismatch")
    return payload


def read(cache_dir, key):
    """The cached payload for `key`, or None (no entry, or a damaged one,
    which is removed with a warning)."""
    path = entry_path(cache_dir, key)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return None
    except OSError:
        return None  # unreadable: a miss; the write that follows says why
    try:
        return decode_entry(data, key)
    except ValueError as damage:
        discard(path, str(damage))
        return None


def discard(path, why):
    """Removes a damaged entry; one warning per entry."""
    try:
        os.remove(path)
    except OSError:
        pass
    warnings.warn(
        f"mlax: discarded a damaged compile-cache entry {path} ({why}); recompiling",
        CacheWarning,
        stacklevel=2,
    )


def write(cache_dir, key, payload):
    """Writes the entry atomically. Returns False (after one warning per
    directory) when the cache directory cannot take it."""
    with _lock:
        if cache_dir in _disabled_dirs:
            return False
    path = entry_path(cache_dir, key)
    tmp = None
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(encode_entry(key, payload))
        os.replace(tmp, path)
        return True
    except OSError as error:
        if tmp is not None:
            try:
                os.remove(tmp)
            except OSError:
                pass
        with _lock:
            first = cache_dir not in _disabled_dirs
            _disabled_dirs.add(cache_dir)
        if first:
            warnings.warn(
                f"mlax: the compile cache directory {cache_dir} cannot be written "
                f"({error.strerror or error}); running without the disk cache",
                CacheWarning,
                stacklevel=2,
            )
        return False


def is_disabled(cache_dir):
    with _lock:
        return cache_dir in _disabled_dirs
