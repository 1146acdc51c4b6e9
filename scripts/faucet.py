"""ape run faucet --network http://127.0.0.1:8545 --to 0x... [--amount 10000] [--eth 10]

Test tokens on a LOCAL DEV CHAIN (anvil, Hardhat): mints the deployment's mock asset to `--to` and sends it
ETH from the node's first unlocked dev account. Refused on any other chain (get testnet tokens from the
token's own faucet there, e.g. Circle's for Sepolia USDC).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's tributary package

import click  # noqa: E402

from tributary.cli import Command, guarded, manifest_option, network_option  # noqa: E402


@click.command(cls=Command, short_help="Dev chain only: mint the mock asset and send ETH to an address")
@network_option
@manifest_option
@click.option("--to", "to", required=True, help="who receives the test tokens")
@click.option("--amount", default="10000", show_default=True, help="mock asset, whole units")
@click.option("--eth", "eth", default="10", show_default=True, help="ETH for gas, whole units")
@guarded
def cli(network: str, manifest: Path | None, to: str, amount: str, eth: str) -> None:
    from decimal import Decimal

    from ape import project

    from tributary.addresses import parse_address
    from tributary.chain import UnlockedSender, contract, standard
    from tributary.config import DEV_CHAIN_IDS
    from tributary.errors import NetworkError, TributaryError
    from tributary.manifest import Manifest, check_deployment, default_manifest_path
    from tributary.network import chain_id_of, connect, is_dev_chain
    from tributary.units import parse_amount

    try:
        who = parse_address(to, "--to")
    except ValueError as err:
        raise TributaryError(str(err)) from None
    with connect(network) as provider:
        w3 = provider.web3
        if not is_dev_chain(provider):
            raise NetworkError(
                f"the faucet only mints on a local dev chain (chain id {sorted(DEV_CHAIN_IDS)}); connected: "
                f"chain {chain_id_of(provider)}: use the asset's own testnet faucet"
            )
        deployment = Manifest.load(manifest or default_manifest_path(provider))
        check_deployment(deployment, provider)
        record = deployment.contracts.get("asset")
        if record is None or record.get("contract") != "MockToken":
            raise TributaryError(
                f"{deployment.path}: the asset is not the deploy's mock token; nothing to mint"
            )
        token = standard(w3, "IERC20Metadata", record["address"])
        decimals, symbol = int(token.functions.decimals().call()), str(token.functions.symbol().call())
        units = parse_amount(amount, decimals, "--amount")
        wei = parse_amount(eth, 18, "--eth")
        dev = w3.eth.accounts[0]
        # the mock's open mint (test-only contract, deployed by `deploy` on dev chains only)
        UnlockedSender(w3, dev).send(contract(w3, project, "MockToken", token.address), "mint", who, units)
        if wei:
            w3.eth.wait_for_transaction_receipt(
                w3.eth.send_transaction({"from": dev, "to": who, "value": wei})
            )
        balance = int(token.functions.balanceOf(who).call())
    whole = Decimal(balance).scaleb(-decimals).normalize()
    click.echo(f"done    {who} now holds {whole:,f} {symbol} (+{amount}) and +{eth} ETH")
