"""Files that hold secrets (a source's password, alert URLs with tokens in them): read only when nobody but
their owner can read them, else refused in one line, the way ssh refuses a private key others can read."""

from __future__ import annotations

import os


def read_private(path: str, what: str, limit: int = 1 << 20) -> str:
    """The text of the file at `path` (~ expanded), at most `limit` bytes. ValueError, one line naming `what`
    ("alerts urls_file", "source shared: password_file") and the path, if it cannot be read or its mode lets
    anyone else read it."""
    path = os.path.expanduser(path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise ValueError(f"{what} {path}: cannot read: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode & 0o777
        if mode & 0o077:
            raise ValueError(f"{what} {path} is readable by others (mode {mode:04o}): refused; make it 0600 "
                             f"(chmod 600 {path})")
        data = os.read(fd, limit)
    finally:
        os.close(fd)
    return data.decode("utf-8", "replace")
