"""Steward's printable documents (fpdf2): A4, with a title, headings, label-and-value
pairs and a page footer.

The core PDF fonts only cover Latin-1, which cannot write names such as
"Wiśniewski", so documents embed DejaVu Sans: a Unicode font that ships with
matplotlib, already one of Steward's dependencies.
"""

import logging
from pathlib import Path

from fpdf import FPDF

FONT = "DejaVu"
# Embedding a font subset logs every table at INFO: too much for the service's logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


class StewardPDF(FPDF):
    """One document: ``footer_text`` and the page number at the foot of every page."""

    def __init__(self, *, title: str, footer_text: str, compress: bool = True):
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.set_compression(compress)
        fonts = _font_dir()
        self.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_creator("Steward")
        self.set_auto_page_break(auto=True, margin=20)
        self.add_page()

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, "", 8)
        self.cell(0, 10, f"{self.footer_text} – page {self.page_no()} of {{nb}}", align="C")

    def _lines(self, height: float, text: str) -> None:
        self.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT", align="L")

    def title_block(self, title: str, subtitle: str, *, subtitle_size: int = 10) -> None:
        self.set_font(FONT, "B", 18)
        self._lines(9, title)
        self.set_font(FONT, "", subtitle_size)
        self._lines(6, subtitle)
        self.ln(4)

    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font(FONT, "B", 13)
        self._lines(8, text)
        self.ln(1)

    def pair(self, label: str, value: str) -> None:
        self.set_font(FONT, "B", 10)
        self._lines(6, label)
        self.set_font(FONT, "", 10)
        self._lines(6, value or "–")
        self.ln(2)

    def bytes(self) -> bytes:
        return bytes(self.output())
