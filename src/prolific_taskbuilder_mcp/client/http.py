"""The Prolific API client: httpx, auth, retries, coalescing, bounded bodies and error translation.

This module knows HTTP and Prolific's conventions, and nothing about MCP. Every failure leaves it as a
`ProlificError` subclass (see `errors.py`), translated in exactly one place: `_send`.
"""

from __future__ import annotations

import codecs
import json
import logging
import random
import re
import threading
import time
import urllib.request
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from concurrent.futures import Future
from contextlib import aclosing, asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar

import anyio
import httpx
from pydantic import BaseModel, SecretStr, TypeAdapter, ValidationError

from .. import __version__
from ..redaction import Redactor
from . import memory, tls
from .bodies import (
    ACCEPT_ENCODING,
    BodyBudget,
    BodyTooLargeError,
    BudgetExhaustedError,
    Inflater,
    UnsupportedEncodingError,
    read_body,
)
from .clock import REAL_CLOCK, Clock
from .errors import (
    ClientRequestError,
    ForbiddenError,
    NetworkError,
    NotFoundError,
    NotSentError,
    ProlificError,
    RateLimitedError,
    RequestTimeoutError,
    UnauthorizedError,
    UnexpectedResponseError,
    UploadRefusedError,
    UpstreamError,
)
from .listbody import RESULT_KEYS, ListBodyError, ListBodyParser, RecordTooLargeError
from .models import (
    AppendResult,
    Batch,
    BatchStatus,
    Collection,
    Dataset,
    ExportJob,
    ImportJob,
    Instruction,
    Page,
    Report,
    ResponseDigest,
    SyncJob,
    TaskResponse,
    UploadTarget,
    User,
    Workspace,
)

logger = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
USER_AGENT = f"prolific-taskbuilder-mcp/{__version__}"
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SAFE_FILENAME = re.compile(r"^[A-Za-z0-9_-]{1,64}\.(csv|jsonl)$")
_RETRY_STATUSES = frozenset({429, 502, 503, 504})
_URL_CACHE_SIZE = 256
_DETAIL_LIMIT = 300
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")

STREAM_BATCH = 1000
"""Records per page a streamed list body is handed on in."""

BODY_BUDGET_BODIES = 3
"""Bodies of the largest size that may be held in memory at once, across every call in flight."""

ModelT = TypeVar("ModelT", bound=BaseModel)
T = TypeVar("T")
Retry = bool | Literal["if_not_sent"]
"""Whether a call is retried: reads yes; writes only "if_not_sent" (the connection was never made)."""
OwnerKind = Literal["batches", "collections"]

RetryListener = Callable[[str], Awaitable[None]]
retry_listener: ContextVar[RetryListener | None] = ContextVar("prolific_retry_listener", default=None)
"""Set by a caller that wants to hear about retries of the calls it makes (the MCP layer forwards them)."""


@dataclass(frozen=True)
class RawBody:
    """A request body sent as it is (JSONL for appends), with its content type."""

    content: bytes
    content_type: str


@dataclass(frozen=True)
class ClientOptions:
    """How the client talks to Prolific. Defaults suit an interactive assistant."""

    base_url: str = "https://api.prolific.com"
    request_timeout: float = 20.0
    """Seconds to wait for each connect/read/write step of one request."""
    call_deadline: float = 30.0
    """Seconds one client call may take in all, retries and slow bodies included."""
    max_attempts: int = 3
    """Attempts for idempotent reads (GET); other methods are tried once."""
    backoff_base: float = 0.5
    """Seconds before the first retry (doubling, with full jitter); tests set 0."""
    backoff_cap: float = 8.0
    max_body_bytes: int = 10 * 1024 * 1024
    """Largest single object (a batch, a dataset), and largest record within a list."""
    max_list_bytes: int = 1024 * 1024 * 1024
    """Largest list body (read as it streams, never held whole)."""
    clock: Clock = REAL_CLOCK
    """How retries wait; tests pass a clock that does not spend real time."""


class ListBodyTooLargeError(Exception):
    """A streamed list body passed its limit."""


class _TokenAuth(httpx.Auth):
    """Adds `Authorization: Token …`, and only for requests to the configured API origin."""

    def __init__(self, token: SecretStr, origin: httpx.URL) -> None:
        self._token = token
        self._origin = (origin.scheme, origin.host, origin.port)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.apply(request)
        yield request

    def apply(self, request: httpx.Request) -> None:
        if (request.url.scheme, request.url.host, request.url.port) == self._origin:
            request.headers["Authorization"] = f"Token {self._token.get_secret_value()}"

    def __repr__(self) -> str:
        return "_TokenAuth(token=**********)"


