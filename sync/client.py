"""HTTP client for protocol v1 (requests + urllib3 Retry for connection set-up only).

Errors come in three kinds, because the engine treats them differently:
`LinkFailure` (the network or the portal had a bad moment: retry later with
backoff; `timed_out` tells the engine to shrink the batch), `PortalRefused`
(the portal said no to the whole request: a revoked device, an unsupported
protocol; retrying will not help) — both are CounterErrors with Vietnamese
text — and nothing else: a response either validates against the protocol
models or is a LinkFailure.
"""

import gzip
import json
import logging
from typing import Any, TypeVar

import requests
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, ReadTimeoutError
from urllib3.util.retry import Retry

from app.errors import CounterError
from sync.protocol import (PROTOCOL_HEADER, PROTOCOL_VERSION, EnrollRequest, EnrollResponse, ErrorBody,
                           PullResponse, PushRequest, PushResponse, TimeResponse)

log = logging.getLogger("motcua.sync.client")

M = TypeVar("M", bound=BaseModel)
# Bodies smaller than this are sent as they are: gzip's header would cost more than it saves.
GZIP_MIN_BYTES = 512


class LinkFailure(CounterError):
    def __init__(self, message: str, timed_out: bool = False):
        super().__init__(message)
        self.timed_out = timed_out


class PortalRefused(CounterError):
    def __init__(self, message: str, error: str, status_code: int):
        super().__init__(message)
        self.error = error
        self.status_code = status_code


def _session() -> requests.Session:
    session = requests.Session()
    # Only failures to connect are retried here (nothing was sent yet, so it is safe for POST too);
    # everything after the request left is the engine's business (it knows about idempotency and backoff).
    retry = Retry(total=2, connect=2, read=0, status=0, other=0, backoff_factor=0.3, raise_on_status=False,
                  allowed_methods=None)
    adapter = HTTPAdapter(max_retries=retry, pool_maxsize=2)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class PortalClient:
    def __init__(self, base_url: str, token: str | None = None, session: requests.Session | None = None,
                 connect_timeout: float = 5.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.http = session or _session()
        self.connect_timeout = connect_timeout
        # Wire bytes of the last request/response (compressed), for progress and the bench.
        self.last_sent_bytes = 0
        self.last_received_bytes = 0

    def close(self) -> None:
        self.http.close()

    def _headers(self) -> dict[str, str]:
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Accept": "application/json",
                   "Accept-Encoding": "gzip", "User-Agent": f"QuayMotCua-sync/{PROTOCOL_VERSION}"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _call(self, method: str, path: str, model: type[M], body: BaseModel | None = None,
              params: dict[str, Any] | None = None, read_timeout: float = 30.0) -> M:
        headers = self._headers()
        data: bytes | None = None
        if body is not None:
            data = body.model_dump_json().encode("utf-8")
            headers["Content-Type"] = "application/json"
            if len(data) >= GZIP_MIN_BYTES:
                data = gzip.compress(data, compresslevel=6)
                headers["Content-Encoding"] = "gzip"
        self.last_sent_bytes = len(data or b"")
        url = self.base_url + path
        try:
            response = self.http.request(method, url, data=data, params=params, headers=headers,
                                         timeout=(self.connect_timeout, read_timeout))
            content = response.content  # reads the whole body now: a cut-off body fails here, not later
        except requests.RequestException as error:
            if _timed_out(error):
                raise LinkFailure("Cổng không trả lời kịp (hết thời gian chờ).", timed_out=True) from None
            raise LinkFailure(f"Không kết nối được tới cổng ({_short(error)}).") from None
        self.last_received_bytes = int(response.headers.get("Content-Length") or len(content))
        if response.status_code >= 500:
            raise LinkFailure(f"Cổng gặp lỗi (HTTP {response.status_code}).")
        if response.status_code >= 400:
            raise self._refusal(response.status_code, content)
        if response.status_code != 200:
            raise LinkFailure(f"Cổng trả lời bất thường (HTTP {response.status_code}).")
        kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            # The classic captive portal: 200 OK with an HTML login page.
            raise LinkFailure(f"Phản hồi không phải của cổng đồng bộ (kiểu nội dung '{kind or 'không rõ'}'); "
                              "có thể mạng đang yêu cầu đăng nhập.")
        try:
            return model.model_validate_json(content)
        except ValidationError as error:
            raise LinkFailure(f"Phản hồi của cổng không hợp lệ ({error.error_count()} lỗi, ví dụ: "
                              f"{error.errors()[0]['msg']}).") from None

    def _refusal(self, status: int, content: bytes) -> CounterError:
        try:
            body = ErrorBody.model_validate_json(content)
        except ValidationError:
            try:
                detail = json.loads(content).get("detail")
            except (ValueError, AttributeError):
                detail = None
            if status in (408, 429):
                return LinkFailure(f"Cổng đang bận (HTTP {status}).")
            return PortalRefused(f"Cổng từ chối yêu cầu (HTTP {status}){': ' + str(detail) if detail else ''}.",
                                 "http_error", status)
        if status in (408, 429):
            return LinkFailure(body.message)
        return PortalRefused(body.message, body.error, status)

    def server_time(self, read_timeout: float = 15.0) -> TimeResponse:
        return self._call("GET", "/v1/time", TimeResponse, read_timeout=read_timeout)

    def enroll(self, request: EnrollRequest) -> EnrollResponse:
        return self._call("POST", "/v1/enroll", EnrollResponse, body=request)

    def push(self, request: PushRequest, read_timeout: float) -> PushResponse:
        response = self._call("POST", "/v1/push", PushResponse, body=request, read_timeout=read_timeout)
        sent = [item.id for item in request.items]
        if response.batch_id != request.batch_id or [r.id for r in response.results] != sent:
            # Answers for another batch or a partial list cannot be matched item by item: not an acknowledgement.
            raise LinkFailure("Phản hồi của cổng không khớp với lô dữ liệu đã gửi.")
        return response

    def pull(self, after: int, limit: int, read_timeout: float) -> PullResponse:
        response = self._call("GET", "/v1/pull", PullResponse, params={"after": after, "limit": limit},
                              read_timeout=read_timeout)
        if response.next_cursor < after or any(c.id <= after for c in response.changes):
            raise LinkFailure("Phản hồi của cổng có con trỏ đồng bộ lùi lại.")
        return response


def _timed_out(error: requests.RequestException) -> bool:
    # With a Retry object mounted, urllib3 wraps a read timeout in MaxRetryError and requests reports it
    # as a ConnectionError; the engine needs to know it was a timeout to shrink the batch.
    if isinstance(error, requests.Timeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, (ReadTimeoutError, ConnectTimeoutError))


def _short(error: Exception) -> str:
    text = str(error)
    # urllib3 wraps the interesting part deep inside; the last clause is what a person can act on.
    return (text.rsplit(": ", 1)[-1] if ": " in text else text)[:160] or type(error).__name__
