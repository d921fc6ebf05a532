"""The shared base of the small table models, checked with Qt's model tester."""

from __future__ import annotations

from PySide6.QtCore import Qt

from lgf_desktop.ui.audit.findings import RowsModel


def test_rows_model_counts_rows_and_headers(qtmodeltester) -> None:
    model = RowsModel(["No.", "Recommendation", "For"])
    qtmodeltester.check(model)
    model.set_rows([["1", "Share the training offer", "NW ICB"], ["2", "Observe in-house training", "Pathways"]])
    qtmodeltester.check(model)
    assert (model.rowCount(), model.columnCount()) == (2, 3)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Recommendation"
    assert model.headerData(3, Qt.Orientation.Horizontal) is None
    assert model.data(model.index(1, 2)) == "Pathways"
