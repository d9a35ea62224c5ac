"""``chiso serve``: on a fresh data directory it starts, with workers, already holding the resolution."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner

from chiso.cli.web import commands, serve


def test_serve_help_has_an_example() -> None:
    assert commands == [serve]
    result = CliRunner().invoke(serve, ["--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "--workers" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_starts_on_a_fresh_data_directory_with_two_workers(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHISO_")}
    env["CHISO_HOME"] = str(tmp_path / "home")
    code = "import sys; from chiso.cli.web import serve; serve(sys.argv[1:])"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("chiso serve did not start")
        page = httpx.get(url + "/", timeout=10)
        assert page.status_code == 200 and page.text.count('class="target-card ') == 33
        targets = httpx.get(url + "/api/resolutions/cao-bang-2025-2030/targets", timeout=10).json()
        assert targets["summary"]["total"] == 33
        assert (tmp_path / "home" / "chiso.sqlite3").is_file()
        key = tmp_path / "home" / "secret_key"
        assert key.is_file() and oct(key.stat().st_mode & 0o777) == "0o600"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert "http://127.0.0.1:" in output
