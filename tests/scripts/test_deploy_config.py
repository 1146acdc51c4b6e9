"""Deploy config parsing: the shipped configs load, and every kind of mistake is a ConfigError that names
the key."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tributary.config import DEPLOYER, load_config, to_base_units
from tributary.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def test_load__shipped_local_config__parses_tiers_strategies_and_roles() -> None:
    config = load_config(ROOT / "deploy" / "local.yaml")
    assert config.chain_id == 31337 and config.asset == "mock" and config.is_dev_chain
    assert [t.name for t in config.tiers] == ["conservative", "balanced", "growth"]
    assert sum(config.default_profile) == 10_000
    assert config.tiers[1].strategies[1].cap == Decimal(1_000_000)
    assert config.tiers[0].strategies[0].cap is None  # "unlimited"
    assert config.roles["curator"] == DEPLOYER


def test_load__shipped_sepolia_config__uses_a_real_asset_address() -> None:
    config = load_config(ROOT / "deploy" / "sepolia.yaml")
    assert config.chain_id == 11155111 and not config.is_dev_chain
    assert config.asset.startswith("0x") and len(config.asset) == 42


def test_load__json_file__parses_like_yaml(base_config, write_config) -> None:
    as_json = load_config(write_config(base_config, "c.json"))
    assert as_json.hash == load_config(write_config(base_config)).hash


def test_hash__changes_when_any_value_changes(base_config, write_config) -> None:
    before = load_config(write_config(base_config)).hash
    base_config["timelock"] = 60
    assert load_config(write_config(base_config)).hash != before


def test_to_base_units__scales_by_decimals_and_unlimited_is_max() -> None:
    assert to_base_units(Decimal("12.5"), 6) == 12_500_000
    assert to_base_units(None, 18) == 2**256 - 1


def _error(write_config, data) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(write_config(data))
    return str(info.value)


def test_load__missing_file__says_not_found(tmp_path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_load__invalid_yaml__says_not_valid_yaml(tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("tiers: [unclosed")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(path)


@pytest.mark.parametrize("key", ["chain_id", "asset", "tiers", "default_profile", "roles", "timelock"])
def test_load__missing_top_level_key__names_it(base_config, write_config, key) -> None:
    del base_config[key]
    assert f"missing required key '{key}'" in _error(write_config, base_config)


def test_load__missing_nested_key__names_its_path(base_config, write_config) -> None:
    del base_config["tiers"][1]["strategies"][0]["risk"]
    assert "missing required key 'tiers[1].strategies[0].risk'" in _error(write_config, base_config)


def test_load__missing_role__names_it(base_config, write_config) -> None:
    del base_config["roles"]["guardian"]
    assert "missing required key 'roles.guardian'" in _error(write_config, base_config)


def test_load__malformed_address__is_rejected(base_config, write_config) -> None:
    base_config["roles"]["allocator"] = "0x1234"
    assert "roles.allocator: '0x1234' is not an address" in _error(write_config, base_config)


def test_load__wrong_checksum__is_reported_as_a_typo(base_config, write_config) -> None:
    base_config["roles"]["admin"] = "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # last chars' case flipped
    assert "wrong EIP-55 checksum" in _error(write_config, base_config)


def test_load__lowercase_address__is_accepted_and_checksummed(base_config, write_config) -> None:
    base_config["roles"]["admin"] = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
    admin = load_config(write_config(base_config)).roles["admin"]
    assert admin == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def test_load__mock_asset_on_a_public_chain__is_refused(base_config, write_config) -> None:
    base_config["chain_id"] = 1
    assert "'mock' is only allowed on a local dev chain" in _error(write_config, base_config)


def test_load__mock_strategy_on_a_public_chain__is_refused(base_config, write_config) -> None:
    base_config["chain_id"] = 8453
    base_config["asset"] = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"
    assert "test-only mock, allowed on a local dev chain only" in _error(write_config, base_config)


def test_load__strategy_risk_above_tier_ceiling__is_refused(base_config, write_config) -> None:
    base_config["tiers"][0]["strategies"][0]["risk"] = 3
    message = _error(write_config, base_config)
    assert "tiers[0].strategies[0].risk: 3 is above the tier's risk_ceiling 1" in message


def test_load__strategy_weights_above_100_percent__are_refused(base_config, write_config) -> None:
    base_config["tiers"][1]["strategies"][0]["weight_bps"] = 7000
    assert "weights sum to 11000 bps" in _error(write_config, base_config)


def test_load__profile_not_summing_to_10000__is_refused(base_config, write_config) -> None:
    base_config["default_profile"] = [5000, 3000, 1000]
    assert "must sum to 10000 bps, got 9000" in _error(write_config, base_config)


def test_load__profile_length_not_matching_tiers__is_refused(base_config, write_config) -> None:
    base_config["default_profile"] = [5000, 5000]
    assert "one weight per tier (3), got 2" in _error(write_config, base_config)


def test_load__single_tier__is_refused(base_config, write_config) -> None:
    base_config["tiers"] = base_config["tiers"][:1]
    base_config["default_profile"] = [10000]
    assert "need 2 to 8 tiers, got 1" in _error(write_config, base_config)


def test_load__unknown_strategy_kind__lists_the_kinds(base_config, write_config) -> None:
    base_config["tiers"][0]["strategies"][0]["kind"] = "aave"
    assert "'aave' is not one of ['erc4626', 'mock-yield', 'lossy']" in _error(write_config, base_config)


def test_load__erc4626_strategy_without_address__names_the_key(base_config, write_config) -> None:
    base_config["tiers"][0]["strategies"][0]["kind"] = "erc4626"
    assert "missing required key 'tiers[0].strategies[0].address'" in _error(write_config, base_config)


def test_load__negative_cap__is_refused(base_config, write_config) -> None:
    base_config["tiers"][1]["strategies"][1]["cap"] = -5
    assert "tiers[1].strategies[1].cap: expected an amount >= 0" in _error(write_config, base_config)


def test_load__fee_above_hard_max__is_refused(base_config, write_config) -> None:
    base_config["performance_fee"]["bps"] = 2500
    assert "performance_fee.bps: 2500 is above the maximum 2000" in _error(write_config, base_config)


def test_load__duplicate_strategy_names__are_refused(base_config, write_config) -> None:
    base_config["tiers"][1]["strategies"][0]["name"] = "cons-lending"
    assert "strategy names must be unique" in _error(write_config, base_config)


def test_load__unknown_role__is_refused(base_config, write_config) -> None:
    base_config["roles"]["keeper"] = DEPLOYER
    assert "unknown key 'roles.keeper': valid keys: admin, curator, allocator, guardian" in _error(
        write_config, base_config
    )


# --- issue 13 item 4: a typo in any key is refused with the nearest valid key, at any level -----------
@pytest.mark.parametrize(
    ("path", "typo", "suggestion"),
    [
        ((), "performence_fee", "did you mean 'performance_fee'?"),
        (("performance_fee",), "recipent", "did you mean 'performance_fee.recipient'?"),
        (("mock_asset",), "decimal", "did you mean 'mock_asset.decimals'?"),
        (("tiers", 1), "risk_cieling", "did you mean 'tiers[1].risk_ceiling'?"),
        (("tiers", 2, "strategies", 0), "apr_bsp", "did you mean 'tiers[2].strategies[0].apr_bps'?"),
        (("roles",), "gaurdian", "did you mean 'roles.guardian'?"),
    ],
)
def test_load__misspelt_key__is_refused_with_the_nearest_valid_key(
    base_config, write_config, path, typo, suggestion
) -> None:
    node = base_config
    for step in path:
        node = node[step]
    node[typo] = node.get(typo.replace("performence", "performance"), 1)
    message = _error(write_config, base_config)
    assert "unknown key '" in message and suggestion in message


def test_load__performence_fee_typo__is_not_silently_a_zero_fee(base_config, write_config) -> None:
    base_config["performence_fee"] = base_config.pop("performance_fee")
    assert "unknown key 'performence_fee': did you mean 'performance_fee'?" in _error(
        write_config, base_config
    )


# --- item 5: an unquoted address is a YAML integer: say "quote the address", not a 48-digit number --------
def test_load__unquoted_address__says_quote_it(tmp_path) -> None:
    text = (ROOT / "deploy" / "sepolia.yaml").read_text()
    quoted = '"0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238"'
    assert quoted in text
    path = tmp_path / "unquoted.yaml"
    path.write_text(text.replace(quoted, quoted.strip('"')))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert "asset: 0x1c7d4b196cb0c7b01d743fbc6116a902379c7238 was read as a number" in message
    assert 'quote the address in the config (asset: "0x1c7d4b196cb0c7b01d743fbc6116a902379c7238")' in message
    assert str(int(quoted.strip('"'), 16)) not in message


# --- item 10: each tier's share token names the asset, so a WETH pool and a USDC pool differ ------------
def test_share_name_and_symbol__carry_the_asset_symbol() -> None:
    tier = load_config(ROOT / "deploy" / "local.yaml").tiers[0]
    names = {asset: (tier.share_name(asset), tier.share_symbol(asset)) for asset in ("WETH", "USDC")}
    assert names == {
        "WETH": ("Tributary Conservative WETH", "trCONS-WETH"),
        "USDC": ("Tributary Conservative USDC", "trCONS-USDC"),
    }


def test_load__string_where_integer_expected__is_refused(base_config, write_config) -> None:
    base_config["timelock"] = "one day"
    assert "timelock: expected an integer, got 'one day'" in _error(write_config, base_config)
