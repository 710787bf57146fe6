"""The simulator's dataset writes and sync jobs (reference 9.1, 9.5-9.8, 7.10-7.11, 12.3, 12.5).

Pure functions over plain records, no I/O except reading an uploaded file from disk: `state.py` calls them under
its lock, `routes.py` serves them. Simulator choices where the reference leaves behaviour open (kept stable):
- an import job is `queued` once its file arrives, `processing` on the first status read, and finished on the
  next (`complete`, `partial` or `failed`); a `failed` import is one where no record was accepted;
- a record is rejected when it is not a JSON object (or a CSV row with the wrong number of cells), when a schema
  field is missing or empty under `strict`, when a media field is not an http(s) URL, or when a value is a list
  or an object; keys outside the schema are ignored;
- an identical record (same keys and values) is accepted again but written once (`duplicate_count`);
- append (9.8) answers 200 with `accepted_count`, `rejected_count`, `duplicate_count` and `errors`;
- sync (7.10) answers 202 with the queued job, which is `processing` on the first read and `complete` on the next;
  a sync's preconditions (READY batch, V4 dataset attached) are 400s.
- only the first `SAMPLE` records of a dataset are kept (the counts cover all): enough to give simulated
  responses each datapoint's metadata, bounded whatever the upload's size.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import math
import re
import time
import uuid
from collections.abc import Iterator
from typing import IO, Any

from . import data
from .errors import WriteRefusedError, now_iso

FIELD_TYPES = frozenset({"text", "image_url", "audio_url", "video_url", "metadata", "task_group_id"})
MEDIA_TYPES = frozenset({"image_url", "audio_url", "video_url"})
SAMPLE = 1000
ERRORS_SHOWN = 50
APPEND_LIMIT = 1000
FORMATS = {4: {"csv": "text/csv", "jsonl": "application/x-ndjson"}, 3: {"csv": "text/csv", "zip": "application/zip"}}
_OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")


def _schema_problem(schema: Any) -> dict[str, list[str]] | None:
    if not isinstance(schema, dict):
        return {"schema": ["Must be an object."]}
    unknown = set(schema) - {"strict", "fields"}
    if unknown:
        return {"schema": [f"Unknown key {key!r}." for key in sorted(unknown)]}
    if "strict" in schema and not isinstance(schema["strict"], bool):
        return {"schema.strict": ["Must be a boolean."]}
    fields = schema.get("fields")
    if not isinstance(fields, dict) or not fields:
        return {"schema.fields": ["At least one field is required."]}
    for name, spec in fields.items():
        if not isinstance(spec, dict) or spec.get("type") not in FIELD_TYPES:
            return {f"schema.fields.{name}": [f"type must be one of {', '.join(sorted(FIELD_TYPES))}."]}
        if "label" in spec and not isinstance(spec["label"], str):
            return {f"schema.fields.{name}.label": ["Must be a string."]}
    if sum(1 for spec in fields.values() if spec["type"] == "task_group_id") > 1:
        return {"schema.fields": ["At most one field may be of type task_group_id."]}
    return None


def create(body: Any) -> dict[str, Any]:
    """POST /datasets (9.1): a V4 dataset when a schema is sent, else a V3 one."""
    if not isinstance(body, dict):
        raise WriteRefusedError(400, "The request body must be a JSON object.")
    name, workspace_id = body.get("name"), body.get("workspace_id")
    if not isinstance(name, str) or not name.strip():
        raise WriteRefusedError(400, {"name": ["This field is required."]})
    if not isinstance(workspace_id, str) or not _OBJECT_ID.fullmatch(workspace_id):
        raise WriteRefusedError(400, {"workspace_id": ["A valid workspace id is required."]})
    if workspace_id not in {w["id"] for w in data.WORKSPACES}:
        raise WriteRefusedError(404, "Workspace not found.")
    dataset: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "name": name,
        "created_at": now_iso(),
        "created_by": data.USER_ID,
        "workspace_id": workspace_id,
        "total_datapoint_count": 0,
    }
    schema = body.get("schema")
    if schema is None:
        dataset.update(schema_version=3, status="UNINITIALISED", filename=None, has_predetermined_grouping_id=None)
        dataset.update(schema=None, imports=None)
        return dataset
    problem = _schema_problem(schema)
    if problem is not None:
        raise WriteRefusedError(400, problem)
    schema = {"strict": bool(schema.get("strict", False)), "fields": schema["fields"]}
    dataset.update(schema_version=4, schema=schema, imports=[])
    return dataset


def upload_target(dataset: dict[str, Any], filename: str, storage_origin: str, expires: float) -> dict[str, Any]:
    """GET /datasets/{id}/upload-url/{filename} (9.5): the presigned PUT and, for V4, a new import job."""
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    formats = FORMATS[4 if dataset.get("schema_version") == 4 else 3]
    if extension not in formats:
        raise WriteRefusedError(400, {"filename": [f"Unsupported file type: use {' or '.join(sorted(formats))}."]})
    import_id = str(uuid.uuid4())
    key = f"{dataset['id']}/{import_id}/{filename}"
    target = {
        "dataset_id": dataset["id"],
        "import_id": import_id,
        "upload_url": f"{storage_origin}/raw-datasets/{key}?X-Amz-Expires={int(expires)}&X-Amz-Signature="
        + signature(key, expires),
        "http_method": "PUT",
        "content_type": formats[extension],
        "expires_at": _iso(expires),
        "file_key": key,
    }
    if dataset.get("schema_version") == 4:
        now = now_iso()
        job = {"dataset_id": dataset["id"], "import_id": import_id, "type": "upload", "filename": filename}
        dataset["imports"].insert(0, {**job, "created_at": now, "updated_at": now, "status": "uninitialised"})
    return target


def signature(key: str, expires: float) -> str:
    return hashlib.sha256(f"put/{key}/{int(expires)}".encode()).hexdigest()[:40]


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


# -- reading records ---------------------------------------------------------------------------------------


class FileUnreadableError(Exception):
    """The whole file is unusable (not UTF-8, no CSV header): the import fails with this reason."""


def _text_lines(raw: IO[bytes]) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending = ""
    try:
        for chunk in iter(lambda: raw.read(1 << 16), b""):
            pending += decoder.decode(chunk)
            *lines, pending = pending.split("\n")
            for line in lines:
                yield line + "\n"
        pending += decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise FileUnreadableError("The file is not UTF-8 text.") from None
    if pending:
        yield pending


def records_of(raw: IO[bytes], extension: str) -> Iterator[dict[str, Any] | str]:
    """Each record of a JSONL or CSV file, or a string saying why that record is unreadable."""
    lines = _text_lines(raw)
    if extension == "jsonl":
        for line in lines:
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError:
                yield "invalid JSON"
                continue
            yield value if isinstance(value, dict) else "a record must be a JSON object"
        return
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error:
        raise FileUnreadableError("The CSV could not be parsed.") from None
    if not any(cell.strip() for cell in header):
        raise FileUnreadableError("The CSV has no header row.")
    try:
        for row in reader:
            if not row:
                continue
            yield dict(zip(header, row, strict=True)) if len(row) == len(header) else "wrong number of columns"
    except csv.Error:
        yield "the CSV could not be parsed from here on"


def _record_problem(record: dict[str, Any], schema: dict[str, Any]) -> tuple[str | None, str] | None:
    fields: dict[str, Any] = schema.get("fields") or {}
    for name, spec in fields.items():
        value = record.get(name)
        if isinstance(value, dict | list):
            return name, "value must be a string, number or boolean"
        if value is None or value == "":
            if schema.get("strict"):
                return name, "missing value"
            continue
        if spec.get("type") in MEDIA_TYPES and not str(value).startswith(("http://", "https://")):
            return name, "must be an http(s) URL"
    return None


class Ingest:
    """Counts for one import or append: accepted, duplicates, rejected (with the first reasons), and what to keep."""

    def __init__(self, dataset: dict[str, Any], seen: set[int]) -> None:
        self.schema: dict[str, Any] = dataset.get("schema") or {"fields": {}}
        self.seen = seen
        self.accepted = self.duplicates = self.rejected = 0
        self.errors: list[dict[str, Any]] = []
        self.written: list[dict[str, Any]] = []
        self.written_count = 0
        self.group_field = group_field(dataset)
        self.groups: dict[str, int] = {}
        """Records written per task_group_id value (grouping by the data, reference 7.6)."""
        self.room = max(0, SAMPLE - len(dataset.get("_records") or []))

    def add(self, index: int, record: dict[str, Any] | str) -> None:
        if isinstance(record, str):
            return self._reject(index, None, record)
        problem = _record_problem(record, self.schema)
        if problem is not None:
            return self._reject(index, *problem)
        self.accepted += 1
        fields = self.schema.get("fields") or {}
        kept = {name: record[name] for name in fields if name in record}
        digest = hash(json.dumps(kept, sort_keys=True, default=str))
        if digest in self.seen:
            self.duplicates += 1
            return None
        self.seen.add(digest)
        self.written_count += 1
        if self.group_field is not None:
            value = str(record.get(self.group_field, ""))
            self.groups[value] = self.groups.get(value, 0) + 1
        if len(self.written) < self.room:
            self.written.append(kept)
        return None

    def _reject(self, index: int, field: str | None, reason: str) -> None:
        self.rejected += 1
        if len(self.errors) < ERRORS_SHOWN:
            self.errors.append({"record_index": index, **({"field": field} if field else {}), "reason": reason})

    def counts(self) -> dict[str, Any]:
        return {
            "accepted_count": self.accepted,
            "duplicate_count": self.duplicates,
            "rejected_count": self.rejected,
            "errors": self.errors,
        }


def ingest_file(dataset: dict[str, Any], seen: set[int], raw: IO[bytes], extension: str) -> tuple[Ingest, str | None]:
    """Read an uploaded file against the dataset's schema: the counts, and why it failed as a whole (if so)."""
    ingest = Ingest(dataset, seen)
    try:
        for index, record in enumerate(records_of(raw, extension)):
            ingest.add(index, record)
    except FileUnreadableError as exc:
        return ingest, str(exc)
    if ingest.accepted == 0:
        return ingest, "Every record was rejected." if ingest.rejected else "The file contains no records."
    return ingest, None


