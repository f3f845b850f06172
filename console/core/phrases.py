"""A phrase quoted from a notice as whole words: what a rule's stem matched ("deactivat") widened to the word the
notice wrote ("deactivated"). The reading quotes phrases so (console/core/reading.py); the Why line widens phrases
stored before it did (console/core/fates.py)."""

from __future__ import annotations


def _in_word(c: str) -> bool:
    """A letter of a word written with spaces between words (Latin, Greek, Cyrillic; not CJK, whose words run on)."""
    return c.isalnum() and ord(c) < 0x2E80


def whole_words(sentence: str, start: int, end: int) -> str:
    """sentence[start:end], widened at each end to the end of the word it cuts."""
    while start > 0 and start < len(sentence) and _in_word(sentence[start - 1]) and _in_word(sentence[start]):
        start -= 1
    while start < end < len(sentence) and _in_word(sentence[end]) and _in_word(sentence[end - 1]):
        end += 1
    return sentence[start:end]


def widen(sentence: str | None, phrase: str) -> str:
    """A stored phrase as whole words of its sentence (the phrase unchanged when the sentence does not hold it)."""
    at = sentence.find(phrase) if sentence and phrase else -1
    return phrase if at < 0 else whole_words(sentence, at, at + len(phrase))
