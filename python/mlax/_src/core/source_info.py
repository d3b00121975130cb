"""Source locations: errors and IR point at the user's line, not mlax's."""

import os
import sys

# Frames in these folders are mlax's (or functools'), not the user's.
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_SKIP_DIRS = (_PACKAGE_DIR, os.path.dirname(os.path.abspath(__import__("functools").__file__)))


def _first_user_frame(frame):
    """(frame, how many frames up from `frame`) of the first frame outside
    mlax, or (None, 0)."""
    level = 0
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(_SKIP_DIRS) and not filename.startswith("<frozen"):
            return frame, level
        frame, level = frame.f_back, level + 1
    return None, 0


def user_frame():
    frame, _ = _first_user_frame(sys._getframe(1))
    return ("<unknown>", 0) if frame is None else (frame.f_code.co_filename, frame.f_lineno)


def user_stacklevel():
    """The warnings.warn stacklevel, counted from the caller of this
    function, that points a warning at the user's line."""
    frame, level = _first_user_frame(sys._getframe(1))
    return 1 if frame is None else level + 1


def source_info():
    filename, line = user_frame()
    return f"{filename}:{line}"


def user_error(exc_type, message):
    """An exception whose message ends with the user's source line."""
    return exc_type(f"{message}\n  (at {source_info()})")


# ---------------------------------------------------------------------------
