"""The main job and the page's server: whole folders, early refusals, nothing left running.

Each test sets up the case that once went wrong (named in its docstring) and
shows what happens now. Kills go to process ids or groups this test started;
every wait has a deadline; servers listen on 127.0.0.1 only.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from ecosystem.export import publish, staged, staging_folder

from browser import free_port, wait_for_http
from cli_helpers import assert_refused, call

ROOT = Path(__file__).resolve().parents[1]
SMALL = ["--population", "24", "--generations", "3", "--deploy-episodes", "2", "--quiet", "--seeds", "1", "--workers", "1"]


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_run_killed_while_it_writes_leaves_the_earlier_folder_whole(tmp_path):
    """Case 1: a rerun killed while writing once left agents.csv of the new seed beside the
    old run's other files. Now the folder holds one whole run, old or new, whenever it is killed."""
    out = tmp_path / "out"
    status, stdout, _ = call("run", *SMALL, "--seed", "1", "--out", str(out), "--name", "x")
    assert status == 0 and "replaced" not in stdout
    before = folder_bytes(out / "x")
    command = [sys.executable, "-m", "ecosystem", "run", *SMALL, "--seed", "2", "--out", str(out), "--name", "x"]
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if any(staging.iterdir() for staging in out.glob(".staging-*")):  # it has begun writing
            os.killpg(process.pid, signal.SIGKILL)
            break
        time.sleep(0.002)
    process.wait(timeout=60)
    after = folder_bytes(out / "x")
    seeds = json.loads(after["params.json"])["seeds"]
    assert after == before or (seeds == [2] and after.keys() == before.keys()), "a mixed folder"
    status, stdout, _ = call("run", *SMALL, "--seed", "3", "--out", str(out), "--name", "x")
    assert status == 0 and f"replaced the earlier results in {out / 'x'}/" in stdout
    assert json.loads((out / "x" / "params.json").read_text())["seeds"] == [3]
    assert [p.name for p in out.iterdir()] == ["x"], "nothing is left beside the folder"


def test_publishing_replaces_a_folder_by_renames(tmp_path):
    """Case 1: the staging folder becomes the results folder in one rename; the old one goes."""
    folder = tmp_path / "x"
    for text in ("old", "new"):
        staging = staging_folder("out", folder)
        (staging / "a.csv").write_text(text)
        assert publish(staging, folder) == (text == "new")
    assert (folder / "a.csv").read_text() == "new" and [p.name for p in tmp_path.iterdir()] == ["x"]


def test_a_staged_folder_is_published_whole_or_not_at_all(tmp_path):
    """Case 1 for every command that publishes a folder: a block that fails leaves the earlier
    folder as it was and no staging folder behind; one that ends publishes every file at once."""
    folder = tmp_path / "x"
    with staged("out", folder) as stage:
        (stage.path / "a.csv").write_text("old")
    assert (stage.files, stage.replaced) == (["a.csv"], False)
    with pytest.raises(RuntimeError), staged("out", folder) as stage:
        (stage.path / "a.csv").write_text("new")
        raise RuntimeError("the run failed")
    assert (folder / "a.csv").read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["x"]
    with staged("out", folder) as stage:
        (stage.path / "b.csv").write_text("new")
    assert stage.replaced and [p.name for p in folder.iterdir()] == ["b.csv"]


@pytest.mark.parametrize("how", ["names a file", "lies under a file", "too long", "cannot be created"])
def test_a_bad_output_path_is_refused_before_the_run(tmp_path, how):
    """Case 6: such paths gave a traceback after the whole run; now one line, exit 2, nothing written."""
    (tmp_path / "file").write_text("")
    out, name = {
        "names a file": (tmp_path, "file"),
        "lies under a file": (tmp_path / "file" / "deeper", "x"),
        "too long": (tmp_path, "n" * 300),
        "cannot be created": (Path("/proc/no-such-folder"), "x"),  # refused even to root
    }[how]
    before = sorted(tmp_path.rglob("*"))
    status, _, stderr = call("run", *SMALL, "--out", str(out), "--name", name)
    assert_refused(status, stderr, "out=")
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.parametrize("flag, value", [("--cognition-overhead", "1e308"), ("--cognition-cost-per-budget", "1e308"),
                                         ("--mutation-scale", "1e308"), ("--selection-strength", "1e308")])  # fmt: skip
def test_values_that_overflowed_are_refused(tmp_path, flag, value):
    """Case 7: these once made selection's probabilities NaN or wrote inf and NaN into the CSVs."""
    status, _, stderr = call("run", *SMALL, "--out", str(tmp_path / "out"), flag, value)
    assert_refused(status, stderr, flag[2:].replace("-", "_"))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args, word", [(["--host", ""], "host="), (["--host", " "], "host="), (["--port", "0"], "port=")])
def test_serve_refuses_an_empty_host_or_a_bad_port(args, word):
    """Case 6: `--host ''` bound every interface; now it is refused, not guessed."""
    assert_refused(*call("serve", *args)[::2], word)


def test_serve_refuses_a_port_in_use_before_saying_it_serves():
    """Case 6: a port in use printed "serving at ..." and then failed with exit 3."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        status, stdout, stderr = call("serve", "--port", str(taken.getsockname()[1]))
    assert_refused(status, stderr, "port=")
    assert "serving" not in stdout


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_stopping_serve_stops_the_server_it_started(stop):
    """Case 5: SIGTERM to `serve` left the Solara server listening. Killed outright, `serve`
    cannot stop its server, so the server must notice and exit by itself."""
    port = free_port()
    command = [sys.executable, "-m", "ecosystem", "serve", "--port", str(port)]
    serve = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = []
    try:
        wait_for_http(f"http://127.0.0.1:{port}/")
        started = psutil.Process(serve.pid).children(recursive=True)
        assert started
        serve.send_signal(stop)
        returncode = serve.wait(timeout=30)
        assert stop == signal.SIGKILL or returncode == 0
        gone, alive = psutil.wait_procs(started, timeout=20)
        assert not alive, f"still running: {alive}"
    finally:
        for process in [psutil.Process(serve.pid), *started] if serve.poll() is None else started:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()