"""The lean driver itself, on ape's anvil and a MockToken: what the machine relies on must be right."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tributary.testing.lean import LeanChain, LeanContract, RpcError
from tributary.testing.lens import Lens
from tributary.testing.node import untraced_clone
from tributary.testing.permit import sign_permit


@pytest.fixture(scope="module")
def token(make_token) -> Any:
    return make_token(6)


@pytest.fixture
def node(chain) -> Iterator[LeanChain]:
    lean = LeanChain(chain.provider.uri)
    snapshot = lean.snapshot()
    yield lean
    lean.revert(snapshot)
    lean.close()


def test_transact__success_and_revert__reported_with_the_custom_error_name(node, token, alice, bob) -> None:
    lean_token = LeanContract.from_ape(token)
    node.register_errors(lean_token)
    ok = node.transact(alice.address, token.address, lean_token.data("mint", alice.address, 10))
    assert ok.ok and ok.gas_used > 21_000
    assert len(ok.events(lean_token.event_topics["Transfer"], token.address)) == 1
    data = lean_token.data("transfer", bob.address, 11)
    failed = node.transact(alice.address, token.address, data, gas=200_000)
    assert not failed.ok
    assert node.why_reverted(alice.address, token.address, data, failed.block) == "ERC20InsufficientBalance"
    assert int.from_bytes(node.call(token.address, lean_token.data("balanceOf", alice.address)), "big") == 10


def test_snapshot_revert__undoes_transactions(node, token, alice) -> None:
    lean_token = LeanContract.from_ape(token)
    snapshot = node.snapshot()
    node.transact(alice.address, token.address, lean_token.data("mint", alice.address, 5))
    node.revert(snapshot)
    assert token.balanceOf(alice) == 0
    with pytest.raises(RpcError):
        node.rpc("eth_no_such_method")


def test_permit__signed_locally__accepted_by_the_token(node, token, alice, bob) -> None:
    lean_token = LeanContract.from_ape(token)
    domain = bytes(token.DOMAIN_SEPARATOR())
    v, r, s = sign_permit(alice.private_key, domain, alice.address, bob.address, 77, 0, 2**64)
    data = lean_token.data("permit", alice.address, bob.address, 77, 2**64, v, r, s)
    assert node.transact(bob.address, token.address, data).ok
    assert token.allowance(alice, bob) == 77


def test_lens__one_call__matches_individual_reads(node, project, admin, token, alice, bob) -> None:
    lens_contract = admin.deploy(project.InvariantLens)
    token.mint(alice, 123, sender=admin)
    lens = Lens(node, lens_contract.address, token.address, [], [alice.address, bob.address])
    view = lens.read()
    assert view.asset_balances == (123, 0)
    assert view.tiers == ()


def test_untraced_clone__same_state__independent_chain(chain, token, alice, admin) -> None:
    token.mint(alice, 9, sender=admin)
    source = LeanChain(chain.provider.uri)
    lean_token = LeanContract.from_ape(token)
    with untraced_clone(source, chain.provider.anvil_bin) as clone:
        balance = clone.call(token.address, lean_token.data("balanceOf", alice.address))
        assert int.from_bytes(balance, "big") == 9
        assert clone.transact(alice.address, token.address, lean_token.data("mint", alice.address, 1)).ok
    assert token.balanceOf(alice) == 9, "the clone must not write back to ape's node"
