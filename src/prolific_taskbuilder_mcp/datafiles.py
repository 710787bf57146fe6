"""Dataset records for `create_dataset` and `add_datapoints`: checked, turned into a V4 schema, made into JSONL, or
read from a local CSV/JSONL file in chunks (never whole). No MCP, no network; file reads run in worker threads.

A schema comes from `fields` (name -> type) or is inferred from the records' keys: every key is `text`, except keys
starting with `META_` or `metadata_`, which are `metadata` (carried into exports, not shown to participants). An
inferred schema is strict: a record missing a field is rejected on import, with its index and the field named.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import anyio

FieldType = Literal["text", "image_url", "audio_url", "video_url", "metadata", "task_group_id"]
SHOWN_TYPES = frozenset({"text", "image_url", "audio_url", "video_url"})
METADATA_PREFIXES = ("META_", "metadata_")
MAX_FIELDS = 50
MAX_INLINE_RECORDS = 1000
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_VALUE_CHARS = 100_000
MAX_INLINE_BYTES = 10 * 1024 * 1024
"""Largest JSONL the inline records may make (a bigger upload goes through file_path, streamed)."""
CHUNK = 256 * 1024
FIELD_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_ .-]{0,63}$")


class RecordsError(ValueError):
    """The records, fields or file cannot make a dataset; the message says why and what would."""


@dataclass(frozen=True)
class Schema:
    fields: dict[str, FieldType]
    inferred: bool

    def body(self) -> dict[str, Any]:
        """The V4 schema object (reference 4.7.1); strict: a record missing a field is rejected, not half-shown."""
        return {"strict": True, "fields": {name: {"type": kind} for name, kind in self.fields.items()}}

    def describe(self) -> str:
        listed = ", ".join(f"{name} ({kind})" for name, kind in self.fields.items())
        how = "inferred from the records' keys" if self.inferred else "as given"
        return f"fields {listed}, {how}"


def infer_type(key: str) -> FieldType:
    return "metadata" if key.startswith(METADATA_PREFIXES) else "text"


def check_fields(fields: Mapping[str, str]) -> dict[str, FieldType]:
    allowed = ("text", "image_url", "audio_url", "video_url", "metadata", "task_group_id")
    checked: dict[str, FieldType] = {}
    for name, kind in fields.items():
        if not FIELD_NAME.fullmatch(name):
            raise RecordsError(
                f"Field name {name[:70]!r} is not usable: 1-64 letters, digits, '_', '-', '.' or spaces."
            )
        if kind not in allowed:
            raise RecordsError(f"Field {name!r} has type {str(kind)[:40]!r}: use one of {', '.join(allowed)}.")
        checked[name] = kind  # type: ignore[assignment]  # narrowed by the check above
    if sum(1 for kind in checked.values() if kind == "task_group_id") > 1:
        raise RecordsError("At most one field may be task_group_id (it groups records into one participant's tasks).")
    return checked


def schema_for(keys: list[str], fields: Mapping[str, str] | None) -> Schema:
    """The schema from `fields`, or inferred from the records' keys (in order of first appearance)."""
    if fields:
        chosen = check_fields(fields)
        inferred = False
    else:
        if not keys:
            raise RecordsError('The records have no keys: each record is an object such as {"text": "..."}.')
        chosen = check_fields({key: infer_type(key) for key in keys})
        inferred = True
    if len(chosen) > MAX_FIELDS:
        raise RecordsError(f"{len(chosen)} fields: at most {MAX_FIELDS}.")
    if not any(kind in SHOWN_TYPES for kind in chosen.values()):
        raise RecordsError(
            "No field would be shown to participants: at least one must be text, image_url, audio_url or video_url "
            "(keys starting META_ or metadata_ are metadata)."
        )
    return Schema(chosen, inferred)


def _check_record(index: int, record: Any) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise RecordsError(f'Record {index} is not an object: each record is an object such as {{"text": "..."}}.')
    if len(record) > MAX_FIELDS:
        raise RecordsError(f"Record {index} has {len(record)} keys: at most {MAX_FIELDS}.")
    for key, value in record.items():
        if isinstance(value, dict | list):
            raise RecordsError(f"Record {index}, key {str(key)[:64]!r}: values are strings, numbers or booleans.")
        if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
            raise RecordsError(f"Record {index}, key {str(key)[:64]!r}: at most {MAX_VALUE_CHARS} characters.")
    return record


def keys_of(records: list[dict[str, Any]]) -> list[str]:
    """Every key of the records, in order of first appearance."""
    seen: dict[str, None] = {}
    for index, record in enumerate(records):
        for key in _check_record(index, record):
            seen.setdefault(str(key), None)
    return list(seen)


def jsonl(records: list[dict[str, Any]]) -> bytes:
    """The records as JSONL (one object per line, UTF-8)."""
    for index, record in enumerate(records):
        _check_record(index, record)
    content = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode()
    if len(content) > MAX_INLINE_BYTES:
        raise RecordsError(
            f"The records make {len(content) / 2**20:.1f} MiB of JSONL: inline records are limited to "
            f"{MAX_INLINE_BYTES // 2**20} MiB. Put them in a local .jsonl or .csv file and pass file_path (stdio)."
        )
    return content


