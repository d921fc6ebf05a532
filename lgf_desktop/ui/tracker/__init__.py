"""The recommendation tracker in the main window: the "Recommendations" section, the Tracker menu
(exports, update requests, adding one by hand) and a review action that opens the tracker on the
reviewed organisation. ``install(window)`` is named in ``ui/extensions.py``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from ...collation import by_name
from ...dates import iso_date
from ...errors import UserError
from ...models import Review
from ...paths import documents_folder
from ..errors import show_error

# Tables whose change can alter what the tracker shows.
TRACKED_TABLES = {"*", "recommendation", "progress_note", "organisation", "person", "round", "review", "audit"}


def install(window: Any) -> None:
    screens: list[Any] = []

    def build() -> QWidget:
        from .screen import TrackerScreen

        screen = TrackerScreen(window.db)
        own = {"now": False}

        def passed_on(table: str) -> None:
            own["now"] = True  # the screen already shows its own change
            try:
                window.data_changed.emit(table)
            finally:
                own["now"] = False

        screen.changed.connect(passed_on)
        window.data_changed.connect(lambda table: None if own["now"] or table not in TRACKED_TABLES
                                    else screen.refresh())
        screens.append(screen)
        return screen

    def show() -> Any:
        navigator = getattr(window, "navigator", None)
        if navigator is not None and hasattr(navigator, "select"):
            navigator.select("tracker", None)
        screen = window.page("tracker")
        if hasattr(window, "stack"):
            window.stack.setCurrentWidget(screen)
        return screen

    window.add_section("tracker", "Recommendations", build)
    menu = window.menu("&Tracker")
    menu.addAction("Show the recommendation tracker", show)
    menu.addAction("Add a recommendation from another source…", lambda: show().add_recommendation())
    menu.addAction("Export the recommendations shown…", lambda: show().export_shown())
    menu.addAction("Update request for an organisation…", lambda: ask_update_request(window))

    def open_for_review(review_id: int) -> None:
        with window.db.session() as session:
            review = session.get(Review, review_id)
            org_id = review.organisation_id if review else None
        screen = show()
        screen.show_organisation(org_id)

    window.add_review_action("Recommendations of this organisation", None, open_for_review)


def ask_update_request(window: Any) -> None:
    """Choose an organisation with open recommendations, then a file; written on a worker thread."""
    from ...exports.tracker_docx import write_update_request
    from ...services.tracker.rows import PARTNERSHIP, TrackerFilter, tracker_rows

    with window.db.session() as session:
        rows = tracker_rows(session, TrackerFilter(status="open"))
    names: dict[str, int | None] = {}
    for row in rows:
        names[PARTNERSHIP if row.organisation == PARTNERSHIP else row.organisation_full] = row.organisation_id
    if not names:
        show_error(window, UserError("There are no open recommendations to ask about."))
        return
    name, ok = QInputDialog.getItem(window, "Update request", "Organisation:", by_name(names), 0, False)
    if not ok:
        return
    path, _ = QFileDialog.getSaveFileName(window, "Save the update request",
                                          str(documents_folder() / f"Update request {name} {iso_date(date.today())}.docx"),
                                          "Word document (*.docx)")
    if not path:
        return
    db, org_id = window.db, names[name]
    author = db.author

    def work(override: bool, progress) -> Path:
        with db.session() as session:
            return write_update_request(session, org_id, path, author=author, override_identifying=override)

    def done(result: Path | None, error: BaseException | None) -> None:
        if error is not None:
            show_error(window, error)
        elif result is not None and hasattr(window, "statusBar"):
            window.statusBar().showMessage(f"Update request saved to {result}", 8000)

    from ..identifying_dialog import run_guarded

    run_guarded(window, work, done)
