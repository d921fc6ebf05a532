"""The regional report's exchange in the app: Export → Round for the regional report… (a partnership
sends its round, sealed for the regional lead's key or with a passphrase agreed with them) and
File → Import a round for the regional report… (the lead collates: the import says what it brought in
or, for a newer export of a round already here, what changed). Both run on the worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from .errors import show_error
from .tasks import run_task

TITLE_EXPORT = "Round for the regional report"
TITLE_IMPORT = "Import a round for the regional report"
PASSPHRASE_CHOICE = "A one-off passphrase agreed with the regional lead…"


def install(window: Any) -> None:
    window.menu("&Export").addAction(f"{TITLE_EXPORT}…", lambda: export_round_for_region(window))
    file_menu = window.menu("&File")
    action = file_menu.addAction(f"&{TITLE_IMPORT}…", lambda: import_round_for_region(window))
    # Above the separator before Quit, with the file's other entries.
    actions = file_menu.actions()
    before = actions[actions.index(window.quit_action) - 1] if window.quit_action in actions else None
    file_menu.insertAction(before, action)


def own_round_labels(db: Any) -> list[str]:
    from sqlalchemy import select

    from ..models import Round
    from ..services.review.rounds import the_partnership

    with db.session() as session:
        partnership = the_partnership(session)
        if partnership is None:
            return []
        return list(session.scalars(select(Round.label).where(Round.partnership_id == partnership.id,
                                                              Round.kind == "peer review").order_by(Round.label)))


def ask_round(window: Any, labels: list[str]) -> str | None:
    """Which round to send (replaced in tests); the one selected in the navigator is offered first."""
    label, ok = QInputDialog.getItem(window, TITLE_EXPORT, "Round:", labels, len(labels) - 1, False)
    return label if ok else None


def ask_regional_lead(window: Any, names: list[str]) -> tuple[bool, str | None, str | None]:
    """(go ahead, the lead's name in the key book, or a passphrase) — replaced in tests."""
    from .my_key import ask_passphrase_for_file, passphrase_if_no_key

    if not names:
        go, passphrase = passphrase_if_no_key(window, ["the regional lead"])
        return go, None, passphrase
    choice, ok = QInputDialog.getItem(window, TITLE_EXPORT, "Seal it for the regional lead's key:",
                                      [*names, PASSPHRASE_CHOICE], 0, False)
    if not ok:
        return False, None, None
    if choice == PASSPHRASE_CHOICE:
        passphrase = ask_passphrase_for_file(window, twice=True)
        return passphrase is not None, None, passphrase
    return True, choice, None


def export_round_for_region(window: Any, path: str | None = None) -> None:
    from ..exchange.senders import known_keys
    from ..paths import documents_folder
    from ..services.region.round_file import export_round
    from .identifying_dialog import run_guarded
    from .my_key import unlock_then

    labels = own_round_labels(window.db)
    if not labels:
        QMessageBox.information(window, TITLE_EXPORT, "This database has no peer-review round of its own to send.")
        return
    label = ask_round(window, labels)
    if label is None:
        return
    with window.db.session() as session:
        keys = {person.name: key for person, key in known_keys(session)}
    go, name, passphrase = ask_regional_lead(window, sorted(keys))
    if not go:
        return
    if path is None:
        suggested = str(Path(documents_folder()) / f"Section 11 round {label} for the region.lgfx")
        path, _ = QFileDialog.getSaveFileName(window, TITLE_EXPORT, suggested, "LGF exchange files (*.lgfx)")
    if not path:
        return

    def work(override: bool, progress: Any) -> tuple[Path, str]:
        with window.db.session() as session:
            return export_round(session, label, path, author=window.db.user, override_identifying=override,
                                passphrase=passphrase, to=keys.get(name) if name else None)

    def done(result: Any, error: BaseException | None) -> None:
        if error is not None:
            show_error(window, error, TITLE_EXPORT)
            return
        if result is not None:
            written, what = result
            window.statusBar().showMessage(f"Wrote {what} to {written}; send it to the regional lead.", 15000)

    unlock_then(window, lambda: run_guarded(window, work, done))


def import_round_for_region(window: Any, path: str | None = None) -> None:
    from ..importing import import_file
    from .my_key import open_then

    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, TITLE_IMPORT, str(Path.home()), "LGF exchange files (*.lgfx)")
    if not path:
        return

    def done(summary: Any, error: BaseException | None) -> None:
        if error is not None:
            show_error(window, error, TITLE_IMPORT)
            return
        window.data_changed.emit("*")
        window.statusBar().showMessage(summary, 15000)
        show_summary(window, summary)

    open_then(window, path, lambda opening: run_task(lambda progress: import_file(window.db, path, opening=opening), done))


def show_summary(window: Any, summary: str) -> None:
    """What the import brought in or changed (replaced in tests)."""
    QMessageBox.information(window, TITLE_IMPORT, summary)
