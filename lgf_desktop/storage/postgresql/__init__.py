"""The PostgreSQL backend: a shared database on a server, for a partnership team working at once
(``backend.py`` is what the storage boundary calls; ``connections.py`` holds the driver)."""
