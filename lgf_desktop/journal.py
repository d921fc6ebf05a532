"""The recovery journal: text typed but not yet saved, kept in a small file beside the database.

Each batch of keystrokes appends one line (JSON: record, field, text, time, a label for people),
handed to the journal's own thread, which writes it to the operating system within a moment: the
typing never waits for the disk (a write to a busy or failing disk can block), and what is written
survives the app being killed (not a power cut; the database's own commit, at most a second later,
does). What the journal holds is known at once in memory; ``flush()`` waits until it is on disk. When a
save commits, a "saved" line with a hash of the saved text is appended; an entry is live while its
newest text is not the one saved. The file also records which workshop is open, so a start after a
crash can reopen it. The file is ``<database>.journal``, readable by its owner only (0600); it is
rewritten compactly when it grows.

Beside an encrypted database each line is sealed (AES-GCM, base64) with a key derived from the
database's own key, so typed text is never in clear next to a file that hides it; a line that does
not open with that key is passed over like a line cut short.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import queue
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

COMPACT_BYTES = 512 * 1024
log = logging.getLogger("lgf_desktop")
_STOP = object()


@dataclass(frozen=True)
class Entry:
    """A text typed into ``field`` of ``record`` (e.g. ``response/12/34``) and not yet saved."""

    record: str
    field: str
    text: str
    at: datetime
    label: str = ""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def journal_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.journal")


class Journal:
    """Append-only while typing; read in full at start-up."""

    def __init__(self, path: str | Path, key: bytes | None = None) -> None:
        self.path = Path(path)
        self._key = key
        self._lock = threading.Lock()  # the entries in memory
        self._io = threading.Lock()  # the file (the journal's thread, and close)
        self._outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._fd: int | None = None
        self.failing = False  # the last write failed (full or read-only disk)
        self._entries: dict[tuple[str, str], Entry] = {}
        self._open: dict[str, dict[str, Any]] = {}
        self._load()

    # --- reading -------------------------------------------------------------------------
    def _load(self) -> None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        for line in raw.splitlines():
            item = self._decode(line)  # None: the last line cut short by a crash; everything before it stands
            if isinstance(item, dict):
                self._apply(item)

    def _encode(self, item: dict[str, Any]) -> bytes:
        data = json.dumps(item, ensure_ascii=False).encode("utf-8", "surrogatepass")
        if self._key is not None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            nonce = os.urandom(12)
            data = base64.b64encode(nonce + AESGCM(self._key).encrypt(nonce, data, b"lgf-journal"))
        return data + b"\n"

    def _decode(self, line: bytes) -> Any:
        try:
            if self._key is not None:
                from cryptography.hazmat.primitives.ciphers.aead import AESGCM

                sealed = base64.b64decode(line, validate=True)
                line = AESGCM(self._key).decrypt(sealed[:12], sealed[12:], b"lgf-journal")
            return json.loads(line)
        except Exception:  # cut short, or not sealed with this key: passed over, never a crash at start-up
            return None

    def _apply(self, item: dict[str, Any]) -> None:
        op = item.get("op")
        if op in ("open", "closed") and isinstance(item.get("window"), str):
            if op == "open":
                self._open[item["window"]] = {k: v for k, v in item.items() if k not in ("op", "window")}
            else:
                self._open.pop(item["window"], None)
            return
        key = (str(item.get("record", "")), str(item.get("field", "")))
        if op == "text" and isinstance(item.get("text"), str):
            try:
                at = datetime.fromisoformat(item.get("at", ""))
            except (TypeError, ValueError):
                at = datetime.now()
            self._entries[key] = Entry(key[0], key[1], item["text"], at, str(item.get("label", "")))
        elif op == "saved":
            entry = self._entries.get(key)
            if entry is not None and _digest(entry.text) == item.get("sha"):
                del self._entries[key]

    def entries(self) -> list[Entry]:
        """Texts typed and not known to be saved, oldest first."""
        with self._lock:
            return sorted(self._entries.values(), key=lambda e: e.at)

    def open_window(self, window: str) -> dict[str, Any] | None:
        """What the last session said was open in ``window`` and never said closed, or None."""
        with self._lock:
            return self._open.get(window)

    # --- writing -------------------------------------------------------------------------
    def _write(self, item: dict[str, Any]) -> None:
        with self._lock:
            self._apply(item)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="lgf-journal", daemon=True)
                self._thread.start()
        self._outbox.put(item)

    def _run(self) -> None:
        while True:
            item = self._outbox.get()
            if item is _STOP:
                return
            if isinstance(item, threading.Event):  # flush(): everything before it is written
                item.set()
                continue
            with self._io:
                self._append(item)

    def _append(self, item: dict[str, Any]) -> None:
        line = self._encode(item)  # sealed here, off the typing path, when the database is encrypted
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                os.fchmod(self._fd, 0o600)  # an older file made with a looser mode is tightened too
            # One write call to the OS (no buffer in this process): survives the app being
            # killed. After a failed (perhaps partial) write, start on a fresh line.
            os.write(self._fd, (b"\n" if self.failing else b"") + line)
            self.failing = False
            if os.fstat(self._fd).st_size > COMPACT_BYTES:
                self._compact()
        except OSError:
            # The journal is a safety net: a full or read-only disk must not stop the typing
            # or the save (which says the cause itself). What is typed stays on screen.
            if not self.failing:
                log.warning("The recovery journal %s cannot be written.", self.path)
            self.failing = True

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything noted so far is written to the file (True), or ``timeout`` passed."""
        with self._lock:
            running = self._thread is not None and self._thread.is_alive()
        if not running:
            return True
        done = threading.Event()
        self._outbox.put(done)
        return done.wait(timeout)

    def note(self, record: str, field: str, text: str, label: str = "") -> None:
        """Remember a text typed into ``record``'s ``field`` until a save of it commits."""
        self._write({"op": "text", "record": record, "field": field, "text": text,
                     "at": datetime.now().isoformat(timespec="seconds"), "label": label})

    def saved(self, record: str, field: str, text: str) -> None:
        """A save of ``text`` committed: forget the entry unless newer text was typed since."""
        with self._lock:
            entry = self._entries.get((record, field))
        if entry is not None and entry.text == text:
            self._write({"op": "saved", "record": record, "field": field, "sha": _digest(text)})

    def window_opened(self, window: str, **where: Any) -> None:
        self._write({"op": "open", "window": window, **where})

    def window_closed(self, window: str) -> None:
        if self.open_window(window) is not None:
            self._write({"op": "closed", "window": window})

    def _compact(self) -> None:
        """Rewrite the file with only what is live (called with the file's lock held). Lines still
        on their way are written after it again: reading them twice changes nothing."""
        with self._lock:
            opened, entries = dict(self._open), list(self._entries.values())
        lines = [self._encode({"op": "open", "window": w, **where}) for w, where in opened.items()]
        lines += [self._encode({"op": "text", "record": e.record, "field": e.field, "text": e.text,
                                "at": e.at.isoformat(timespec="seconds"), "label": e.label})
                  for e in entries]
        temporary = self.path.with_name(self.path.name + ".new")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            # No fsync: this runs on the typing path (the UI thread), and an fsync can take a
            # hundred milliseconds on a busy disk. The journal's promise is the app being killed,
            # which the OS survives; a power cut is the database's commit's to survive.
            os.write(fd, b"".join(lines))
        finally:
            os.close(fd)
        os.replace(temporary, self.path)
        if self._fd is not None:
            os.close(self._fd)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND, 0o600)

    def close(self) -> None:
        """Write what is on its way, then close the file; an empty journal is removed."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._outbox.put(_STOP)
            thread.join()
        with self._io:
            if self._fd is None:
                return
            try:
                with self._lock:
                    empty = not self._entries and not self._open
                if empty:
                    self.path.unlink(missing_ok=True)
                else:
                    self._compact()
            except OSError:
                log.warning("The recovery journal %s could not be tidied.", self.path)
            finally:
                if self._fd is not None:
                    os.close(self._fd)
                self._fd = None
