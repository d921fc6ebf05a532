"""LGF Desktop installs as a wheel: built from the source, installed into a fresh virtual environment,
its ``lgf`` loads the demo and exports the learning brief with the fonts and logo the wheel carries."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(command: list[str | Path], **kwargs) -> str:
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, f"{command}: {result.stdout[-2000:]}{result.stderr[-2000:]}"
    return result.stdout


@pytest.mark.slow
def test_the_wheel_installs_into_a_fresh_environment_and_exports_the_learning_brief(tmp_path: Path) -> None:
    # Build from a copy: a build writes build/ and *.egg-info into the tree it is given.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "lgf_desktop", source / "lgf_desktop",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", source, "-w", wheels])
    (wheel,) = wheels.glob("lgf_desktop-*.whl")

    # A fresh environment with only the wheel in it; its dependencies (PySide6, reportlab …) are read
    # from the test environment's site-packages (a path on sys.path, after the fresh one, whose .pth
    # files, among them this checkout's editable install, are not run) so nothing is downloaded.
    fresh = tmp_path / "fresh"
    run([sys.executable, "-m", "venv", "--without-pip", fresh])
    fresh_python = fresh / "bin" / "python"
    fresh_site = Path(run([fresh_python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).strip())
    (fresh_site / "dependencies-from-the-test-environment.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run([sys.executable, "-m", "pip", "--python", fresh_python, "install", "-q", "--no-deps", "--no-index", wheel])

    work = tmp_path / "work"  # neither the checkout nor its parent: nothing of the source is importable
    work.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "LGF_DB")}
    lgf = [fresh / "bin" / "lgf", "--db", work / "demo.sqlite3"]
    where = run([fresh_python, "-c", "import lgf_desktop; print(lgf_desktop.__file__)"], cwd=work, env=env)
    assert Path(where.strip()).is_relative_to(fresh_site)

    run([*lgf, "demo"], cwd=work, env=env)
    listing = run([*lgf, "audits"], cwd=work, env=env)
    audit_id = next(line.split()[0] for line in listing.splitlines()[1:] if "Neglect" in line)
    run([*lgf, "export", "brief", "--audit", audit_id, "--out", work / "brief.pdf"], cwd=work, env=env)

    text = " ".join(run(["pdftotext", work / "brief.pdf", "-"]).split())
    assert "Neglect: recognising and responding to" in text
    assert "A plan must say what will be different for the child, by when, and who checks." in text
    fonts = run(["pdffonts", work / "brief.pdf"])
    assert "DejaVuSans" in fonts and "DejaVuSans-Bold" in fonts  # the wheel's fonts, embedded
    images = run(["pdfimages", "-list", work / "brief.pdf"]).splitlines()[2:]
    assert len(images) >= 1  # the demo logo, from the wheel's resources
