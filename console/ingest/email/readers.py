"""Message files, mboxes, Maildirs and folders (gzip or not) read from disk: `detect_format`,
`read_message` and `iter_messages`, each message parsed by `parse_bytes`."""

from __future__ import annotations

import gzip
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from console.core.textsafe import one_line
from console.ingest.email.headers import KNOWN_HEADERS
from console.ingest.email.parse import parse_bytes, strip_envelope
from console.ingest.email.records import MAX_MESSAGE_BYTES, ImportFailure, ParsedEmail


def read_message(path: Path | str) -> bytes | ImportFailure:
    """One message file's bytes (decompressed when gzip), or why not: what `iter_messages(path, "eml")`
    reads before it parses, with the same failures (found by opening it: no checks ahead of it)."""
    try:
        return _read(path)
    except (FileNotFoundError, NotADirectoryError) as exc:
        # What iter_messages says of a missing path; a broken symbolic link is one it tries to read.
        return ImportFailure(str(path), _os_reason(exc) if os.path.islink(path) else "no such file or folder")
    except IsADirectoryError:
        return ImportFailure(str(path), "is a folder, not an eml file")
    except Exception as exc:
        return ImportFailure(str(path), _os_reason(exc))


_GZIP_MAGIC = b"\x1f\x8b"
_HEADER_LINE = re.compile(rb"^([!-9;-~]+)[ \t]*:")
_JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")


def _looks_like_headers(head: bytes) -> bool:
    """A header block at the start: the first line is a header and a known header name occurs."""
    head = strip_envelope(head)
    lines = head.split(b"\n")
    if not lines or not _HEADER_LINE.match(lines[0]):
        return False
    for line in lines[:200]:
        if not line.strip(b"\r"):
            break
        m = _HEADER_LINE.match(line)
        if m and m.group(1).decode("ascii", "replace").lower() in KNOWN_HEADERS:
            return True
    return False


def _head(path: Path, size: int = 65536) -> bytes:
    with open(path, "rb") as fh:
        head = fh.read(size)
    if head.startswith(_GZIP_MAGIC):
        with gzip.open(path, "rb") as gz:
            head = gz.read(size)
    return head


def detect_format(path: Path) -> str | None:
    """"eml" | "mbox" | "maildir" | "folder" | "json" | None; a .gz file is judged by its content."""
    path = Path(path)
    try:
        if path.is_dir():
            return "maildir" if (path / "cur").is_dir() and (path / "new").is_dir() else "folder"
        if not path.is_file():
            return None
        if path.name.lower().endswith(_JSON_SUFFIXES):
            return "json"
        head = _head(path)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile):
        return None
    body = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if body[:1] in (b"{", b"["):
        return "json"
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"From "):
        return "mbox"
    return "eml" if _looks_like_headers(head) else None


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    if isinstance(exc, EOFError | zlib.error | gzip.BadGzipFile):
        return f"corrupt gzip: {one_line(str(exc), 200) or type(exc).__name__}"
    return one_line(f"cannot read: {exc}", 300)


def _read(path: Path | str) -> bytes:
    """The file's bytes, decompressed when gzip; capped at MAX_MESSAGE_BYTES + 1.

    Never read(cap) at once: read(n) sets aside n bytes first, and setting aside 100 MB for each small
    message file costs more than parsing it."""
    with open(path, "rb") as fh:
        data = fh.read(_FIRST_READ)
        if data[:2] == _GZIP_MAGIC:
            fh.seek(0)
            with gzip.GzipFile(fileobj=fh) as gz:
                return _read_capped(gz)
        if len(data) == _FIRST_READ:  # more to come
            data += _read_capped(fh, MAX_MESSAGE_BYTES + 1 - len(data))
        return data


_FIRST_READ = 1 << 16  # a whole notice, nearly always


