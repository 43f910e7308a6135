"""An endpoint that accepts connections and never answers fails in seconds, with one line
(cli.md: "an endpoint that does not answer"), instead of keeping meshify waiting."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest
from conftest import run_installed

pytestmark = pytest.mark.slow  # a server and the console script


def test_placeholders_against_a_silent_endpoint(shop):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept_and_say_nothing() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_say_nothing, daemon=True)
    thread.start()
    env = {**os.environ, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{server.getsockname()[1]}",
           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "eu-west-1",
           "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}
    start = time.monotonic()
    try:
        result = run_installed("placeholders", cwd=shop, env=env)
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()
    elapsed = time.monotonic() - start
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("AWS: the endpoint does not answer: Read timeout on endpoint URL: ")
    assert result.stdout == ""
    assert elapsed < 40  # three attempts of five seconds, and start-up on a loaded machine
    assert held  # it did connect: the wait was for an answer