def unknown_keys(keys: list[str], schema: Schema) -> list[str]:
    """Keys of the records that the schema does not have (Prolific ignores them)."""
    return [key for key in keys if key not in schema.fields]


# -- local files (stdio only: the path is the user's own disk) ---------------------------------------------


@dataclass(frozen=True)
class LocalFile:
    path: Path
    extension: Literal["csv", "jsonl"]
    size: int
    modified_ns: int
    records: int
    keys: list[str]

    @property
    def upload_name(self) -> str:
        """A name Prolific accepts in the upload URL path: the file's stem made safe, and its extension."""
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", self.path.stem).strip("-")[:48] or "records"
        return f"{stem}.{self.extension}"


def _resolve(file_path: str) -> tuple[Path, Literal["csv", "jsonl"], os.stat_result]:
    path = Path(file_path).expanduser()
    extension = path.suffix.lower().lstrip(".")
    if extension not in ("csv", "jsonl"):
        raise RecordsError(f"{path.name!r} is not a .csv or .jsonl file: Prolific imports those two formats.")
    try:
        info = path.stat()
    except OSError as exc:
        raise RecordsError(
            f"Cannot read {path.name!r}: {exc.strerror or 'not found'}. Pass an existing file."
        ) from None
    if not path.is_file():
        raise RecordsError(f"{path.name!r} is not a regular file.")
    if info.st_size > MAX_FILE_BYTES:
        raise RecordsError(f"{path.name!r} is {info.st_size / 2**20:.0f} MiB: at most {MAX_FILE_BYTES // 2**20} MiB.")
    if info.st_size == 0:
        raise RecordsError(f"{path.name!r} is empty.")
    return path, extension, info  # type: ignore[return-value]  # narrowed by the check above


def _text_lines(handle: Any) -> Any:
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending = ""
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        pending += decoder.decode(chunk)
        *lines, pending = pending.split("\n")
        for line in lines:
            yield line + "\n"
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def inspect_file(file_path: str) -> LocalFile:
    """Check a local file and count its records and keys in one streaming pass (blocking: run in a thread)."""
    path, extension, info = _resolve(file_path)
    keys: dict[str, None] = {}
    records = 0
    try:
        with path.open("rb") as handle:
            lines = _text_lines(handle)
            if extension == "csv":
                reader = csv.reader(lines)
                header = next(reader, [])
                keys = dict.fromkeys(cell.strip() for cell in header if cell.strip())
                records = sum(1 for row in reader if row)
            else:
                for number, line in enumerate(lines, start=1):
                    if not line.strip():
                        continue
                    records += 1
                    try:
                        value = json.loads(line)
                    except ValueError:
                        raise RecordsError(f"Line {number} of {path.name!r} is not JSON.") from None
                    if not isinstance(value, dict):
                        raise RecordsError(f"Line {number} of {path.name!r} is not a JSON object.")
                    if len(keys) <= MAX_FIELDS:
                        keys.update(dict.fromkeys(str(k) for k in value))
    except UnicodeDecodeError:
        raise RecordsError(f"{path.name!r} is not UTF-8 text.") from None
    except csv.Error as exc:
        raise RecordsError(f"{path.name!r} is not a readable CSV ({exc}).") from None
    except OSError as exc:
        raise RecordsError(f"Cannot read {path.name!r}: {exc.strerror or exc}.") from None
    if not records:
        raise RecordsError(f"{path.name!r} has no records.")
    return LocalFile(path, extension, info.st_size, info.st_mtime_ns, records, list(keys))


_INSPECTED: dict[tuple[str, int, int], LocalFile] = {}
"""Recent inspections by (path, size, mtime): a write's consent step and its body read a large file once, not twice."""


async def inspect(file_path: str) -> LocalFile:
    """`inspect_file` in a worker thread; a file unchanged since it was last inspected is not read again."""
    try:
        where = await (await anyio.Path(file_path).expanduser()).resolve()
        info = await where.stat()
        key = (str(where), info.st_size, info.st_mtime_ns)
    except OSError:
        key = None
    if key is not None and key in _INSPECTED:
        return _INSPECTED[key]
    file = await anyio.to_thread.run_sync(inspect_file, file_path)
    if key is not None:
        if len(_INSPECTED) >= 8:
            _INSPECTED.pop(next(iter(_INSPECTED)))
        _INSPECTED[key] = file
    return file


async def chunks(file: LocalFile, sent: list[int]) -> AsyncIterator[bytes]:
    """The file's bytes in chunks, read in a worker thread; `sent[0]` counts what was handed on. Refuses a file
    that changed since it was inspected (its size is the upload's Content-Length)."""
    async with await anyio.open_file(file.path, "rb") as handle:
        info = await anyio.Path(file.path).stat()
        if info.st_size != file.size or info.st_mtime_ns != file.modified_ns:
            raise RecordsError(f"{file.path.name!r} changed after it was checked: call again.")
        while chunk := await handle.read(CHUNK):
            sent[0] += len(chunk)
            yield chunk
