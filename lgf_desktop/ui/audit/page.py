"""The Audits section: choose an audit; scoring, moderation, findings, charts, conflicts, the cases
and auditors and the audit's details (dates, links) in tabs;
the immediate-concern banner above them all; packages, returns and the brief exported in a worker."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QTabWidget, QVBoxLayout, QWidget,
)
from sqlalchemy import select

from ...db import Database
from ...exchange.senders import coordinator_key, person_key
from ...exports.brief_pdf import write_brief
from ...importing import import_file
from ...models import Assignment, Audit, Grade
from ...paths import documents_folder
from ...services.audit.cases import audit_summaries, create_audit, shipped_scales
from ...services.audit.exchange import export_return, issue_package
from ...services.audit.merge import unresolved_conflicts
from ...services.privacy.leaving import Finding, Place
from ..errors import show_error
from ..identifying_dialog import run_guarded
from ..my_key import open_then, passphrase_if_no_key, unlock_then
from ..tasks import run_task
from .charts import ChartsView
from .concerns import ConcernBanner
from .conflicts import ConflictsView
from .details import DetailsView, date_edit, date_of
from .findings import FindingsView
from .moderation import ModerationView
from .scoring_view import ScoringView
from .setup import SetupView


def _file_name(text: str) -> str:
    return re.sub(r"[^\w\- ]+", "", text).strip()[:60] or "audit"


class NewAuditDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New multi-agency audit")
        self.theme = QLineEdit(placeholderText="e.g. Neglect, Children missing education")
        self.quarter = QLineEdit(placeholderText="e.g. 2025-26 Q3")
        self.start = date_edit("Start date")
        self.end = date_edit("End date")
        self.scale = QComboBox()
        self.scale.addItems(list(shipped_scales()))
        form = QFormLayout(self)
        form.addRow("Theme", self.theme)
        form.addRow("Quarter", self.quarter)
        form.addRow("Start date", self.start)
        form.addRow("End date", self.end)
        form.addRow("Grading scale", self.scale)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class AuditsPage(QWidget):
    def __init__(self, db: Database, notify: Callable[[str], None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.notify = notify or (lambda table: None)
        self.audit_id: int | None = None
        self.is_auditor_copy = False

        self.chooser = QComboBox()
        self.chooser.setMinimumWidth(420)
        self.new_button = QPushButton("New…")
        self.issue_button = QPushButton("Issue packages…")
        self.import_button = QPushButton("Import…")
        self.return_button = QPushButton("Export my return…")
        self.brief_button = QPushButton("Learning brief…")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.import_button.setToolTip("Open a package from the coordinator, or merge an auditor's return (.lgfx)")
        self.brief_button.setToolTip("Export the one-page learning brief (PDF)")
        top = QHBoxLayout()
        top.addWidget(QLabel("Audit"))
        top.addWidget(self.chooser, 1)
        for button in (self.new_button, self.issue_button, self.import_button, self.return_button, self.brief_button):
            top.addWidget(button)

        self.banner = ConcernBanner(db, self.changed)
        self.scoring = ScoringView(db)
        self.moderation = ModerationView(db)
        self.findings = FindingsView(db)
        self.charts = ChartsView(db)
        self.conflicts = ConflictsView(db, self.changed)
        self.setup = SetupView(db, self.changed)
        self.details = DetailsView(db, self.changed)
        self.tabs = QTabWidget()
        for widget, title in ((self.scoring, "Scoring"), (self.moderation, "Moderation"), (self.findings, "Findings"),
                              (self.charts, "Charts"), (self.conflicts, "Conflicts"), (self.setup, "Cases and auditors"),
                              (self.details, "Audit details")):
            self.tabs.addTab(widget, title)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

        self.chooser.currentIndexChanged.connect(self._chosen)
        self.tabs.currentChanged.connect(lambda _: self._load_tab())
        self.new_button.clicked.connect(self.new_audit)
        self.issue_button.clicked.connect(self.issue_packages)
        self.import_button.clicked.connect(self.import_exchange)
        self.return_button.clicked.connect(self.export_my_return)
        self.brief_button.clicked.connect(self.export_brief)
        self.refresh()

    # ----- loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the list of audits and the current one (after any change)."""
        with self.db.session() as session:
            items = []
            for row in audit_summaries(session):
                a = row.audit
                flag = "⚠ " if row.open_concerns else ""
                copy = "  (auditor's copy)" if a.is_auditor_copy else ""
                items.append((f"{flag}{a.theme} — {a.quarter}  ·  {row.percent}% graded{copy}", a.id))
        keep = self.audit_id
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for text, audit_id in items:
            self.chooser.addItem(text, audit_id)
            self.chooser.setItemData(self.chooser.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        # A long theme is cut in the box: the list opens wide enough for it, and the tooltip has it all.
        self.chooser.view().setMinimumWidth(self.chooser.view().sizeHintForColumn(0) + 24)
        self.chooser.setCurrentIndex(max(0, self.chooser.findData(keep)))
        self.chooser.setToolTip(self.chooser.currentText())
        self.chooser.blockSignals(False)
        self._chosen()

    def _chosen(self) -> None:
        self.audit_id = self.chooser.currentData()
        self.chooser.setToolTip(self.chooser.currentText())
        if self.audit_id is None:
            self.banner.hide()
            self.status.setText("No audits yet: choose New audit…, or import a package an audit coordinator sent you.")
            for button in (self.issue_button, self.return_button, self.brief_button):
                button.setEnabled(False)
            return
        with self.db.session() as session:
            audit = session.get(Audit, self.audit_id)
            self.is_auditor_copy = audit.is_auditor_copy
            conflicts = len(unresolved_conflicts(session, audit))
        coordinator = not self.is_auditor_copy
        self.issue_button.setEnabled(coordinator)
        self.brief_button.setEnabled(coordinator)
        self.return_button.setEnabled(self.is_auditor_copy)
        for widget in (self.moderation, self.findings, self.conflicts, self.setup, self.details):
            self.tabs.setTabVisible(self.tabs.indexOf(widget), coordinator)
        self.tabs.setTabText(self.tabs.indexOf(self.conflicts), f"Conflicts ({conflicts})" if conflicts else "Conflicts")
        self.banner.load(self.audit_id, coordinator)
        self.scoring.load(self.audit_id)
        self._load_tab()

    def _load_tab(self) -> None:
        widget = self.tabs.currentWidget()
        if self.audit_id is not None and widget is not self.scoring and hasattr(widget, "load"):
            widget.load(self.audit_id)

    def changed(self) -> None:
        self.notify("audit")
        self.refresh()

    def save(self) -> None:
        self.scoring.save()
        self.findings.save()
        self.details.save()

    def flush(self) -> bool:
        """Save and wait (the window is closing): False while a text is not in the database."""
        if not all([self.findings.flush(), self.scoring.panel.flush(), self.details.flush()]):
            return False
        self.db.journal.window_closed("audit")  # a proper close: the next start reopens nothing
        return True

    @property
    def problem(self) -> str:
        return self.scoring.panel.problem or self.findings.problem or self.details.problem

    # ----- actions ------------------------------------------------------------------------------
    def new_audit(self) -> None:
        dialog = NewAuditDialog(self)
        while dialog.exec() == QDialog.DialogCode.Accepted:  # a refusal brings the dialog back as it was
            try:
                with self.db.session() as session:
                    audit = create_audit(session, dialog.theme.text(), dialog.quarter.text(),
                                         start_date=date_of(dialog.start), end_date=date_of(dialog.end),
                                         scale_name=dialog.scale.currentText())
                    self.audit_id = audit.id
            except Exception as exc:  # noqa: BLE001
                show_error(self, exc)
                continue
            self.changed()
            return

    def _run(self, what: str, work: Callable[[], str]) -> None:
        """Run ``work`` in the background; its sentence (or the error) is shown when done."""
        self._started(what)
        run_task(lambda progress: work(), self._finished)

    def _started(self, what: str) -> None:
        self.save()
        self.status.setText(f"{what}…")
        self.setEnabled(False)

    def _finished(self, result: Any, error: BaseException | None) -> None:
        self.setEnabled(True)
        if error is not None:
            self.status.setText("")
            show_error(self, error)
            return
        self.status.setText(str(result) if result is not None else "Nothing was written.")
        self.changed()

    def _run_leaving(self, what: str, work: Callable[..., str]) -> None:
        """Like ``_run`` for a file that leaves the machine: ``work(override)`` is refused while the
        identifying-data check finds something, until the person has seen each finding and chosen
        Send anyway (``identifying_dialog``)."""
        self._started(what)
        unlock_then(self, lambda: run_guarded(self, work, self._finished, go_to=self.go_to, remove=self._remove_everywhere,
                                              clean=self._clean_backups))

    def go_to(self, place: Place) -> bool:
        """Show where a finding was typed: a grade's evidence or a case summary in the scoring grid,
        the audit's own texts on the Audit details tab."""
        with self.db.session() as session:
            grade = session.scalar(select(Grade).where(Grade.uuid == place.uuid)) if place.uuid else None
            assignment = session.scalar(select(Assignment).where(Assignment.uuid == place.uuid)) if place.uuid else None
            target = (grade.id, None) if grade else (None, assignment.id) if assignment else None
            audit_text = place.table == "audit" or session.scalar(select(Audit.id).where(Audit.uuid == place.uuid))
        if target is not None:
            self.tabs.setCurrentWidget(self.scoring)
            return self.scoring.show_answer(*target)
        if audit_text and not self.is_auditor_copy:
            self.tabs.setCurrentWidget(self.details)
            return True
        return False

    def _remove_everywhere(self, finding: Finding):
        from ...services.privacy.removal import remove_everywhere

        return remove_everywhere(self.db, finding.text, kind=finding.kind)

    def _clean_backups(self, backups: list, value: str) -> int:
        from ...services.privacy.removal import scrub_backups

        return scrub_backups(self.db, backups, value)

    def issue_packages(self, folder: str | None = None) -> None:
        folder = folder or QFileDialog.getExistingDirectory(self, "Folder for the auditors' packages",
                                                            str(documents_folder()))
        if not folder or self.audit_id is None:
            return
        audit_id, db = self.audit_id, self.db
        from ..recipients import RecipientsDialog, recipients_for

        with db.session() as session:
            recipients = recipients_for(session, [(a.person, "auditor") for a in session.get(Audit, audit_id).auditors
                                                  if a.assignments])
        go, passphrase = RecipientsDialog.ask(self, db, recipients, "each auditor's package")
        if not go:
            return

        def work(override: bool, progress: Any = None) -> str:
            written = []
            with db.session() as session:
                audit = session.get(Audit, audit_id)
                for auditor in audit.auditors:
                    if auditor.assignments:
                        name = f"{_file_name(audit.theme)} {audit.quarter} - {_file_name(auditor.person.name)}.lgfx"
                        issue_package(session, auditor, Path(folder) / name, author=db.user,
                                      override_identifying=override, passphrase=passphrase)
                        written.append(auditor.person.name)
            return f"Wrote {len(written)} package(s) to {folder}: {', '.join(written)}."

        self._run_leaving("Writing the auditors' packages", work)

    def import_exchange(self, path: str | None = None) -> None:
        path = path or QFileDialog.getOpenFileName(self, "Import a package or return", "", "LGF exchange files (*.lgfx)")[0]
        if path:
            open_then(self, path, lambda opening: self._run("Importing", lambda: import_file(self.db, path, opening=opening)))

    def export_my_return(self, path: str | None = None) -> None:
        path = path or QFileDialog.getSaveFileName(self, "Save your return", str(documents_folder() / "my-return.lgfx"),
                                                   "LGF exchange files (*.lgfx)")[0]
        if not path or self.audit_id is None:
            return
        audit_id = self.audit_id
        with self.db.session() as session:
            known = coordinator_key(session, session.get(Audit, audit_id)) is not None
        go, passphrase = passphrase_if_no_key(self, [] if known else ["the audit coordinator"])
        if not go:
            return

        def work(override: bool, progress: Any = None) -> str:
            with self.db.session() as session:
                export_return(session, session.get(Audit, audit_id), path, override_identifying=override,
                              passphrase=passphrase)
            return f"Wrote your return to {path}; send it to the audit coordinator."

        self._run_leaving("Writing your return", work)

    def export_brief(self, path: str | None = None) -> None:
        path = path or QFileDialog.getSaveFileName(self, "Save the learning brief",
                                                   str(documents_folder() / "learning-brief.pdf"), "PDF (*.pdf)")[0]
        if not path or self.audit_id is None:
            return
        audit_id = self.audit_id

        def work(override: bool, progress: Any = None) -> str:
            with self.db.export_session(override) as session:
                write_brief(session, session.get(Audit, audit_id), path, override_identifying=override)
            return f"Wrote the one-page learning brief to {path}."

        self._run_leaving("Writing the learning brief", work)

