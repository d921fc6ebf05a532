"""Exchange files (``.lgfx``): the one format in which data travels between LGF databases.

``container`` writes and validates the file; ``lgf_desktop.importing`` (above the services that
import each kind) imports any kind of it.
"""
