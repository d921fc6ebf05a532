"""LGF Desktop: the learning and improvement framework of a children's safeguarding partnership, offline.

``__version__`` is the one version number: the installed package's metadata (``version`` in
pyproject.toml; the bundle carries the metadata too). It is read on first use, not at import, so the
window's start does not pay for the metadata search.
"""

from __future__ import annotations

from functools import lru_cache

APP_NAME = "LGF Desktop"
DISTRIBUTION = "lgf-desktop"


@lru_cache(maxsize=1)
def app_version() -> str:
    """The installed version; in a source folder that was never installed, pyproject.toml's."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        import tomllib

        from .paths import PACKAGE

        pyproject = PACKAGE.parent / "pyproject.toml"
        try:
            return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return app_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
