"""Test configuration: Qt offscreen, every user folder in a temporary directory, real SQLite files,
the demo database built once per run and copied per test, and what the GUI told the person.

Both backends: the non-GUI tests using ``db``/``demo_db`` run twice, on a SQLite file and on a real
PostgreSQL server (``backend`` is ``sqlite`` or ``postgresql``). The server is a throwaway cluster
started once per run (``tests/pg_cluster.py``); each test gets a fresh database made from a template
(``CREATE DATABASE … TEMPLATE``: the empty schema, or the demo, each built once). GUI tests, tests
that name ``db_path`` themselves (they work on the file) and tests marked ``sqlite_only`` stay on
SQLite."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import inspect  # noqa: E402
import itertools  # noqa: E402
import shutil  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from lgf_desktop import keys  # noqa: E402
from lgf_desktop.db import Database  # noqa: E402
from lgf_desktop.services.demo import load_demo  # noqa: E402


@pytest.fixture(autouse=True)
def _garbage_collected_on_the_main_thread():
    """As the app does (``ui.tasks.collect_garbage_on_the_main_thread``): no automatic collection,
    which could start in a worker thread and finalise Qt objects there; one after each test, here."""
    import gc

    gc.disable()
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("LGF_DB", raising=False)
    # Qt keeps the settings store open for the whole process, whatever folder the environment now
    # names: start every test from none (window layout, column widths, grid move direction).
    from lgf_desktop.ui.settings import settings

    store = settings()
    store.clear()
    store.sync()


TEST_KEY_PASSPHRASE = "the test user's passphrase"
# The passphrase of the test databases that run encrypted (tests parametrized over ``db_passphrase``).
DB_PASSPHRASE = "the test database's passphrase, never stored"


@pytest.fixture
def db_passphrase() -> str | None:
    """Plain unless a test is parametrized over ``[None, DB_PASSPHRASE]``."""
    return None


@pytest.fixture(scope="session")
def _one_key_pair() -> tuple[keys.MyKey, bytes]:
    key = keys.MyKey.generate("Test User")  # made once: generating and scrypt are not free
    return key, keys.locked_key_file(key, TEST_KEY_PASSPHRASE)


@pytest.fixture(autouse=True)
def my_key(_one_key_pair: tuple[keys.MyKey, bytes], _isolated_user_folders: None,
           monkeypatch: pytest.MonkeyPatch):
    """The user's key, unlocked for the sitting (as the app does after asking for the passphrase)
    and in the (temporary) profile with its passphrase in $LGF_KEY_PASSPHRASE, for an ``lgf`` run as
    a separate process. Exchange files are sealed and opened with it."""
    key, locked = _one_key_pair
    keys.keep_my_key(key, locked)
    monkeypatch.setenv("LGF_KEY_PASSPHRASE", TEST_KEY_PASSPHRASE)
    keys.use_for_this_sitting(key)
    yield key
    keys.use_for_this_sitting(None)


@pytest.fixture(autouse=True)
def _no_unexpected_findings_dialog(monkeypatch: pytest.MonkeyPatch) -> None:
    """A findings dialog nobody expected would wait for a click forever: fail the test instead."""

    def unexpected(dialog) -> bool:
        raise AssertionError(f"unexpected identifying-data findings: {[f.message for f in dialog.findings]}")

    monkeypatch.setattr("lgf_desktop.ui.identifying_dialog.ask_to_send", unexpected)


@pytest.fixture(autouse=True)
def _recipients_confirmed(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The recipients dialog (shown before every sealed sending) would wait for a click: tests that do
    not drive it seal for the recorded keys, and fail if someone has none."""
    if "qapp" not in request.fixturenames and "qtbot" not in request.fixturenames:
        return
    from lgf_desktop.ui import recipients

    def confirmed(cls, parent, db, people, what):
        missing = [r.label for r in people if r.key is None]
        if missing:
            raise AssertionError(f"no key recorded for {missing} and the test did not answer the recipients dialog")
        return True, None

    monkeypatch.setattr(recipients.RecipientsDialog, "ask", classmethod(confirmed))


