"""The demo, shortened (1 week, 8 earners), on a separate anvil: it deploys, simulates, and its own
bookkeeping agrees with what the chain says."""

from __future__ import annotations

import json

from rich.console import Console
from scripts_helpers import LOCAL_CONFIG

from tributary.demo import DemoSettings
from tributary.demo_run import run_demo
from tributary.income import build_statement
from tributary.manifest import Manifest
from tributary.network import connect
from tributary.render import demo_tables


def test_demo__short_run__writes_tables_chart_and_matches_the_chain(anvil, project, tmp_path) -> None:
    settings = DemoSettings(weeks=1, earners=8, seed=3)
    result = run_demo(network=anvil.url, config_path=LOCAL_CONFIG, settings=settings, out=tmp_path)

    assert len(result.history) == 8  # the start plus one snapshot per simulated day
    # the table says the same number of days as the run's summary line ("7 simulated days"), not 8
    assert demo_tables(result)[0].title == "Tiers after 7 days (mUSD)"
    assert {e.profile for e in result.earners} == {"conservative", "balanced", "growth", "default"}
    weights = {e.profile: e.weights_bps for e in result.earners}
    assert weights["balanced"] == [2_000, 6_000, 2_000] and weights["default"] == [5_000, 3_000, 2_000]
    assert all(e.paid > 0 for e in result.earners)
    # + the two platforms that pay only by plain transfers to deposit addresses (issue 14; GAME is converted)
    plain = {"browser-ads", "gold-quest"}
    assert set(result.sources) == {"ad-network", "game", "storage-market", "tips"} | plain
    assert any("gro-degen slashed 25%" in text for _, text in result.events)
    growth = result.tier_rows[2]
    assert growth["tier"] == "growth" and growth["price_change"] < 0  # the slash shows in the share price

    assert (tmp_path / "demo.png").read_bytes()[:4] == b"\x89PNG"
    summary = json.loads((tmp_path / "demo.json").read_text())
    assert len(summary["earners"]) == 8 and summary["transactions"] == result.transactions
    assert all(sum(e["weights_bps"]) == 10_000 for e in summary["earners"])
    console = Console(width=200, record=True)
    for table in demo_tables(result):
        console.print(table)
    assert "20/60/20" in console.export_text()  # the balanced earners' weights, not only their label

    # The simulation's own tally of what each earner was paid equals the chain's events, to the unit.
    manifest = Manifest.load(tmp_path / "demo-deployment.json")
    with connect(anvil.url) as provider:
        for earner in result.earners[:3]:
            statement = build_statement(
                provider.web3, manifest.address("pool"), manifest.tier_vaults(), earner.address
            )
            assert statement.paid_in == earner.paid
            assert statement.value == result.earner_values[earner.address]
