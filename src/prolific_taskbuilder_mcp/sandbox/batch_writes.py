"""The simulator's batch writes: create, update, set up and duplicate (reference 7.2, 7.4, 7.6, 7.9, 12.1).

Pure functions over plain batch records, no I/O: `state.py` calls them under its lock, `routes.py` serves them.
Where the reference leaves behaviour unknown, the simulator takes the choice the reference names (12.1): setup on
a batch that is not UNINITIALISED is a 400, layout or dataset changes on a PROCESSING batch are a 400, READY
batches stay READY. A dataset whose name contains `FAIL_SETUP` makes setup end in ERROR (a failure path to test).
"""

from __future__ import annotations

import copy
import math
import uuid
from typing import Any

from . import data, dataset_writes, generate
from .errors import WriteRefusedError, now_iso

CONTENT_ONLY = frozenset({"rich_text", "image"})
QUESTION_TYPES = frozenset(
    {"free_text", "multiple_choice", "multiple_choice_with_free_text", "free_text_with_unit", "file_upload"}
)
FAIL_SETUP = "FAIL_SETUP"


def layout_issues(batch_items: Any, dataset_fields: set[str] | None) -> list[dict[str, Any]]:
    """INVALID_BATCH_ITEMS issues (reference 2.7.2): 0-based page/row/column/item positions."""
    issues: list[dict[str, Any]] = []
    if not isinstance(batch_items, list):
        return [{"page": 0, "row": 0, "column": 0, "item": 0, "type": None, "message": "batch_items must be a list"}]
    for p, page in enumerate(batch_items):
        position = str((page or {}).get("display_position") or "body") if isinstance(page, dict) else "body"
        rows = page.get("rows") if isinstance(page, dict) else None
        for r, row in enumerate(rows or []):
            for c, column in enumerate((row or {}).get("columns") or []):
                for i, item in enumerate((column or {}).get("items") or []):
                    kind = item.get("type") if isinstance(item, dict) else None
                    where = {"page": p, "row": r, "column": c, "item": i, "type": kind}
                    message = _item_problem(item, kind, position, dataset_fields)
                    if message is not None:
                        field = item.get("field") if kind == "dataset_field" and isinstance(item, dict) else None
                        issues.append({**where, **({"field": field} if field else {}), "message": message})
    return issues


def _item_problem(item: Any, kind: Any, position: str, dataset_fields: set[str] | None) -> str | None:
    if not isinstance(item, dict):
        return "an item must be an object"
    if position in ("intro", "outro") and kind not in CONTENT_ONLY:
        return 'Pages with display_position "intro" or "outro" may only contain image or rich_text content blocks'
    if kind == "dataset_field":
        if dataset_fields is not None and item.get("field") not in dataset_fields:
            return "Field does not exist in the dataset schema"
        return None
    if kind in CONTENT_ONLY:
        return None
    if kind not in QUESTION_TYPES:
        return f"unknown item type {kind!r}"
    if not str(item.get("description") or "").strip():
        return "description is required"
    if kind in ("multiple_choice", "multiple_choice_with_free_text"):
        options = item.get("options") or []
        limit = item.get("answer_limit", 1)
        if not options:
            return "options are required"
        if isinstance(limit, int) and limit > len(options):
            return "answer_limit exceeds number of options"
        if kind == "multiple_choice_with_free_text" and any(not (o or {}).get("heading") for o in options):
            return "every option needs a heading"
    return None


