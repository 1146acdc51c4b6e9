"""The resumable step runner against a real chain: interrupted runs resume without redeploying."""

from __future__ import annotations

import json

import pytest

from tributary.errors import ManifestError
from tributary.manifest import Manifest
from tributary.network import genesis_hash
from tributary.steps import Pending, Step, StepRunner, create_address


class Boom(Exception):
    pass


@pytest.fixture
def manifest_at(tmp_path, chain):
    def make(name: str = "m.json", config_hash: str = "sha256:x") -> Manifest:
        return Manifest.open(
            tmp_path / name,
            network="local",
            chain_id=chain.provider.web3.eth.chain_id,
            genesis=genesis_hash(chain.provider),
            config_hash=config_hash,
            deployer="0x0",
            dev_chain=True,
            log=lambda _: None,
        )

    return make


def _token_steps(runner: StepRunner, project, names: list[str]) -> list[Step]:
    def step(name: str) -> Step:
        return Step(
            f"deploy:{name}",
            done=lambda: runner.deployed(name),
            run=lambda: runner.deploy(name, project.MockToken, name, name, 6),
        )

    return [step(n) for n in names]


def test_create_address__matches_the_address_a_deploy_lands_on(project, stranger) -> None:
    expected = create_address(stranger.address, stranger.nonce)
    assert stranger.deploy(project.MockToken, "T", "T", 6).address == expected


def test_run__interrupted_after_two_steps__rerun_deploys_only_the_rest(project, chain, admin, manifest_at):
    manifest = manifest_at()
    calls: list[str] = []

    def crash_after_two(step_id: str) -> None:
        calls.append(step_id)
        if len(calls) == 2:
            raise Boom

    runner = StepRunner(manifest, admin, chain.provider, lambda _: None, after_step=crash_after_two)
    with pytest.raises(Boom):
        runner.run(_token_steps(runner, project, ["a", "b", "c"]))
    first = {k: v["address"] for k, v in json.loads(manifest.path.read_text())["contracts"].items()}
    assert list(first) == ["a", "b"]  # the file on disk was written after each step
    nonce = admin.nonce

    resumed = manifest_at()
    runner = StepRunner(resumed, admin, chain.provider, lambda _: None)
    report = runner.run(_token_steps(runner, project, ["a", "b", "c"]))
    assert report.skipped == ["deploy:a", "deploy:b"] and report.ran == ["deploy:c"]
    assert {k: resumed.address(k) for k in first} == first
    assert admin.nonce == nonce + 1  # exactly one new contract creation


def test_run__killed_between_send_and_record__adopts_the_contract(project, chain, admin, manifest_at):
    manifest = manifest_at()
    manifest.data["inflight"] = {"step": "deploy:a", "nonce": admin.nonce, "contract": "MockToken"}
    manifest.save()
    orphan = admin.deploy(project.MockToken, "a", "a", 6)  # sent, then the process "died"
    nonce = admin.nonce

    logs: list[str] = []
    runner = StepRunner(manifest_at(), admin, chain.provider, logs.append)
    report = runner.run(_token_steps(runner, project, ["a"]))
    assert report.skipped == ["deploy:a"] and admin.nonce == nonce
    assert runner.manifest.address("a") == orphan.address
    assert any(line.startswith("adopt") for line in logs)


def test_run__recorded_address_without_code__is_a_manifest_error(project, chain, admin, manifest_at):
    manifest = manifest_at()
    manifest.record_contract("a", "MockToken", "0x000000000000000000000000000000000000dEaD", "0x", 1)
    runner = StepRunner(manifest, admin, chain.provider, lambda _: None)
    with pytest.raises(ManifestError, match="no code there"):
        runner.run(_token_steps(runner, project, ["a"]))


def test_run__pending_step__is_recorded_and_blocks_handover_steps(chain, admin, manifest_at):
    manifest = manifest_at()
    runner = StepRunner(manifest, admin, chain.provider, lambda _: None)

    def wait() -> None:
        raise Pending(due=123, reason="timelock")

    ran: list[str] = []
    report = runner.run(
        [
            Step("accept:x", done=lambda: False, run=wait),
            Step("fee:x", done=lambda: False, run=lambda: ran.append("fee")),
            Step("handover:x", done=lambda: False, run=lambda: ran.append("handover"), needs_all_before=True),
        ]
    )
    assert ran == ["fee"] and report.blocked == ["handover:x"] and not report.complete
    assert json.loads(manifest.path.read_text())["pending"] == {
        "accept:x": {"due": 123, "reason": "timelock"}
    }


def test_open__other_config_hash__refuses(manifest_at) -> None:
    manifest_at()
    with pytest.raises(ManifestError, match="written for another config"):
        manifest_at(config_hash="sha256:y")


def test_open__manifest_of_another_chain__refuses(tmp_path, manifest_at) -> None:
    path = manifest_at().path
    data = json.loads(path.read_text())
    data["chain_id"] = 1
    path.write_text(json.dumps(data))
    with pytest.raises(ManifestError, match="records chain_id 1"):
        manifest_at()


def test_open__dev_chain_restarted__moves_the_stale_manifest_aside(tmp_path, manifest_at) -> None:
    path = manifest_at().path
    data = json.loads(path.read_text())
    data["genesis"] = "0x" + "11" * 32
    data["contracts"] = {"a": {"address": "0x1"}}
    path.write_text(json.dumps(data))
    fresh = manifest_at()
    assert fresh.contracts == {}
    assert len(list(tmp_path.glob("m.stale-*.json"))) == 1
