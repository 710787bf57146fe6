"""Report links and export jobs (batches and collections). Pure functions, no I/O.

Presigned links are credentials until they expire: they are shown because the user asked for a download.
"""

from typing import Literal

from pydantic import Field

from ..client.models import ExportJob, Report
from .base import Summary
from .text import clip

Owner = Literal["batch", "collection"]


class ReportLink(Summary):
    """The CSV report of a batch: the dataset plus a column per answer."""

    batch_id: str
    available: bool
    url: str | None = Field(description="Presigned CSV link; anyone with it can download until expires_at")
    expires_at: str | None
    note: str


def summarize_report(batch_id: str, report: Report) -> ReportLink:
    url = clip(report.url, 4000)
    if url:
        note = "Download it with a plain GET (no Authorization header) before it expires."
    else:
        note = "No report yet: Prolific builds it once participants have responded."
    return ReportLink(
        batch_id=batch_id, available=bool(url), url=url, expires_at=clip(report.expires_at, 40), note=note
    )


def render_report_text(link: ReportLink) -> str:
    if not link.available:
        return f"Batch {link.batch_id}: {link.note}"
    return f"Batch {link.batch_id} CSV report (expires {link.expires_at or '?'}): {link.url}\n{link.note}"


class ExportStatus(Summary):
    """A ZIP export of every response (and uploaded file) of a batch or collection."""

    owner: Owner
    id: str
    export_id: str | None
    status: str | None = Field(description="generating, complete or failed (or a newer value)")
    url: str | None = Field(description="Presigned ZIP link when complete; a credential until expires_at")
    expires_at: str | None
    waited_seconds: float
    timed_out: bool
    next_steps: list[str]


def summarize_export(
    owner: Owner, owner_id: str, job: ExportJob, export_id: str | None, *, waited: float, timed_out: bool
) -> ExportStatus:
    status = clip(job.status, 40)
    export_id = clip(job.export_id, 64) or export_id
    check = f"get_batch_export with export_id {export_id}" if owner == "batch" else "export_collection again"
    if status == "complete":
        steps = ["Download the ZIP with a plain GET before it expires; calling again later gives a fresh link."]
    elif status == "generating":
        steps = [f"Prolific is still building the archive: call {check} in a few seconds."]
    elif status == "failed":
        reason = f" ({clip(job.reason, 200)})" if job.reason else ""
        steps = [
            f"The export failed{reason}. Requesting it again fails the same way while its cause remains: check "
            + (
                "the batch with get_batch (a batch in ERROR cannot be exported) and its datasets with get_dataset"
                if owner == "batch"
                else "the collection with get_collection"
            )
            + ", fix what they show, then call "
            + f"export_{owner} once more"
            + ("; for the answers alone, get_batch_report gives a CSV link." if owner == "batch" else "."),
        ]
    else:
        steps = ["Unknown export status: check the export in the Prolific app."]
    return ExportStatus(
        owner=owner,
        id=owner_id,
        export_id=export_id,
        status=status,
        url=clip(job.url, 4000) if status == "complete" else None,
        expires_at=clip(job.expires_at, 40),
        waited_seconds=round(waited, 1),
        timed_out=timed_out,
        next_steps=steps,
    )


def render_export_text(export: ExportStatus) -> str:
    head = f"Export of {export.owner} {export.id}: {export.status or 'unknown'}"
    if export.export_id:
        head += f" (export_id {export.export_id})"
    lines = [head + (f", after waiting {export.waited_seconds:g} s" if export.waited_seconds else "") + "."]
    if export.url:
        lines.append(f"ZIP (expires {export.expires_at or '?'}): {export.url}")
    if export.timed_out:
        lines.append("Stopped waiting at the timeout; the export continues on Prolific's side.")
    lines += [f"Next: {step}" for step in export.next_steps]
    return "\n".join(lines)
