"""The Prolific client against the simulator over real HTTP: error translation, retries, coalescing, secrecy."""

from __future__ import annotations

import builtins
import email.utils
import json
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import anyio.abc
import httpx
import pytest
from pydantic import SecretStr

from prolific_taskbuilder_mcp.client import (
    ClientOptions,
    ClientRequestError,
    ForbiddenError,
    NetworkError,
    NotFoundError,
    ProlificClient,
    ProlificError,
    RateLimitedError,
    RequestTimeoutError,
    UnauthorizedError,
    UnexpectedResponseError,
    UpstreamError,
    tls,
)
from prolific_taskbuilder_mcp.client.errors import NotSentError
from prolific_taskbuilder_mcp.client.models import UploadTarget
from prolific_taskbuilder_mcp.sandbox import SEED_BATCH_ID, Fault
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox
from tests.support.clock import FakeClock
from tests.support.simulator import CANARY_TOKEN

pytestmark = pytest.mark.anyio


def _options(sandbox: RunningSandbox, **overrides: float) -> ClientOptions:
    values: dict[str, float] = {"request_timeout": 2.0, "call_deadline": 10.0, "backoff_base": 0.01}
    values.update(overrides)
    return ClientOptions(base_url=sandbox.url, **values)  # type: ignore[arg-type]


@pytest.fixture
async def prolific(sandbox: RunningSandbox) -> AsyncIterator[ProlificClient]:
    async with ProlificClient(SecretStr(CANARY_TOKEN), _options(sandbox)) as client:
        yield client


async def test_get_batch_reads_the_seed_example(prolific: ProlificClient) -> None:
    batch = await prolific.get_batch(SEED_BATCH_ID)
    assert batch.id == SEED_BATCH_ID
    assert batch.status == "UNINITIALISED"
    assert batch.datasets[0].filename == "user_responses_2024-01.csv"
    assert batch.task_details is not None
    assert batch.task_details.task_name == "Sentiment Analysis Task"


async def test_get_batch_status(prolific: ProlificClient) -> None:
    assert (await prolific.get_batch_status(SEED_BATCH_ID)).status == "UNINITIALISED"


async def test_a_wrong_token_is_unauthorized(sandbox: RunningSandbox) -> None:
    async with ProlificClient(SecretStr("wrong-token"), _options(sandbox)) as client:
        with pytest.raises(UnauthorizedError) as caught:
            await client.get_batch(SEED_BATCH_ID)
    assert caught.value.status == 401
    assert "Invalid token" in str(caught.value)


@pytest.mark.parametrize(
    ("fault", "error_type", "status"),
    [
        (Fault(kind="status", status=400), ClientRequestError, 400),
        (Fault(kind="status", status=403), ForbiddenError, 403),
        (Fault(kind="status", status=404), NotFoundError, 404),
        (Fault(kind="status", status=422), ClientRequestError, 422),
        (Fault(kind="status", status=500), UpstreamError, 500),
        (Fault(kind="status", status=503, times=None), UpstreamError, 503),
        (Fault(kind="html", status=502, times=None), UpstreamError, 502),
        (Fault(kind="not_json"), UnexpectedResponseError, 200),
        (Fault(kind="wrong_shape"), UnexpectedResponseError, 200),
        (Fault(kind="huge"), UnexpectedResponseError, None),
    ],
)
async def test_each_upstream_failure_becomes_its_typed_error(
    sandbox: RunningSandbox, prolific: ProlificClient, fault: Fault, error_type: type[ProlificError], status: int | None
) -> None:
    sandbox.state.add_fault(fault)
    with pytest.raises(error_type) as caught:
        await prolific.get_batch(SEED_BATCH_ID)
    assert caught.value.status == status
    assert CANARY_TOKEN not in str(caught.value)
    assert CANARY_TOKEN not in repr(caught.value)


