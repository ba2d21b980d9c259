"""A sheet's contents as a Python user has them: bytes, bytearray, memoryview, a path (str or
os.PathLike) or a file opened in binary mode, for upload, upload_volunteers, upload_orgs and
read_sheet alike; a text-mode file, a missing file and another type are refused clearly."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import volunteer_ledger as vl

from test_upload import DATA, district

RECORDS = (DATA / "upload_sample_gbk.csv").read_bytes()


def every_form(tmp_path: Path, data: bytes) -> dict[str, Callable[[], Any]]:
    """The same sheet in each form a call takes, each made afresh (a file is read once)."""
    path = tmp_path / "sheet.csv"
    path.write_bytes(data)
    return {
        "bytes": lambda: data,
        "bytearray": lambda: bytearray(data),
        "memoryview": lambda: memoryview(data),
        "str path": lambda: str(path),
        "Path": lambda: path,
        "binary file": lambda: open(path, "rb"),
        "BytesIO": lambda: io.BytesIO(data),
        "unbuffered file": lambda: open(path, "rb", buffering=0),
    }


def test_upload_takes_a_sheet_in_every_form_with_the_same_report(tmp_path: Path) -> None:
    want = district().upload("district-admin", RECORDS, dry_run=True).to_dict()
    for name, make in every_form(tmp_path, RECORDS).items():
        data = make()
        try:
            got = district().upload("district-admin", data, dry_run=True)
        finally:
            if hasattr(data, "close"):
                data.close()
        assert got.to_dict() == want, name


def test_read_sheet_and_the_register_sheets_take_a_path(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_bytes(RECORDS)
    assert vl.read_sheet(path).to_dict() == vl.read_sheet(RECORDS).to_dict()
    orgs = "名称,类型,上级组织\n光明街道,街道,学田区\n".encode()
    (tmp_path / "orgs.csv").write_bytes(orgs)
    by_path = district().upload_orgs("district-admin", tmp_path / "orgs.csv", dry_run=True)
    assert by_path.to_dict() == district().upload_orgs("district-admin", orgs, dry_run=True).to_dict()
    assert by_path.accepted == 1
    people = "姓名,证件类型,证件号码,所属组织\n赵六,护照,E55500001,C0101\n".encode()
    with open(tmp_path / "orgs.csv", "wb") as f:
        f.write(people)
    with open(tmp_path / "orgs.csv", "rb") as f:
        report = district().upload_volunteers("district-admin", f, dry_run=True)
    assert report.accepted == 1, report


def refused_input(call: Callable[[], object]) -> vl.InputError:
    with pytest.raises(vl.InputError) as caught:
        call()
    e = caught.value
    assert isinstance(e, ValueError)
    assert e.message_en and e.message_zh and e.message_en != e.message_zh
    return e


def test_a_missing_file_names_the_argument_not_the_path(tmp_path: Path) -> None:
    l = district()
    before = (len(l), l.state_digest())
    missing = tmp_path / "张三的表.csv"
    for call in (
        lambda: l.upload("district-admin", missing),
        lambda: l.upload_volunteers("district-admin", str(missing)),
        lambda: l.upload_orgs("district-admin", missing),
        lambda: vl.read_sheet(missing),
    ):
        e = refused_input(call)
        assert e.code == "E_FIELD" and e.fields["field"] == "data", e.fields
        assert "no file" in e.message_en and "张三" not in str(e)
    e = refused_input(lambda: vl.read_sheet(tmp_path))
    assert "folder" in e.message_en
    assert (len(l), l.state_digest()) == before


def test_a_text_mode_file_is_refused_saying_to_open_it_in_binary(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes(RECORDS)
    l = district()
    before = (len(l), l.state_digest())
    with open(path, encoding="gbk") as f:
        e = refused_input(lambda: l.upload("district-admin", f))  # type: ignore[arg-type]
    assert e.code == "E_FIELD" and "'rb'" in e.message_en and "二进制" in e.message_zh
    e = refused_input(lambda: vl.read_sheet(io.StringIO("a,b\n")))  # type: ignore[arg-type]
    assert e.fields["field"] == "data"
    assert (len(l), l.state_digest()) == before


def test_another_type_raises_type_error_naming_the_forms() -> None:
    for bad in (12, None, ["a", "b"], {"data": b""}):
        with pytest.raises(TypeError, match="bytes, a path"):
            vl.read_sheet(bad)  # type: ignore[arg-type]


def test_a_file_objects_own_failure_is_raised_as_it_is() -> None:
    class Broken:
        def read(self, size: int, /) -> bytes:
            raise OSError("the disk went away")

    with pytest.raises(OSError, match="the disk went away"):
        vl.read_sheet(Broken())


def test_a_stream_is_read_only_to_one_byte_past_the_limit() -> None:
    """A stream longer than any sheet may be is refused without being read whole: the core
    asks for at most MAX_UPLOAD_BYTES + 1 bytes (256 MiB + 1), counted here without making
    them (each read answers with a small chunk)."""

    limit = 256 << 20

    class Endless:
        def __init__(self) -> None:
            self.given = 0

        def read(self, size: int, /) -> bytes:
            chunk = b"x" * min(size, 1 << 20)
            self.given += len(chunk)
            return chunk

    stream = Endless()
    with pytest.raises(vl.InputError) as caught:
        vl.read_sheet(stream)
    assert caught.value.code == "E_UPLOAD_TOO_LARGE"
    assert stream.given == limit + 1
