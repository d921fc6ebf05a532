"""Exchange files (``.lgfx``): the one format in which data travels between LGF databases.

``container`` writes and validates the file; ``importers`` imports any kind of it.
"""
