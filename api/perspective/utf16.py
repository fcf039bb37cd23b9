"""Offsets in UTF-16 code units, the unit of Perspective's ``SpanScore.begin``/``end`` ("The values are the
UTF-16 codepoint range"), so JavaScript clients (whose strings are UTF-16) slice the text right after an
emoji.

Python indexes code points; the two differ by one for every character outside the Basic Multilingual Plane
(emoji, some CJK, mathematical letters) before the offset: ``"Hi 😀 there"`` is 10 code points, 11 units.
"""

from __future__ import annotations

from bisect import bisect_left


class Utf16Offsets:
    """Code point offsets of one text <-> UTF-16 code unit offsets."""

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]  # code point positions
        self._units = [i + n for n, i in enumerate(self._astral)]  # their UTF-16 positions
        self.code_points = len(text)
        self.length = len(text) + len(self._astral)  # in UTF-16 code units

    def units(self, offset: int) -> int:
        """The UTF-16 offset of code point ``offset`` (0 <= offset <= len(text))."""
        return offset + bisect_left(self._astral, offset)

    def code_point(self, units: int) -> int | None:
        """The code point offset of UTF-16 offset ``units``; None inside a surrogate pair or out of range."""
        if not 0 <= units <= self.length:
            return None
        before = bisect_left(self._units, units)  # astral characters starting before this unit
        if before and self._units[before - 1] + 1 == units:
            return None  # between the two halves of a pair
        return units - before
