"""The recommendation tracker: rows, filters and summary (``rows``), status changes, notes and
details (``actions``), each recommendation's history and the source kinds of recommendations."""
