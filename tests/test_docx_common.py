"""The shared Word helpers: text cleaning, bullet lines, tables built row by row."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn

from lgf_desktop.exports.docx_common import Cell, StyleIds, TableBuilder, add_text, clean_text, new_document, text_blocks


def test_clean_text_keeps_lines_and_drops_what_word_cannot_read():
    assert clean_text("a\x0bb\x0cc\r\nd\re") == "a\nb\nc\nd\ne"
    assert clean_text("x\x00\x01\x08\x1f\x7f\ufffey\tz") == "xy\tz"
    assert clean_text("half \ud800surrogate") == "half surrogate"
    assert clean_text(None) == "" and clean_text(3) == "3"


def test_text_blocks_recognise_bullets_and_ticks():
    assert text_blocks("Intro\n\n- one\n• two\n-not a bullet\n✓ tick") == [
        ("para", "Intro"), ("bullet", "one"), ("bullet", "two"), ("para", "-not a bullet"), ("tick", "tick")]


def test_a_row_must_cover_the_grid_and_merges_are_written(tmp_path):
    document = new_document(title="T", header_text="H")
    table = TableBuilder(document, (3, 4, 5))
    with pytest.raises(ValueError):
        table.row([Cell("a"), Cell("b", span=3)])
    table.header(("A", "B", "C"))
    table.row([Cell("x", merge="restart"), Cell("y", span=2, label="Label:")])
    table.row([Cell(merge="continue"), "p", "q\n- r"])
    path = tmp_path / "t.docx"
    document.save(str(path))
    read = docx.Document(str(path)).tables[0]
    trs = read._tbl.tr_lst
    assert [tc.grid_span for tc in trs[1].tc_lst] == [1, 2]
    assert [tc.vMerge for tc in (trs[1].tc_lst[0], trs[2].tc_lst[0])] == ["restart", "continue"]
    assert read.rows[2].cells[0].text == "x"  # the merged cell reads as one
    assert read.rows[1].cells[1].paragraphs[0].runs[0].bold and read.rows[1].cells[1].text == "Label: y"
    assert [p.style.name for p in read.rows[2].cells[2].paragraphs] == ["Normal", "List Bullet"]
    assert trs[0].trPr.find(qn("w:tblHeader")) is not None


def test_add_text_into_the_body_goes_before_the_section_properties(tmp_path):
    document = new_document(title="T", header_text="H")
    add_text(document.element.body, StyleIds(document), "one\n- two")
    assert document.element.body[-1].tag == qn("w:sectPr")
    assert [p.text for p in document.paragraphs] == ["one", "two"]