class _NoCookies(httpx.Cookies):
    """A cookie jar that keeps nothing it is sent."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None

    def set(self, name: str, value: str, domain: str = "", path: str = "/") -> None:
        raise TypeError("the Prolific client keeps no cookies")


_NO_COOKIES = _NoCookies()


class _CookielessClient(httpx.AsyncClient):
    """httpx's client, keeping no cookies. The API authenticates each request with its token alone; a jar would be
    shared by everyone using the pool (per-user mode: a cookie set in answer to one user's request would go out with
    another user's), and filling it parses every response's headers (about 20 µs a request)."""

    @property
    def cookies(self) -> httpx.Cookies:
        return _NO_COOKIES

    @cookies.setter
    def cookies(self, value: Any) -> None:
        raise TypeError("the Prolific client keeps no cookies")


@dataclass(frozen=True)
class _Pool:
    """The pooled httpx client, and the transport under it when every API request goes there (no proxy)."""

    http: httpx.AsyncClient
    direct: httpx.AsyncBaseTransport | None


def _proxied_by_environment() -> bool:
    """Whether httpx would send some requests through a proxy named by the environment (HTTP_PROXY, HTTPS_PROXY,
    ALL_PROXY; read as httpx reads them, with urllib's getproxies)."""
    proxies = urllib.request.getproxies()
    return any(proxies.get(scheme) for scheme in ("http", "https", "all"))


@dataclass
class _Flight:
    """One in-flight GET that identical concurrent GETs wait on instead of repeating."""

    done: anyio.Event = field(default_factory=anyio.Event)
    result: Any = None
    error: BaseException | None = None
    abandoned: bool = False


class ProlificClient:
    """Async client for the AI Task Builder endpoints. Use as `async with ProlificClient(...)`.

    One pooled `httpx.AsyncClient` serves every call for the client's lifetime. It is built in a
    background thread, with the TLS context `tls.prepare()` started earlier (loading the CA bundle takes tens
    of milliseconds, which would otherwise sit between a client spawning this server and its first answer,
    and would block the event loop). The first request waits for it if it is not ready yet.
    """

    def __init__(
        self,
        token: SecretStr | None,
        options: ClientOptions | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.options = options or ClientOptions()
        base = httpx.URL(self.options.base_url.rstrip("/"))
        if base.scheme not in ("http", "https") or not base.host:
            raise ValueError("the Prolific API URL must be an http(s) origin such as https://api.prolific.com")
        self._base = base

        def open_pool() -> _Pool:
            limits = httpx.Limits(max_connections=50, max_keepalive_connections=20)
            verify = tls.prepare().result() if transport is None else True
            # Without a proxy, the transport httpx would build is built here, so that single-body requests can go
            # straight to it (`_send`). With one, httpx mounts the environment's proxies itself: it ignores them
            # when it is given a transport.
            direct = transport
            if direct is None and not _proxied_by_environment():
                direct = httpx.AsyncHTTPTransport(verify=verify, limits=limits)
            http = _CookielessClient(
                base_url=base,
                headers={"User-Agent": USER_AGENT, "Accept": "application/json", "Accept-Encoding": ACCEPT_ENCODING},
                timeout=httpx.Timeout(self.options.request_timeout),
                follow_redirects=False,
                transport=direct,
                verify=verify,
                limits=limits,
            )
            return _Pool(http, direct)

        self._pool: Future[_Pool] = _in_thread(open_pool) if transport is None else _done(open_pool())
        self._budget = BodyBudget(BODY_BUDGET_BODIES * self.options.max_body_bytes)
        self._owns_pool = True
        self._use_token(token)

    def _use_token(self, token: SecretStr | None) -> None:
        """This client's credential, and the state keyed by it: coalescing of identical GETs, redaction."""
        self._auth = _TokenAuth(token, self._base) if token is not None else None
        self._inflight: dict[tuple[str, tuple[tuple[str, str], ...]], _Flight] = {}
        self._urls: dict[str, httpx.URL] = {}
        self._redactor = Redactor([token.get_secret_value()] if token is not None else [])

    def for_token(self, token: SecretStr) -> ProlificClient:
        """A client acting with `token` (one user's own, in per-user mode) over this client's connection pool and
        body budget. Nothing keyed by a credential is shared: each has its own coalescing and redaction, so two
        users asking for the same batch at once make two requests, each with their own token. Closing it does not
        close the pool; closing this client does."""
        sibling = object.__new__(ProlificClient)
        sibling.options, sibling._base, sibling._pool, sibling._budget = (
            self.options,
            self._base,
            self._pool,
            self._budget,
        )
        sibling._owns_pool = False
        sibling._use_token(token)
        return sibling

    def __repr__(self) -> str:
        return f"ProlificClient(base_url={str(self._base)!r})"

    async def __aenter__(self) -> ProlificClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        # Shielded: shutting down (a cancelled scope) must still close the pool, even one still being built.
        if not self._owns_pool:
            return
        with anyio.CancelScope(shield=True):
            try:
                http = await self._http()
            except NetworkError:
                return  # it never opened: nothing to close
            await http.aclose()

    async def _http(self) -> httpx.AsyncClient:
        """The pooled httpx client, once its background construction is done."""
        return (await self._connections()).http

    async def _connections(self) -> _Pool:
        if not self._pool.done():
            await anyio.to_thread.run_sync(self._pool.exception, abandon_on_cancel=True)
        try:
            return self._pool.result()
        except Exception as exc:
            raise NetworkError(f"could not set up the HTTP client ({type(exc).__name__})") from None

    # -- endpoints ---------------------------------------------------------------------------------

    async def get_batch(self, batch_id: str) -> Batch:
        """GET /api/v1/data-collection/batches/{batch_id}"""
        data = await self._get_json(_path("data-collection", "batches", batch_id))
        return _parse(Batch, data, "a batch")

    async def get_batch_status(self, batch_id: str) -> BatchStatus:
        """GET /api/v1/data-collection/batches/{batch_id}/status"""
        data = await self._get_json(_path("data-collection", "batches", batch_id, "status"))
        return _parse(BatchStatus, data, "a batch status")

    def list_batches(self, workspace_id: str, *, max_items: int | None = None) -> AsyncGenerator[Page[Batch], None]:
        """GET /api/v1/data-collection/batches?workspace_id=…, walked page by page (see `walk`)."""
        path = _path("data-collection", "batches")
        return self.walk(Batch, path, {"workspace_id": workspace_id}, max_items=max_items)

    async def get_legacy_instructions(self, batch_id: str) -> list[Instruction]:
        """GET /batches/{batch_id}/instructions: deprecated (sunset 2026-09-01); a bare array or `results`."""
        data = await self._get_json(_path("data-collection", "batches", batch_id, "instructions"))
        rows = data if isinstance(data, list) else _results(data, "instructions")
        return [_parse(Instruction, row, "an instruction") for row in rows if isinstance(row, dict)]

    def get_responses(
        self, kind: OwnerKind, owner_id: str, *, max_items: int | None = None
    ) -> AsyncGenerator[Page[TaskResponse], None]:
        """GET /batches/{id}/responses or /collections/{id}/responses, walked page by page (see `walk`)."""
        path = _path("data-collection", kind, owner_id, "responses")
        return self.walk(TaskResponse, path, {}, max_items=max_items)

    def get_response_digests(
        self, kind: OwnerKind, owner_id: str, *, max_items: int | None = None
    ) -> AsyncGenerator[Page[ResponseDigest], None]:
        """As `get_responses`, each record read only as far as an aggregate needs (`ResponseDigest`)."""
        path = _path("data-collection", kind, owner_id, "responses")
        return self.walk(ResponseDigest, path, {}, max_items=max_items)

    async def walk(
        self,
        model: type[ModelT],
        path: str,
        params: Mapping[str, str],
        *,
        max_items: int | None = None,
    ) -> AsyncGenerator[Page[ModelT], None]:
        """Every record of a list endpoint, page by page (memory holds one page at a time), whatever the
        upstream's paging.

        Paging of AI Task Builder lists is undocumented (reference §2.6): the first request carries only the
        documented parameters. If the body has `_links.next.href`, the walk follows it (on the API origin only);
        else if `meta.count` says more records exist than were read, the upstream pages by itself, and the walk
        asks for the rest with `offset`/`limit` (its own page size). A page whose first record was already seen
        (the upstream ignores `offset`) ends the walk. Each page says whether the walk goes on (`has_next`), so
        callers can tell a list read in full from one cut short.

        Each body is parsed as it arrives (`listbody.py`), and its records come out in pages of at most
        `STREAM_BATCH` records, so memory stays flat in the body's size; only the last page of a body knows the
        body's `meta.count` and whether the walk goes on.
        """
        request: tuple[str, Mapping[str, str]] | None = (path, params)
        seen, first_ids = 0, set()
        what = f"a list of {model.__name__} records"
        while request is not None:
            envelope: dict[str, Any] = {}
            held: Page[ModelT] | None = None
            rows_here = 0
            async with aclosing(self._stream_records(*request, envelope)) as batches:
                async for batch in batches:
                    items = _parse_rows(model, [row for row in batch if isinstance(row, dict)], what)
                    if rows_here == 0:
                        first = _first_id(items)
                        if first is not None and first in first_ids:
                            logger.info("%s repeated a page: it ignores offset; %d records read", path, seen)
                            return
                        first_ids.add(first)
                    if held is not None:
                        yield held
                    held = Page(
                        items=items,
                        total=None,
                        skipped=len(batch) - len(items),
                        raw_count=len(batch),
                        has_next=True,
                        starts_request=rows_here == 0,
                    )
                    rows_here += len(batch)
            seen += rows_here
            total = _meta_count(envelope)
            request = None
            link = _next_link(envelope)
            if rows_here and (max_items is None or seen < max_items):
                if link is not None:
                    request = self._follow(link, path)
                elif total is not None and seen < total:
                    request = (path, {**params, "offset": str(seen), "limit": str(rows_here)})
            more = request is not None or (max_items is not None and seen >= max_items and link is not None)
            last = held or Page(items=[], total=None, starts_request=True)
            yield replace(last, total=total, has_next=more)

    async def _stream_records(
        self, path: str, params: Mapping[str, str], envelope: dict[str, Any]
    ) -> AsyncGenerator[list[Any], None]:
        """The records of one list body in batches, as the body arrives; `envelope` gets its other keys at the
        end. Retried like a GET while no record has come out; within the call deadline, whatever the size."""
        attempts = self.options.max_attempts
        started = time.monotonic()
        for attempt in range(1, attempts + 1):
            produced = False
            try:
                async for batch in self._stream_once(path, params, envelope, started):
                    produced = True
                    yield batch
                return
            except (RateLimitedError, UpstreamError, NetworkError, RequestTimeoutError) as exc:
                if produced:
                    raise
                await self._before_retry("GET", path, exc, attempt, attempts, self.options.clock.now())
        raise AssertionError("unreachable")  # pragma: no cover

    async def _stream_once(
        self, path: str, params: Mapping[str, str], envelope: dict[str, Any], started: float
    ) -> AsyncGenerator[list[Any], None]:
        """One request of a list body, parsed as it streams in. Failures leave as `ProlificError`s (through
        `_translated`, as for `_send`). The call deadline bounds every wait (each one in its own cancel scope:
        none spans a `yield`)."""
        deadline, limit = self.options.call_deadline, self.options.max_list_bytes

        def remaining() -> float:
            return max(0.0, deadline - (time.monotonic() - started))

        size = 0
        try:
            with self._translated():
                http = await self._http()
                opening = http.stream("GET", path, params=params, auth=self._credentials())
                with anyio.fail_after(remaining()):
                    response = await opening.__aenter__()
                try:
                    raw, encoding = _raw_body(response)
                    if response.status_code >= 300:
                        with anyio.fail_after(remaining()):
                            body = await read_body(raw, encoding, self.options.max_body_bytes, self._budget)
                        raise _error_for(response.status_code, response.headers, body, self._redactor)
                    inflater = Inflater.for_encoding(encoding)
                    text = codecs.getincrementaldecoder("utf-8")()
                    parser = ListBodyParser(max_record_chars=self.options.max_body_bytes)
                    pending: list[Any] = []
                    chunks = raw.__aiter__()
                    while True:
                        with anyio.fail_after(remaining()):
                            try:
                                chunk = await chunks.__anext__()
                            except StopAsyncIteration:
                                break
                        for piece in inflater.feed(chunk):
                            size += len(piece)
                            if size > limit:
                                raise ListBodyTooLargeError
                            pending += parser.feed(text.decode(piece))
                            if len(pending) >= STREAM_BATCH:
                                yield pending
                                pending = []
                    for piece in inflater.finish():
                        size += len(piece)
                        if size > limit:
                            raise ListBodyTooLargeError
                        pending += parser.feed(text.decode(piece))
                    pending += parser.feed(text.decode(b"", final=True))
                    pending += parser.finish()
                    records = next((parser.envelope[k] for k in RESULT_KEYS if k in parser.envelope), None)
                    if parser.records_key is None and records is not None:
                        raise ListBodyError("its results are not a list")
                    envelope.update(parser.envelope)
                    if pending:
                        yield pending
                finally:
                    with anyio.CancelScope(shield=True):
                        await opening.__aexit__(None, None, None)
        except TimeoutError:
            raise RequestTimeoutError(
                f"Prolific did not answer within the call deadline ({deadline:g} s, PROLIFIC_MCP_CALL_DEADLINE)"
            ) from None
        except ListBodyTooLargeError:
            raise UnexpectedResponseError(
                f"Prolific's list is larger than this server reads ({limit} bytes); raise "
                "PROLIFIC_MCP_MAX_LIST_BODY_BYTES to read it",
                status=200,
            ) from None
        except RecordTooLargeError:
            raise UnexpectedResponseError(
                f"Prolific returned an unexpected response: one value in its list exceeded "
                f"{self.options.max_body_bytes} bytes (PROLIFIC_MCP_MAX_BODY_BYTES)",
                status=200,
            ) from None
        except (ListBodyError, UnicodeDecodeError) as exc:
            reason = str(exc) if isinstance(exc, ListBodyError) else "it is not UTF-8 text"
            raise UnexpectedResponseError(
                f"Prolific returned an unexpected response (status 200): the body is not JSON of a list ({reason})",
                status=200,
            ) from None
        finally:
            memory.after_body(size)
        logger.debug("GET %s -> streamed list (%d bytes)", path, size)

    def _credentials(self) -> _TokenAuth:
        if self._auth is None:
            raise UnauthorizedError("no Prolific API token was given for this request", status=None)
        return self._auth

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """Where httpx outcomes and body limits become `ProlificError`s, for single bodies and streamed lists."""
        try:
            yield
        except BodyTooLargeError:
            memory.after_body(self.options.max_body_bytes)
            raise UnexpectedResponseError(
                f"Prolific returned an unexpected response: the body exceeded {self.options.max_body_bytes} bytes "
                "(PROLIFIC_MCP_MAX_BODY_BYTES)",
            ) from None
        except BudgetExhaustedError:
            raise UnexpectedResponseError(
                "Prolific sent more large responses at once than this server holds in memory "
                f"({self._budget.limit} bytes in all); try again in a moment",
            ) from None
        except UnsupportedEncodingError as exc:
            raise UnexpectedResponseError(
                f"Prolific returned a body we cannot read: content encoding {exc}", status=None
            ) from None
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise NotSentError(f"could not connect to Prolific ({type(exc).__name__})") from None
        except httpx.TimeoutException:
            raise RequestTimeoutError(f"Prolific did not answer within {self.options.request_timeout:g} s") from None
        except httpx.TransportError as exc:
            raise NetworkError(f"could not reach Prolific ({type(exc).__name__})") from None

    def _follow(self, href: str, path: str) -> tuple[str, Mapping[str, str]] | None:
        """Where `_links.next.href` points, if it is a list on our API origin (the token goes nowhere else)."""
        try:
            url = self._base.join(href)
        except (httpx.InvalidURL, ValueError):
            return None
        if (url.scheme, url.host, url.port) != (self._base.scheme, self._base.host, self._base.port):
            logger.warning("Not following a next-page link off the API origin for %s", path)
            return None
        if not url.path.startswith(API_PREFIX + "/"):
            return None
        return url.path, dict(url.params)

    async def get_batch_report(self, batch_id: str) -> Report:
        """GET /batches/{batch_id}/report/ (the documented path has the trailing slash)."""
        data = await self._get_json(_path("data-collection", "batches", batch_id, "report") + "/")
        return _parse(Report, data, "a report link")

    async def request_export(self, kind: OwnerKind, owner_id: str) -> ExportJob:
        """POST /batches|collections/{id}/export: 202 generating (export_id) or 200 complete (url).

        Documented as idempotent (a repeat returns the same job), so it is retried like a read.
        """
        data = await self._call_json("POST", _path("data-collection", kind, owner_id, "export"), retry=True)
        return _parse(ExportJob, data, "an export job")

    async def update_batch(self, batch_id: str, changes: Mapping[str, Any]) -> Batch:
        """PATCH /api/v1/data-collection/batches/{batch_id} with only the fields that change. Sent once."""
        path = _path("data-collection", "batches", batch_id)
        data = await self._call_json("PATCH", path, retry="if_not_sent", body=dict(changes))
        return _parse(Batch, data, "a batch")

    async def create_batch(self, body: Mapping[str, Any]) -> Batch:
        """POST /api/v1/data-collection/batches: 201 and the new UNINITIALISED batch. Sent once."""
        data = await self._call_json("POST", _path("data-collection", "batches"), retry="if_not_sent", body=dict(body))
        return _parse(Batch, data, "a batch")

    async def duplicate_batch(self, batch_id: str, body: Mapping[str, Any]) -> Batch:
        """POST /batches/{batch_id}/duplicate: 201 and the copy. Sent once."""
        path = _path("data-collection", "batches", batch_id, "duplicate")
        data = await self._call_json("POST", path, retry="if_not_sent", body=dict(body))
        return _parse(Batch, data, "a batch")

    async def setup_batch(self, batch_id: str, settings: Mapping[str, Any]) -> None:
        """POST /batches/{batch_id}/setup: 202 and an empty body; the batch turns PROCESSING. Sent once."""
        path = _path("data-collection", "batches", batch_id, "setup")
        await self._call_json("POST", path, retry="if_not_sent", body=dict(settings))

    async def sync_batch(self, batch_id: str) -> SyncJob:
        """POST /batches/{batch_id}/sync: the queued sync job (202, or 200). Sent once."""
        data = await self._call_json("POST", _path("data-collection", "batches", batch_id, "sync"), retry="if_not_sent")
        return _parse(SyncJob, data, "a sync job")

    async def get_sync(self, batch_id: str, sync_id: str) -> SyncJob:
        """GET /batches/{batch_id}/syncs/{sync_id} (plural `syncs`)."""
        data = await self._get_json(_path("data-collection", "batches", batch_id, "syncs", sync_id))
        return _parse(SyncJob, data, "a sync job")

    async def create_dataset(self, body: Mapping[str, Any]) -> Dataset:
        """POST /api/v1/data-collection/datasets: 201 and the new dataset (V4 when `schema` is sent). Sent once."""
        path = _path("data-collection", "datasets")
        data = await self._call_json("POST", path, retry="if_not_sent", body=dict(body))
        return _parse(Dataset, data, "a dataset")

    async def get_upload_url(self, dataset_id: str, filename: str) -> UploadTarget:
        """GET /datasets/{dataset_id}/upload-url/{filename}: 201 and a presigned PUT; for V4 it starts an import
        job, so it is sent once too."""
        if not _SAFE_FILENAME.fullmatch(filename):
            raise ValueError("refusing an unsafe upload file name")
        path = _path("data-collection", "datasets", dataset_id, "upload-url") + "/" + filename
        data = await self._call_json("GET", path, retry="if_not_sent")
        return _parse(UploadTarget, data, "an upload URL")

    async def upload(self, target: UploadTarget, content: AsyncIterator[bytes] | bytes, length: int) -> None:
        """PUT a file to the presigned URL exactly as Prolific returned it: its Content-Type, a Content-Length
        (storage refuses chunked uploads), and no credential (the URL is the credential; the token goes only to
        the API origin). Sent once; no call deadline (a large file takes as long as it takes, each step within
        the request timeout)."""
        if (target.http_method or "PUT").upper() != "PUT":
            raise UnexpectedResponseError(f"Prolific asked for an upload by {target.http_method}, not PUT")
        url = httpx.URL(target.upload_url)
        if url.scheme not in ("https", self._base.scheme) or not url.host:
            raise UnexpectedResponseError("Prolific returned an upload URL that is not https")
        path = url.path.lower()
        fallback = "text/csv" if path.endswith(".csv") else "application/x-ndjson" if path.endswith(".jsonl") else None
        content_type = target.content_type or fallback or "application/octet-stream"  # the guide's types by extension
        headers = {"Content-Type": content_type, "Content-Length": str(length)}
        with self._translated():
            http = await self._http()
            request = http.build_request("PUT", url, content=content, headers=headers)
            request.headers.pop("Authorization", None)
            response = await http.send(request, auth=None, stream=True)
            try:
                raw = await read_body(*_raw_body(response), 64 * 1024, self._budget)
            finally:
                await response.aclose()
        if response.status_code >= 300:
            said = clean_text(self._redactor.text(raw.decode("utf-8", "replace")))
            raise UploadRefusedError(
                f"the file storage refused the upload ({response.status_code}): {said}", status=response.status_code
            )

    async def get_import(self, dataset_id: str, import_id: str) -> ImportJob:
        """GET /datasets/{dataset_id}/imports/{import_id} (the ids are filled in when the answer omits them)."""
        data = await self._get_json(_path("data-collection", "datasets", dataset_id, "imports", import_id))
        if isinstance(data, dict):
            data = {"dataset_id": dataset_id, "import_id": import_id, **data}
        return _parse(ImportJob, data, "an import job")

    async def append_datapoints(self, dataset_id: str, jsonl: bytes) -> AppendResult:
        """POST /datasets/{dataset_id}/datapoints with JSONL (at most 1,000 records). Sent once."""
        path = _path("data-collection", "datasets", dataset_id, "datapoints")
        body = RawBody(jsonl, "application/x-ndjson")
        data = await self._call_json("POST", path, retry="if_not_sent", body=body)
        return _parse(AppendResult, data, "an append result")

    async def get_export(self, kind: OwnerKind, owner_id: str, export_id: str) -> ExportJob:
        """GET /batches|collections/{id}/export/{export_id}"""
        data = await self._get_json(_path("data-collection", kind, owner_id, "export", export_id))
        return _parse(ExportJob, data, "an export job")

    async def get_dataset(self, dataset_id: str) -> Dataset:
        """GET /api/v1/data-collection/datasets/{dataset_id}"""
        data = await self._get_json(_path("data-collection", "datasets", dataset_id))
        return _parse(Dataset, data, "a dataset")

    def list_collections(
        self, workspace_id: str, *, max_items: int | None = None
    ) -> AsyncGenerator[Page[Collection], None]:
        """GET /api/v1/data-collection/collections?workspace_id=…, walked page by page (see `walk`)."""
        path = _path("data-collection", "collections")
        return self.walk(Collection, path, {"workspace_id": workspace_id}, max_items=max_items)

    async def get_collection(self, collection_id: str) -> Collection:
        """GET /api/v1/data-collection/collections/{collection_id}"""
        data = await self._get_json(_path("data-collection", "collections", collection_id))
        return _parse(Collection, data, "a collection")

    async def get_me(self) -> User:
        """GET /api/v1/users/me/ (the cheapest check of a token)."""
        data = await self._get_json(_path("users", "me") + "/")
        return _parse(User, data, "a user")

    def list_workspaces(self, *, max_items: int | None = None) -> AsyncGenerator[Page[Workspace], None]:
        """GET /api/v1/workspaces/, walked page by page (see `walk`)."""
        return self.walk(Workspace, _path("workspaces") + "/", {}, max_items=max_items)

    # -- plumbing ----------------------------------------------------------------------------------

    async def _call_json(self, method: str, path: str, *, retry: Retry, body: Any = None) -> Any:
        """A non-GET call (never coalesced), within the call deadline. Writes are retried only "if_not_sent" (a
        repeat of a request that reached Prolific could change data twice); when one fails after it may have
        reached Prolific, the error says so (`maybe_applied`)."""
        failures: list[ProlificError] = []
        try:
            with anyio.fail_after(self.options.call_deadline):
                return await self._send_with_retries(method, path, None, retry=retry, failures=failures, body=body)
        except TimeoutError:
            error = self._deadline_error(failures)
        except ProlificError as exc:
            error = exc
        if retry == "if_not_sent" and not isinstance(error, NotSentError):
            error.maybe_applied = isinstance(error, UpstreamError | NetworkError | RequestTimeoutError) or (
                isinstance(error, UnexpectedResponseError) and (error.status or 200) < 300
            )
        raise error from None

    def _deadline_error(self, failures: list[ProlificError]) -> ProlificError:
        """What to report when the call deadline ends a call: the last real failure if an attempt failed (the
        cause, e.g. "could not reach"), else that Prolific was too slow."""
        if failures:
            return failures[-1]
        return RequestTimeoutError(f"Prolific did not answer within {self.options.call_deadline:g} s", status=None)

    async def _get_json(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        """A GET, coalesced with identical concurrent GETs, retried on transient failures."""
        key = (path, tuple(sorted(params.items())) if params else ())
        while True:
            flight = self._inflight.get(key)
            if flight is None:
                break
            await flight.done.wait()
            if flight.abandoned:
                continue  # the leader was cancelled: try again, perhaps as the new leader
            if flight.error is not None:
                raise flight.error
            return flight.result

        flight = _Flight()
        self._inflight[key] = flight
        failures: list[ProlificError] = []
        try:
            with anyio.fail_after(self.options.call_deadline):
                flight.result = await self._send_with_retries("GET", path, params, failures=failures)
        except TimeoutError:
            flight.error = self._deadline_error(failures)
            raise flight.error from None
        except ProlificError as exc:
            flight.error = exc
            raise
        except BaseException:
            flight.abandoned = True
            raise
        finally:
            del self._inflight[key]
            flight.done.set()
        return flight.result

    async def _send_with_retries(
        self,
        method: str,
        path: str,
        params: Mapping[str, str] | None,
        *,
        retry: Retry | None = None,
        failures: list[ProlificError] | None = None,
        body: Any = None,
    ) -> Any:
        attempts = self.options.max_attempts if (method == "GET" if retry is None else retry) else 1
        started = self.options.clock.now()
        for attempt in range(1, attempts + 1):
            try:
                return await self._send(method, path, params, body)
            except (RateLimitedError, UpstreamError, NetworkError, RequestTimeoutError) as exc:
                if failures is not None:
                    failures.append(exc)
                if retry == "if_not_sent" and not isinstance(exc, NotSentError):
                    raise
                await self._before_retry(method, path, exc, attempt, attempts, started)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _before_retry(
        self, method: str, path: str, exc: ProlificError, attempt: int, attempts: int, started: float
    ) -> None:
        """Re-raise `exc` unless it is worth another attempt within the deadline; else tell and wait."""
        retryable = not isinstance(exc, UpstreamError) or exc.status in _RETRY_STATUSES
        if not retryable or attempt == attempts:
            raise exc
        delay = _backoff(attempt, self.options.backoff_base, self.options.backoff_cap)
        if isinstance(exc, RateLimitedError) and exc.retry_after is not None:
            delay = max(delay, exc.retry_after)
        clock = self.options.clock
        remaining = self.options.call_deadline - (clock.now() - started)
        if delay >= remaining:
            raise exc  # waiting would break the call's deadline: report now, with the hint
        notice = f"{method} {path} failed ({exc.message}); retry {attempt} of {attempts - 1} in {delay:.1f} s"
        logger.warning("%s", notice)
        listener = retry_listener.get()
        if listener is not None:
            try:
                await listener(notice)
            except Exception:  # a listener must never break the call it observes
                logger.debug("retry listener failed", exc_info=True)
        await clock.sleep(delay)

    def _on_api(self, http: httpx.AsyncClient, path: str) -> httpx.URL:
        """The relative `path` merged with the API's base URL exactly as httpx merges it, once per path: parsing
        and merging URLs is most of the cost of preparing a request."""
        url = self._urls.get(path)
        if url is None:
            if len(self._urls) >= _URL_CACHE_SIZE:
                self._urls.clear()
            merged = httpx.URL(path)
            if not merged.is_relative_url:
                raise ValueError("refusing an absolute URL where an API path was expected")
            base = http.base_url
            url = base.copy_with(raw_path=base.raw_path + merged.raw_path.lstrip(b"/"))
            self._urls[path] = url
        return url

    async def _send(self, method: str, path: str, params: Mapping[str, str] | None, body: Any = None) -> Any:
        """One request. The single place where httpx outcomes become `ProlificError`s."""
        started = time.perf_counter()
        with self._translated():
            pool = await self._connections()
            sent: dict[str, Any] = {"json": body} if body is not None else {}
            if isinstance(body, RawBody):
                sent = {"content": body.content, "headers": {"Content-Type": body.content_type}}
            request = pool.http.build_request(method, self._on_api(pool.http, path), params=params, **sent)
            async with _exchange(pool, request, self._credentials()) as response:
                raw, encoding = _raw_body(response)
                body = await read_body(raw, encoding, self.options.max_body_bytes, self._budget)
            memory.after_body(len(body))
        logger.debug(
            "%s %s -> %d (%d bytes, %.0f ms)",
            method,
            path,
            response.status_code,
            len(body),
            (time.perf_counter() - started) * 1000,
        )
        if response.status_code >= 300:
            raise _error_for(response.status_code, response.headers, body, self._redactor)
        if not body:
            return None
        try:
            return json.loads(body)
        except ValueError:
            raise UnexpectedResponseError(
                f"Prolific returned an unexpected response (status {response.status_code}): the body is not JSON",
                status=response.status_code,
            ) from None
        except RecursionError:
            raise UnexpectedResponseError(
                f"Prolific returned a body we cannot read (status {response.status_code}): its JSON is nested "
                "too deeply",
                status=response.status_code,
            ) from None


# -- helpers (pure) --------------------------------------------------------------------------------


@asynccontextmanager
async def _exchange(pool: _Pool, request: httpx.Request, auth: _TokenAuth) -> AsyncIterator[httpx.Response]:
    """Send `request` with `auth`; the response, its body still to read, until the block ends.

    Without a proxy the request goes straight to the pool's transport, as httpx's `send` would pass it on: the
    client sends no cookies, follows no redirects and has no hooks, so what `send` adds around the transport (an
    auth flow, a redirect loop, a cookie jar, a timer) would cost about 40 µs a request and change nothing.
    """
    if pool.direct is None:
        response = await pool.http.send(request, auth=auth, stream=True)
    else:
        auth.apply(request)
        response = await pool.direct.handle_async_request(request)
        response.request = request
    try:
        yield response
    finally:
        await response.aclose()


def _in_thread(build: Callable[[], T]) -> Future[T]:
    """Start `build` in a daemon thread; its result (or exception) arrives in the returned future."""
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(build())
        except Exception as exc:  # handed to whoever awaits the future
            future.set_exception(exc)

    threading.Thread(target=run, name="prolific-http-setup", daemon=True).start()
    return future


async def _one_chunk(data: bytes) -> AsyncIterator[bytes]:
    yield data


def _raw_body(response: httpx.Response) -> tuple[AsyncIterator[bytes], str | None]:
    """The body's raw bytes as they arrive, and their content encoding."""
    if response.is_stream_consumed:  # a transport that read the body already (test doubles do)
        return _one_chunk(response.content), None
    return response.aiter_raw(), response.headers.get("content-encoding")


def _done(value: T) -> Future[T]:
    future: Future[T] = Future()
    future.set_result(value)
    return future


def _path(*segments: str) -> str:
    """Build an API path from segments, refusing anything that could change the path's meaning."""
    for segment in segments:
        if not _SAFE_SEGMENT.fullmatch(segment):
            raise ValueError("refusing an unsafe path segment")
    return API_PREFIX + "/" + "/".join(segments)


def _results(data: Any, legacy_key: str) -> list[Any]:
    """The records of a list body: `results` (null means none), else the 2025 spec's legacy key."""
    if isinstance(data, dict):
        rows = data.get("results", data.get(legacy_key))
        if rows is None:
            return []
        if isinstance(rows, list):
            return rows
    raise UnexpectedResponseError(
        "Prolific returned an unexpected response (status 200): it is not a list of results", status=200
    )


def _meta_count(data: Any) -> int | None:
    meta = data.get("meta") if isinstance(data, dict) else None
    count = meta.get("count") if isinstance(meta, dict) else None
    return count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else None


def _first_id(items: list[Any]) -> str | None:
    value = getattr(items[0], "id", None) if items else None
    return value if isinstance(value, str) else None


def _next_link(data: Any) -> str | None:
    """`_links.next.href` when it is a non-empty string (Prolific's older lists page this way)."""
    links = data.get("_links") if isinstance(data, dict) else None
    following = links.get("next") if isinstance(links, dict) else None
    href = following.get("href") if isinstance(following, dict) else None
    return href if isinstance(href, str) and href.strip() else None


def _parse(model: type[ModelT], data: Any, what: str) -> ModelT:
    """Prolific's JSON as our model; a shape we do not expect is Prolific's surprise (with the field that
    surprised us), never the caller's mistake."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise UnexpectedResponseError(
            f"Prolific returned an unexpected response (status 200): it is not {what}{_surprise(exc)}", status=200
        ) from None
    except RecursionError:
        raise UnexpectedResponseError(
            f"Prolific returned a body we cannot read (status 200): {what} nested too deeply", status=200
        ) from None


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _parse_rows(model: type[ModelT], rows: list[dict[str, Any]], what: str) -> list[ModelT]:
    """Many records at once (one validator call for the lot: about twice as fast as one call per record); on a
    surprise, record by record, to name the field that surprised us."""
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        adapter = _ADAPTERS[model] = TypeAdapter(list[model])  # type: ignore[valid-type]
    try:
        parsed: list[ModelT] = adapter.validate_python(rows)
    except (ValidationError, RecursionError):
        return [_parse(model, row, what) for row in rows]
    return parsed


def _surprise(exc: ValidationError) -> str:
    """The first field that did not match, and how (no values: they are upstream-controlled)."""
    errors = exc.errors(include_input=False, include_url=False)
    if not errors:
        return ""
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"]) or "the body"
    return f" (field {clean_text(where, 80)}: {clean_text(first['msg'], 120)})"


def _backoff(attempt: int, base: float, cap: float) -> float:
    """Exponential backoff with full jitter."""
    return random.uniform(0, min(cap, base * 2 ** (attempt - 1)))  # noqa: S311 - jitter, not crypto


def clean_text(value: object, limit: int = _DETAIL_LIMIT) -> str:
    """Upstream text made safe to show: control characters removed, whitespace folded, length bounded."""
    text = " ".join(_CONTROL_CHARS.sub("", str(value)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe_detail(detail: Any) -> str | None:
    """Prolific's `detail` is a string, a list of strings, or `{field: [messages]}`."""
    if detail is None:
        return None
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):
        return "; ".join(str(item) for item in detail[:10])
    if isinstance(detail, dict):
        parts = []
        for key, messages in list(detail.items())[:10]:
            text = "; ".join(map(str, messages)) if isinstance(messages, list) else str(messages)
            parts.append(f"{key}: {text}")
        return "; ".join(parts)
    return str(detail)


def _envelope_detail(body: bytes) -> tuple[str | None, str | None]:
    """(title, detail) from any of the error bodies Prolific is known to send; (None, None) if none."""
    try:
        data = json.loads(body) if body else None
    except ValueError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    error = data.get("error")
    if isinstance(error, dict):
        title = error.get("title")
        detail = _describe_detail(error.get("detail"))
        extra = error.get("additional_information")
        if isinstance(extra, str) and extra:
            detail = f"{detail}. {extra}" if detail else extra
        return (clean_text(title, 80) if title else None), (clean_text(detail) if detail else None)
    if data.get("type") == "INVALID_BATCH_ITEMS" and isinstance(data.get("issues"), list):
        messages = [str(i.get("message")) for i in data["issues"][:5] if isinstance(i, dict)]
        return "Invalid batch items", clean_text("; ".join(messages))
    simple = data.get("detail") or data.get("message")
    detail = _describe_detail(simple)
    return None, (clean_text(detail) if detail else None)


def _retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        from email.utils import parsedate_to_datetime  # only for an HTTP-date Retry-After

        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _error_for(status: int, headers: httpx.Headers, body: bytes, redactor: Redactor) -> ProlificError:
    title, detail = _envelope_detail(body)
    # The body is upstream text: a proxy in front of Prolific may echo the request's Authorization header.
    title = redactor.text(title) if title else None
    detail = redactor.text(detail) if detail else None
    said = f": {detail}" if detail else (f": {title}" if title else "")
    if 300 <= status < 400:
        return UnexpectedResponseError(
            f"Prolific returned an unexpected response (status {status}): a redirect, not followed",
            status=status,
        )
    if status == 401:
        return UnauthorizedError(f"Prolific rejected the API token (401){said}", status=401, detail=detail)
    if status == 403:
        return ForbiddenError(f"Prolific refused access (403){said}", status=403, detail=detail)
    if status == 404:
        return NotFoundError(f"Prolific found nothing there (404){said}", status=404, detail=detail)
    if status == 429:
        retry_after = _retry_after(headers)
        return RateLimitedError(
            f"Prolific is rate limiting requests (429){said}", retry_after=retry_after, detail=detail
        )
    if status >= 500:
        if title is None and detail is None and body:
            said = " (the body is not a Prolific error)"
        return UpstreamError(f"Prolific failed to answer ({status}){said}", status=status, detail=detail)
    return ClientRequestError(f"Prolific refused the request ({status}){said}", status=status, detail=detail)
