"""When a file about to leave holds identifying data: the list of findings, each to be looked at.

``run_guarded`` runs an export on the worker thread; if the identifying-data check refuses it, the
findings dialog lists each finding (what, where, the words around it). "Go to" takes the person to
where it was typed (when the screen that started the export knows how), "Remove everywhere…" takes
the value out of the database and its history. "Send anyway" is enabled only once every finding has
been looked at (selected); choosing it runs the export again with the override, which the service
records in the change history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from ..services.privacy.leaving import Finding, IdentifyingDataFound, Place
from .errors import show_error
from .tasks import run_task

SEEN = "✓ "
UNSEEN = "• "


class FindingsDialog(QDialog):
    """Each finding of the check; "Send anyway" once all have been seen."""

    def __init__(self, refusal: IdentifyingDataFound, parent: QWidget | None = None, *,
                 go_to: Callable[[Place], bool] | None = None,
                 remove: Callable[[Finding], Any] | None = None,
                 clean: Callable[[list, str], int] | None = None) -> None:
        """``remove(finding)`` returns the ``Removal`` (what was done, which backups still hold the
        value); ``clean(backups, value)`` cleans those backups the same way."""
        super().__init__(parent)
        self.setWindowTitle("Identifying data found")
        self.findings = refusal.findings
        self._go_to = go_to
        self._remove = remove
        self._clean = clean
        self.seen: set[int] = set()
        self.removed = ""
        intro = QLabel(f"{refusal.what} holds {len(self.findings)} thing(s) that look like identifying data. "
                       "Look at each one (select it). Remove it where it was typed, or — if it may be sent — "
                       "choose Send anyway: that is recorded in the change history.")
        intro.setWordWrap(True)
        self.list = QListWidget()
        for finding in self.findings:
            QListWidgetItem(self._text(finding, seen=False), self.list)
        self.list.setMinimumWidth(560)
        self.list.setWordWrap(True)
        self.go_button = QPushButton("&Go to")
        self.go_button.setEnabled(go_to is not None)
        self.remove_button = QPushButton("&Remove everywhere…")
        self.remove_button.setEnabled(remove is not None)
        self.buttons = QDialogButtonBox()
        self.send_button = self.buttons.addButton("&Send anyway", QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.setEnabled(False)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(self.go_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.list.currentRowChanged.connect(self._looked_at)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.go_button.clicked.connect(self.go_to_current)
        self.remove_button.clicked.connect(self.remove_current)
        self.resize(680, 320)

    @staticmethod
    def _text(finding: Finding, *, seen: bool) -> str:
        return f"{SEEN if seen else UNSEEN}{finding.kind} “{finding.text}” — {finding.place.label}\n    {finding.context}"

    def _looked_at(self, row: int) -> None:
        if 0 <= row < len(self.findings):
            self.seen.add(row)
            self.list.item(row).setText(self._text(self.findings[row], seen=True))
        self.send_button.setEnabled(len(self.seen) == len(self.findings))

    def current(self) -> Finding | None:
        row = self.list.currentRow()
        return self.findings[row] if 0 <= row < len(self.findings) else None

    def go_to_current(self) -> None:
        finding = self.current()
        if finding is not None and self._go_to is not None and self._go_to(finding.place):
            self.reject()  # the person edits the text; the export is started again afterwards

    def remove_current(self) -> None:
        finding = self.current()
        if finding is None or self._remove is None:
            return
        answer = QMessageBox.question(
            self, "Remove everywhere",
            f"Replace “{finding.text}” with [removed] in every text of this database and in its change "
            "history? This cannot be undone.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.setEnabled(False)
        remove = self._remove

        def removed(removal: Any, error: BaseException | None) -> None:
            self.setEnabled(True)
            if error is not None:
                show_error(self, error)
                return
            self.removed = removal.sentence()
            holding = list(getattr(removal, "backups_holding", []))
            if holding and self._clean is not None:
                answer = QMessageBox.question(
                    self, "Remove everywhere",
                    f"{self.removed}\n\nClean {'that backup' if len(holding) == 1 else f'those {len(holding)} backups'} "
                    "too? Each is rewritten the same way, so the value is in no copy of this database.")
                if answer == QMessageBox.StandardButton.Yes:
                    self.setEnabled(False)
                    clean = self._clean
                    run_task(lambda progress: clean(holding, finding.text), cleaned)
                    return
            QMessageBox.information(self, "Remove everywhere", self.removed)
            self.reject()  # the file must be made again from the cleaned text

        def cleaned(count: Any, error: BaseException | None) -> None:
            self.setEnabled(True)
            if error is not None:
                show_error(self, error)
            else:
                self.removed += f" {count} backup(s) were cleaned too."
                QMessageBox.information(self, "Remove everywhere", self.removed)
            self.reject()

        # Rewriting the database file (VACUUM) takes longer than the UI thread may be busy.
        run_task(lambda progress: remove(finding), removed)


def run_guarded(parent: QWidget, work: Callable[..., Any], done: Callable[[Any, BaseException | None], None], *,
                on_progress: Callable[[int, int, str], None] | None = None,
                go_to: Callable[[Place], bool] | None = None, remove: Callable[[Finding], Any] | None = None,
                clean: Callable[[list, str], int] | None = None) -> None:
    """Run ``work(override, progress)`` on the worker thread, first without the override; on a
    refusal for identifying data, show the findings and — if the person chooses Send anyway — run it
    again with it. ``done`` gets the final result or error; ``(None, None)`` when they chose not to send."""

    def first(result: Any, error: BaseException | None) -> None:
        if isinstance(error, IdentifyingDataFound):
            dialog = FindingsDialog(error, parent, go_to=go_to, remove=remove, clean=clean)
            if ask_to_send(dialog):
                run_task(lambda progress: work(True, progress), done, on_progress)
                return
            done(None, None)
            return
        done(result, error)

    run_task(lambda progress: work(False, progress), first, on_progress)


def ask_to_send(dialog: FindingsDialog) -> bool:
    """Show the findings; True when the person chose Send anyway (tests replace this)."""
    return dialog.exec() == QDialog.DialogCode.Accepted
