"""Serve the browser page on this machine, with every asset it needs local.

Solara fetches some JavaScript and CSS from a CDN the first time a page asks
for them, unless it finds them in its proxy cache folder. The `solara-assets`
package fills that folder with exact versions (`vega@5.21.0`), while the page
asks for version ranges (`vega@5`); the cache lookup matches folder names
literally, so `prepare_offline_assets` adds one alias per range. With them,
the page loads with no connection to the internet.

The server runs as a child process in a session of its own, so that its
whole process group can be stopped together: `stop_server` signals the
group, and `serve` calls it however it is stopped (Ctrl-C, SIGTERM), so no
server outlives the command that started it.
"""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from ecosystem.validation import refusal

CACHE_DIR = Path(sys.prefix) / "share" / "solara" / "cdn"  # solara's default proxy cache
ASSET_ALIASES = {"vega@5": "vega@5.21.0", "vega-lite@5": "vega-lite@5.2.0", "vega-embed@6": "vega-embed@6.20.2"}
LOCAL_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
APP = "ecosystem.page.app:Page"
SERVER_ENVIRONMENT = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",  # its host cannot be reached, and need not be
    "SOLARA_ASSETS_PROXY_CACHE_DIR": str(CACHE_DIR),
}


def prepare_offline_assets(cache_dir: Path = CACHE_DIR) -> None:
    """Make every version range the page asks for resolve to a shipped folder (idempotent)."""
    for alias, target in ASSET_ALIASES.items():
        if not (cache_dir / target).is_dir():
            raise RuntimeError(f"{cache_dir / target} is missing: install the pinned solara-assets package")
        link = cache_dir / alias
        if not link.exists():
            link.symlink_to(target, target_is_directory=True)


def server_command(host: str, port: int) -> list[str]:
    """The `solara run` command that serves the page, in a process that exits with this one."""
    return [
        sys.executable, "-m", "ecosystem.page.server_process", str(os.getpid()),
        "run", APP, "--host", host, "--port", str(port), "--production", "--no-open", "--log-level", "warning",
    ]  # fmt: skip


def server_environment() -> dict[str, str]:
    """This process's environment, plus the server's settings and this package on the path."""
    root = str(Path(__file__).resolve().parents[2])  # the folder holding the ecosystem package
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, **SERVER_ENVIRONMENT, "PYTHONPATH": path}


def check_listen_address(host: str, port: int) -> None:
    """Refuse, before starting anything, an empty host (it would bind every interface), a port
    out of range, or an address this machine cannot listen on (in use, not its own)."""
    if not host.strip():
        raise refusal("host", host, "an address to listen on, such as 127.0.0.1 (0.0.0.0 for every interface)")
    if not 0 < port < 65536:
        raise refusal("port", port, "an integer in [1, 65535]")
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
            probe.bind((host, port))
    except OSError as error:
        raise refusal("port", port, f"a port free to listen on at {host} ({error.strerror or error})") from None


def start_server(host: str = LOCAL_HOST, port: int = DEFAULT_PORT, **popen_options) -> subprocess.Popen:
    """Start the page's server in a child process leading its own process group (stop it with `stop_server`)."""
    prepare_offline_assets()
    return subprocess.Popen(
        server_command(host, port), env=server_environment(), start_new_session=True, **popen_options
    )


def stop_server(server: subprocess.Popen, seconds: float = 15) -> None:
    """Stop the server and every process of its group: SIGTERM, then SIGKILL after `seconds`."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, signum)
        except ProcessLookupError:  # the group is gone already
            pass
        try:
            server.wait(timeout=seconds)
            return
        except subprocess.TimeoutExpired:
            continue
