"""Datasets (V3 with one status; V4 with a schema and per-upload import jobs). Pure functions, no I/O."""

from typing import Any

from pydantic import Field

from ..client.models import Dataset, ImportJob
from .base import Summary
from .text import clip, parse_time, quoted, sanitize

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
    "partial": "some records rejected, some accepted",
    "failed": "nothing ingested",
    "pending_schema": "paused until the dataset has a schema",
}


class ImportSummary(Summary):
    import_id: str | None
    status: str | None
    meaning: str | None
    filename: str | None
    created_at: str | None
    updated_at: str | None = Field(
        default=None, description="Last change (a running import that stops changing is stuck)"
    )
    processing_started_at: str | None = None
    progress: str | None = Field(
        default=None, description="While processing: records read, written, duplicate, rejected"
    )
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
    status: str | None = Field(description="V3: the dataset's status; V4: the newest import's status")
    ready_for_setup: bool | None = Field(
        default=None,
        description="V3: READY; V4: at least one import complete (reference 7.6); null when unknown (only partial "
        "imports, whose sufficiency Prolific does not document)",
    )
    meaning: str
    total_datapoint_count: int | None
    created_at: str | None
    workspace_id: str | None
    filename: str | None
    schema_fields: list[str] = Field(description="V4 schema fields as 'name:type' or 'name:type \"label\"'")
    schema_strict: bool | None = Field(
        default=None, description="V4: records missing a schema field are rejected on import"
    )
    predetermined_groups: bool | None = Field(
        default=None, description="Task groups come from the data (a task_group_id field or META_TASK_GROUP_ID)"
    )
    imports: list[ImportSummary]
    imports_omitted: int
    next_steps: list[str]


def error_line(error: object) -> str:
    if not isinstance(error, dict):
        return sanitize(str(error), 160)
    where = f"record {error.get('record_index', '?')}"
    if error.get("field"):
        where += f": {sanitize(str(error['field']), 60)}"
    return f"{where}: {sanitize(str(error.get('reason') or 'rejected'), 120)}"


def _progress(job: ImportJob) -> str | None:
    counters = (
        ("read", job.processed_offset),
        ("written", job.written_count),
        ("duplicate", job.duplicate_seen_count),
        ("rejected", job.rejected_seen_count),
    )
    shown = [f"{label} {value}" for label, value in counters if value is not None]
    return ", ".join(shown) or None


def error_sample(errors: list[Any] | None, rejected: int | None) -> tuple[list[str], int]:
    """The first rejected records as lines, and how many more were rejected (`errors` may be a truncated sample)."""
    errors = errors or []
    return [error_line(e) for e in errors[:MAX_ERRORS]], max(
        len(errors) - MAX_ERRORS, (rejected or 0) - min(len(errors), MAX_ERRORS)
    )


def summarize_import(job: ImportJob) -> ImportSummary:
    lines, omitted = error_sample(job.errors, job.rejected_count)
    status = clip(job.status, 40)
    return ImportSummary(
        import_id=clip(job.import_id, 64),
        status=status,
        meaning=IMPORT_MEANINGS.get(status or ""),
        filename=clip(job.filename, 200),
        created_at=clip(job.created_at, 40),
        updated_at=clip(job.updated_at, 40),
        processing_started_at=clip(job.processing_started_at, 40),
        progress=_progress(job),
        accepted=job.accepted_count,
        duplicates=job.duplicate_count,
        rejected=job.rejected_count,
        errors=lines,
        errors_omitted=omitted,
        reason=clip(job.reason, 300),
    )


def _newest_first(imports: list[ImportJob]) -> list[ImportJob]:
    """Imports newest first by `created_at` (the order Prolific lists them in is not documented)."""
    dated = [(parse_time(job.created_at), n, job) for n, job in enumerate(imports)]
    if any(moment is None for moment, _, _ in dated):
        return list(imports)  # undated: keep Prolific's order
    return [job for _, _, job in sorted(dated, key=lambda d: (-d[0].timestamp(), d[1]))]  # type: ignore[union-attr]


