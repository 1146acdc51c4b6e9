"""Bad input to the scripts ends with one clear `Error:` line and exit code 1, never a traceback.

An unknown network and an account with no funds run `ape run deploy` in a subprocess exactly as a user
would (against a separate anvil); the other cases call the same click commands in-process (no exception
may escape them: CliRunner re-raises), which is faster and checks the same code.
"""

from __future__ import annotations

import pytest
from scripts_helpers import LOCAL_CONFIG, ape_run, invoke


def _assert_clean_failure(result, *fragments: str) -> None:
    if hasattr(result, "returncode"):  # a subprocess
        output, code = result.stdout + result.stderr, result.returncode
    else:  # click's CliRunner
        output, code = result.output, result.exit_code
    assert code == 1, output
    assert "Traceback" not in output, output
    for fragment in fragments:
        assert fragment in output, output


def test_deploy__unknown_network__names_it() -> None:
    result = ape_run(
        "deploy", "--network", "ethereum:atlantis", "--config", str(LOCAL_CONFIG), "--account", "TEST::0"
    )
    _assert_clean_failure(result, "Error: unknown network 'ethereum:atlantis'")


def test_deploy__unreachable_node__says_cannot_connect() -> None:
    result = invoke(
        "deploy", "--network", "http://127.0.0.1:9", "--config", str(LOCAL_CONFIG), "--account", "TEST::0"
    )
    _assert_clean_failure(result, "Error: cannot connect to 'http://127.0.0.1:9'")


def test_deploy__missing_config_key__names_the_key(anvil, base_config, write_config) -> None:
    del base_config["tiers"][0]["risk_ceiling"]
    path = write_config(base_config)
    result = invoke("deploy", "--network", anvil.url, "--config", str(path), "--account", "TEST::0")
    _assert_clean_failure(result, "missing required key 'tiers[0].risk_ceiling'")


def test_deploy__wrong_address_in_config__names_the_key(anvil, base_config, write_config) -> None:
    base_config["roles"]["guardian"] = "0xNotAnAddress"
    path = write_config(base_config)
    result = invoke("deploy", "--network", anvil.url, "--config", str(path), "--account", "TEST::0")
    _assert_clean_failure(result, "roles.guardian: '0xNotAnAddress' is not an address")


def test_deploy__config_for_another_chain__is_refused(anvil, base_config, write_config, tmp_path) -> None:
    base_config["chain_id"] = 1337
    path = write_config(base_config)
    result = invoke(
        "deploy", "--network", anvil.url, "--config", str(path), "--account", "TEST::0",
        "--manifest", str(tmp_path / "m.json"),
    )  # fmt: skip
    _assert_clean_failure(result, "connected chain has chain_id 31337 but", "is for chain_id 1337")


def test_deploy__account_without_funds__is_refused_before_any_transaction(
    anvil, unfunded_keyfile_account, tmp_path
) -> None:
    alias, passphrase = unfunded_keyfile_account
    result = ape_run(
        "deploy", "--network", anvil.url, "--config", str(LOCAL_CONFIG), "--account", alias,
        "--manifest", str(tmp_path / "m.json"),
        env={f"APE_ACCOUNTS_{alias}_PASSPHRASE": passphrase},
    )  # fmt: skip
    _assert_clean_failure(result, "has 0.000000 ETH on chain 31337", "fund it first")
    assert not (tmp_path / "m.json").exists()  # item 7: no manifest names an account that sent nothing


def test_deploy__keyfile_account_without_passphrase__says_which_variable(anvil, keyfile_account) -> None:
    alias, _ = keyfile_account
    result = invoke("deploy", "--network", anvil.url, "--config", str(LOCAL_CONFIG), "--account", alias)
    _assert_clean_failure(result, f"set APE_ACCOUNTS_{alias}_PASSPHRASE")


def test_deploy__keyfile_account_wrong_passphrase__is_refused(anvil, keyfile_account) -> None:
    alias, _ = keyfile_account
    result = invoke(
        "deploy", "--network", anvil.url, "--config", str(LOCAL_CONFIG), "--account", alias,
        env={f"APE_ACCOUNTS_{alias}_PASSPHRASE": "wrong"},
    )  # fmt: skip
    _assert_clean_failure(result, f"cannot unlock account {alias!r}: wrong passphrase")


def test_deploy__unknown_account_alias__says_how_to_import() -> None:
    result = invoke(
        "deploy", "--network", "ethereum:local", "--config", str(LOCAL_CONFIG), "--account", "no-such-alias"
    )
    _assert_clean_failure(result, "no ape account with alias 'no-such-alias'", "ape accounts import")


@pytest.mark.parametrize("earner", ["0x1234", "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266"])
def test_income__wrong_address__is_refused(earner) -> None:
    result = invoke("income", "--network", "ethereum:local", "--earner", earner)
    _assert_clean_failure(result, "--earner:")


def test_keeper__no_manifest__says_deploy_first(tmp_path) -> None:
    result = invoke(
        "keeper", "--network", "ethereum:local", "--dry-run", "--manifest", str(tmp_path / "none.json")
    )
    _assert_clean_failure(result, "no deployment manifest at", "run `ape run deploy`")


def test_account__key_variable_missing_or_passphrase_unset__are_one_line_errors(keyfile_account) -> None:
    alias, _ = keyfile_account
    _assert_clean_failure(invoke("account", "--alias", alias, "--key-env", "K"), "already exists")
    fresh = "fresh_alias_that_does_not_exist"
    _assert_clean_failure(
        invoke("account", "--alias", fresh, "--key-env", "NO_SUCH_VAR_13"), "NO_SUCH_VAR_13 is not set"
    )
    _assert_clean_failure(
        invoke("account", "--alias", fresh, "--key-env", "K", env={"K": "0x" + "42" * 32}),
        f"set APE_ACCOUNTS_{fresh}_PASSPHRASE",
    )
    _assert_clean_failure(invoke("account", "--alias", "bad alias", "--key-env", "K"), "--alias 'bad alias'")


def test_faucet__bad_recipient__is_refused() -> None:
    _assert_clean_failure(invoke("faucet", "--network", "http://127.0.0.1:9", "--to", "0x1234"), "--to:")


def test_connect__missing_uri__says_how_to_give_one() -> None:
    from ape.exceptions import ProviderError

    from tributary.network import _uri_hint

    hint = _uri_hint("base:sepolia", ProviderError("Missing URI for network 'sepolia' on 'base'."))
    assert "--network base:sepolia:https://<your-rpc>" in hint and "Testnets and L2s" in hint
    assert _uri_hint("base:sepolia", ProviderError("connection refused")) == ""


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("income", "--network", "http://127.0.0.1:9"), "Missing option '--earner'"),
        (
            ("recover", "--network", "http://127.0.0.1:9", "--amount", "all", "--to", "0x" + "11" * 20),
            "'--from'",
        ),
        (("demo", "--weeks", "99"), "Invalid value for '--weeks'"),
    ],
)
def test_scripts__usage_mistake__is_one_error_line_and_exit_1(args, fragment) -> None:
    result = invoke(*args)
    _assert_clean_failure(result, fragment, "(see --help)")
    assert [line for line in result.output.splitlines() if line.strip()][0].startswith("Error: ")
    assert "Usage:" not in result.output