async def test_the_error_envelope_detail_is_extracted(sandbox: RunningSandbox, prolific: ProlificClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await prolific.get_batch("00000000-0000-4000-8000-000000000404")
    assert caught.value.detail == "Batch not found."


async def test_a_rate_limit_longer_than_the_deadline_is_reported_with_retry_after(
    sandbox: RunningSandbox, prolific: ProlificClient
) -> None:
    sandbox.state.add_fault(Fault(kind="status", status=429, retry_after="120", times=None))
    with pytest.raises(RateLimitedError) as caught:
        await prolific.get_batch(SEED_BATCH_ID)
    assert caught.value.retry_after == pytest.approx(120)
    assert sandbox.state.request_count == 1  # no pointless retry inside the deadline


async def test_a_short_rate_limit_is_waited_out_and_retried(sandbox: RunningSandbox, prolific: ProlificClient) -> None:
    sandbox.state.add_fault(Fault(kind="status", status=429, retry_after="0.2", times=1))
    started = anyio.current_time()
    batch = await prolific.get_batch(SEED_BATCH_ID)
    assert batch.id == SEED_BATCH_ID
    assert anyio.current_time() - started >= 0.2
    assert sandbox.state.request_count == 2


async def test_transient_failures_are_retried_up_to_max_attempts(
    sandbox: RunningSandbox, prolific: ProlificClient
) -> None:
    sandbox.state.add_fault(Fault(kind="status", status=503, times=2))
    assert (await prolific.get_batch(SEED_BATCH_ID)).id == SEED_BATCH_ID
    assert sandbox.state.request_count == 3


async def test_a_500_is_not_retried(sandbox: RunningSandbox, prolific: ProlificClient) -> None:
    sandbox.state.add_fault(Fault(kind="status", status=500, times=None))
    with pytest.raises(UpstreamError):
        await prolific.get_batch(SEED_BATCH_ID)
    assert sandbox.state.request_count == 1


async def test_a_slow_upstream_times_out(sandbox: RunningSandbox) -> None:
    sandbox.state.add_fault(Fault(kind="delay", seconds=2.0, times=None))
    async with ProlificClient(SecretStr(CANARY_TOKEN), _options(sandbox, request_timeout=0.2)) as client:
        with pytest.raises(RequestTimeoutError):
            await client.get_batch(SEED_BATCH_ID)


async def test_a_dripping_body_is_bounded_by_the_call_deadline(sandbox: RunningSandbox) -> None:
    sandbox.state.add_fault(Fault(kind="drip", seconds=0.05, times=None))
    options = _options(sandbox, request_timeout=1.0, call_deadline=0.6)
    async with ProlificClient(SecretStr(CANARY_TOKEN), options) as client:
        started = anyio.current_time()
        with pytest.raises(RequestTimeoutError):
            await client.get_batch(SEED_BATCH_ID)
        assert anyio.current_time() - started < 1.5


async def test_a_truncated_body_is_a_network_error(sandbox: RunningSandbox, prolific: ProlificClient) -> None:
    sandbox.state.add_fault(Fault(kind="truncated", times=None))
    with pytest.raises(NetworkError):
        await prolific.get_batch(SEED_BATCH_ID)


async def test_a_deadline_that_ends_the_retries_reports_the_failure_not_slowness(sandbox: RunningSandbox) -> None:
    # Every attempt fails at once (connection cut); the deadline lands during a retry's attempt, which is
    # slowed down. The cause is the connection, so that is what the caller hears.
    options = _options(sandbox, call_deadline=0.5, max_attempts=5)
    async with ProlificClient(SecretStr(CANARY_TOKEN), options) as client:
        for call in (
            lambda: client.get_batch(SEED_BATCH_ID),
            lambda: client.request_export("batches", SEED_BATCH_ID),
        ):
            sandbox.state.clear_faults()
            sandbox.state.add_fault(Fault(kind="reset", times=1))
            sandbox.state.add_fault(Fault(kind="delay", seconds=2.0, times=None))
            with pytest.raises(NetworkError):
                await call()


async def test_an_unreachable_origin_is_a_network_error() -> None:
    options = ClientOptions(base_url="http://127.0.0.1:9", max_attempts=1)
    async with ProlificClient(SecretStr(CANARY_TOKEN), options) as client:
        with pytest.raises(NetworkError) as caught:
            await client.get_batch(SEED_BATCH_ID)
    assert CANARY_TOKEN not in str(caught.value)


async def test_identical_concurrent_gets_share_one_upstream_request(
    sandbox: RunningSandbox, prolific: ProlificClient
) -> None:
    sandbox.state.latency = 0.1
    results: list[str] = []

    async def one() -> None:
        results.append((await prolific.get_batch(SEED_BATCH_ID)).id)

    async with anyio.create_task_group() as tg:
        for _ in range(20):
            tg.start_soon(one)
    assert results == [SEED_BATCH_ID] * 20
    assert sandbox.state.request_count == 1


@pytest.mark.parametrize("segment", ["../../users/me", "a/b", "%2e%2e", "", "x" * 65, "a?b=c", "a#b"])
async def test_unsafe_path_segments_are_refused_before_any_request(
    sandbox: RunningSandbox, prolific: ProlificClient, segment: str
) -> None:
    with pytest.raises(ValueError, match="unsafe"):
        await prolific.get_batch(segment)
    assert sandbox.state.request_count == 0


# -- every lower-level httpx outcome is mapped (httpx.MockTransport, no network) ----------------------


@pytest.mark.parametrize(
    ("raised", "error_type"),
    [
        (httpx.ConnectError("refused"), NetworkError),
        (httpx.ReadError("reset"), NetworkError),
        (httpx.RemoteProtocolError("bad"), NetworkError),
        (httpx.ConnectTimeout("slow"), NotSentError),  # never connected: a write may be sent again
        (httpx.ReadTimeout("slow"), RequestTimeoutError),
        (httpx.PoolTimeout("busy"), RequestTimeoutError),
    ],
)
async def test_every_transport_exception_is_translated(raised: Exception, error_type: type[ProlificError]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise raised

    options = ClientOptions(base_url="https://api.prolific.com", max_attempts=1)
    async with ProlificClient(SecretStr(CANARY_TOKEN), options, transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(error_type):
            await client.get_batch(SEED_BATCH_ID)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"error": {"status": 400, "title": "Bad Request", "detail": {"name": ["required"]}}}', "name: required"),
        (b'{"error": {"status": 400, "title": "Bad Request", "detail": ["one", "two"]}}', "one; two"),
        (b'{"detail": "batch not found"}', "batch not found"),
        (
            b'{"type": "INVALID_BATCH_ITEMS", "issues": [{"message": "description is required"}]}',
            "description is required",
        ),
        (b'{"error": {"status": 400, "detail": "' + b"x" * 5000 + b'"}}', "x" * 100),
    ],
)
async def test_every_error_body_shape_is_understood_and_bounded(body: bytes, expected: str) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(400, content=body))
    options = ClientOptions(base_url="https://api.prolific.com", max_attempts=1)
    async with ProlificClient(SecretStr(CANARY_TOKEN), options, transport=transport) as client:
        with pytest.raises(ClientRequestError) as caught:
            await client.get_batch(SEED_BATCH_ID)
    assert caught.value.detail is not None
    assert expected in caught.value.detail
    assert len(str(caught.value)) < 400


