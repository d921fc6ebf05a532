"""The .lgfx container: a round trip, and every kind of bad file refused with one sentence."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from lgf_desktop.errors import UserError
from lgf_desktop.exchange import container
from lgf_desktop.exchange.container import FORMAT_VERSION, read_package, write_package
from lgf_desktop.importing import describe

PARTS = {"notes.json": json.dumps({"notes": ["Ünïcode ✓ مرحبا 👍"]}, ensure_ascii=False).encode()}


def make(tmp_path: Path, name: str = "notes.lgfx", **overrides) -> Path:
    args = dict(kind="review-notes", author="Sam Panel", description="Notes for one review",
                scope={"review_uuid": "r-1"}, parts=PARTS)
    args.update(overrides)
    return write_package(tmp_path / name, **args)


def rezip(path: Path, members: dict[str, bytes], target: Path | None = None) -> Path:
    target = target or path
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def refused(path: Path, *words: str) -> str:
    with pytest.raises(UserError) as info:
        read_package(path)
    message = str(info.value)
    assert message.count("\n") == 0 and message.endswith(".")
    for word in words:
        assert word in message, message
    return message


def test_round_trip_keeps_parts_and_manifest(tmp_path):
    path = make(tmp_path)
    package = read_package(path)
    assert package.kind == "review-notes"
    assert package.parts == PARTS
    assert package.json("notes.json")["notes"] == ["Ünïcode ✓ مرحبا 👍"]
    m = package.manifest
    assert m["format"] == "lgfx" and m["format_version"] == FORMAT_VERSION
    assert m["author"] == "Sam Panel" and m["scope"] == {"review_uuid": "r-1"}
    assert m["parts"]["notes.json"]["bytes"] == len(PARTS["notes.json"])
    assert len(package.sha256) == 64
    text = describe(path)
    assert "Sam Panel" in text and "Notes for one review" in text and "notes.json" in text


def test_kinds_filter(tmp_path):
    path = make(tmp_path)
    with pytest.raises(UserError, match="cannot be imported here"):
        read_package(path, kinds={"audit-return"})


def test_not_a_zip(tmp_path):
    path = tmp_path / "x.lgfx"
    path.write_text("hello, this is a letter")
    refused(path, "not a zip")


def test_truncated(tmp_path):
    path = make(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    refused(path, "damaged or incomplete")


def test_foreign_zip_without_manifest(tmp_path):
    path = rezip(tmp_path / "photos.lgfx", {"holiday.txt": b"sun"})
    refused(path, "no manifest")


def test_foreign_manifest(tmp_path):
    path = rezip(tmp_path / "other.lgfx", {"manifest.json": b'{"format": "something-else"}'})
    refused(path, "not an LGF")


def test_newer_format_version(tmp_path):
    path = make(tmp_path)
    members = members_of(path)
    manifest = json.loads(members["manifest.json"])
    manifest["format_version"] = FORMAT_VERSION + 1
    members["manifest.json"] = json.dumps(manifest).encode()
    refused(rezip(path, members), "newer version")


def test_unknown_kind(tmp_path):
    path = make(tmp_path)
    members = members_of(path)
    manifest = json.loads(members["manifest.json"])
    manifest["kind"] = "spreadsheet"
    members["manifest.json"] = json.dumps(manifest).encode()
    refused(rezip(path, members), "unknown kind")


def test_tampered_part(tmp_path):
    path = make(tmp_path)
    members = members_of(path)
    members["notes.json"] = members["notes.json"].replace(b"notes", b"n0tes")
    refused(rezip(path, members), "checksum")


def test_missing_and_extra_parts(tmp_path):
    path = make(tmp_path)
    members = members_of(path)
    del members["notes.json"]
    refused(rezip(path, members, tmp_path / "missing.lgfx"), "lacks the part")
    members = members_of(path)
    members["extra.json"] = b"{}"
    refused(rezip(path, members, tmp_path / "extra.lgfx"), "does not list")


@pytest.mark.parametrize("evil", ["../../etc/passwd", "/etc/passwd", "parts\\..\\x", "a/../../b", "C:/x"])
def test_path_traversal_names(tmp_path, evil):
    path = make(tmp_path)
    members = members_of(path)
    members[evil] = b"gotcha"
    refused(rezip(path, members), "leave its folder")
    assert not (tmp_path.parent / "x").exists()


def test_zip_bomb_refused_from_directory(tmp_path, monkeypatch):
    # A 40 MB part of zeros compresses to ~40 kB; it must be refused before it is unpacked.
    path = tmp_path / "bomb.lgfx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", b"{}")
        with archive.open("notes.json", "w", force_zip64=True) as fh:
            chunk = bytes(1024 * 1024)
            for _ in range(40):
                fh.write(chunk)
    assert path.stat().st_size < 1024 * 1024
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, *a, **k: opened.append(a) or real_open(self, *a, **k))
    refused(path, "far more than")
    assert opened == []  # nothing was decompressed


def test_lying_directory_cannot_unpack_more_than_declared(tmp_path):
    # The directory says 10 bytes; the data holds a megabyte. Only the declared size is read.
    path = make(tmp_path)
    members = members_of(path)
    members["notes.json"] = bytes(1024 * 1024)
    rezip(path, members)
    data = bytearray(path.read_bytes())
    # Patch the uncompressed size of notes.json in the central directory to 10 bytes.
    start = data.find(b"PK\x01\x02")
    while start != -1:
        name_len = int.from_bytes(data[start + 28:start + 30], "little")
        if data[start + 46:start + 46 + name_len] == b"notes.json":
            data[start + 24:start + 28] = (10).to_bytes(4, "little")
        start = data.find(b"PK\x01\x02", start + 4)
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("notes.json").file_size == 10
    refused(path, "damaged")


def test_too_many_parts(tmp_path):
    members = {f"p{i}.json": b"{}" for i in range(container.MAX_PARTS + 2)}
    members["manifest.json"] = b"{}"
    refused(rezip(tmp_path / "many.lgfx", members), "too many")


def test_oversized_file_refused_before_reading(tmp_path, monkeypatch):
    path = make(tmp_path)
    monkeypatch.setattr(container, "MAX_PACKAGE_BYTES", 100)
    refused(path, "too large")


def test_missing_file(tmp_path):
    refused(tmp_path / "nowhere.lgfx", "does not exist")


def test_write_refuses_bad_part_names(tmp_path):
    with pytest.raises(UserError, match="cannot be used"):
        make(tmp_path, parts={"../x": b"1"})
    with pytest.raises(UserError, match="not a kind"):
        make(tmp_path, kind="zip")
