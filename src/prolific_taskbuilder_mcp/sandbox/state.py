"""The simulator's state: seeded data, the clocks, injected faults and request counts. Thread-safe: tests change
it while a server thread serves it, and routes only go through its methods."""

from __future__ import annotations

import copy
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any, Literal

from . import batch_writes, data, dataset_writes, generate
from .errors import now_iso

FaultKind = Literal["status", "html", "not_json", "wrong_shape", "delay", "drip", "huge", "reset", "truncated"]


@dataclass
class Fault:
    """One injected misbehaviour, applied to the next `times` API requests whose path contains `path`."""

    kind: FaultKind = "status"
    status: int = 500
    retry_after: str | None = None
    seconds: float = 0.0
    times: int | None = 1
    """How many requests it applies to; None: until cleared."""
    path: str | None = None
    detail: str | None = None
    """The error body's `detail` for a status fault (default: "Injected fault <status>.")."""
    echo_authorization: bool = False
    """The error body repeats the request's Authorization header, as a proxy or a WAF in front of Prolific can."""


PagingMode = Literal["ignore", "offset", "links"]


@dataclass
class SandboxState:
    """Everything the simulator knows. Thread-safe: tests change it while a server thread serves it."""

    token: str | None = "sandbox-token"
    """The accepted token; None accepts any non-empty token (the embedded demo)."""
    other_tokens: tuple[str, ...] = ()
    """More accepted tokens (other users of a per-user-token server)."""
    processing_delay: float = 20.0
    """Seconds after start (or reset) at which the PROCESSING batch becomes READY."""
    setup_delay: float | None = None
    """Seconds a setup started here stays PROCESSING (None: `processing_delay`)."""
    ready_after_first_look: bool = False
    """Count `processing_delay` from the first time the PROCESSING batch is read, not from start (the demo: the
    batch is PROCESSING when a user first asks about it, however long after start-up that is)."""
    first_look: float | None = None
    latency: float = 0.0
    """Seconds added to every API response (to simulate a distant upstream)."""
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    """Wall-clock seconds since the epoch, for expiry times of presigned links."""
    export_polls: int = 2
    """Status reads an export job stays `generating` for."""
    url_ttl: float = 3600.0
    """Seconds a presigned report/export link stays valid."""
    paging: PagingMode = "ignore"
    """How list endpoints page (undocumented upstream, reference §2.6): `ignore` limit/offset and return
    everything (the documented behaviour, so the default), honour `offset`/`limit`, or page with `_links`."""
    page_size: int = 100
    """Rows per page in `offset` (when no limit is sent) and `links` modes."""
    legacy_instructions_gone: bool = False
    """When True the deprecated /instructions endpoint answers 410 Gone (its sunset has passed)."""
    storage_origin: str | None = None
    """Where presigned upload URLs point (a second origin, like S3 beside the API); None: `uploads.<API host>`."""
    edge_cookies: bool = False
    """Every API response sets a cookie naming the token that asked, as a CDN or load balancer in front of an API
    can (a bot-management or affinity cookie); `cookies_sent` counts the API requests that sent one back."""
    cookies_sent: int = 0
    participants_answer: bool = False
    """Simulated participants answer every batch that turns READY here (the demo); otherwise a test says when."""
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    datasets: dict[str, dict[str, Any]] = field(default_factory=dict)
    collections: dict[str, dict[str, Any]] = field(default_factory=dict)
    response_counts: dict[str, int] = field(default_factory=dict)
    exports: dict[str, dict[str, Any]] = field(default_factory=dict)
    syncs: dict[str, dict[str, Any]] = field(default_factory=dict)
    uploads: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Issued upload URLs by file key: the dataset, import, content type and expiry each was signed for."""
    storage_requests: list[dict[str, Any]] = field(default_factory=list)
    """Every request the storage origin received: method, path, query and headers (to prove what reached it)."""
    faults: list[Fault] = field(default_factory=list)
    requests: Counter[str] = field(default_factory=Counter)
    query_keys: Counter[str] = field(default_factory=Counter)
    """Query parameter names sent to the API, with how often (to hold clients to the documented ones)."""
    callers: Counter[tuple[str, str]] = field(default_factory=Counter)
    """Authorised API requests per (token, "METHOD path")."""
    started: float = 0.0
    _bodies: dict[str, bytes] = field(default_factory=dict)
    _seen: dict[str, set[int]] = field(default_factory=dict)
    _ingests: dict[str, tuple[dataset_writes.Ingest, str | None]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.batches = {b["id"]: copy.deepcopy(b) for b in data.BATCHES}
            self.datasets = {d["id"]: copy.deepcopy(d) for d in data.DATASETS}
            self.collections = {c["id"]: copy.deepcopy(c) for c in data.COLLECTIONS}
            self.response_counts = {**data.RESPONSE_COUNTS, **data.COLLECTION_RESPONSE_COUNTS}
            self.exports = {
                data.READY_BATCH_EXPORT_ID: {
                    "id": data.READY_BATCH_EXPORT_ID,
                    "kind": "batch",
                    "owner": data.READY_BATCH_ID,
                    "status": "complete",
                    "polls": 0,
                    "failing": False,
                    "expires": self.wall() + self.url_ttl,
                }
            }
            self.syncs, self.uploads, self.storage_requests, self._seen, self._ingests = {}, {}, [], {}, {}
            self.export_polls = 2
            self.legacy_instructions_gone = False
            self.faults = []
            self.cookies_sent = 0
            self.requests = Counter()
            self.callers = Counter()
            self.query_keys = Counter()
            self._bodies = {}
            self.started = self.clock()
            self.first_look = None

    @property
    def request_count(self) -> int:
        with self._lock:
            return sum(self.requests.values())

    def cached_body(self, key: str) -> bytes | None:
        """A response body generated earlier (large generated lists are served at network speed, as the
        real API would, rather than regenerated per request)."""
        with self._lock:
            return self._bodies.get(key)

    def cache_body(self, key: str, body: bytes) -> None:
        with self._lock:
            if len(body) < 1024 * 1024:
                return  # small bodies are cheap to make again
            self._bodies = {key: body}  # one at a time: the simulator's memory stays bounded

    def requests_matching(self, fragment: str) -> int:
        """API requests so far whose "METHOD path" contains `fragment`."""
        with self._lock:
            return sum(n for key, n in self.requests.items() if fragment in key)

    def accepts(self, token: str) -> bool:
        return self.token is None or token in (self.token, *self.other_tokens)

    def note_caller(self, token: str, method: str, path: str, *, sent_cookie: bool = False) -> None:
        with self._lock:
            self.callers[(token, f"{method} {path}")] += 1
            self.cookies_sent += sent_cookie

    def add_fault(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def clear_faults(self) -> None:
        with self._lock:
            self.faults = []

    def record(self, method: str, path: str, query_keys: tuple[str, ...] = ()) -> Fault | None:
        """Count one API request; return the fault to apply to it, if any."""
        with self._lock:
            self.requests[f"{method} {path}"] += 1
            self.query_keys.update(query_keys)
            for fault in self.faults:
                if fault.path is None or fault.path in path:
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self.faults.remove(fault)
                    return fault
        return None

    def batch(self, batch_id: str) -> dict[str, Any] | None:
        with self._lock:
            batch = self.batches.get(batch_id)
            if batch is None:
                return None
            if batch_id == data.PROCESSING_BATCH_ID and self.first_look is None:
                self.first_look = self.clock()
            since = self.first_look if self.ready_after_first_look and self.first_look is not None else self.started
            if (
                batch_id == data.PROCESSING_BATCH_ID
                and batch["status"] == "PROCESSING"
                and self.clock() - since >= self.processing_delay
            ):
                batch.update(data.PROCESSING_BATCH_WHEN_READY)
            batch_writes.advance(batch, self.clock())
            return batch_writes.public(copy.deepcopy(batch))

    # -- batch writes (reference 7.2, 7.4, 7.6, 7.9; the rules live in batch_writes.py) ----------------

    def create_batch(self, body: Any) -> dict[str, Any]:
        with self._lock:
            batch = batch_writes.create(body, self.datasets)
            self.batches[batch["id"]] = batch
            return batch_writes.public(copy.deepcopy(batch))

    def update_batch(self, batch_id: str, body: Any) -> dict[str, Any] | None:
        with self._lock:
            batch = self.batches.get(batch_id)
            if batch is None:
                return None
            batch_writes.advance(batch, self.clock())
            changed = copy.deepcopy(batch)
            batch_writes.update(changed, body, self.datasets)  # all or nothing: applied only if valid
            self.batches[batch_id] = changed
            return batch_writes.public(copy.deepcopy(changed))

    def setup_batch(self, batch_id: str, body: Any) -> bool:
        """Start a setup; False when there is no such batch."""
        with self._lock:
            batch = self.batches.get(batch_id)
            if batch is None:
                return False
            batch_writes.advance(batch, self.clock())
            delay = self.processing_delay if self.setup_delay is None else self.setup_delay
            batch_writes.setup(batch, body, self.datasets, self.clock() + delay)
            return True

    def duplicate_batch(self, batch_id: str, body: Any) -> dict[str, Any] | None:
        with self._lock:
            source = self.batches.get(batch_id)
            if source is None:
                return None
            batch = batch_writes.duplicate(source, body)
            self.batches[batch["id"]] = batch
            return batch_writes.public(copy.deepcopy(batch))

    # -- dataset writes and syncs (reference 9.1, 9.5-9.8, 7.10-7.11; the rules live in dataset_writes.py) ------

    def create_dataset(self, body: Any) -> dict[str, Any]:
        with self._lock:
            dataset = dataset_writes.create(body)
            self.datasets[dataset["id"]] = dataset
            self._seen[dataset["id"]] = set()
            return batch_writes.public(copy.deepcopy(dataset))

    def upload_target(self, dataset_id: str, filename: str, api_host: str) -> dict[str, Any] | None:
        with self._lock:
            dataset = self.datasets.get(dataset_id)
            if dataset is None:
                return None
            expires = self.wall() + self.url_ttl
            origin = self.storage_origin or f"http://uploads.{api_host}"
            target = dataset_writes.upload_target(dataset, filename, origin, expires)
            self.uploads[target["file_key"]] = {
                "dataset_id": dataset_id,
                "import_id": target["import_id"],
                "content_type": target["content_type"],
                "expires": expires,
                "extension": filename.rpartition(".")[2].lower(),
                "host": origin.partition("://")[2],
            }
            return target

    def note_storage_request(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self.storage_requests = [*self.storage_requests[-99:], entry]

    def upload_for(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            found = self.uploads.get(key)
            return None if found is None else dict(found)

    def receive_upload(self, key: str, raw: IO[bytes]) -> None:
        """The file a presigned PUT delivered: read against the schema now (outside the lock: it may be large),
        written when the import job finishes (12.3). Runs in a worker thread."""
        with self._lock:
            upload = self.uploads.pop(key)
            dataset = self.datasets[upload["dataset_id"]]
            snapshot = {"schema": copy.deepcopy(dataset.get("schema")), "_records": dataset.get("_records") or []}
            seen = set(self._seen.get(dataset["id"], set()))
        ingest, reason = dataset_writes.ingest_file(snapshot, seen, raw, upload["extension"])
        with self._lock:
            self._seen[dataset["id"]] = seen
            if dataset.get("schema_version") != 4:  # V3 (12.2): no import job; the dataset itself turns READY
                dataset_writes.write(dataset, ingest)
                dataset.update(status="ERROR" if reason else "READY", filename=key.rpartition("/")[2])
                return
            job = self._import_job(dataset, upload["import_id"])
            if job is not None:
                job.update(status="queued", updated_at=now_iso())
                self._ingests[upload["import_id"]] = (ingest, reason)

    @staticmethod
    def _import_job(dataset: dict[str, Any], import_id: str) -> dict[str, Any] | None:
        return next((j for j in dataset.get("imports") or [] if j.get("import_id") == import_id), None)

    def poll_import(self, dataset_id: str, import_id: str) -> dict[str, Any] | None:
        """One status read of an import job: queued -> processing -> complete | partial | failed."""
        with self._lock:
            dataset = self.datasets.get(dataset_id)
            job = self._import_job(dataset, import_id) if dataset is not None else None
            if dataset is None or job is None:
                return None
            if job["status"] == "queued":
                ingest = self._ingests[import_id][0]
                now = now_iso()
                job.update(status="processing", processing_started_at=now, updated_at=now)
                job.update(processed_offset=(ingest.accepted + ingest.rejected) // 2, written_count=0)
            elif job["status"] == "processing":
                ingest, reason = self._ingests.pop(import_id)
                for key in ("processed_offset", "written_count"):
                    job.pop(key, None)
                if reason is None:
                    dataset_writes.write(dataset, ingest)
                dataset_writes.finish_import(job, ingest, reason)
            return copy.deepcopy(job)

    def append_datapoints(self, dataset_id: str, body: bytes) -> dict[str, Any] | None:
        with self._lock:
            dataset = self.datasets.get(dataset_id)
            if dataset is None:
                return None
            ingest = dataset_writes.append_lines(dataset, self._seen.setdefault(dataset_id, set()), body)
            for batch in self.batches.values():  # auto-sync (7.10): a sync starts by itself for the new data
                mine = batch.get("auto_sync_enabled") and batch_writes.attached(batch) == dataset_id
                if mine and ingest.written_count and batch.get("status") == "READY":
                    job = dataset_writes.start_sync(batch, dataset)
                    self.syncs[job["sync_id"]] = job
            return ingest.counts()

    def start_sync(self, batch_id: str) -> dict[str, Any] | None:
        with self._lock:
            batch = self.batches.get(batch_id)
            if batch is None:
                return None
            batch_writes.advance(batch, self.clock())
            job = dataset_writes.start_sync(batch, self.datasets.get(batch_writes.attached(batch) or ""))
            self.syncs[job["sync_id"]] = job
            return dict(job)

    def poll_sync(self, batch_id: str, sync_id: str) -> dict[str, Any] | None:
        with self._lock:
            job = self.syncs.get(sync_id)
            batch = self.batches.get(batch_id)
            if job is None or batch is None or job["batch_id"] != batch_id:
                return None
            dataset_writes.advance_sync(job, batch, self.datasets.get(job["dataset_id"]))
            return dict(job)

    def answer(self, batch_id: str, raters: int) -> int | None:
        """Simulated participants answer every task of a READY batch `raters` times; the number of responses."""
        with self._lock:
            batch = self.batches.get(batch_id)
            if batch is None:
                return None
            batch_writes.advance(batch, self.clock())
            if batch.get("status") != "READY":
                return 0
            instructions = generate.answerable(generate.layout_instructions(batch.get("batch_items")))
            count = int(batch.get("total_task_count") or 0) * raters * len(instructions)
            self.response_counts[batch_id] = count
            return count

    def datapoints_of(self, batch_id: str) -> list[dict[str, str]] | None:
        """The metadata of the datapoints a batch's tasks were made from (kept records of an uploaded dataset), in
        task order; None for the seeded batches (their responses carry generated metadata)."""
        with self._lock:
            batch = self.batches.get(batch_id)
            dataset = self.datasets.get(batch_writes.attached(batch) or "") if batch is not None else None
            records = (dataset or {}).get("_records")
            if not records:
                return None
            fields = ((dataset or {}).get("schema") or {}).get("fields") or {}
            meta = [name for name, spec in fields.items() if spec.get("type") == "metadata"]
            return [{name: str(record.get(name, "")) for name in meta} for record in records]

    def workspace_collections(self, workspace_id: str) -> list[dict[str, Any]]:
        """Copies of a workspace's collections, each with its page count (`item_count`)."""
        with self._lock:
            return [
                {**copy.deepcopy(c), "item_count": len(c.get("collection_items") or [])}
                for c in self.collections.values()
                if c.get("workspace_id") == workspace_id
            ]

    def set_response_counts(self, counts: dict[str, int]) -> None:
        with self._lock:
            self.response_counts.update(counts)

    def add_seed_copies(self, count: int) -> None:
        """Copies of the seed batch with ids 00000000-0000-4000-8000-<n> (for load tests)."""
        with self._lock:
            for n in range(count):
                batch_id = f"00000000-0000-4000-8000-{n:012d}"
                self.batches[batch_id] = {**copy.deepcopy(data.SEED_BATCH), "id": batch_id}

    def export(self, export_id: str) -> dict[str, Any] | None:
        with self._lock:
            job = self.exports.get(export_id)
            return None if job is None else dict(job)

    def lookup(self, table: Literal["datasets", "collections"], key: str) -> dict[str, Any] | None:
        """A copy of one dataset or collection as the API serves it (callers may change it freely), or None."""
        with self._lock:
            found = getattr(self, table).get(key)
            return None if found is None else batch_writes.public(copy.deepcopy(found))

    def instructions_of(self, owner_id: str) -> list[dict[str, Any]]:
        """The answerable instructions of a batch (layout or legacy) or a collection."""
        with self._lock:
            batch = self.batches.get(owner_id)
            collection = self.collections.get(owner_id)
            if batch is not None:
                items = batch.get("batch_items")
                found = generate.layout_instructions(items) if items else data.LEGACY_INSTRUCTIONS.get(owner_id, [])
            elif collection is not None:
                found = [
                    item for page in collection.get("collection_items") or [] for item in page.get("page_items") or []
                ]
            else:
                found = []
            return generate.answerable(copy.deepcopy(found))

    def response_count(self, owner_id: str) -> int:
        with self._lock:
            batch = self.batches.get(owner_id)
            if batch is not None and batch.get("status") != "READY":
                return 0
            if batch is not None and self.participants_answer and owner_id not in self.response_counts:
                instructions = generate.answerable(generate.layout_instructions(batch.get("batch_items")))
                return int(batch.get("total_task_count") or 0) * generate.RATERS_PER_TASK * len(instructions)
            return self.response_counts.get(owner_id, 0)

    def export_job(self, kind: str, owner_id: str, failing: bool) -> dict[str, Any]:
        """The owner's current export job, or a new one."""
        with self._lock:
            for job in self.exports.values():
                if job["owner"] == owner_id and job["status"] != "failed":
                    if job["status"] == "complete" and job["expires"] <= self.wall():
                        continue
                    return job
            export_id = f"0194e000-0000-7000-8000-{len(self.exports) + 1:012x}"
            job = {
                "id": export_id,
                "kind": kind,
                "owner": owner_id,
                "status": "generating",
                "polls": 0,
                "failing": failing,
                "expires": 0.0,
            }
            self.exports[export_id] = job
            return job

    def poll_export(self, owner_id: str, export_id: str) -> dict[str, Any] | None:
        with self._lock:
            job = self.exports.get(export_id)
            if job is None or job["owner"] != owner_id:
                return None
            if job["status"] == "generating":
                job["polls"] += 1
                if job["polls"] >= self.export_polls:
                    job["status"] = "failed" if job["failing"] else "complete"
            if job["status"] == "complete" and job["expires"] <= self.wall():
                job["expires"] = self.wall() + self.url_ttl  # re-polling refreshes an expired link
            return dict(job)
