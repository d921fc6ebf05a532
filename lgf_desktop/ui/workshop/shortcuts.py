"""The workshop's keyboard shortcuts in one table (menus and the F1 help panel are built from it)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

UNDO_SHORTCUT = "Ctrl+Alt+Z"  # Ctrl+Shift+Z is already "Redo typing" in the response editor

# (menu, key, text, shortcuts) — the key names the window's slot.
SHORTCUTS: list[tuple[str, str, str, list[str]]] = [
    ("&Workshop", "toggle_clock", "Start / pause the clock", ["F5"]),
    ("&Workshop", "focus_attendance", "Tick panel members present", ["Ctrl+L"]),
    ("&Workshop", "focus_representative", "Add a representative or apologies", ["Ctrl+Shift+L"]),
    ("&Workshop", "import_notes", "Import panel member's notes…", ["Ctrl+I"]),
    ("&Workshop", "export_notes", "Export my notes…", ["Ctrl+E"]),
    ("&Workshop", "close", "Close the workshop", ["Ctrl+W"]),
    ("&Question", "next_question", "Next question", ["Alt+Down", "Ctrl+PgDown"]),
    ("&Question", "previous_question", "Previous question", ["Alt+Up", "Ctrl+PgUp"]),
    ("&Question", "next_theme", "First question of the next theme", ["Alt+PgDown"]),
    ("&Question", "previous_theme", "First question of the previous theme", ["Alt+PgUp"]),
    ("&Question", "focus_outline", "Go to the outline", ["Ctrl+G"]),
    ("&Question", "focus_editor", "Back to the response (from any box or list)", ["Esc", "Ctrl+Return"]),
    ("&Question", "undo", "Undo typing", ["Ctrl+Z"]),
    ("&Question", "redo", "Redo typing", ["Ctrl+Shift+Z", "Ctrl+Y"]),
    ("&Question", "show_earlier_versions", "Earlier versions of this response…", ["Ctrl+Shift+H"]),
    ("&Question", "toggle_answered_above", "Answered with the question above (one response for both)", ["Ctrl+Shift+U"]),
    ("&Question", "toggle_not_discussed", "Not discussed: leave the response blank on purpose", ["Ctrl+Shift+N"]),
    ("&Recommendation", "add_recommendation", "Add a recommendation to this question", ["Ctrl+R"]),
    ("&Recommendation", "add_partnership_recommendation", "Add a partnership recommendation", ["Ctrl+Shift+R"]),
    ("&Recommendation", "undo_delete", "Undo delete (a recommendation, representative or apology)", [UNDO_SHORTCUT]),
    ("&View", "toggle_focus_mode", "Focus mode (only the question and the response)", ["F11", "Ctrl+Shift+F"]),
    ("&Help", "show_shortcuts", "Keyboard shortcuts", ["F1"]),
]
TICKED = {"toggle_answered_above", "toggle_not_discussed"}  # marks on the question: ticked in the menu
THEME_JUMP = "Alt+{n}"  # Alt+1 … Alt+9: first question of theme n


def native(shortcut: str) -> str:
    return QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)


def help_html() -> str:
    rows = []
    menu = ""
    for menu_name, _key, text, keys in SHORTCUTS:
        if menu_name != menu:
            menu = menu_name
            rows.append(f"<tr><td colspan=2><b>{escape(menu.replace('&', ''))}</b></td></tr>")
        rows.append(f"<tr><td>{escape(text)}</td><td><tt>{escape(' or '.join(native(k) for k in keys))}</tt></td></tr>")
    rows.append(f"<tr><td>Jump to theme 1 … 9</td><td><tt>{escape(native('Alt+1'))} … {escape(native('Alt+9'))}</tt></td></tr>")
    rows.append("<tr><td colspan=2><br><tt>Esc</tt> goes back to the response from every box, list and button "
                "of the workshop (while a cell is being edited, the first <tt>Esc</tt> cancels that edit). "
                "The box or list that has the cursor is outlined in blue.</td></tr>")
    rows.append(f"<tr><td colspan=2><b>Attendance:</b> <tt>{escape(native('Ctrl+L'))}</tt> puts the cursor on the "
                "first panel member; <tt>Up</tt>/<tt>Down</tt> choose a member and <tt>Space</tt> ticks or unticks "
                "them. <tt>Space</tt> only ticks after you came to the list with "
                f"<tt>{escape(native('Ctrl+L'))}</tt>, a click or an arrow key: if the cursor reached the list "
                "by <tt>Tab</tt>, a typed space does nothing (the list says to press an arrow key first), "
                "and typed letters never move or tick anyone.</td></tr>")
    rows.append(f"<tr><td colspan=2><b>Representatives:</b> <tt>{escape(native('Ctrl+Shift+L'))}</tt>, type the "
                "name, <tt>Enter</tt>, the role, <tt>Enter</tt> adds an attendee; the cursor stays in the "
                "outlined Name box for the next one until <tt>Esc</tt>.</td></tr>")
    rows.append("<tr><td colspan=2>In a recommendation list, <tt>F2</tt> edits and <tt>Delete</tt> removes the "
                "selected one after asking (so does <tt>Delete</tt> in the list of representatives); Undo delete "
                "brings it back. Everything is saved as you type.</td></tr>")
    return "<table cellspacing=6>" + "".join(rows) + "</table>"


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Workshop keyboard shortcuts")
        label = QLabel(help_html())
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        scroll = QScrollArea()
        scroll.setWidget(label)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        self.resize(560, 620)
