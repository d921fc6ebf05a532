"""``lgf name``: the preference "Your name", in your own settings on this machine (not the database)."""

from __future__ import annotations

import argparse

from ...identity import machine, os_account
from ...your_settings import set_your_name, settings_path, your_name


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    name = commands.add_parser("name", help="show or set your name, recorded with your changes and as the author "
                               "of your documents (kept in your own settings, for every database)")
    name.add_argument("new_name", nargs="?", metavar="NAME", help="your name as colleagues know it")
    name.set_defaults(handler=cmd_name)


def cmd_name(args: argparse.Namespace) -> int:
    if args.new_name is not None:
        stored = set_your_name(args.new_name)
        print(f"Your name is now {stored!r} (kept in {settings_path()})." if stored else
              "Your name is cleared: your changes are recorded under your login.")
        return 0
    name = your_name()
    print(f"Your name: {name}" if name else "Your name is not set: your changes are recorded under your login "
          "(set it with lgf name \"Your Name\").")
    print(f"Login: {os_account()}@{machine()} (on a database server, the server's role instead of the account)")
    return 0
