"""Datasets (V3 with one status; V4 with a schema and per-upload import jobs). Pure functions, no I/O."""

from __future__ import annotations

from pydantic import Field

from ..client.models import Dataset, ImportJob
from .base import Summary
from .text import clip, sanitize

MAX_IMPORTS = 10
MAX_ERRORS = 5

V3_MEANINGS = {
    "UNINITIALISED": "Created; nothing uploaded yet.",
    "PROCESSING": "The uploaded file is being turned into datapoints.",
    "READY": "Datapoints exist; a batch can use this dataset.",
    "ERROR": "Processing failed; the uploaded data may be unusable.",
}
IMPORT_MEANINGS = {
    "uninitialised": "upload link issued, nothing uploaded yet",
    "queued": "waiting for an earlier import to finish",
    "processing": "records are being ingested",
    "complete": "every record accepted",
    "partial": "some records rejected; the accepted ones are usable",
    "failed": "nothing ingested",
    "pending_schema": "paused until the dataset has a schema",
}


class ImportSummary(Summary):
    import_id: str | None
    status: str | None
    meaning: str | None
    filename: str | None
    created_at: str | None
    accepted: int | None
    duplicates: int | None
    rejected: int | None
    errors: list[str] = Field(description="Rejected records: 'record N: field: reason' (a sample)")
    errors_omitted: int
    reason: str | None


class DatasetDetails(Summary):
    """One dataset: readiness, size, schema (V4) and import jobs with their errors."""

    id: str
    name: str | None
    version: int | None = Field(description="3: legacy CSV/ZIP with one status; 4: typed schema with import jobs")
    status: str | None = Field(description="V3 status; for V4 the latest import's status decides readiness")
    meaning: str
    total_datapoint_count: int | None
    created_at: str | None
    workspace_id: str | None
    filename: str | None
    schema_fields: list[str] = Field(description="V4 schema fields as 'name:type'")
    imports: list[ImportSummary]
    imports_omitted: int
    next_steps: list[str]


def _error_line(error: object) -> str:
    if not isinstance(error, dict):
        return sanitize(str(error), 160)
    where = f"record {error.get('record_index', '?')}"
    if error.get("field"):
        where += f": {sanitize(str(error['field']), 60)}"
    return f"{where}: {sanitize(str(error.get('reason') or 'rejected'), 120)}"


def summarize_import(job: ImportJob) -> ImportSummary:
    errors = job.errors or []
    status = clip(job.status, 40)
    return ImportSummary(
        import_id=clip(job.import_id, 64),
        status=status,
        meaning=IMPORT_MEANINGS.get(status or ""),
        filename=clip(job.filename, 200),
        created_at=clip(job.created_at, 40),
        accepted=job.accepted_count,
        duplicates=job.duplicate_count,
        rejected=job.rejected_count,
        errors=[_error_line(e) for e in errors[:MAX_ERRORS]],
        errors_omitted=max(len(errors) - MAX_ERRORS, (job.rejected_count or 0) - min(len(errors), MAX_ERRORS)),
        reason=clip(job.reason, 300),
    )


def summarize_dataset_details(dataset: Dataset) -> DatasetDetails:
    imports = dataset.imports or []
    fields = []
    schema_fields = (dataset.schema_ or {}).get("fields")
    if isinstance(schema_fields, dict):
        for name, spec in list(schema_fields.items())[:40]:
            kind = spec.get("type") if isinstance(spec, dict) else None
            fields.append(f"{sanitize(str(name), 60)}:{sanitize(str(kind), 20)}")
    status = clip(dataset.status, 40)
    latest = clip(imports[0].status, 40) if imports else None
    if dataset.schema_version == 4 or (status is None and imports):
        steps, meaning = _v4_readiness(dataset, latest, bool(imports), fields)
    else:
        meaning = V3_MEANINGS.get(status or "", f"Status {status or 'unknown'}.")
        steps = {
            "UNINITIALISED": ["Upload a file: get an upload URL for the dataset and PUT the file to it."],
            "PROCESSING": ["Check again in a minute; processing ends in READY or ERROR."],
            "READY": ["Use it in a batch (attach it, then run the batch setup)."],
            "ERROR": ["Check the uploaded file's format, then upload it again or create a new dataset."],
        }.get(status or "", ["Open the dataset in the Prolific app."])
    return DatasetDetails(
        id=sanitize(dataset.id, 64),
        name=clip(dataset.name, 200),
        version=dataset.schema_version,
        status=status or latest,
        meaning=meaning,
        total_datapoint_count=dataset.total_datapoint_count,
        created_at=clip(dataset.created_at, 40),
        workspace_id=clip(dataset.workspace_id, 40),
        filename=clip(dataset.filename, 200),
        schema_fields=fields,
        imports=[summarize_import(job) for job in imports[:MAX_IMPORTS]],
        imports_omitted=max(0, len(imports) - MAX_IMPORTS),
        next_steps=steps,
    )


def _v4_readiness(dataset: Dataset, latest: str | None, has_imports: bool, fields: list[str]) -> tuple[list[str], str]:
    if not fields:
        return ["Set a schema on the dataset; paused imports resume once it has one."], "No schema yet."
    if not has_imports:
        return ["Upload records (JSONL or CSV) to the dataset."], "Schema set; no records uploaded yet."
    if latest in ("uninitialised", "queued", "processing"):
        return ["Check again in a minute; the latest import is still running."], "The latest import is running."
    if latest == "failed":
        return ["Fix the file (see the reason) and upload it again."], "The latest import failed."
    if latest == "partial":
        return (
            ["Some records were rejected (see errors): fix and re-upload them, or use the dataset as it is."],
            "Usable: the latest import was partial.",
        )
    if latest == "pending_schema":
        return ["Set a schema on the dataset; the import resumes by itself."], "An import waits for a schema."
    return ["Use it in a batch (attach it, then run the batch setup)."], "Usable: the latest import is complete."


def render_dataset_text(d: DatasetDetails) -> str:
    lines = [
        f'Dataset "{d.name or "(unnamed)"}" {d.id} (V{d.version or "?"}): {d.status or "no status"}. {d.meaning}',
        f"Datapoints {d.total_datapoint_count if d.total_datapoint_count is not None else '?'}, created "
        f"{d.created_at or '?'} in workspace {d.workspace_id or '?'}" + (f", file {d.filename}" if d.filename else ""),
    ]
    if d.schema_fields:
        lines.append("Schema: " + ", ".join(d.schema_fields))
    for job in d.imports:
        counts = ", ".join(
            f"{label} {value}"
            for label, value in (("accepted", job.accepted), ("duplicates", job.duplicates), ("rejected", job.rejected))
            if value is not None
        )
        line = f"- import {job.import_id or '?'} {job.status or '?'} ({job.meaning or 'unknown status'})"
        line += f" {job.filename or ''} {job.created_at or ''}".rstrip()
        if counts:
            line += f"; {counts}"
        if job.reason:
            line += f"; {job.reason}"
        lines.append(line)
        lines += [f"    {error}" for error in job.errors]
        if job.errors_omitted:
            lines.append(f"    ({job.errors_omitted} more rejected records)")
    if d.imports_omitted:
        lines.append(f"({d.imports_omitted} older imports not shown)")
    lines += [f"Next: {step}" for step in d.next_steps]
    return "\n".join(lines)