def summarize_dataset_details(dataset: Dataset) -> DatasetDetails:
    imports = _newest_first(dataset.imports or [])
    fields = []
    schema = dataset.schema_ or {}
    schema_fields = schema.get("fields")
    if isinstance(schema_fields, dict):
        for name, spec in list(schema_fields.items())[:40]:
            kind = spec.get("type") if isinstance(spec, dict) else None
            label = spec.get("label") if isinstance(spec, dict) else None
            shown = f"{sanitize(str(name), 60)}:{sanitize(str(kind), 20)}"
            fields.append(f"{shown} {quoted(str(label), 60)}" if label else shown)
    strict = schema.get("strict")
    status = clip(dataset.status, 40)
    newest = clip(imports[0].status, 40) if imports else None
    ready: bool | None
    if dataset.schema_version == 4 or (status is None and imports):
        steps, meaning, ready = _v4_readiness(imports, fields)
    else:
        meaning = V3_MEANINGS.get(status or "", f"Status {status or 'unknown'}.")
        ready = status == "READY"
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
        status=status or newest,
        ready_for_setup=ready,
        meaning=meaning,
        total_datapoint_count=dataset.total_datapoint_count,
        created_at=clip(dataset.created_at, 40),
        workspace_id=clip(dataset.workspace_id, 40),
        filename=clip(dataset.filename, 200),
        schema_fields=fields,
        schema_strict=strict if isinstance(strict, bool) else None,
        predetermined_groups=dataset.has_predetermined_grouping_id,
        imports=[summarize_import(job) for job in imports[:MAX_IMPORTS]],
        imports_omitted=max(0, len(imports) - MAX_IMPORTS),
        next_steps=steps,
    )


_RUNNING = ("uninitialised", "queued", "processing")


def _v4_readiness(imports: list[ImportJob], fields: list[str]) -> tuple[list[str], str, bool | None]:
    """Readiness per the reference (7.6): a V4 dataset is ready for setup once at least one import is
    `complete`, whatever came after; whether a `partial` import suffices is not documented."""
    if not fields:
        return ["Set a schema on the dataset; paused imports resume once it has one."], "No schema yet.", False
    if not imports:
        return ["Upload records (JSONL or CSV) to the dataset."], "Schema set; no records uploaded yet.", False
    statuses = [(job.status or "").lower() for job in imports]
    newest = imports[0]
    complete = statuses.count("complete")
    partial = [job for job, status in zip(imports, statuses, strict=True) if status == "partial"]
    running = sum(1 for status in statuses if status in _RUNNING)
    if complete:
        meaning = f"Ready for setup: {complete} import{'s' if complete != 1 else ''} complete."
        steps = ["Use it in a batch (attach it, then run the batch setup)."]
        if statuses[0] == "failed":
            name = f" ({quoted(newest.filename, 80)})" if newest.filename else ""
            meaning += f" The newest import{name} failed: its records were not added."
            steps.append("Fix the failed file (see its reason) and upload it again to add its records.")
        elif statuses[0] == "partial":
            meaning += " The newest import was partial: its rejected records were not added."
        if running:
            meaning += f" {running} more import{'s are' if running != 1 else ' is'} still running."
        return steps, meaning, True
    if partial:
        accepted = sum(job.accepted_count or 0 for job in partial)
        rejected = sum(job.rejected_count or 0 for job in partial)
        meaning = (
            f"Partial: no import is complete; {len(partial)} partial import{'s' if len(partial) != 1 else ''} "
            f"accepted {accepted} records and rejected {rejected}. Prolific documents setup as needing a complete "
            "import; whether a partial one is enough is not documented."
        )
        steps = [
            "Fix the rejected records (see errors) and upload them again so an import completes; or try the batch "
            "setup and see whether Prolific accepts the dataset."
        ]
        return steps, meaning, None
    if running:
        return (
            ["Check again in a minute (an import that stops updating for long is stuck: compare updated_at)."],
            "Not ready yet: an import is still running and none has completed.",
            False,
        )
    if "pending_schema" in statuses:
        return ["Set a schema on the dataset; the import resumes by itself."], "An import waits for a schema.", False
    if all(status == "failed" for status in statuses):
        return ["Fix the file (see the reason) and upload it again."], "Not ready: every import failed.", False
    return ["Open the dataset in the Prolific app."], "Not ready: no import is complete.", False


def render_dataset_text(d: DatasetDetails) -> str:
    lines = [
        f"Dataset {quoted(d.name or '(unnamed)', 200)} {d.id} (V{d.version or '?'}): {d.status or 'no status'}. "
        f"{d.meaning}",
        f"Datapoints {d.total_datapoint_count if d.total_datapoint_count is not None else '?'}, created "
        f"{d.created_at or '?'} in workspace {d.workspace_id or '?'}" + (f", file {d.filename}" if d.filename else ""),
    ]
    if d.schema_fields:
        strict = ""
        if d.schema_strict is not None:
            strict = " (strict: records missing a field are rejected)" if d.schema_strict else " (not strict)"
        lines.append("Schema: " + ", ".join(d.schema_fields) + strict)
    if d.predetermined_groups:
        lines.append("Task groups come from the data (predetermined grouping id).")
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
        if job.progress:
            line += f"; progress: {job.progress}"
        if job.status in _RUNNING and job.updated_at:
            line += f"; last update {job.updated_at}"
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