def close_into_one_file(database: Database) -> None:
    """Close a database so that its file alone holds everything (the WAL folded in): safe to copy."""
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, migrated and loaded once per test run (it takes about a second)."""
    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite3"
    database = Database.open(path)
    with database.session() as session:
        load_demo(session)
    close_into_one_file(database)
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lgf.sqlite3"


BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run a test on both backends when it uses the database through ``db`` alone (see the docstring)."""
    names = metafunc.fixturenames
    if "backend" not in names:
        return
    own = inspect.signature(metafunc.function).parameters
    file_level = "db_path" in own or metafunc.definition.get_closest_marker("sqlite_only") is not None
    gui = "qtbot" in names or "qapp" in names
    metafunc.parametrize("backend", ["sqlite"] if file_level or gui else list(BACKENDS), indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """Which backend the test's ``db`` is on."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg_cluster():
    """The throwaway PostgreSQL cluster of this run (started on first use)."""
    from pg_cluster import Cluster, find_binaries

    if find_binaries() is None:
        pytest.skip("PostgreSQL is not installed here (.ci/run installs it)")
    cluster = Cluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_templates(pg_cluster) -> dict[str, str]:
    """Template databases on the cluster, each built once: the empty schema and the demo."""
    pg_cluster.admin("CREATE DATABASE lgf_empty")
    Database.open(pg_cluster.url("lgf_empty")).close()
    pg_cluster.admin("CREATE DATABASE lgf_demo TEMPLATE lgf_empty STRATEGY FILE_COPY")
    database = Database.open(pg_cluster.url("lgf_demo"))
    with database.session() as session:
        load_demo(session)
    database.close()
    # Rows stored in id order, as a new SQLite file holds them: a query without ORDER BY (many tests'
    # "the first round") then finds the same row on both backends.
    from lgf_desktop.models import Base

    for table in Base.metadata.sorted_tables:
        pg_cluster.admin(f'CLUSTER "{table.name}" USING "pk_{table.name}"', database="lgf_demo")
    return {"empty": "lgf_empty", "demo": "lgf_demo"}


class _DatabaseStock:
    """Fresh databases made from the templates one test ahead, on a thread of their own: ``CREATE
    DATABASE … TEMPLATE`` takes a second or two (it checkpoints), which would otherwise be waited for
    before every test; dropping a used one happens there too."""

    def __init__(self, cluster, templates: dict[str, str]) -> None:
        import queue
        import threading

        self.cluster, self.templates = cluster, templates
        self.names = itertools.count(1)
        self.ready: dict[str | None, queue.SimpleQueue] = {t: queue.SimpleQueue() for t in (*templates, None)}
        self.work: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="pg-stock", daemon=True)
        self.thread.start()
        for template in templates:
            self.work.put(("make", template))

    def _create(self, template: str | None) -> str:
        name = f"test_{os.getpid()}_{next(self.names)}"
        source = f" TEMPLATE {self.templates[template]} STRATEGY FILE_COPY" if template else ""
        self.cluster.admin(f"CREATE DATABASE {name}{source}")
        return name

    def _run(self) -> None:
        while True:
            job, argument = self.work.get()
            if job == "stop":
                return
            try:
                if job == "make":
                    self.ready[argument].put(self._create(argument))
                else:
                    self.cluster.admin(f"DROP DATABASE IF EXISTS {argument} WITH (FORCE)")
            except Exception:  # noqa: BLE001 — the test asking for it makes one itself
                pass

    def take(self, template: str | None) -> str:
        import queue

        try:
            name = self.ready[template].get_nowait() if template else self._create(None)
        except queue.Empty:
            name = self._create(template)
        if template:
            self.work.put(("make", template))  # the next test's, made while this one runs
        return name

    def give_back(self, name: str) -> None:
        self.work.put(("drop", name))

    def stop(self) -> None:
        self.work.put(("stop", None))
        self.thread.join(timeout=60)


@pytest.fixture(scope="session")
def _pg_stock(pg_cluster, pg_templates):
    stock = _DatabaseStock(pg_cluster, pg_templates)
    yield stock
    stock.stop()


@pytest.fixture
def pg_database(_pg_stock):
    """``pg_database("demo" | "empty" | None)``: the URL of a fresh database on the cluster (None: with no
    table at all), dropped after the test."""
    made: list[str] = []

    def make(template: str | None = "empty") -> str:
        name = _pg_stock.take(template)
        made.append(name)
        return _pg_stock.cluster.url(name)

    yield make
    for name in made:
        _pg_stock.give_back(name)


@pytest.fixture
def db(db_path: Path, backend: str, request: pytest.FixtureRequest):
    """The test's database: a file, or a database on the test server (``backend``); it holds the demo
    (a copy of the template) when the test uses demo_db."""
    demo = "demo_db" in request.fixturenames
    if backend == "postgresql":
        where = request.getfixturevalue("pg_database")("demo" if demo else "empty")
    else:
        if demo:
            shutil.copyfile(request.getfixturevalue("demo_template"), db_path)
        where = db_path
    database = Database.open(where)
    yield database
    database.close()


@pytest.fixture
def demo_db(db: Database) -> Database:
    return db


@dataclass(frozen=True)
class ShownError:
    """One message the GUI showed through its one error channel (``ui.errors.show_error``)."""

    error: BaseException
    title: str
    text: str


@pytest.fixture(autouse=True)
def _gui_errors(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """Every error the GUI shows is recorded instead of waiting in a modal box; a test that shows one
    without asking for ``shown_errors`` fails, saying which. A message box no test answers fails too
    (offscreen, it would wait for a click for ever)."""
    if "qapp" not in request.fixturenames and "qtbot" not in request.fixturenames:
        yield []
        return
    from PySide6.QtWidgets import QMessageBox

    from lgf_desktop.ui import errors

    def unanswered(kind: str):
        def box(parent, title, text, *args, **kwargs):
            pytest.fail(f"A {kind} message box no test answers: {text}")
        return staticmethod(box)

    for kind in ("warning", "critical", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, unanswered(kind))
    shown: list[ShownError] = []
    monkeypatch.setattr(errors, "present_error",
                        lambda parent, error, title, text, bug=False: shown.append(ShownError(error, title, text)))
    yield shown
    if shown and "shown_errors" not in request.fixturenames:
        pytest.fail(f"The GUI showed an error the test did not expect: {shown[0].text}")


@pytest.fixture
def shown_errors(_gui_errors: list[ShownError]) -> list[ShownError]:
    """Errors the GUI told the person through ``ui.errors.show_error``, in order."""
    return _gui_errors


@pytest.fixture
def screenshot(tmp_path: Path):
    """``screenshot(widget, "name.png")`` saves what the widget shows under the test's own tmp_path
    (``pytest --basetemp=DIR`` keeps them to look at); returns the file."""
    folder = tmp_path / "screenshots"

    def save(widget, name: str) -> Path:
        folder.mkdir(exist_ok=True)
        path = folder / name
        assert widget.grab().save(str(path)), f"the screenshot {name} could not be written"
        return path

    return save
