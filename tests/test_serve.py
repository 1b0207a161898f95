"""The page's server binds to this machine only, unless --host says otherwise."""

import psutil
import pytest

from ecosystem.page.serving import ASSET_ALIASES, CACHE_DIR, prepare_offline_assets, server_command

from browser import served_page


def listening_addresses(pid: int) -> set[str]:
    process = psutil.Process(pid)
    sockets = [c for p in (process, *process.children(recursive=True)) for c in p.net_connections(kind="inet")]
    return {c.laddr.ip for c in sockets if c.status == psutil.CONN_LISTEN}


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_the_server_binds_where_it_is_told_and_to_localhost_by_default(host):
    with served_page(host) as (server, _):
        assert listening_addresses(server.pid) == {host}


def test_serve_defaults_to_localhost():
    from ecosystem.arguments import build_parser

    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1"
    command = server_command(args.host, args.port)
    assert command[command.index("--host") + 1] == "127.0.0.1"


def test_offline_assets_resolve_every_version_range_the_page_asks_for():
    prepare_offline_assets()
    prepare_offline_assets()  # idempotent
    for alias, target in ASSET_ALIASES.items():
        assert (CACHE_DIR / alias).resolve() == (CACHE_DIR / target).resolve()
        assert any((CACHE_DIR / alias).iterdir())