def group_field(dataset: dict[str, Any]) -> str | None:
    """The schema's task_group_id field, if it has one."""
    fields = ((dataset.get("schema") or {}).get("fields")) or {}
    return next((name for name, spec in fields.items() if (spec or {}).get("type") == "task_group_id"), None)


def write(dataset: dict[str, Any], ingest: Ingest) -> None:
    """Add what an ingest accepted to the dataset (its count, the kept sample, the records per group value)."""
    dataset["total_datapoint_count"] = int(dataset.get("total_datapoint_count") or 0) + ingest.written_count
    dataset.setdefault("_records", []).extend(ingest.written)
    groups = dataset.setdefault("_groups", {})
    for value, count in ingest.groups.items():
        groups[value] = groups.get(value, 0) + count


def finish_import(job: dict[str, Any], ingest: Ingest, reason: str | None) -> None:
    """The job's terminal fields (12.3)."""
    job["updated_at"] = now_iso()
    if reason is not None:
        job.update(status="failed", reason=reason, errors=ingest.errors, rejected_count=ingest.rejected)
        return
    job.update(ingest.counts())
    if ingest.rejected:
        job.update(status="partial", reason="Some records were rejected.")
    else:
        job["status"] = "complete"
        del job["errors"], job["rejected_count"]


def running_import(dataset: dict[str, Any]) -> bool:
    return any((job or {}).get("status") in ("queued", "processing") for job in dataset.get("imports") or [])


