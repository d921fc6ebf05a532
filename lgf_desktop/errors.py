"""The one exception type whose message is shown to a person as it is.

Anything the user or the environment got wrong (a foreign file, a locked database, an unknown round)
is raised as ``UserError`` with one plain sentence; the CLI prints it to stderr and the GUI shows it
in a message box. Any other exception is a bug.
"""


class UserError(Exception):
    """An error whose message is a plain sentence meant for the person using the app."""
