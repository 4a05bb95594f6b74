"""Steward's documents write any name, and carry their footer on every page."""

import io

from pypdf import PdfReader

from steward.core.pdf import StewardPDF


def test_a_document_writes_non_latin_names_and_numbers_its_pages():
    pdf = StewardPDF(title="Test", footer_text="Test document", compress=False)
    pdf.title_block("Reference for Tomasz Wiśniewski", "Restricted")
    pdf.heading("Ó Súilleabháin")
    for n in range(60):  # enough to need a second page
        pdf.pair(f"Question {n}", "Zoë Clarke-Bennett")
    reader = PdfReader(io.BytesIO(pdf.bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2
    assert "Wiśniewski" in text and "Ó Súilleabháin" in text and "Zoë" in text
    assert f"Test document – page 2 of {len(reader.pages)}" in text
    assert reader.metadata.title == "Test"
