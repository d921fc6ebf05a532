"""File → Partnership…: the partnership's name, region and logo, each saved as soon as it is changed
(the logo through ``services.partnership``, which keeps the picture in the database itself)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout,
)

from ...services import partnership as service
from ...services.review.rounds import the_partnership
from .common import Message, Page, button

PREVIEW_SIZE = (320, 128)
IMAGE_FILTER = "PNG or JPEG images (*.png *.jpg *.jpeg)"
TEMPLATE_FILTER = "Word documents or templates (*.docx *.dotx)"


def ask_logo_file(parent: Any) -> str:
    """Ask for an image file; "" when cancelled (tests replace this function)."""
    path, _ = QFileDialog.getOpenFileName(parent, "Choose the partnership's logo", str(Path.home()), IMAGE_FILTER)
    return path


def ask_template_file(parent: Any) -> str:
    """Ask for a Word document or template; "" when cancelled (tests replace this function)."""
    path, _ = QFileDialog.getOpenFileName(parent, "Choose the partnership's Word template", str(Path.home()),
                                          TEMPLATE_FILTER)
    return path


class PartnershipForm(Page):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setAccessibleName("Partnership name")
        self.name.setPlaceholderText("e.g. Westmoor Children's Partnership")
        self.name_error = Message(self)
        self.name.editingFinished.connect(self.save_name)
        form.addRow("Name", self.name)
        form.addRow("", self.name_error)
        self.region = QLineEdit()
        self.region.setAccessibleName("Region")
        self.region.setPlaceholderText("e.g. South West")
        self.region.editingFinished.connect(self.save_region)
        form.addRow("Region", self.region)

        self.preview = QLabel()
        self.preview.setAccessibleName("Logo preview")
        self.preview.setFixedSize(*PREVIEW_SIZE)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.logo_file = QLabel()
        self.logo_file.setWordWrap(True)
        self.logo_file.setMinimumHeight(self.logo_file.fontMetrics().height() * 2)
        self.logo_file.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = button("Choose logo…", self.choose_logo, "A PNG or JPEG image.")
        self.remove_button = button("Remove logo", self.remove_logo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        logo = QVBoxLayout()
        logo.addWidget(self.preview)
        logo.addWidget(self.logo_file)
        logo.addLayout(buttons)
        form.addRow("Logo", logo)
        self.logo_error = Message(self)
        form.addRow("", self.logo_error)
        self.template_file = QLabel()
        self.template_file.setWordWrap(True)
        self.template_file.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.template_file.setAccessibleName("Word template")
        self.choose_template_button = button(
            "Choose Word template…", self.choose_template,
            "A .docx or .dotx whose styles, fonts, colours, page, header and footer every Word export uses.")
        self.remove_template_button = button("Use LGF Desktop's template", self.remove_template)
        template_buttons = QHBoxLayout()
        template_buttons.addWidget(self.choose_template_button)
        template_buttons.addWidget(self.remove_template_button)
        template_buttons.addStretch(1)
        template = QVBoxLayout()
        template.addWidget(self.template_file)
        template.addLayout(template_buttons)
        form.addRow("Word template", template)
        self.template_message = Message(self)
        form.addRow("", self.template_message)
        hint = QLabel("The name and logo head the Section 11 report's title page and page header, the question "
                      "template and the audit learning brief. The chosen image and Word template are kept in the "
                      "database itself, so moving the originals does not matter and everyone using this database "
                      "has them.")
        hint.setWordWrap(True)
        form.addRow(hint)
        self.load()

    def load(self, _record_id: int | None = None) -> None:
        with self.db.session() as session:
            partnership = the_partnership(session)
            name, region = (partnership.name, partnership.region) if partnership else ("", "")
            logo = _logo_shown(partnership)
        self.name.setText(name)
        self.region.setText(region)
        self.name_error.show_messages([])
        self._show_logo(*logo)
        self._show_template()
        self._enable(bool(name))

    def _enable(self, has_partnership: bool) -> None:
        for widget in (self.region, self.choose_button, self.remove_button, self.choose_template_button,
                       self.remove_template_button):
            widget.setEnabled(has_partnership)

    def _show_template(self, found: str = "") -> None:
        with self.db.session() as session:
            partnership = the_partnership(session)
            kept = partnership.word_template_file if partnership else None
            # The name and size only: the bytes stay unread until an export needs them.
            shown = f"{kept.name} ({kept.size / 1024:,.0f} KB, kept in the database)" if kept else ""
            problem = service.word_template_problem(partnership) or ""
        self.template_file.setText(shown or "LGF Desktop's own (Arial, British English, the partnership in "
                                            "the header).")
        self.template_message.show_messages([m for m in (problem or found,) if m])
        self.remove_template_button.setVisible(bool(shown or problem))

    def choose_template(self) -> None:
        path = ask_template_file(self)
        if path:
            self.set_template(path)

    def set_template(self, path: str | Path) -> None:
        """Use the Word template at ``path`` (checked and kept in the database on a worker: opening a Word
        file takes longer than a keystroke); a file that cannot be used is refused with a sentence beside
        it and nothing changes; what it lacks is said beside it."""
        from ..tasks import run_task

        db = self.db
        self.choose_template_button.setEnabled(False)
        self.template_message.show_messages(["Checking the template…"])

        def work(_progress: Any) -> str:
            with db.session() as session:
                return service.set_word_template(session, path)

        def done(found: str | None, error: BaseException | None) -> None:
            self.choose_template_button.setEnabled(True)
            if error is not None:
                from ...errors import UserError
                from ..errors import show_error

                if isinstance(error, UserError):
                    self.template_message.show_messages([str(error)])
                else:
                    self.template_message.show_messages([])
                    show_error(self, error)
                return
            self._show_template(found or "")
            self.own_change = True  # so this page does not reload itself under the message it just showed
            try:
                self.main.data_changed.emit("partnership")
            finally:
                self.own_change = False

        run_task(work, done)

    def remove_template(self) -> None:
        if self.apply(service.remove_word_template, "partnership", self.template_message):
            self._show_template()

    def _show_logo(self, image: bytes | None, name: str, problem: str | None) -> None:
        self.stored_logo = name
        pixmap = QPixmap()
        if image is not None:
            pixmap.loadFromData(image)
        if pixmap.isNull():
            self.preview.setPixmap(QPixmap())
            self.preview.setText("Logo missing" if problem else "No logo")
        else:
            self.preview.setPixmap(pixmap.scaled(PREVIEW_SIZE[0] - 8, PREVIEW_SIZE[1] - 8,
                                                 Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation))
        if image is None:
            where = "No logo: the reports show the name only."
        else:
            where = f"{name} ({len(image) / 1024:,.0f} KB, kept in the database)"
        self.logo_file.setText(where)
        self.logo_error.show_messages([problem] if problem else [])
        self.remove_button.setVisible(image is not None or bool(problem))

    # ----- saving -------------------------------------------------------------------------------
    def save_name(self) -> None:
        if self.apply(lambda session: service.rename_partnership(session, self.name.text()), "partnership",
                      self.name_error):
            self._enable(True)

    def save_region(self) -> None:
        self.apply(lambda session: service.set_region(session, self.region.text()), "partnership")

    def choose_logo(self) -> None:
        path = ask_logo_file(self)
        if path:
            self.set_logo(path)

    def set_logo(self, path: str | Path) -> bool:
        """Use the image at ``path``; a bad file is refused beside the logo and nothing changes."""
        if not self.apply(lambda session: service.set_logo(session, path), "partnership", self.logo_error):
            return False
        self._reload_logo()
        return True

    def remove_logo(self) -> None:
        if self.apply(service.remove_logo, "partnership", self.logo_error):
            self._reload_logo()

    def _reload_logo(self) -> None:
        with self.db.read() as session:
            logo = _logo_shown(the_partnership(session))
        self._show_logo(*logo)


def _logo_shown(partnership: Any) -> tuple[bytes | None, str, str | None]:
    """What the form shows of the logo: its bytes, its name when added, and a sentence when it is missing."""
    if partnership is None:
        return None, "", None
    logo = partnership.logo
    return service.logo_bytes(partnership), logo.name if logo else partnership.logo_path, service.logo_problem(partnership)


class PartnershipDialog(QDialog):
    """The form in a dialog with a Close button: every field has already saved itself."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setWindowTitle("Partnership")
        layout = QVBoxLayout(self)
        self.form = PartnershipForm(window)
        layout.addWidget(self.form)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(640, 400)

    def done(self, result: int) -> None:
        # Close (or Esc) while a field still has focus: save what was typed first.
        if self.form.name.isModified() and self.form.name.text() != "":
            self.form.save_name()
        if self.form.region.isModified():
            self.form.save_region()
        for field in (self.form.name, self.form.region):
            field.blockSignals(True)  # losing focus while the dialog is torn down must not save again
        super().done(result)
