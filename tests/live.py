"""The real server for tests and benchmarks: `python app.py` (eventlet) as a subprocess.

It binds 127.0.0.1 on a free port, uses its own database file, and stops with the test session.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, db_path, env=None, nofile=None):
        """`nofile`: start the server under this open-files limit (soft and hard, or "soft:hard"),
        via prlimit."""
        self.nofile = nofile
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_path = str(db_path)
        self.output = []
        self.extra_env = env or {}
        self.process = None

    def start(self, timeout=60):  # a loaded 2-core machine can take long to start Python
        self.output = []
        env = {
            **os.environ,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "FACILITATION_DB": self.db_path,
            "PYTHONUNBUFFERED": "1",
            # Many tests join from this one address: keep the per-address limits out of the way.
            "FACILITATION_LIMITS": '{"joins_per_minute": 100000, "joins_burst": 100000, '
                                   '"address_ops_per_second": 100000, "address_ops_burst": 100000, '
                                   '"heavy_per_minute": 100000, "heavy_burst": 100000, '
                                   '"sync_rows_per_second": 100000, "sync_rows_burst": 100000, '
                                   '"address_strikes_per_second": 100000, '
                                   '"address_strikes_burst": 100000}',
            **self.extra_env,
        }
        command = [sys.executable, "app.py"]
        if self.nofile:
            limit = self.nofile if ":" in str(self.nofile) else f"{self.nofile}:{self.nofile}"
            command = ["prlimit", f"--nofile={limit}", "--", *command]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._collect, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("server exited:\n" + "".join(self.output))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    self._wait_for_banner(deadline)
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("server did not start:\n" + "".join(self.output))

    def _wait_for_banner(self, deadline):
        """The server listens just before it prints its banner; on a loaded machine the reader
        thread may not have caught up with the output yet when the port answers."""
        while time.monotonic() < deadline and not any(
                line.startswith("Breakout Boards on") for line in self.output):
            time.sleep(0.02)

    def _collect(self):
        for line in self.process.stdout:
            self.output.append(line)

    def kill(self):
        """SIGKILL the server: no clean shutdown, as in a crash."""
        self.process.kill()
        self.process.wait()
        self._close_output()

    def _close_output(self):
        self._reader.join(timeout=5)
        if not self.process.stdout.closed:
            self.process.stdout.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self._close_output()

    def create_workshop(self, data):
        """POST /api/workshops and return the answer."""
        request = urllib.request.Request(
            self.url + "/api/workshops",
            data=json.dumps(data).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
