"""The SQLite backend: one database file on this computer, plain or encrypted with SQLCipher
(``backend.py`` is what the storage boundary calls; the modules beside it hold the details)."""
