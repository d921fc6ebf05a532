"""What a look at every screen at 1366×768 under X found, kept found: each table's columns are named
and their headers are read whole; the workshop's attendee list says who attended."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView
from sqlalchemy import select

from lgf_desktop.models import Review
from lgf_desktop.ui.workshop.window import WorkshopWindow


def headers_read_whole(view: QTableView) -> list[str]:
    """The headers of ``view`` that are empty or cut off (their section is narrower than the text)."""
    header, model = view.horizontalHeader(), view.model()
    wrong = []
    for column in range(model.columnCount()):
        text = model.headerData(column, Qt.Orientation.Horizontal) or ""
        if not text.strip() or header.sectionSize(column) < header.fontMetrics().horizontalAdvance(text) + 6:
            wrong.append(f"{column}: {text!r} in {header.sectionSize(column)} px")
    return wrong


def open_workshop(qtbot, db) -> WorkshopWindow:
    """The workshop of the demo's first held review, at 1366×768."""
    with db.session() as session:
        review_id = session.scalar(select(Review.id).where(Review.status == "held").order_by(Review.id))
    window = WorkshopWindow(db, review_id)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_workshops_attendees_have_named_columns_at_1366x768(qtbot, demo_db) -> None:
    window = open_workshop(qtbot, demo_db)
    window.tabs.setCurrentWidget(window.attendance)
    QApplication.processEvents()
    view = window.attendance.reps_view
    assert view.model().rowCount() > 0
    assert headers_read_whole(view) == []
    # The attendance column is as wide as it needs, no more: the name and role have the room.
    assert view.columnWidth(2) < view.columnWidth(1)


def test_a_partnership_recommendation_is_read_whole_in_the_workshop(qtbot, demo_db) -> None:
    window = open_workshop(qtbot, demo_db)
    panel = window.partnership
    window.tabs.setCurrentWidget(panel)
    QApplication.processEvents()
    view = panel.view
    assert view.model().rowCount() == 3
    for row in range(view.model().rowCount()):
        text = view.model().index(row, 0).data()
        width = view.columnWidth(0) - 8
        lines = view.fontMetrics().boundingRect(0, 0, width, 10_000, Qt.TextFlag.TextWordWrap, text).height()
        assert view.rowHeight(row) >= lines, (row, text)


def test_save_dialogs_start_in_the_documents_folder_not_where_the_app_started(qtbot, demo_db, monkeypatch,
                                                                               tmp_path) -> None:
    from pathlib import Path

    from PySide6.QtWidgets import QFileDialog

    from lgf_desktop.ui.main_window import MainWindow

    documents = Path.home() / "Documents"  # the tests' own home (conftest)
    documents.mkdir()
    monkeypatch.chdir(tmp_path)  # the app started from some other folder
    offered: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, title, start, *rest: (offered.append(start), ("", ""))[1]))
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.navigator.select("audits", None)
    audits = window.stack.currentWidget()
    qtbot.waitUntil(lambda: audits.audit_id is not None, timeout=10000)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda parent, title, start, *rest: (offered.append(start + "/"), "")[1]))
    audits.export_brief()
    audits.export_my_return()
    audits.issue_packages()
    window.navigator.select("tracker", None)
    window.stack.currentWidget().export_shown()
    assert [Path(path).parent if not path.endswith("/") else Path(path) for path in offered] == [documents] * 4, offered


def test_a_history_names_its_record_once(qtbot, demo_db) -> None:
    from lgf_desktop.models import Person
    from lgf_desktop.ui.forms.dialogs import HistoryDialog
    from lgf_desktop.ui.main_window import MainWindow

    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    with demo_db.session() as session:
        review_id = session.scalar(select(Review.id).order_by(Review.id))
        person_id = session.scalar(select(Person.id).order_by(Person.id))
    review = HistoryDialog(window, Review, review_id)
    person = HistoryDialog(window, Person, person_id)
    qtbot.addWidget(review)
    qtbot.addWidget(person)
    assert review.title.text().startswith("<b>Peer review ")  # once; it read "Review Peer review NW ICB"
    assert person.title.text().startswith("<b>Person ")


def test_the_concern_banner_keeps_its_white_text_to_itself(qtbot, demo_db, monkeypatch) -> None:
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QInputDialog, QLabel

    from lgf_desktop.models import Audit
    from lgf_desktop.ui.audit.concerns import ConcernBanner

    banner = ConcernBanner(demo_db, lambda: None)
    qtbot.addWidget(banner)
    with demo_db.session() as session:
        banner.load(session.scalar(select(Audit.id)), coordinator=True)
    banner.show()
    inside = QLabel("A dialog's question", banner)  # as a dialog opened from the banner would hold
    inside.ensurePolished()
    banner.text.ensurePolished()
    assert banner.text.palette().color(QPalette.ColorRole.WindowText) == QColor("white")
    assert inside.palette().color(QPalette.ColorRole.WindowText) != QColor("white")
    asked: list[tuple] = []
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        staticmethod(lambda parent, title, label, *a, **k: (asked.append((parent, label)), ("", False))[1]))
    banner.resolve_first()
    assert asked and asked[0][1] == "What was done about the concern for Child G?"
    assert asked[0][0] is banner.window()
