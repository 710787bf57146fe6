"""Dataset records and local files: what makes a dataset, and a one-line reason for everything that does not."""

from __future__ import annotations

import json
from pathlib import Path

import anyio.lowlevel
import pytest

from prolific_taskbuilder_mcp import datafiles
from prolific_taskbuilder_mcp.datafiles import RecordsError, inspect, inspect_file, jsonl, keys_of, schema_for


def test_a_jsonl_file_is_counted_with_its_keys_in_order_of_first_appearance(tmp_path: Path) -> None:
    path = tmp_path / "My replies (v2).JSONL"
    lines = [{"text": "a", "META_ref": "R1"}, {}, {"text": "b", "META_ref": "R2", "extra": 1}]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n   \n", encoding="utf-8")
    file = inspect_file(str(path))
    assert (file.extension, file.records, file.keys) == ("jsonl", 3, ["text", "META_ref", "extra"])
    assert file.upload_name == "My-replies-v2.jsonl"


def test_a_csv_file_with_a_byte_order_mark_and_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes('\ufefftext, META_ref ,\n"a, with comma",R1,\n\nb,R2,\n'.encode())
    file = inspect_file(str(path))
    assert (file.records, file.keys) == (2, ["text", "META_ref"])


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("data.txt", b"text\na\n", "is not a .csv or .jsonl file"),
        ("empty.csv", b"", "is empty"),
        ("header-only.csv", b"text\n", "has no records"),
        ("latin1.csv", "text\ncaf\xe9\n".encode("latin-1"), "is not UTF-8 text"),
        ("huge-cell.csv", b"text\n" + b"x" * 200_000 + b"\n", "is not a readable CSV"),
        ("broken.jsonl", b'{"text": "a"}\n{"text": \n', "Line 2 of 'broken.jsonl' is not JSON"),
        ("array.jsonl", b'{"text": "a"}\n["text"]\n', "Line 2 of 'array.jsonl' is not a JSON object"),
    ],
)
def test_files_that_cannot_make_a_dataset_say_why(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(RecordsError, match=reason):
        inspect_file(str(tmp_path / name))


def test_missing_folders_and_oversized_files_are_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(RecordsError, match=r"Cannot read 'absent\.csv'"):
        inspect_file(str(tmp_path / "absent.csv"))
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(RecordsError, match="is not a regular file"):
        inspect_file(str(tmp_path / "folder.csv"))
    (tmp_path / "big.csv").write_bytes(b"text\n" + b"a\n" * 100)
    monkeypatch.setattr(datafiles, "MAX_FILE_BYTES", 100)
    with pytest.raises(RecordsError, match=r"is 0 MiB: at most 0 MiB"):
        inspect_file(str(tmp_path / "big.csv"))


@pytest.mark.anyio
async def test_an_unchanged_file_is_read_once_and_a_changed_one_again(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("text\na\n", encoding="utf-8")
    first = await inspect(str(path))
    assert await inspect(str(path)) is first
    path.write_text("text\na\nb\nc\n", encoding="utf-8")
    again = await inspect(str(path))
    assert again.records == 3
    sent = [0]
    received = b"".join([chunk async for chunk in datafiles.chunks(again, sent)])
    assert received == path.read_bytes()
    assert sent == [len(received)]
    path.write_text("text\nchanged\n", encoding="utf-8")
    with pytest.raises(RecordsError, match="changed after it was checked"):
        async for _ in datafiles.chunks(again, [0]):
            pass
    await anyio.lowlevel.checkpoint()


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"bad/name": "text"}, "Field name 'bad/name' is not usable"),
        ({"text": "html"}, "has type 'html': use one of"),
        ({"text": "text", "g1": "task_group_id", "g2": "task_group_id"}, "At most one field may be task_group_id"),
        ({"META_ref": "metadata"}, "No field would be shown to participants"),
        ({f"f{n}": "text" for n in range(51)}, "51 fields: at most 50"),
    ],
)
def test_fields_that_cannot_make_a_schema_say_why(fields: dict[str, str], reason: str) -> None:
    with pytest.raises(RecordsError, match=reason):
        schema_for([], fields)


def test_a_schema_is_inferred_from_keys_and_says_so() -> None:
    schema = schema_for(["text", "META_ref", "metadata_source"], None)
    assert schema.fields == {"text": "text", "META_ref": "metadata", "metadata_source": "metadata"}
    assert schema.describe().endswith("inferred from the records' keys")
    assert schema.body()["strict"] is True
    with pytest.raises(RecordsError, match="The records have no keys"):
        schema_for([], None)


@pytest.mark.parametrize(
    ("records", "reason"),
    [
        (["text"], "Record 0 is not an object"),
        ([{"text": "a"}, {"text": ["a", "b"]}], "Record 1, key 'text': values are strings, numbers or booleans"),
        ([{"text": "x" * 100_001}], "at most 100000 characters"),
        ([{f"k{n}": 1 for n in range(51)}], "Record 0 has 51 keys: at most 50"),
    ],
)
def test_records_that_cannot_be_sent_say_which_and_why(records: list[object], reason: str) -> None:
    with pytest.raises(RecordsError, match=reason):
        keys_of(records)  # type: ignore[arg-type]  # what a client may send
    with pytest.raises(RecordsError, match=reason):
        jsonl(records)  # type: ignore[arg-type]


def test_inline_records_beyond_the_inline_limit_point_to_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datafiles, "MAX_INLINE_BYTES", 64)
    assert jsonl([{"text": "short"}]) == b'{"text": "short"}\n'
    with pytest.raises(RecordsError, match="pass file_path"):
        jsonl([{"text": "a" * 40}, {"text": "b" * 40}])
