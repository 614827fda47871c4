"""HTTP face of the reference portal (FastAPI): protocol v1 under /v1.

Request bodies may be gzip-compressed (Content-Encoding: gzip); responses are
gzip-compressed when the client accepts it. Every /v1 request must carry
`X-Motcua-Protocol: 1`; any other version is refused with 426 and a JSON
body naming the supported versions, before the body is even read.
"""

import gzip
import zlib
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.portal.service import Device, Portal, PortalError
from sync.portal.store import make_engine, utcnow
from sync.protocol import (MAX_PULL_CHANGES, PROTOCOL_HEADER, PROTOCOL_VERSION, SUPPORTED_VERSIONS, EnrollRequest,
                           EnrollResponse, ErrorBody, PullResponse, PushRequest, PushResponse, TimeResponse)

# A decompressed push larger than this is refused: a gzip bomb must not exhaust the portal's memory.
MAX_BODY_BYTES = 64 * 1024 * 1024


def _error(status: int, error: str, message: str, **extra: Any) -> JSONResponse:
    body = ErrorBody(error=error, message=message, **extra)
    return JSONResponse(status_code=status, content=body.model_dump(exclude_none=True))


class ProtocolGate:
    """Refuses an unsupported protocol version and inflates gzip request bodies (pure ASGI: no buffering twice)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        version = headers.get(PROTOCOL_HEADER.lower())
        if version not in {str(v) for v in SUPPORTED_VERSIONS}:
            said = f"phiên bản {version}" if version else "không khai báo phiên bản"
            response = _error(426, "unsupported_protocol",
                              f"Cổng chỉ hỗ trợ giao thức đồng bộ phiên bản "
                              f"{', '.join(map(str, SUPPORTED_VERSIONS))}; yêu cầu {said}. "
                              "Hãy cập nhật ứng dụng Quầy Một cửa.",
                              supported=list(SUPPORTED_VERSIONS))
            response.headers["Upgrade"] = f"motcua-sync/{PROTOCOL_VERSION}"
            await response(scope, receive, send)
            return
        if headers.get("content-encoding", "").lower() != "gzip":
            await self.app(scope, receive, send)
            return
        chunks = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        try:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            body = inflater.decompress(b"".join(chunks), MAX_BODY_BYTES)
            if inflater.unconsumed_tail:
                await _error(413, "too_large", "Dữ liệu gửi lên quá lớn.")(scope, receive, send)
                return
            if not inflater.eof:
                raise zlib.error("truncated")
        except (zlib.error, gzip.BadGzipFile):
            await _error(400, "bad_gzip", "Dữ liệu nén gzip bị hỏng hoặc không trọn vẹn.")(scope, receive, send)
            return
        scope = dict(scope)
        scope["headers"] = [(k, v) for k, v in scope["headers"]
                            if k.lower() not in (b"content-encoding", b"content-length")]
        scope["headers"].append((b"content-length", str(len(body)).encode()))
        sent = False

        async def inflated() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, inflated, send)


def create_app(db_url: str) -> FastAPI:
    portal = Portal(make_engine(db_url))
    app = FastAPI(title="Quầy Một cửa — cổng đồng bộ (tham chiếu)", version=f"{PROTOCOL_VERSION}",
                  description="Protocol v1 between one-stop-shop counters and the provincial portal. "
                              "See docs/sync-protocol.md.",
                  responses={401: {"model": ErrorBody}, 426: {"model": ErrorBody}})
    app.state.portal = portal

    @app.exception_handler(PortalError)
    async def portal_error(_request: Request, error: PortalError) -> JSONResponse:
        return _error(error.status_code, error.error, error.message)

    bearer = HTTPBearer(auto_error=False, description="device token from /v1/enroll")

    def device(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Device:
        return portal.authenticate(credentials.credentials if credentials else None)

    def protocol_header(
        x_motcua_protocol: Annotated[str, Header(alias=PROTOCOL_HEADER, description="must be 1")],
    ) -> None:
        # Checked by ProtocolGate before the body is read; declared here so the OpenAPI file shows it.
        return None

    versioned = [Depends(protocol_header)]

    @app.get("/v1/time", response_model=TimeResponse, dependencies=versioned)
    def server_time() -> TimeResponse:
        """Server clock, for the counter's clock-offset check."""
        return TimeResponse(protocol=PROTOCOL_VERSION, server_time=utcnow())

    @app.post("/v1/enroll", response_model=EnrollResponse, dependencies=versioned,
              responses={403: {"model": ErrorBody}, 409: {"model": ErrorBody}})
    def enroll(request: EnrollRequest) -> EnrollResponse:
        """Exchange a one-time enrollment code (and the counter's public key) for a device token."""
        return portal.enroll(request)

    @app.post("/v1/push", response_model=PushResponse, dependencies=versioned)
    def push(request: PushRequest, dev: Annotated[Device, Depends(device)]) -> PushResponse:
        """Store a batch of outbox items; one result per item, in the order sent."""
        return portal.push(dev, request)

    @app.get("/v1/pull", response_model=PullResponse, dependencies=versioned)
    def pull(dev: Annotated[Device, Depends(device)], after: Annotated[int, Query(ge=0)] = 0,
             limit: Annotated[int, Query(ge=1, le=MAX_PULL_CHANGES)] = 200) -> PullResponse:
        """Changes after the cursor: catalog, calendar, users, status set by processing bodies."""
        return portal.pull(dev, after, limit)

    app.add_middleware(GZipMiddleware, minimum_size=500)
    app.add_middleware(ProtocolGate)
    return app