def append_lines(dataset: dict[str, Any], seen: set[int], body: bytes) -> Ingest:
    """POST /datasets/{id}/datapoints (9.8): JSONL records validated one by one, written within the request."""
    if dataset.get("schema_version") != 4 or not dataset.get("schema"):
        raise WriteRefusedError(400, "Datapoints can be appended only to a V4 dataset with a schema.")
    if running_import(dataset):
        raise WriteRefusedError(409, "An import is in progress on this dataset: try again when it has finished.")
    try:
        lines = [line for line in body.decode("utf-8").splitlines() if line.strip()]
    except UnicodeDecodeError:
        raise WriteRefusedError(400, "The body is not UTF-8 JSONL.") from None
    if len(lines) > APPEND_LIMIT:
        raise WriteRefusedError(400, f"At most {APPEND_LIMIT} records per request (got {len(lines)}).")
    if not lines:
        raise WriteRefusedError(400, "The body has no records.")
    ingest = Ingest(dataset, seen)
    for index, line in enumerate(lines):
        try:
            value = json.loads(line)
        except ValueError:
            ingest.add(index, "invalid JSON")
            continue
        ingest.add(index, value if isinstance(value, dict) else "a record must be a JSON object")
    write(dataset, ingest)
    return ingest


# -- sync jobs (7.10, 7.11, 12.5) --------------------------------------------------------------------------


