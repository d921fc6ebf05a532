"""The Debian package as a person installs it: ``tools/build-deb`` builds the bundle and the .deb,
``apt-get install ./dist/…deb`` puts it on this machine (with the system libraries it depends on),
and the installed ``lgf`` and ``lgf-desktop`` run with no virtual environment and no Python of ours on
the PATH: the demo loads, the Section 11 report and the learning brief are exported, the window
becomes usable (offscreen, and under Xvfb on the X11 plugin). A newer version installed over it keeps
the person's data; ``apt-get remove --purge`` leaves nothing under /opt or /usr but their data folder.

It builds twice and installs system-wide, so it runs only when asked (minutes, as root):
``LGF_INSTALLER_TESTS=1 ./run-tests tests/test_deb_package.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "lgf-desktop"
INSTALLED = [Path("/opt/lgf-desktop"), Path("/usr/bin/lgf"), Path("/usr/bin/lgf-desktop"),
             Path("/usr/share/applications/lgf-desktop.desktop"),
             Path("/usr/share/icons/hicolor/256x256/apps/lgf-desktop.png"),
             Path("/usr/share/icons/hicolor/scalable/apps/lgf-desktop.svg"), Path("/usr/share/doc/lgf-desktop")]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("LGF_INSTALLER_TESTS"),
                       reason="builds and installs the .deb system-wide: set LGF_INSTALLER_TESTS=1"),
    pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get")
                       or not shutil.which("dpkg-deb"), reason="needs root on a Debian-like system"),
]


def run(command: list[str | Path], *, env: dict[str, str] | None = None, cwd: Path | None = None,
        timeout: int = 900, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, env=env, cwd=cwd,
                            timeout=timeout, stdin=subprocess.DEVNULL)
    if check:
        assert result.returncode == 0, f"{command}: {result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result


def build_deb(version: str | None = None) -> Path:
    env = {key: value for key, value in os.environ.items() if key not in ("LGF_VERSION", "VIRTUAL_ENV")}
    if version:
        env["LGF_VERSION"] = version
    output = run([ROOT / "tools" / "build-deb"], env=env, cwd=ROOT, timeout=1800).stdout
    (deb,) = re.findall(r"build-deb: (\S+\.deb)", output)
    return Path(deb)


def apt(*args: str | Path) -> None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "-y", "-q", *args], env=env, timeout=900)


def person(home: Path) -> dict[str, str]:
    """A person's environment: their own home, the system's PATH only (no virtual environment, no
    checkout), a UTF-8 locale."""
    return {"HOME": str(home), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8",
            "XDG_RUNTIME_DIR": str(home / "runtime")}


def window_becomes_usable(env: dict[str, str]) -> None:
    """Start the installed window with the start-up probe: it prints "ready" once its navigator and
    first page are filled, then quits."""
    result = run(["lgf-desktop"], env=dict(env, LGF_STARTUP_PROBE="1"), timeout=180)
    assert re.search(r"^ready \d", result.stdout, re.MULTILINE), result.stderr[-2000:]


def not_installed() -> bool:
    return run(["dpkg-query", "-W", "-f=${Status}", PACKAGE], check=False).stdout.strip() in (
        "", "deinstall ok config-files", "unknown ok not-installed")


@pytest.fixture
def clean_machine():
    """The package is not installed before the test, and not after it, whatever happened."""
    if not not_installed():
        pytest.skip("lgf-desktop is already installed on this machine; not touching it")
    yield
    if not not_installed():
        run(["apt-get", "-y", "-q", "remove", "--purge", PACKAGE], check=False,
            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def test_the_deb_installs_runs_upgrades_and_leaves_nothing_but_the_data(tmp_path: Path, clean_machine) -> None:
    home = tmp_path / "home"
    (home / "runtime").mkdir(parents=True, mode=0o700)
    env = person(home)
    version = run([ROOT / ".venv" / "bin" / "python", "-c",
                   "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])"],
                  cwd=ROOT).stdout.strip()
    first = build_deb()
    assert first.name == f"lgf-desktop_{version}_amd64.deb"
    fields = run(["dpkg-deb", "--field", first]).stdout
    for library in ("libegl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3", "libxcb-cursor0", "libc6"):
        assert re.search(rf"^Depends:.*\b{re.escape(library)}\b", fields, re.MULTILINE), fields
    listing = run(["dpkg-deb", "--contents", first]).stdout
    assert "./opt/lgf-desktop/lgf-desktop" in listing and "./usr/share/applications/lgf-desktop.desktop" in listing

    apt("install", first)  # an absolute path: apt takes it as a file, not a package name
    assert run(["sh", "-c", "command -v lgf; command -v lgf-desktop"], env=env).stdout.split() == [
        "/usr/bin/lgf", "/usr/bin/lgf-desktop"]
    assert run(["lgf", "--version"], env=env).stdout.strip() == f"lgf {version}"
    desktop_entry = Path("/usr/share/applications/lgf-desktop.desktop").read_text()
    assert "Exec=lgf-desktop" in desktop_entry and "Icon=lgf-desktop" in desktop_entry
    if shutil.which("desktop-file-validate"):
        run(["desktop-file-validate", "/usr/share/applications/lgf-desktop.desktop"])

    # The smoke commands, as a person runs them from their home folder.
    run(["lgf", "demo"], env=env, cwd=home)
    database = home / ".local" / "share" / "lgf-desktop" / "lgf.sqlite3"
    assert database.is_file()
    rounds = run(["lgf", "rounds"], env=env, cwd=home).stdout
    round_label = next(line.split()[0] for line in rounds.splitlines()[1:] if "peer review" in line)
    audits = run(["lgf", "audits"], env=env, cwd=home).stdout
    audit_id = next(line.split()[0] for line in audits.splitlines()[1:] if "Neglect" in line)
    run(["lgf", "export", "report", "--round", round_label, "--out", home / "report.docx"], env=env, cwd=home)
    run(["lgf", "export", "brief", "--audit", audit_id, "--out", home / "brief.pdf"], env=env, cwd=home)
    with zipfile.ZipFile(home / "report.docx") as docx:
        core = docx.read("docProps/core.xml").decode()
        assert f"LGF Desktop {version}" in core  # the version that wrote it, in the document's properties
        assert "Section 11" in docx.read("word/document.xml").decode()
    brief = run(["pdftotext", home / "brief.pdf", "-"]).stdout
    assert "Neglect: recognising and responding to" in " ".join(brief.split())
    assert "DejaVuSans" in run(["pdffonts", home / "brief.pdf"]).stdout  # the bundle's fonts, embedded
    assert f"LGF Desktop {version}" in run(["pdfinfo", home / "brief.pdf"]).stdout

    window_becomes_usable(dict(env, QT_QPA_PLATFORM="offscreen"))
    if shutil.which("Xvfb"):  # the X11 plugin with the libraries the package depends on
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            display = xvfb.stdout.readline().strip()
            window_becomes_usable(dict(env, DISPLAY=f":{display}", QT_QPA_PLATFORM="xcb"))
        finally:
            xvfb.terminate()
            xvfb.wait(timeout=30)

    # A newer version installed over it: the person's data is still there and opens.
    newer = ".".join([*version.split(".")[:-1], str(int(version.split(".")[-1]) + 1)])
    second = build_deb(newer)
    apt("install", second)
    assert run(["lgf", "--version"], env=env).stdout.strip() == f"lgf {newer}"
    assert run(["lgf", "rounds"], env=env, cwd=home).stdout == rounds
    assert run(["lgf", "check"], env=env, cwd=home).returncode == 0
    window_becomes_usable(dict(env, QT_QPA_PLATFORM="offscreen"))

    # Removal: nothing of the package left under /opt or /usr; the person's data untouched.
    apt("remove", "--purge", PACKAGE)
    assert not_installed()
    assert [path for path in INSTALLED if path.exists() or path.is_symlink()] == []
    leftovers = run(["sh", "-c", "find /opt /usr -path /proc -prune -o -name '*lgf-desktop*' -print "
                     "-o -name 'lgf' -print"]).stdout.split()
    assert leftovers == []
    assert database.is_file()
