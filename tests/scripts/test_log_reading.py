"""Reading logs the way public providers allow: bounded ranges, shrinking on "range too large", backing
off on rate limits, and an incremental SQLite cache that re-reads a reorg window. No chain: a fake node."""

from __future__ import annotations

import pytest
from fake_chain import FakeNode

from tributary.cache import ChainCache, chain_key, sync
from tributary.logs import LogQuery, LogScanner, Rpc, RpcError, is_range_error, is_rate_limit

POOL = "0x00000000000000000000000000000000000000aa"
OTHER = "0x00000000000000000000000000000000000000bb"
TOPIC = "0x" + "11" * 32
QUERY = LogQuery("q", (POOL,), ((TOPIC,),))


def _node(**kwargs) -> FakeNode:
    logs = [(b, POOL, [TOPIC]) for b in range(0, 101, 10)] + [(55, OTHER, [TOPIC])]
    return FakeNode(logs=logs, **kwargs)


def _rpc(node: FakeNode, sleeps: list[float] | None = None) -> Rpc:
    return Rpc(node, sleep=(sleeps.append if sleeps is not None else lambda _: None))


@pytest.mark.parametrize(
    "message",
    [
        "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range",
        "query returned more than 10000 results",
        "block range is too wide",
        "exceed maximum block range: 50000",
        "eth_getLogs is limited to a 10,000 range",
    ],
)
def test_is_range_error__known_provider_answers__are_recognised(message: str) -> None:
    assert is_range_error(message)


@pytest.mark.parametrize(
    "message", ["Too Many Requests", "rate limit exceeded", "HTTPError: 429 Client Error", "compute units"]
)
def test_is_rate_limit__known_provider_answers__are_recognised(message: str) -> None:
    assert is_rate_limit(message) and not is_range_error(message)


def test_scan__chunked__asks_bounded_ranges_and_finds_every_log() -> None:
    node = _node()
    logs = LogScanner(_rpc(node), chunk=25).scan([QUERY], 0, 100)["q"]
    assert [int(log["blockNumber"], 16) for log in logs] == list(range(0, 101, 10))
    assert node.log_ranges() == [(0, 24), (25, 49), (50, 74), (75, 99), (100, 100)]


def test_scan__provider_says_range_too_large__halves_the_range_and_keeps_it(caplog) -> None:
    node = _node(max_range=10)
    scanner = LogScanner(_rpc(node), chunk=40)
    logs = scanner.scan([QUERY], 0, 100)["q"]
    assert len(logs) == 11  # nothing lost
    assert scanner.chunk == 10 and scanner.shrinks == 2  # 40 -> 20 -> 10, then kept for the rest
    accepted = [r for r in node.log_ranges() if r[1] - r[0] + 1 <= 10]
    assert accepted[0] == (0, 9) and all(b - a + 1 <= 10 for a, b in accepted)


def test_scan__refused_even_one_block__raises_a_clear_error() -> None:
    node = _node(max_range=0)
    with pytest.raises(RpcError, match="refuses even a one-block range at 0"):
        LogScanner(_rpc(node), chunk=4).scan([QUERY], 0, 10)


def test_rpc__rate_limited__backs_off_exponentially_then_succeeds() -> None:
    sleeps: list[float] = []
    node = _node(rate_limited=3)
    rpc = _rpc(node, sleeps)
    logs = LogScanner(rpc).scan([QUERY], 0, 100)["q"]
    assert len(logs) == 11
    assert sleeps == [0.5, 1.0, 2.0] and rpc.waits == 3
    assert rpc.calls["eth_getLogs"] == 4  # three refusals, one answer: every attempt is counted


def test_rpc__rate_limited_beyond_retries__raises() -> None:
    rpc = Rpc(_node(rate_limited=10), retries=2, sleep=lambda _: None)
    with pytest.raises(RpcError, match="Too Many Requests"):
        rpc.request("eth_chainId")


def test_scan__progress__reports_blocks_done_of_total() -> None:
    seen: list[tuple[int, int]] = []
    LogScanner(_rpc(_node()), chunk=50).scan([QUERY], 0, 100, lambda done, total: seen.append((done, total)))
    assert seen == [(50, 101), (100, 101), (101, 101)]


def test_scanner__zero_chunk__is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        LogScanner(_rpc(_node()), chunk=0)


def _sync(node: FakeNode, cache: ChainCache, start: int = 0, depth: int = 5):
    rpc = _rpc(node)
    logs, report = sync(
        rpc, LogScanner(rpc, chunk=1_000), cache, chain_key(rpc), "scope", [QUERY], start, depth
    )
    return [int(log["blockNumber"], 16) for log in logs["q"]], report


def test_cache__rerun__reads_only_new_blocks_plus_the_reorg_window(tmp_path) -> None:
    node = _node()
    with ChainCache(tmp_path / "c.sqlite3") as cache:
        blocks, first = _sync(node, cache)
        assert first.read_from == 0 and first.blocks_read == 101
        node.head = 130
        node.logs.append((120, POOL, [TOPIC]))
        node.requests.clear()
        blocks, second = _sync(node, cache)
    assert blocks == [*range(0, 101, 10), 120]
    assert second.cached_to == 100 and second.read_from == 96  # 100 - 5 + 1: the reorg window
    assert node.log_ranges() == [(96, 130)]


def test_cache__reorg_inside_the_window__replaces_the_logs(tmp_path) -> None:
    node = _node()
    with ChainCache(tmp_path / "c.sqlite3") as cache:
        _sync(node, cache)
        node.logs = [log for log in node.logs if log[0] != 100] + [(99, POOL, [TOPIC])]  # block 100 re-mined
        node.fork_from = 100
        blocks, report = _sync(node, cache)
    assert not report.dropped and report.read_from == 96  # the anchor (block 95) did not change
    assert 100 not in blocks and 99 in blocks


def test_cache__reorg_deeper_than_the_window__rereads_from_the_start(tmp_path) -> None:
    node = _node()
    with ChainCache(tmp_path / "c.sqlite3") as cache:
        _sync(node, cache)
        node.fork_from = 50  # every block from 50 on changed, deeper than the 5-block window
        node.head = 101
        node.logs = [log for log in node.logs if log[0] < 50]
        blocks, report = _sync(node, cache)
    assert report.dropped and report.read_from == 0
    assert blocks == [0, 10, 20, 30, 40]


def test_cache__deleted__loses_nothing(tmp_path) -> None:
    node = _node()
    path = tmp_path / "c.sqlite3"
    with ChainCache(path) as cache:
        before, _ = _sync(node, cache)
    path.unlink()
    with ChainCache(path) as cache:
        after, report = _sync(node, cache)
    assert after == before and report.read_from == 0


def test_cache__another_chain_with_the_same_id__never_shares_rows(tmp_path) -> None:
    node = _node()
    with ChainCache(tmp_path / "c.sqlite3") as cache:
        _sync(node, cache)
        restarted = FakeNode(head=20, logs=[(3, POOL, [TOPIC])], fork_from=0)  # new genesis hash
        blocks, report = _sync(restarted, cache)
    assert blocks == [3] and report.cached_to is None
