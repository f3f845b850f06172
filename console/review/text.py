"""Text as typed or pasted from a document, in one form the checklist reads: lines, blocks and sentences.

A draft pasted from Word or Google Docs carries bullets ("•", "●", ""), tabs after bullets and numbers,
non-breaking and zero-width spaces, line and paragraph separators and curly quotes. `paste` turns them
into what a typed draft holds ("- " bullets, "1. " numbers, plain spaces, newlines) and keeps the words and
the quotes; `tidy` does the same and straightens the quotes, for reading. Pure functions.
"""

from __future__ import annotations

import re

__all__ = ["paste", "sentences", "tidy", "words"]

_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "‟": '"',
                         "″": '"', "«": '"', "»": '"'})
# A bullet of a word processor or a typed one, at the start of a line, then spaces or a tab.
_BULLET = re.compile(r"^([ \t]*)(?:[•●▪◦■□○◆◇➢➤►▶✓✔·‣⁃∙\uf0b7\uf0a7\uf076\uf0d8\uf0fc]|[–—*+]|-(?!-)|o(?=\t))[ \t]+",
                     re.M)
_NUMBER_TAB = re.compile(r"^([ \t]*)(\(?(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})[.)])\t+", re.M)
_LEADING_TABS = re.compile(r"^\t+", re.M)


def _indent(m: re.Match[str]) -> str:
    return m.group(1).replace("\t", "  ")


def paste(text: str) -> str:
    """A pasted document as a typed draft: bullets as "- ", numbers as "1. ", plain spaces and newlines,
    no trailing blanks, at most one empty line in a row; words and quotes as they were."""
    if not text:
        return ""
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", _SPACES.sub(" ", text))
    text = _BULLET.sub(lambda m: _indent(m) + "- ", text)
    text = _NUMBER_TAB.sub(lambda m: _indent(m) + m.group(2) + " ", text)
    text = _LEADING_TABS.sub(lambda m: "  " * len(m.group()), text)
    lines = [line.replace("\t", " ").rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or not out or out[-1]:
            out.append(line)
    return "\n".join(out)


def tidy(text: str) -> str:
    """`paste`, with curly quotes made straight: the form every check reads."""
    return paste(text).translate(_QUOTES) if text else ""


_ABBREVIATIONS = r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bno)(?<!\bnos)(?<!\binc)(?<!\bltd)(?<!\bco)(?<!\bst)" \
                 r"(?<!\bmr)(?<!\bmrs)(?<!\bms)(?<!\bdr)(?<!\bvs)(?<!\bapprox)(?<!\bu\.s)(?<!\bfig)(?<!\bref)"
_SENTENCE_END = re.compile(_ABBREVIATIONS + r"[.!?]+[\"')\]]*(?=\s|$)", re.I)


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph (its lines joined), each with its closing punctuation; pieces of fewer
    than two words are kept with the next sentence."""
    flat = " ".join(text.split())
    out, start = [], 0
    for m in _SENTENCE_END.finditer(flat):
        piece = flat[start : m.end()].strip()
        if len(words(piece)) >= 2:
            out.append(piece)
            start = m.end()
    rest = flat[start:].strip()
    if rest:
        if out and len(words(rest)) < 2:
            out[-1] += " " + rest
        else:
            out.append(rest)
    return out


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def words(text: str) -> list[str]:
    return _WORD.findall(text)
