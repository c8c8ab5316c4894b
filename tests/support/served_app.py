"""A Sanic app served for real on a free loopback port from a background thread, for tests of one app."""

from __future__ import annotations

import asyncio
import http.client
import socket
import threading
from typing import Any, Mapping, Optional, Tuple, Union

from sanic import Sanic

HeaderValue = Union[str, bytes]


class Served:
    """A Sanic app on a free loopback port, served by Sanic's own HTTP server from a background thread."""

    def __init__(self, app: Sanic) -> None:
        self.app = app
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.loop = asyncio.new_event_loop()
        self.server: Any = None
        self.failure: Optional[BaseException] = None
        self.started = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.server = self.loop.run_until_complete(
                self.app.create_server(sock=self.sock, return_asyncio_server=True, access_log=False)
            )
            self.loop.run_until_complete(self.server.startup())
            self.loop.run_until_complete(self.server.before_start())
            self.loop.run_until_complete(self.server.after_start())
        except BaseException as error:  # reported to the test thread
            self.failure = error
            self.started.set()
            return
        self.started.set()
        self.loop.run_forever()

    def __enter__(self) -> Served:
        self.thread.start()
        self.started.wait(30)
        if self.failure is not None:
            raise RuntimeError("the app did not start") from self.failure
        return self

    def __exit__(self, *_: object) -> None:
        async def shut_down() -> None:
            await self.server.before_stop()
            self.server.close()
            await self.server.wait_closed()
            await self.server.after_stop()

        asyncio.run_coroutine_threadsafe(shut_down(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()

    def call(
        self,
        method: str,
        path: str,
        headers: Optional[Mapping[str, HeaderValue]] = None,
        body: Optional[bytes] = None,
    ) -> Tuple[int, str, bytes]:
        """Status, content type and body of one request."""
        # http.client sends bytes header values as they are, so a test can put any byte on the wire.
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.putrequest(method, path)
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            if body is not None:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            answer = connection.getresponse()
            return answer.status, answer.getheader("content-type", ""), answer.read()
        finally:
            connection.close()

    def get(self, path: str, headers: Optional[Mapping[str, HeaderValue]] = None) -> Tuple[int, bytes]:
        status, _, body = self.call("GET", path, headers)
        return status, body
