"""The round's standards (title, wording, guidance) and its rating scale, edited per round. Saving
raises the form's version when anything changed, so forms sent out before are refused on import
(the organisation is sent the new form)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QTableWidget,
    QTableWidgetItem, QVBoxLayout,
)

from ...models import Round, Standard
from ...services.audit.cases import shipped_scales
from ...services.self_assessment.standards import edit_standard, set_scale, setup_of, standards_of

FIELDS = ("title", "wording", "guidance")


class StandardsDialog(QDialog):
    def __init__(self, page: Any, round_id: int) -> None:
        super().__init__(page)
        self.page, self.round_id = page, round_id
        self.setWindowTitle("Standards and rating scale")
        layout = QVBoxLayout(self)
        with page.db.session() as session:
            round_ = session.get(Round, round_id)
            setup = setup_of(session, round_)
            self.loaded = [(s.id, s.title, s.wording, s.guidance) for s in standards_of(session, round_)]
            scale_name, version = setup.scale_name, setup.form_version
        layout.addWidget(QLabel(f"The form is version {version}. Changing a standard or the scale makes a new "
                                "version: forms sent before it are refused on import, so send the new ones."))
        self.table = QTableWidget(len(self.loaded), 3)
        self.table.setHorizontalHeaderLabels(["Title", "Wording", "Guidance"])
        self.table.setAccessibleName("Standards")
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        for row, (_, *texts) in enumerate(self.loaded):
            for column, text in enumerate(texts):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 200)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("Rating scale"))
        self.scale = QComboBox()
        self.scale.addItems(list(shipped_scales()))
        self.scale.setCurrentText(scale_name)
        row.addWidget(self.scale, 1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1000, 560)

    def save(self) -> None:
        edits = []
        for row, (standard_id, *old) in enumerate(self.loaded):
            new = [self.table.item(row, column).text() for column in range(3)]
            if [n.strip() for n in new] != list(old):
                edits.append((standard_id, new))
        scale_name = self.scale.currentText()

        def apply(session) -> None:
            round_ = session.get(Round, self.round_id)
            for standard_id, (title, wording, guidance) in edits:
                edit_standard(session, session.get(Standard, standard_id), title=title, wording=wording,
                              guidance=guidance)
            set_scale(session, round_, scale_name)

        if self.page.apply(apply, "standard"):
            self.accept()
