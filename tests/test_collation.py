"""Names sort as an English reader files them, on every list, whatever the machine's locale."""

from __future__ import annotations

import locale

from PySide6.QtCore import Qt

from lgf_desktop.collation import by_name, name_key
from lgf_desktop.models import Person
from lgf_desktop.services import listing

NAMES = ["Zoe Adams", "Łukasz Nowak", "émile Durand", "Lucy Moss", "O'Brien Kay", "Obi Eze", "Øystein Lie",
         "Marta Ślusarczyk", "ANNA Bell", "Lukas Berg", "Æthelred Smith", "Oscar Reed", "Mark Smith"]


def test_accented_and_special_letters_file_under_their_base_letter():
    assert by_name(NAMES) == ["Æthelred Smith", "ANNA Bell", "émile Durand", "Lucy Moss", "Lukas Berg",
                              "Łukasz Nowak", "Mark Smith", "Marta Ślusarczyk", "Obi Eze", "O'Brien Kay",
                              "Oscar Reed", "Øystein Lie", "Zoe Adams"]
    assert name_key("Łukasz") < name_key("Lula") < name_key("Maria")
    assert name_key("lukasz") != name_key("Łukasz")  # a total order: no two different names tie


def test_the_order_does_not_depend_on_the_c_locale(monkeypatch):
    monkeypatch.setattr(locale, "strxfrm", lambda s: s)  # what a machine without en_GB gives
    assert by_name(["Zoe", "Łukasz", "Adam"]) == ["Adam", "Łukasz", "Zoe"]


def test_people_page_and_pickers_sort_lukasz_under_l(qtbot, demo_db):
    with demo_db.session() as session:
        for name in ("Łukasz Nowak", "Zac Young", "Émile Durand"):
            session.add(Person(name=name))
    with demo_db.session() as session:
        picked = [name for _id, name in listing.person_choices(session)]
    assert picked == by_name(picked)
    assert picked.index("Łukasz Nowak") < picked.index("Zac Young")
    assert picked.index("Claire Dunmore") < picked.index("Émile Durand") < picked.index("Gareth Lloyd")

    from lgf_desktop.ui.main_window import MainWindow

    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.navigator.select("people", None)
    page = window.stack.currentWidget()
    page.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    shown = [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]
    assert shown == by_name(shown)
    assert shown.index("Łukasz Nowak") < shown.index("Zac Young")
