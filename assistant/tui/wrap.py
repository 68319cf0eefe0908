"""Line breaking for mixed Chinese and English text.

Rich and Textual break lines only at spaces. Chinese has none, so a sentence such as
"从事 PET/CT 的医学影像和放射治疗……" is one long "word": it is pushed whole to the next line,
leaving the first nearly empty, or folded through the middle of "PET/CT". Here every wide
(CJK) character is a break opportunity of its own, Latin words stay whole, widths are measured
in terminal cells, and the usual rules for Chinese punctuation hold: a line does not start
with a closing mark (，。、）…) nor end with an opening one (（《“).

``Wrapped`` is a Rich renderable that applies this at whatever width the widget has, so it can
be handed to a Textual ``Static`` in place of a ``Text``; styles and spans are kept.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

NO_START = set("，。、；：？！）》」』】〕〉”’…·%％,.;:?!)]}>、")
NO_END = set("（《「『【〔〈“‘([{<")

_UNIT = re.compile(r"\s+|[^\s]")


def _units(line: str) -> list[tuple[int, int]]:
    """(start, end) of each unbreakable unit: a run of spaces, one wide character, or a run of
    narrow non-space characters (a Latin word or number)."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch.isspace():
            j = i
            while j < n and line[j].isspace():
                j += 1
        elif get_character_cell_size(ch) == 2:
            j = i + 1
        else:
            j = i
            while j < n and not line[j].isspace() and get_character_cell_size(line[j]) != 2:
                j += 1
        out.append((i, j))
        i = j
    return out


def break_offsets(line: str, width: int) -> list[int]:
    """Offsets at which to break one line (no newlines in it) to fit ``width`` cells."""
    width = max(1, width)
    if cell_len(line) <= width:
        return []
    units = _units(line)
    breaks: list[int] = []
    start_unit = 0  # index into units of the first unit on the current line
    used = 0
    k = 0
    while k < len(units):
        s, e = units[k]
        piece = line[s:e]
        w = cell_len(piece)
        if piece.isspace():
            used += w  # trailing spaces may hang past the edge; they are trimmed
            k += 1
            continue
        if used + w <= width or k == start_unit:
            if w > width:  # a word longer than a line: fold it by characters
                pos, acc = s, used
                for idx in range(s, e):
                    cw = get_character_cell_size(line[idx])
                    if acc + cw > width and idx > pos:
                        breaks.append(idx)
                        pos, acc = idx, 0
                    acc += cw
                used = acc
                start_unit = k
            else:
                used += w
            k += 1
            continue
        # Break before unit k, honouring the punctuation rules where the line allows it.
        b = k
        if piece[0] in NO_START and b - 1 > start_unit:
            b -= 1  # carry the previous character down with the closing mark
        while b - 1 > start_unit and line[units[b - 1][0]] in NO_END:
            b -= 1
        while b < len(units) and line[units[b][0] : units[b][1]].isspace():
            b += 1  # a line never starts with spaces
        if b >= len(units):
            break
        breaks.append(units[b][0])
        start_unit = b
        used = 0
        k = b
    return breaks


def wrap(text: Text, width: int) -> list[Text]:
    """``text`` broken into lines of at most ``width`` cells, styles kept."""
    lines: list[Text] = []
    for hard in text.split("\n", allow_blank=True):
        offsets = break_offsets(hard.plain, width)
        if not offsets:
            hard.rstrip()
            lines.append(hard)
            continue
        for piece in hard.divide(offsets):
            piece.rstrip()
            lines.append(piece)
    return lines


class Wrapped:
    """A Rich renderable: ``Text`` wrapped with ``wrap`` at the width it is given; with
    ``hang``, lines after the first are indented by that many cells (a list row's text under
    its text, not under its number)."""

    def __init__(self, text: Text, hang: int = 0) -> None:
        self.text = text
        self.hang = hang

    @property
    def plain(self) -> str:
        return self.text.plain

    def __str__(self) -> str:
        return self.text.plain

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        lines = wrap(self.text.copy(), width)
        if self.hang and len(lines) > 1 and "\n" not in self.text.plain and width > self.hang + 4:
            first = lines[0]
            rest = self.text[len(first.plain) :]
            rest = rest[len(rest.plain) - len(rest.plain.lstrip()) :]
            lines = [first] + [Text(" " * self.hang) + line for line in wrap(rest, width - self.hang)]
        for line in lines:
            line.no_wrap = True
            line.overflow = "crop"
            line.end = "\n"
            yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((cell_len(line) for line in self.text.plain.split("\n")), default=0)
        return Measurement(min(4, longest), longest)
