"""The evidence locker's rules: which files an appeal may carry, what kind of document each is, and the
record of one attachment as every layer sees it.

A file is accepted when its extension names an accepted type (PDF, JPG/JPEG, PNG, GIF, TIFF), its first
bytes say it is that type (a renamed program or archive is refused), it is not empty and not over the size
limit (`[appeals] attachment_max_mb` in the settings). Every refusal is one line naming the file and the
reason (`AttachmentError`). The kinds, the types and their magic bytes are data:
console/core/data/attachments.toml.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from console.core.errors import StoreError
from console.core.textsafe import one_line

DATA = Path(__file__).parent / "data" / "attachments.toml"
DEFAULT_MAX_MB = 10
ASIN = re.compile(r"^[A-Z0-9]{10}$")


class AttachmentError(StoreError):
    """A file refused by the locker: one line naming it and why."""


@dataclass(frozen=True)
class FileType:
    id: str
    label: str
    mime: str
    extensions: tuple[str, ...]
    magic: tuple[bytes, ...]


@dataclass(frozen=True)
class Rules:
    kinds: dict[str, str]  # id -> label, in the order offered
    shorts: dict[str, str]  # id -> a label for a narrow list
    aliases: dict[str, str]  # another spelling -> id
    types: tuple[FileType, ...]
    others: tuple[tuple[bytes, str], ...]

    def by_extension(self, ext: str) -> FileType | None:
        ext = ext.lower().lstrip(".")
        return next((t for t in self.types if ext in t.extensions), None)

    def sniff(self, head: bytes) -> FileType | None:
        return next((t for t in self.types if any(head.startswith(m) for m in t.magic)), None)

    def what(self, head: bytes) -> str:
        """What the first bytes look like, for a refusal."""
        found = self.sniff(head)
        if found is not None:
            return f"a {found.label}"
        for magic, label in self.others:
            if head.startswith(magic):
                return label
        return "something else"

    @property
    def accepted(self) -> str:
        return ", ".join("/".join(e.upper() for e in t.extensions) for t in self.types)


@lru_cache(maxsize=1)
def rules() -> Rules:
    with open(DATA, "rb") as f:
        data = tomllib.load(f)
    types = tuple(FileType(t["id"], t["label"], t["mime"], tuple(t["extensions"]),
                           tuple(bytes.fromhex(m) for m in t["magic"])) for t in data["type"])
    others = tuple((bytes.fromhex(k), v) for k, v in data.get("others", {}).items())
    aliases = {a: k["id"] for k in data["kind"] for a in k.get("aliases", ())}
    return Rules({k["id"]: k["label"] for k in data["kind"]}, {k["id"]: k.get("short", k["label"]) for k in data["kind"]},
                 aliases, types, others)


def kinds() -> dict[str, str]:
    """The kinds of document, id -> label, in the order the forms offer them."""
    return dict(rules().kinds)


def kind_label(kind: str) -> str:
    return rules().kinds.get(kind, kind)


@dataclass(frozen=True)
class Attachment:
    """One file attached to an appeal (the link; the bytes live once per content, by sha256)."""
    id: int
    appeal_id: int
    name: str  # the file's name as attached (cleaned, one line)
    kind: str  # an id of kinds()
    doc_date: date | None  # the document's own date (an invoice's date), not when it was attached
    asins: tuple[str, ...]
    size: int
    mime: str
    sha256: str
    added_at: str = ""
    added_by: str = ""
    added_by_os: str | None = None

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def kind_short(self) -> str:
        return rules().shorts.get(self.kind, self.kind)

    @property
    def extension(self) -> str:
        return Path(self.name).suffix.lower() or {t.mime: "." + t.extensions[0] for t in rules().types}.get(
            self.mime, "")


def parse_date(text: str | None, today: date | None = None) -> date | None:
    """A document date as YYYY-MM-DD (None for an empty one); not after `today`."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        found = date.fromisoformat(text)
    except ValueError:
        raise AttachmentError(f"date {one_line(text, 30)!r}: write it as YYYY-MM-DD") from None
    if today is not None and found > today:
        raise AttachmentError(f"date {found.isoformat()} is after today ({today.isoformat()}): the document's "
                              "own date, please")
    return found


def parse_asins(values) -> tuple[str, ...]:
    """ASINs from options or a comma/space-separated field: upper-cased, each 10 letters or digits, no repeats."""
    out: list[str] = []
    for value in values or ():
        for piece in re.split(r"[\s,;]+", str(value)):
            piece = piece.strip().upper()
            if not piece:
                continue
            if not ASIN.match(piece):
                raise AttachmentError(f"ASIN {one_line(piece, 30)!r}: an ASIN is 10 letters or digits (B0...)")
            if piece not in out:
                out.append(piece)
    return tuple(out)


def check_kind(kind: str) -> str:
    """A kind's id from its id, label or an alias ("Supplier details", "loa")."""
    kind = (kind or "").strip().lower().replace(" ", "_").replace("-", "_")
    kind = rules().aliases.get(kind, kind)
    if kind not in rules().kinds:
        raise AttachmentError(f"kind {one_line(kind, 40)!r}: one of {', '.join(rules().kinds)}")
    return kind


def read_file(path: Path | str, max_bytes: int) -> tuple[bytes, FileType]:
    """The file's bytes and type, or AttachmentError naming the file and the reason: not an accepted type,
    its bytes not what its extension says, empty, over `max_bytes`, or not readable."""
    path = Path(path)
    name = one_line(path.name, 120) or one_line(str(path), 120)
    r = rules()
    wanted = r.by_extension(path.suffix)
    if wanted is None:
        shown = path.suffix.lower() or "no extension"
        raise AttachmentError(f"{name}: {shown} is not accepted; attach {r.accepted}")
    try:
        # Looked at before it is opened: opening a named pipe or a device could wait for ever.
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise AttachmentError(f"{name}: is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise AttachmentError(f"{name}: not a regular file")
        if st.st_size > max_bytes:
            raise AttachmentError(f"{name}: {size_text(st.st_size)}, over the limit of {size_text(max_bytes)}")
        with open(path, "rb") as f:
            content = f.read(max_bytes + 1)
    except AttachmentError:
        raise
    except OSError as exc:
        raise AttachmentError(f"{name}: cannot read it ({exc.strerror or exc})") from None
    if len(content) > max_bytes:  # it grew while being read
        raise AttachmentError(f"{name}: over the limit of {size_text(max_bytes)}")
    if not content:
        raise AttachmentError(f"{name}: the file is empty")
    if not any(content.startswith(m) for m in wanted.magic):
        raise AttachmentError(f"{name}: named {path.suffix.lower()} but holds {r.what(content[:16])}, "
                              f"not a {wanted.label}")
    return content, wanted


def max_bytes(settings: dict) -> int:
    """The per-file limit from the `[appeals]` settings (attachment_max_mb, default 10)."""
    return int(float(settings.get("attachment_max_mb", DEFAULT_MAX_MB)) * 1024 * 1024)


def size_text(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB"