async def test_the_token_is_sent_as_documented_and_only_to_the_api_origin() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"Location": "https://evil.example/steal"})

    options = ClientOptions(base_url="https://api.prolific.com", max_attempts=1)
    async with ProlificClient(SecretStr(CANARY_TOKEN), options, transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(UnexpectedResponseError, match="redirect"):
            await client.get_batch(SEED_BATCH_ID)
    assert len(seen) == 1  # the redirect was not followed
    assert seen[0].headers["Authorization"] == f"Token {CANARY_TOKEN}"
    assert seen[0].headers["User-Agent"].startswith("prolific-taskbuilder-mcp/")


async def test_cookies_an_upstream_sets_are_never_sent_back_by_any_user_of_the_pool(sandbox: RunningSandbox) -> None:
    """The API authenticates by token; a cookie jar on the shared pool would hand a cookie set in answer to one user
    (a CDN's or load balancer's) to the next user's requests."""
    sandbox.state.edge_cookies = True
    sandbox.state.other_tokens = ("other-user-token-0123456789",)
    async with ProlificClient(SecretStr(CANARY_TOKEN), _options(sandbox)) as client:
        other = client.for_token(SecretStr("other-user-token-0123456789"))
        for caller in (client, other, client, other):
            await caller.get_batch(SEED_BATCH_ID)
    assert sum(sandbox.state.callers.values()) == 4
    assert sandbox.state.cookies_sent == 0


async def test_a_proxy_named_by_the_environment_carries_every_request(
    sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind a corporate proxy (HTTP_PROXY / HTTPS_PROXY / ALL_PROXY), requests go through it, as httpx sends them."""
    seen: list[str] = []

    async def forward(client: anyio.abc.SocketStream) -> None:
        async with client:
            head = b""
            while b"\r\n\r\n" not in head:
                head += await client.receive()
            line, _, rest = head.partition(b"\r\n")
            method, target, version = line.split(b" ")
            seen.append(f"{method.decode()} {target.decode()}")
            url = httpx.URL(target.decode())
            async with await anyio.connect_tcp(url.host, url.port or 80) as upstream:
                headers = rest.replace(b"\r\nConnection: keep-alive", b"").replace(b"\r\n\r\n", b"\r\n")
                await upstream.send(b" ".join([method, url.raw_path, version]) + b"\r\n" + headers)
                await upstream.send(b"Connection: close\r\n\r\n")
                try:
                    while True:
                        await client.send(await upstream.receive())
                except anyio.EndOfStream:
                    pass

    async with await anyio.create_tcp_listener(local_host="127.0.0.1") as listener, anyio.create_task_group() as tg:
        tg.start_soon(listener.serve, forward)
        port = listener.extra(anyio.abc.SocketAttribute.local_port)  # noqa: S610 - anyio, not Django
        for name in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "http_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
        async with ProlificClient(SecretStr(CANARY_TOKEN), _options(sandbox)) as client:
            batch = await client.get_batch(SEED_BATCH_ID)
            with pytest.raises(NotFoundError):
                await client.get_batch("00000000-0000-4000-8000-000000000000")
        tg.cancel_scope.cancel()
    assert batch.id == SEED_BATCH_ID
    api = f"{sandbox.url}/api/v1/data-collection/batches"
    assert seen == [f"GET {api}/{SEED_BATCH_ID}", f"GET {api}/00000000-0000-4000-8000-000000000000"]


async def test_the_client_repr_never_shows_the_token(prolific: ProlificClient) -> None:
    http = await prolific._http()
    assert CANARY_TOKEN not in repr(prolific)
    assert CANARY_TOKEN not in repr(http.auth)
    assert CANARY_TOKEN not in repr(http.headers)


async def test_the_connection_pool_is_built_off_the_event_loop(
    sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading the CA bundle and the transport takes tens of ms: not on the loop, not before the first answer."""
    built_in: list[str] = []
    real = httpx.AsyncClient.__init__

    def recording(self: httpx.AsyncClient, *args: Any, **kwargs: Any) -> None:
        built_in.append(threading.current_thread().name)
        real(self, *args, **kwargs)

    monkeypatch.setattr(httpx.AsyncClient, "__init__", recording)
    async with ProlificClient(SecretStr(CANARY_TOKEN), _options(sandbox)) as client:
        batch = await client.get_batch(SEED_BATCH_ID)
        await client.get_batch(SEED_BATCH_ID)
    assert batch.id == SEED_BATCH_ID
    assert built_in == ["prolific-http-setup"]  # once, and not on the event loop's thread


async def test_a_client_that_cannot_set_up_tls_fails_calls_clearly(
    sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing-bundle.pem"))
    monkeypatch.setattr(tls, "_context", None)  # built once per process: build it again, with the bad bundle
    async with ProlificClient(SecretStr(CANARY_TOKEN), _options(sandbox)) as client:
        with pytest.raises(NetworkError) as caught:
            await client.get_batch(SEED_BATCH_ID)
    assert "could not set up the HTTP client" in caught.value.message
    assert CANARY_TOKEN not in repr(caught.value)


def test_the_tls_context_is_built_once_per_process_off_the_main_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tls, "_context", None)
    built_in: list[str] = []
    real = httpx.create_ssl_context

    def recording(*args: Any, **kwargs: Any) -> Any:
        built_in.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(httpx, "create_ssl_context", recording)
    first = tls.prepare()
    assert tls.prepare() is first
    assert first.result(timeout=10).verify_mode.name == "CERT_REQUIRED"
    assert built_in == ["prolific-tls-setup"]


async def test_requests_do_not_retry_failed_imports(prolific: ProlificClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """httpcore imports sniffio on every lock it sets up; without it installed each request paid ~1.4 ms."""
    await prolific.get_batch(SEED_BATCH_ID)
    failed: list[str] = []
    real_import = builtins.__import__

    def recording(name: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return real_import(name, *args, **kwargs)
        except ImportError:
            failed.append(name)
            raise

    monkeypatch.setattr(builtins, "__import__", recording)
    for _ in range(3):
        await prolific.get_batch(SEED_BATCH_ID)
    assert failed == []


def _answering(body: bytes, content_type: str = "application/json") -> httpx.MockTransport:
    return httpx.MockTransport(
        lambda request: httpx.Response(200, content=body, headers={"Content-Type": content_type})
    )


async def test_json_nested_too_deeply_is_a_clear_unexpected_response() -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    async with ProlificClient(SecretStr(CANARY_TOKEN), transport=_answering(body)) as client:
        with pytest.raises(UnexpectedResponseError) as caught:
            await client.get_batch(SEED_BATCH_ID)
    assert "cannot read" in caught.value.message
    assert "nested too deeply" in caught.value.message


async def test_a_list_row_of_an_unexpected_shape_names_the_field_that_surprised_us() -> None:
    body = json.dumps({"results": [{"id": 7, "name": "x"}], "meta": {"count": 1}}).encode()
    async with ProlificClient(SecretStr(CANARY_TOKEN), transport=_answering(body)) as client:
        with pytest.raises(UnexpectedResponseError) as caught:
            await anext(client.list_batches("6278acb09062db3b35bcbeb0"))
    assert "field id" in caught.value.message
    assert "7" not in caught.value.message.replace("(status 200)", "")  # upstream values are not echoed


# -- list walks under paging the reference does not document -------------------------------------------------------


def _batch_rows(start: int, stop: int) -> list[dict[str, Any]]:
    return [{"id": f"00000000-0000-4000-8000-{n:012d}", "name": f"b{n}"} for n in range(start, stop)]


async def _walk_batches(handler: Any) -> tuple[list[str], list[httpx.Request], bool]:
    sent: list[httpx.Request] = []

    def recording(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=handler(request))

    ids: list[str] = []
    has_next = False
    async with ProlificClient(SecretStr(CANARY_TOKEN), transport=httpx.MockTransport(recording)) as client:
        async for page in client.list_batches("6278acb09062db3b35bcbeb0"):
            ids += [b.id for b in page.items]
            has_next = page.has_next
    return ids, sent, has_next


async def test_a_walk_stops_when_the_upstream_repeats_a_page_instead_of_honouring_offset() -> None:
    ids, sent, _ = await _walk_batches(lambda request: {"results": _batch_rows(0, 7), "meta": {"count": 20}})
    assert len(ids) == 7  # the repeated page is not shown twice
    assert len(sent) == 2
    assert "offset" not in sent[0].url.params  # the first request carries the documented parameters only
    assert sent[1].url.params["offset"] == "7"


async def test_a_walk_follows_next_links_on_the_api_origin_only() -> None:
    def pages(request: httpx.Request) -> dict[str, Any]:
        if request.url.params.get("page") == "2":
            return {"results": _batch_rows(3, 5), "_links": {"next": {"href": "https://evil.example/api/v1/x?page=3"}}}
        return {"results": _batch_rows(0, 3), "_links": {"next": {"href": "/api/v1/data-collection/batches?page=2"}}}

    ids, sent, has_next = await _walk_batches(pages)
    assert len(ids) == 5
    assert [r.url.host for r in sent] == ["api.prolific.com", "api.prolific.com"]
    assert has_next is False


async def test_a_walk_accepts_the_older_responses_key_and_null_results() -> None:
    ids, _, _ = await _walk_batches(lambda request: {"responses": _batch_rows(0, 2)})
    assert len(ids) == 2
    ids, _, _ = await _walk_batches(lambda request: {"results": None, "meta": None})
    assert ids == []


async def test_list_batches_says_incomplete_whenever_meta_count_exceeds_what_was_read() -> None:
    from prolific_taskbuilder_mcp.reads import batches as reads

    stuck = httpx.MockTransport(
        lambda r: httpx.Response(200, json={"results": _batch_rows(0, 7), "meta": {"count": 20}})
    )
    async with ProlificClient(SecretStr(CANARY_TOKEN), transport=stuck) as client:
        listed = await reads.list_batches(client, "6278acb09062db3b35bcbeb0")
    assert listed.total == 7
    assert listed.incomplete is True


async def test_a_list_whose_records_are_not_a_list_is_prolifics_surprise() -> None:
    for body in ({"results": "nope"}, {"responses": {"a": 1}}):
        transport = httpx.MockTransport(lambda r, body=body: httpx.Response(200, json=body))
        async with ProlificClient(SecretStr(CANARY_TOKEN), transport=transport) as client:
            with pytest.raises(UnexpectedResponseError, match="not a list"):
                await anext(client.list_batches("6278acb09062db3b35bcbeb0"))


@pytest.mark.parametrize(
    "base", ["https://gateway.test/prolific", "https://gateway.test/prolific/", "https://api.test"]
)
async def test_requests_go_where_httpx_would_merge_them_with_the_base_url(base: str) -> None:
    """Request URLs are merged with the base URL once per path and reused: the same URLs as httpx's own merge,
    path prefix (a gateway in front of Prolific) and query included."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path.endswith("/status"):
            return httpx.Response(200, json={"status": "READY"})
        if "/batches/" in request.url.path:
            return httpx.Response(200, json={"id": SEED_BATCH_ID})
        return httpx.Response(200, json={"results": []})

    options = ClientOptions(base_url=base, max_attempts=1)
    async with ProlificClient(SecretStr(CANARY_TOKEN), options, transport=httpx.MockTransport(handler)) as client:
        for _ in range(2):
            await client.get_batch(SEED_BATCH_ID)
            await client.get_batch_status(SEED_BATCH_ID)
        async for _ in client.list_batches("6278acb09062db3b35bcbeb0"):
            pass
    merge = httpx.AsyncClient(base_url=base)
    path = f"/api/v1/data-collection/batches/{SEED_BATCH_ID}"
    expected = [str(merge.build_request("GET", path).url), str(merge.build_request("GET", f"{path}/status").url)]
    assert seen[:4] == expected * 2
    assert seen[4].startswith(str(merge.build_request("GET", "/api/v1/data-collection/batches").url) + "?")
    assert "workspace_id=6278acb09062db3b35bcbeb0" in seen[4]
    await merge.aclose()


def _mock(handler: Any, **options: Any) -> ProlificClient:
    settings: dict[str, Any] = {"base_url": "https://api.prolific.test", "max_attempts": 3, "backoff_base": 0.5}
    settings.update(options)
    return ProlificClient(SecretStr(CANARY_TOKEN), ClientOptions(**settings), transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    ("retry_after", "waited_at_least", "waited_at_most"),
    [
        (lambda: email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=4), usegmt=True), 3.0, 5.0),
        (lambda: "in a while", 0.0, 1.0),  # unreadable: the backoff alone
        (lambda: "2", 2.0, 2.5),
    ],
)
async def test_retry_after_is_honoured_as_seconds_or_an_http_date(
    retry_after: Any, waited_at_least: float, waited_at_most: float
) -> None:
    """Prolific (or a proxy) may send Retry-After as seconds or as an HTTP date (RFC 9110); either is waited for."""
    clock = FakeClock()
    answers = iter([httpx.Response(429, headers={"Retry-After": retry_after()}), httpx.Response(200, json={"id": "b"})])
    async with _mock(lambda request: next(answers), clock=clock) as client:
        assert (await client.get_batch(SEED_BATCH_ID)).id == "b"
    assert waited_at_least <= clock.now_value - 1000.0 <= waited_at_most


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"error": {"title": "Bad", "detail": "name is required", "additional_information": "see the docs"}},
            "name is required. see the docs",
        ),
        ({"error": {"title": "Bad", "additional_information": "only this"}}, "only this"),
        ({"error": {"detail": {"name": "required", "size": ["too big", "odd"]}}}, "name: required; size: too big; odd"),
        ({"detail": 42}, "42"),
        ({"message": "plain message"}, "plain message"),
    ],
)
async def test_less_common_error_bodies_keep_their_detail(body: dict[str, Any], expected: str) -> None:
    async with _mock(lambda request: httpx.Response(400, json=body), max_attempts=1) as client:
        with pytest.raises(ClientRequestError) as caught:
            await client.get_batch(SEED_BATCH_ID)
    assert caught.value.detail == expected


async def test_a_body_nested_too_deeply_is_prolifics_surprise_not_a_crash() -> None:
    nested = b'{"id": "b", "task_details": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    async with _mock(lambda request: httpx.Response(200, content=nested), max_attempts=1) as client:
        with pytest.raises(UnexpectedResponseError, match="nested too deeply"):
            await client.get_batch(SEED_BATCH_ID)


async def test_identical_calls_waiting_on_a_failed_request_share_its_error_and_on_a_cancelled_one_try_again() -> None:
    release = anyio.Event()
    requests: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request.url.path)
        await release.wait()
        return httpx.Response(404, json={"detail": "no such batch"})

    async with _mock(handler, max_attempts=1) as client:
        errors: list[BaseException] = []

        async def call() -> None:
            try:
                await client.get_batch(SEED_BATCH_ID)
            except NotFoundError as exc:
                errors.append(exc)

        async with anyio.create_task_group() as tg:
            for _ in range(3):
                tg.start_soon(call)
            await anyio.wait_all_tasks_blocked()
            release.set()
        assert len(requests) == 1  # one request, three callers
        assert len(errors) == 3
        assert errors[0] is errors[1] is errors[2]

        release = anyio.Event()
        outcomes: list[str] = []
        leader = anyio.CancelScope()

        async def first() -> None:
            with leader:
                await client.get_batch(SEED_BATCH_ID)

        async def second() -> None:
            try:
                await client.get_batch(SEED_BATCH_ID)
            except NotFoundError:
                outcomes.append("not found")

        async with anyio.create_task_group() as tg:
            tg.start_soon(first)
            await anyio.wait_all_tasks_blocked()
            tg.start_soon(second)
            await anyio.wait_all_tasks_blocked()
            leader.cancel()  # the leader's caller went away: the follower becomes the leader
            await anyio.wait_all_tasks_blocked()
            release.set()
        assert outcomes == ["not found"]
        assert len(requests) == 3  # the cancelled leader's request, and the follower's own


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        (UploadTarget(upload_url="https://uploads.test/f.csv?sig=1", http_method="POST"), "by POST, not PUT"),
        (UploadTarget(upload_url="ftp://uploads.test/f.csv"), "not https"),
        (UploadTarget(upload_url="http://uploads.test/f.csv"), "not https"),  # the API itself is https here
    ],
)
async def test_an_upload_target_we_cannot_use_safely_is_refused_before_sending(
    target: UploadTarget, reason: str
) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    async with _mock(handler, max_attempts=1) as client:
        with pytest.raises(UnexpectedResponseError, match=reason):
            await client.upload(target, b"text\na\n", 7)
    assert sent == []