def _read_capped(fh, cap: int = MAX_MESSAGE_BYTES + 1) -> bytes:
    """Up to `cap` bytes of a stream, read a megabyte at a time."""
    chunks: list[bytes] = []
    left = cap
    while left > 0:
        chunk = fh.read(min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _from_eml(path: Path) -> Iterator[ParsedEmail | ImportFailure]:
    try:
        data = _read(path)
    except Exception as exc:
        yield ImportFailure(str(path), _os_reason(exc))
        return
    yield parse_bytes(data, str(path))


_FROM_LINE = re.compile(rb"^From \S+\s+\S.*\d{4}\s*$")
_ESCAPED_FROM = re.compile(rb"^>(>*From )")


def _from_mbox(path: Path) -> Iterator[ParsedEmail | ImportFailure]:
    """Messages split on "From " lines that follow a blank line (or look like a From_ line)."""
    origin = str(path)
    try:
        with open(path, "rb") as raw:
            magic = raw.read(2)
            raw.seek(0)
            fh = gzip.GzipFile(fileobj=raw) if magic == _GZIP_MAGIC else raw
            yield from _split_mbox(fh, origin)
    except Exception as exc:
        yield ImportFailure(origin, _os_reason(exc))


def _split_mbox(lines: Iterable[bytes], origin: str) -> Iterator[ParsedEmail | ImportFailure]:
    index = 0
    chunk: list[bytes] = []
    size = 0
    too_big = False
    started = False
    prev_blank = True

    def finish(last: bool) -> ParsedEmail | ImportFailure | None:
        name = f"{origin}#{index}"
        if too_big:
            return ImportFailure(name, f"message too large (over {MAX_MESSAGE_BYTES // (1024 * 1024)} MB)")
        data = b"".join(chunk)
        if last and not re.search(rb"\r?\n\r?\n", data) and data.strip():
            return ImportFailure(name, "truncated mbox: last message has no body")
        return parse_bytes(data, name)

    for line in lines:
        if line.startswith(b"From ") and (prev_blank or _FROM_LINE.match(line)):
            if started:
                yield finish(last=False)
            elif any(c.strip() for c in chunk):
                yield ImportFailure(origin, "not an mbox: text before the first 'From ' line was skipped")
            index += 1
            started = True
            chunk, size, too_big = [], 0, False
            prev_blank = False
            continue
        prev_blank = not line.strip(b"\r\n")
        if too_big:
            continue
        size += len(line)
        if size > MAX_MESSAGE_BYTES:
            too_big, chunk = True, []
            continue
        chunk.append(_ESCAPED_FROM.sub(rb"\1", line))
    if started:
        yield finish(last=True)
    elif any(c.strip() for c in chunk):
        yield ImportFailure(origin, "not an mbox (no 'From ' line)")


def _from_maildir(path: Path) -> Iterator[ParsedEmail | ImportFailure]:
    if not path.is_dir():
        yield ImportFailure(str(path), "not a Maildir (not a folder)")
        return
    for sub in ("cur", "new"):
        folder = path / sub
        try:
            names = sorted(
                e.name for e in os.scandir(folder) if not e.name.startswith(".") and e.is_file(follow_symlinks=False)
            )
        except FileNotFoundError:
            continue
        except OSError as exc:
            yield ImportFailure(str(folder), _os_reason(exc))
            continue
        for name in names:
            yield from _from_eml(folder / name)


def _from_folder(path: Path) -> Iterator[ParsedEmail | ImportFailure]:
    """Every visible file, recursively and sorted; a Maildir inside is read as one (its tmp/ skipped)."""
    try:
        for root, dirs, files in os.walk(path, followlinks=False):
            here = Path(root)
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            if here != path and "cur" in dirs and "new" in dirs:
                dirs[:] = []
                yield from _from_maildir(here)
                continue
            for name in sorted(files):
                if not name.startswith("."):
                    yield from _from_file(here / name, "auto")
    except OSError as exc:
        yield ImportFailure(str(path), _os_reason(exc))


def _from_file(path: Path, fmt: str) -> Iterator[ParsedEmail | ImportFailure]:
    if fmt == "auto":
        try:
            with open(path, "rb"):
                pass
        except OSError as exc:
            yield ImportFailure(str(path), _os_reason(exc))
            return
        fmt = detect_format(path) or "eml"  # unknown content: parse_bytes says why it is not an email
    if fmt == "json":
        return
    yield from (_from_mbox(path) if fmt == "mbox" else _from_eml(path))


_FORMATS = ("auto", "eml", "mbox", "maildir", "folder")


def iter_messages(path: Path, fmt: str = "auto") -> Iterator[ParsedEmail | ImportFailure]:
    """Parsed messages (or per-file/per-message failures) from an .eml, mbox, Maildir, folder or .gz.

    `fmt` forces the kind ("eml", "mbox", "maildir", "folder"); "auto" detects it. JSON files are
    skipped (see `detect_format`). Bad input never raises; an unknown `fmt` raises ValueError at once.
    """
    if fmt not in _FORMATS:
        raise ValueError(f"unknown email format {fmt!r}; expected one of {', '.join(_FORMATS)}")
    return _iter(Path(path), fmt)


def _iter(path: Path, fmt: str) -> Iterator[ParsedEmail | ImportFailure]:
    try:
        exists = path.exists() or path.is_symlink()
    except OSError as exc:
        yield ImportFailure(str(path), _os_reason(exc))
        return
    if not exists:
        yield ImportFailure(str(path), "no such file or folder")
        return
    if fmt == "auto":
        fmt = "maildir" if detect_format(path) == "maildir" else ("folder" if path.is_dir() else "auto")
    if fmt == "maildir":
        yield from _from_maildir(path)
    elif fmt == "folder" or path.is_dir():
        if fmt in ("eml", "mbox"):
            yield ImportFailure(str(path), f"is a folder, not an {fmt} file")
            return
        yield from _from_folder(path)
    else:
        yield from _from_file(path, fmt)
