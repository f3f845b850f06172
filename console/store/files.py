"""The mode of the files and folders flagdesk creates beside a shared database.

An ops group shares the database through a setgid, group-writable folder (README, "Sharing one database
with an ops group"). A file made there must be group read-write whatever the creator's umask: SQLite
creates a database `0644 & ~umask` (so `0640` under `umask 007`), and gives its -wal and -shm files the
database file's mode. So flagdesk creates the database file itself, and its backups and safety copies,
with `shared_mode(folder)`:

- `0660` when the folder is setgid or group-writable (a folder meant for a group);
- `0600` otherwise;
- never any bit for "other": no file flagdesk makes is world-readable.

The mode is applied with `fchmod` after the create, so a umask cannot take the group bits away.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

GROUP_MODE = 0o660
PRIVATE_MODE = 0o600


def shared_mode(folder: Path | str) -> int:
    """The mode for a new file in `folder`: group read-write in a group's folder, else owner-only."""
    st = os.stat(folder)
    return GROUP_MODE if st.st_mode & (stat.S_ISGID | stat.S_IWGRP) else PRIVATE_MODE


def folder_of(path: Path | str) -> Path:
    parent = Path(path).parent
    return parent if str(parent) else Path(".")


def create_file(path: Path | str) -> bool:
    """Create `path` empty with `shared_mode` of its folder, unless something is there already (then it is
    left alone). True when this call created it. Other errors propagate (OSError)."""
    path = Path(path)
    mode = shared_mode(folder_of(path))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode)
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, mode)  # the umask took bits away from os.open's mode: put them back
    finally:
        os.close(fd)
    return True


def set_shared_mode(path: Path | str) -> None:
    """Give a file flagdesk just wrote (a temporary file from mkstemp, 0600) the mode of its folder."""
    os.chmod(path, shared_mode(folder_of(path)))


def make_folder(path: Path | str) -> bool:
    """Create the folder `path` (its parent must exist) with its parent's mode, setgid included, whatever
    the umask. True when this call created it; False when a folder is already there."""
    path = Path(path)
    parent_mode = stat.S_IMODE(os.stat(folder_of(path)).st_mode) & ~stat.S_ISUID
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        if path.is_dir():
            return False
        raise
    os.chmod(path, parent_mode)
    return True


def write_text(path: Path | str, text: str, encoding: str = "utf-8") -> None:
    """Write `text` to `path` (an export: a file the operator asked for by name) whole or not at all, with
    `shared_mode` of its folder: a temporary file beside it, then renamed over it."""
    write_bytes(path, text.encode(encoding))


def write_folder(dest: Path | str, contents: dict[str, bytes], force: bool = False,
                 stale: Callable[[str], bool] = lambda name: False) -> Path:
    """Write the files `contents` (name -> bytes) into the folder `dest`, whole or not at all: into a new
    folder beside it, renamed into place. A folder that holds anything is refused (FileExistsError, naming
    what it holds) unless `force`: then its files that `stale` says an earlier write left are removed and
    each new file replaces its namesake, one by one."""
    import shutil
    import tempfile

    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise NotADirectoryError(f"{dest}: is a file, not a folder")
    held = sorted(p.name for p in dest.iterdir()) if dest.is_dir() else []
    if held and not force:
        raise FileExistsError(f"{dest}: not empty ({len(held)} file{'s' if len(held) != 1 else ''}, "
                              f"{', '.join(held[:3])}{'…' if len(held) > 3 else ''})")
    if held:
        for name in held:
            if stale(name) and (dest / name).is_file():
                (dest / name).unlink()
        for name, data in contents.items():
            write_bytes(dest / name, data)
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".partial", dir=folder_of(dest)))
    try:
        # The owner's, and the group's when the parent is a group's folder (setgid kept); never other's.
        os.chmod(tmp, 0o700 | (os.stat(folder_of(dest)).st_mode & (stat.S_ISGID | 0o070)))
        for name, data in contents.items():
            write_bytes(tmp / name, data)
        if dest.is_dir():
            dest.rmdir()  # empty: the new folder takes its place
        os.rename(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def write_bytes(path: Path | str, data: bytes) -> None:
    """Write `data` to `path` whole or not at all, with `shared_mode` of its folder (see `write_text`)."""
    import tempfile

    path = Path(path)
    folder = folder_of(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        set_shared_mode(tmp)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