def _with_ids(batch_items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The layout with server-assigned ids on pages and items that have none (existing ids are kept)."""
    pages = copy.deepcopy(batch_items)
    for page in pages:
        page.setdefault("id", str(uuid.uuid4()))
        for row in page.get("rows") or []:
            for column in row.get("columns") or []:
                for item in column.get("items") or []:
                    item.setdefault("id", str(uuid.uuid4()))
    return pages


def _instruction_count(batch_items: list[dict[str, Any]] | None) -> int:
    return sum(1 for item in generate.layout_instructions(batch_items) if item.get("type") in QUESTION_TYPES)


def _dataset_summary(dataset: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": dataset["id"],
        "total_datapoint_count": dataset.get("total_datapoint_count") or 0,
        "filename": dataset.get("filename"),
    }


def _require_task_details(details: Any) -> dict[str, str]:
    names = ("task_name", "task_introduction", "task_steps")
    if not isinstance(details, dict) or any(not isinstance(details.get(n), str) or not details[n] for n in names):
        raise WriteRefusedError(400, {"task_details": [f"{', '.join(names)} are all required."]})
    return {n: details[n] for n in names}


def _dataset_fields(dataset: dict[str, Any] | None) -> set[str] | None:
    fields = ((dataset or {}).get("schema") or {}).get("fields")
    return set(fields) if isinstance(fields, dict) else None


def create(body: Any, datasets: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """POST /batches (7.2): a new UNINITIALISED batch."""
    if not isinstance(body, dict):
        raise WriteRefusedError(400, "The request body must be a JSON object.")
    name, workspace_id = body.get("name"), body.get("workspace_id")
    if not isinstance(name, str) or not name.strip():
        raise WriteRefusedError(400, {"name": ["This field is required."]})
    if not isinstance(workspace_id, str) or not workspace_id:
        raise WriteRefusedError(400, {"workspace_id": ["This field is required."]})
    details = _require_task_details(body.get("task_details"))
    dataset = _find_dataset(body.get("dataset_id"), datasets)
    items = body.get("batch_items")
    if items is not None:
        issues = layout_issues(items, _dataset_fields(dataset))
        if issues:
            raise WriteRefusedError(422, {"type": "INVALID_BATCH_ITEMS", "issues": issues})
    batch: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "created_at": now_iso(),
        "created_by": data.USER_ID,
        "datasets": [_dataset_summary(dataset)] if dataset else [],
        "name": name,
        "status": "UNINITIALISED",
        "total_task_count": 0,
        "total_instruction_count": _instruction_count(items),
        "workspace_id": workspace_id,
        "task_details": details,
        "auto_sync_enabled": bool(body.get("auto_sync_enabled", False)),
    }
    if items is not None:
        batch["batch_items"] = _with_ids(items)
    return batch


def _find_dataset(dataset_id: Any, datasets: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    if dataset_id is None:
        return None
    dataset = datasets.get(str(dataset_id))
    if dataset is None:
        raise WriteRefusedError(404, "Dataset not found.")
    return dataset


def update(batch: dict[str, Any], body: Any, datasets: dict[str, dict[str, Any]]) -> None:
    """PATCH /batches/{id} (7.4), in place: only the fields sent change."""
    if not isinstance(body, dict) or not body:
        raise WriteRefusedError(400, "Send at least one field to change.")
    unknown = set(body) - {"name", "task_details", "dataset_id", "batch_items", "auto_sync_enabled"}
    if unknown:
        raise WriteRefusedError(400, {field: ["Unknown field."] for field in sorted(unknown)})
    structural = {"dataset_id", "batch_items"} & set(body)
    if structural and batch.get("status") == "PROCESSING":
        raise WriteRefusedError(400, f"A PROCESSING batch cannot change its {' or '.join(sorted(structural))}.")
    if "name" in body:
        if not isinstance(body["name"], str) or not body["name"].strip():
            raise WriteRefusedError(400, {"name": ["This field may not be blank."]})
        batch["name"] = body["name"]
    if "task_details" in body:
        batch["task_details"] = _require_task_details(body["task_details"])
    dataset = _find_dataset(body.get("dataset_id"), datasets) if "dataset_id" in body else None
    if "batch_items" in body:
        items = body["batch_items"]
        if items is None:
            batch.pop("batch_items", None)
            batch["total_instruction_count"] = 0
        else:
            current = dataset or _find_dataset(attached(batch), datasets)
            issues = layout_issues(items, _dataset_fields(current))
            if issues:
                raise WriteRefusedError(422, {"type": "INVALID_BATCH_ITEMS", "issues": issues})
            batch["batch_items"] = _with_ids(items)
            batch["total_instruction_count"] = _instruction_count(items)
    if dataset is not None:
        batch["datasets"] = [_dataset_summary(dataset)]
    if "auto_sync_enabled" in body:
        batch["auto_sync_enabled"] = bool(body["auto_sync_enabled"])


def attached(batch: dict[str, Any]) -> str | None:
    attached = batch.get("datasets") or []
    return attached[0].get("id") if attached and isinstance(attached[0], dict) else None


def _dataset_ready(dataset: dict[str, Any]) -> bool:
    if dataset.get("schema_version") == 4:
        return any((job or {}).get("status") == "complete" for job in dataset.get("imports") or [])
    return dataset.get("status") == "READY"


def setup(batch: dict[str, Any], body: Any, datasets: dict[str, dict[str, Any]], ready_at: float) -> None:
    """POST /batches/{id}/setup (7.6), in place: PROCESSING now, READY (or ERROR) at `ready_at`."""
    body = body if isinstance(body, dict) else {}
    if batch.get("status") != "UNINITIALISED":
        raise WriteRefusedError(400, f"The batch is {batch.get('status')}: setup runs only on an UNINITIALISED batch.")
    per_group = body.get("tasks_per_group", 1)
    if not isinstance(per_group, int | float) or isinstance(per_group, bool) or per_group < 1:
        raise WriteRefusedError(400, {"tasks_per_group": ["Ensure this value is greater than or equal to 1."]})
    dataset = _find_dataset(body.get("dataset_id") or attached(batch), datasets)
    if dataset is None:
        raise WriteRefusedError(400, "No dataset is attached to the batch: pass dataset_id.")
    if not _dataset_ready(dataset):
        raise WriteRefusedError(
            400, "The dataset is not ready: a V3 dataset must be READY, a V4 dataset needs a complete import."
        )
    if not _instruction_count(batch.get("batch_items")) and batch["id"] not in data.LEGACY_INSTRUCTIONS:
        raise WriteRefusedError(400, "The batch has no instructions: add questions to its batch_items first.")
    datapoints = int(dataset.get("total_datapoint_count") or 0)
    grouped: dict[str, int] | None = None
    if dataset_writes.group_field(dataset) is not None and "_groups" in dataset:  # uploaded here, grouped (7.6)
        grouped = dict(dataset.get("_groups") or {})
    batch["datasets"] = [_dataset_summary(dataset)]
    batch["status"] = "PROCESSING"
    batch["_setup"] = {
        "ready_at": ready_at,
        "fails": FAIL_SETUP in str(dataset.get("name") or ""),
        "tasks": datapoints,
        "groups": len(grouped)
        if grouped is not None
        else math.ceil(datapoints / float(per_group))
        if datapoints
        else 0,
        "per_group": int(per_group),
        "grouped": grouped,
    }


def advance(batch: dict[str, Any], now: float) -> None:
    """Finish a setup whose time has come (in place)."""
    job = batch.get("_setup")
    if job is None or batch.get("status") != "PROCESSING" or now < job["ready_at"]:
        return
    if job["fails"]:
        batch["status"] = "ERROR"
    else:
        batch.update(status="READY", total_task_count=job["tasks"], total_task_groups=job["groups"])
        batch.update(_tasked=job["tasks"], _per_group=job["per_group"])  # what a later sync continues from
        if job["grouped"] is not None:
            batch["_grouped"] = job["grouped"]
    del batch["_setup"]


def duplicate(source: dict[str, Any], body: Any) -> dict[str, Any]:
    """POST /batches/{id}/duplicate (7.9): layout and task details copied, no tasks, UNINITIALISED."""
    body = body if isinstance(body, dict) else {}
    name = body.get("name") or f"{source.get('name')} (Copy)"
    copied = {
        key: copy.deepcopy(value)
        for key, value in source.items()
        if key in ("workspace_id", "task_details", "auto_sync_enabled", "datasets", "schema_version")
    }
    if body.get("upload_new_dataset"):
        copied["datasets"] = []
    batch = {
        **copied,
        "id": str(uuid.uuid4()),
        "created_at": now_iso(),
        "created_by": data.USER_ID,
        "name": name,
        "status": "UNINITIALISED",
        "total_task_count": 0,
        "total_instruction_count": _instruction_count(source.get("batch_items")),
    }
    if source.get("batch_items"):
        batch["batch_items"] = _with_ids(_without_ids(source["batch_items"]))
    return batch


def _without_ids(batch_items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    pages = copy.deepcopy(batch_items)
    for page in pages:
        page.pop("id", None)
        for row in page.get("rows") or []:
            for column in row.get("columns") or []:
                for item in column.get("items") or []:
                    item.pop("id", None)
    return pages


def public(batch: dict[str, Any]) -> dict[str, Any]:
    """The batch as the API serves it (the simulator's own bookkeeping left out)."""
    return {key: value for key, value in batch.items() if not key.startswith("_")}
