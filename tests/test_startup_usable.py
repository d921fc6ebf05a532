"""The window the app shows before its file is open fills with exactly one page, the newest round's:
no page is built for a selection Qt made while the database was still opening."""

from __future__ import annotations

from sqlalchemy import select

from lgf_desktop.models import Round
from lgf_desktop.ui.main_window import MainWindow


def test_the_window_shown_first_fills_with_the_newest_rounds_page_only(qtbot, demo_db) -> None:
    window = MainWindow(None, path=demo_db.path)  # as the app does: on screen before the file is open
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.navigator.setFocus()  # focus lets Qt pick a current item in the still empty navigator
    qtbot.wait(10)
    window.attach(demo_db)
    with demo_db.session() as session:
        newest = session.scalars(select(Round.id).order_by(Round.label.desc())).first()
    assert set(window._pages) == {"round"}
    assert window.stack.currentWidget() is window.page("round")
    assert window.page("round").round_id == newest
    assert window.navigator.rounds_item.childCount() >= 1
