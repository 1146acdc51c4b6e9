"""The deploy library on the test chain: role handover to a separate admin, convergence on rerun, and the
wiring check catching what it cannot repair."""

from __future__ import annotations

import pytest

from tributary.accounts import load_account
from tributary.config import load_config
from tributary.deploy import DEFAULT_ADMIN_ROLE, deploy_system
from tributary.errors import AccountError, ManifestError


def _deploy(config, project, chain, account, path):
    return deploy_system(
        config, project=project, provider=chain.provider, account=account, manifest_path=path,
        network_label="test", log=lambda _: None,
    )  # fmt: skip


@pytest.fixture
def handover_config(base_config, write_config, alice, bob, carol, stranger):
    base_config["roles"] = {
        "admin": carol.address,
        "curator": bob.address,
        "allocator": alice.address,
        "guardian": stranger.address,
    }
    return load_config(write_config(base_config))


def test_deploy__separate_admin_and_curator__deployer_keeps_no_role(
    project, chain, admin, carol, bob, handover_config, tmp_path
) -> None:
    result = _deploy(handover_config, project, chain, admin, tmp_path / "m.json")
    assert result.complete, result.problems
    for _, address in result.manifest.tier_vaults():
        vault = project.TierVault.at(address)
        assert vault.hasRole(DEFAULT_ADMIN_ROLE, carol) and vault.hasRole(vault.CURATOR_ROLE(), bob)
        assert not vault.hasRole(DEFAULT_ADMIN_ROLE, admin) and not vault.hasRole(vault.CURATOR_ROLE(), admin)
        assert len(vault.strategies()) >= 1  # strategies were added before the deployer let go
    assert project.Pool.at(result.manifest.address("pool")).owner() == carol.address


def test_deploy__role_revoked_after_deploy__rerun_grants_it_again(project, chain, admin, system) -> None:
    balanced = project.TierVault.at(system.address("vault:balanced"))
    balanced.revokeRole(balanced.ALLOCATOR_ROLE(), admin, sender=admin)
    result = _deploy(_local(), project, chain, admin, system.path)
    assert result.complete and result.report.ran == [f"grant:balanced:allocator:{admin.address}"]
    assert balanced.hasRole(balanced.ALLOCATOR_ROLE(), admin)


def test_deploy__config_default_profile_changed_after_deploy__refused_not_redeployed(
    project, chain, admin, system, base_config, write_config
):
    # The pool's default profile is immutable (no setter): a changed config cannot be applied to the
    # deployed system, and the manifest refuses it rather than half-redeploying.
    base_config["default_profile"] = [3_000, 3_000, 4_000]
    with pytest.raises(ManifestError, match="written for another config"):
        _deploy(load_config(write_config(base_config)), project, chain, admin, system.path)
    assert list(project.Pool.at(system.address("pool")).defaultProfile()) == [5_000, 3_000, 2_000]


def test_load_account__test_key_on_a_public_chain__is_refused() -> None:
    with pytest.raises(AccountError, match="only allowed on a local dev chain"):
        load_account("TEST::0", dev_chain=False)


def test_load_account__env_var_with_garbage__is_refused(monkeypatch) -> None:
    monkeypatch.setenv("BAD_KEY", "not-a-key")
    with pytest.raises(AccountError, match="does not hold a valid private key"):
        load_account("env:BAD_KEY", dev_chain=True)


def test_load_account__env_key__signs_as_its_address(monkeypatch) -> None:
    monkeypatch.setenv("GOOD_KEY", "0x" + "11" * 32)
    account = load_account("env:GOOD_KEY", dev_chain=False)
    assert account.address == "0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A"


def _local():
    from scripts_helpers import LOCAL_CONFIG

    return load_config(LOCAL_CONFIG)
