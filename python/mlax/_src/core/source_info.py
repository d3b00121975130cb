"""Source locations: errors and IR point at the user's line, not mlax's."""

import os
import sys

# Frames in these folders are mlax's (or functools'), not the user's.
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_SKIP_DIRS = (_PACKAGE_DIR, os.path.dirname(os.path.abspath(__import__("functools").__file__)))


def user_frame():
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(_SKIP_DIRS) and not filename.startswith("<frozen"):
            return filename, frame.f_lineno
        frame = frame.f_back
    return "<unknown>", 0


def user_stacklevel():
    """The warnings.warn stacklevel, counted from the caller of this
    function, that points a warning at the user's line."""
    frame, level = sys._getframe(1), 1
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(_SKIP_DIRS) and not filename.startswith("<frozen"):
            return level
        frame, level = frame.f_back, level + 1
    return 1


def source_info():
    filename, line = user_frame()
    return f"{filename}:{line}"


def user_error(exc_type, message):
    """An exception whose message ends with the user's source line."""
    return exc_type(f"{message}\n  (at {source_info()})")


# ---------------------------------------------------------------------------