def start_sync(batch: dict[str, Any], dataset: dict[str, Any] | None) -> dict[str, Any]:
    if batch.get("status") != "READY":
        raise WriteRefusedError(400, f"The batch is {batch.get('status')}: only a READY batch can be synced.")
    if dataset is None:
        raise WriteRefusedError(400, "No dataset is attached to the batch.")
    if dataset.get("schema_version") != 4:
        raise WriteRefusedError(400, "Only batches on a V4 dataset can be synced.")
    return {
        "batch_id": batch["id"],
        "dataset_id": dataset["id"],
        "sync_id": str(uuid.uuid4()),
        "created_at": now_iso(),
        "status": "queued",
    }


def advance_sync(job: dict[str, Any], batch: dict[str, Any], dataset: dict[str, Any] | None) -> None:
    """One status read of a sync job: queued -> processing -> complete (tasks for the datapoints without one)."""
    if job["status"] == "queued":
        job["status"] = "processing"
        return
    if job["status"] != "processing":
        return
    total = int((dataset or {}).get("total_datapoint_count") or 0)
    tasked = int(batch.get("_tasked") or 0)
    new = max(0, total - tasked)
    if dataset is not None and group_field(dataset) is not None and "_groups" in dataset:  # join or start a group
        before: dict[str, int] = batch.get("_grouped") or {}
        now: dict[str, int] = dict(dataset.get("_groups") or {})
        created = sum(1 for value in now if value not in before)
        expanded = sum(1 for value, count in now.items() if value in before and count > before[value])
        batch["_grouped"] = now
    else:  # fixed-size groups: top up the open partial group first, then make new ones
        per = max(1, int(batch.get("_per_group") or 1))
        open_slots = (per - tasked % per) % per
        expanded = 1 if open_slots and new else 0
        created = math.ceil(max(0, new - open_slots) / per)
    batch["_tasked"] = tasked + new
    batch["total_task_count"] = int(batch.get("total_task_count") or 0) + new
    batch["total_task_groups"] = int(batch.get("total_task_groups") or 0) + created
    for attached in batch.get("datasets") or []:
        if attached.get("id") == job["dataset_id"]:
            attached["total_datapoint_count"] = total
    job.update(
        status="complete",
        tasks_created=new,
        datapoints_processed=new,
        groups_created=created,
        groups_expanded=expanded,
    )
