"""What a request must be before any route (or the decision lane) reads it.

- Its body is at most `MAX_BODY_BYTES`: 413 otherwise. A declared Content-Length
  over the limit is refused before a byte of the body is read; a body without one
  (chunked) is counted as it arrives and refused once it passes the limit, so a
  client cannot make the server buffer 50 MB by leaving the length out. A body
  with a Content-Length is not counted: uvicorn delivers exactly that many bytes.
- Its path and query string hold no NUL: 422. PostgreSQL cannot store or compare
  text with NUL in it, and no name, id or search term of ours has one.

It is a raw ASGI middleware, outermost, so both rules hold for the decision lane
(server/lane.py) as for FastAPI, at the cost of a header scan per request.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from callboard.server.errors import error_response
from callboard.server.inputs import NO_NUL

# Larger than any JSON body the API takes (a 20,000-character note, a KB article),
# small enough that a burst of anonymous requests cannot exhaust memory.
MAX_BODY_BYTES = 1_000_000
TOO_LARGE = f"the request body is larger than {MAX_BODY_BYTES:,} bytes"


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a streamed body passes the limit. An HTTPException,
    so FastAPI's body reader lets it through to the app's handler (server/errors.py),
    which answers it in the one error shape; the middleware answers it otherwise."""

    def __init__(self) -> None:
        super().__init__(413, TOO_LARGE)


class RequestLimits:
    def __init__(self, app: ASGIApp, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope["path"] or b"%00" in scope["query_string"]:
            where = "path" if "\x00" in scope["path"] else "query"
            problem = [{"loc": where, "msg": NO_NUL}]
            await error_response(422, f"invalid request: {where}: {NO_NUL}", problem)(
                scope, receive, send
            )
            return
        length = None
        chunked = False
        for name, value in scope["headers"]:
            if name == b"content-length":
                length = value
            elif name == b"transfer-encoding":
                chunked = True
        if length is None or chunked or not length.isdigit():
            await self._counted(scope, receive, send)
        elif int(length) > self.max_body_bytes:
            await error_response(413, TOO_LARGE)(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _counted(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a request whose body has no declared length, counting it as it comes."""
        received = 0
        started = False

        async def counting() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge
            return message

        async def watching(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, watching)
        except BodyTooLarge:
            if started:  # an answer is on its way already; nothing more can be said
                raise
            await error_response(413, TOO_LARGE)(scope, receive, send)
