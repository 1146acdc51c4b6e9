"""Deploy a whole Tributary system from a config, resumably, and check its wiring.

Order (each line is one or more steps; see tributary.steps for how a rerun resumes):
  1. asset            a MockToken on a dev chain, else the configured token (code and decimals checked)
  2. strategies       test-only mocks are deployed; `erc4626` strategies are existing vaults (asset checked)
  3. tier vaults      TierVault(asset, name, symbol, riskCeiling, deployer, timelock, profitUnlockTime)
  4. pool             Pool(asset, tiers, defaultProfile, admin, weth); every vault grants the pool
                      DEPOSITOR_ROLE (its trusted credit entry: payments go payer -> vault directly)
  5. roles            curator / allocator / guardian per config; the deployer holds CURATOR_ROLE while it
                      adds strategies if the config gives that role to someone else
  6. strategies       submit(addStrategy calldata), then addStrategy once the vault's timelock has elapsed;
                      on a real network a fresh deploy records the acceptance as pending and a rerun
                      accepts when due
  7. fee              performance fee and recipient when the config asks for one
  8. handover         configured admin gets DEFAULT_ADMIN_ROLE; the deployer gives up roles it only held
                      for set-up (skipped while anything above is pending)
  9. verify           read everything back and compare with the config
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_utils import keccak

from tributary.config import DeployConfig, StrategyConfig, TierConfig, to_base_units
from tributary.errors import DeployError, NetworkError
from tributary.manifest import Manifest
from tributary.network import chain_id_of, genesis_hash
from tributary.steps import Pending, RunReport, Step, StepRunner

DEFAULT_ADMIN_ROLE = b"\x00" * 32
# Rough gas per step, only to refuse an account that obviously cannot pay before the first transaction.
GAS_PER_DEPLOY = 4_000_000
GAS_PER_CALL = 150_000


@dataclass
class DeployResult:
    manifest: Manifest
    report: RunReport
    problems: list[str]

    @property
    def complete(self) -> bool:
        return self.report.complete and not self.problems


def manifest_path_for(network_label: str, root: Path | None = None) -> Path:
    return (root or Path.cwd()) / "deployments" / f"{network_label}.json"


def deploy_system(
    config: DeployConfig,
    *,
    project: Any,
    provider: Any,
    account: Any,
    manifest_path: Path,
    network_label: str,
    log: Callable[[str], None] = print,
    after_step: Callable[[str], None] | None = None,
) -> DeployResult:
    """Deploy (or resume deploying) `config` with `account`; returns the manifest and the wiring problems."""
    chain_id = chain_id_of(provider)
    if chain_id != config.chain_id:
        raise NetworkError(
            f"connected chain has chain_id {chain_id} but {config.path} is for chain_id {config.chain_id}: "
            "wrong --network or wrong --config"
        )
    manifest = Manifest.open(
        manifest_path,
        network=network_label,
        chain_id=chain_id,
        genesis=genesis_hash(provider),
        config_hash=config.hash,
        deployer=account.address,
        dev_chain=config.is_dev_chain,
        log=log,
    )
    if manifest.data["deployer"] != account.address:
        log(f"note    manifest was started by {manifest.data['deployer']}, continuing with {account.address}")
    manifest.set_tiers([tier.name for tier in config.tiers])
    runner = StepRunner(manifest, account, provider, log, after_step)
    plan = _Plan(config, project, runner)
    steps = plan.steps()
    _require_gas(runner, steps)
    report = runner.run(steps)
    problems = plan.verify() if report.complete else []
    manifest.set_verified(report.complete and not problems)
    return DeployResult(manifest, report, problems)


def _require_gas(runner: StepRunner, steps: list[Step]) -> None:
    from tributary.accounts import require_funds

    todo = [s for s in steps if not s.id.startswith("verify") and not _quick_done(s)]
    if not todo:
        return
    gas = sum(GAS_PER_DEPLOY if s.id.startswith("deploy:") else GAS_PER_CALL for s in todo)
    gas_price = int(runner.provider.web3.eth.gas_price)
    require_funds(
        runner.account, runner.provider, gas * gas_price, f"deploying {len(todo)} remaining step(s)"
    )


def _quick_done(step: Step) -> bool:
    try:
        return step.done()
    except Exception:  # a step whose dependencies are not deployed yet is simply not done
        return False


class _Plan:
    """Builds the step list; every closure looks addresses up in the manifest when it runs."""

    def __init__(self, config: DeployConfig, project: Any, runner: StepRunner) -> None:
        self.config = config
        self.project = project
        self.runner = runner
        self.manifest = runner.manifest
        self.deployer = runner.account.address

    # --- helpers ---------------------------------------------------------------------------------------
    def at(self, key: str, container: Any) -> Any:
        return container.at(self.manifest.address(key))

    def vault(self, tier: TierConfig) -> Any:
        return self.at(f"vault:{tier.name}", self.project.TierVault)

    def asset_address(self) -> str:
        return self.config.asset if self.config.asset != "mock" else self.manifest.address("asset")

    def decimals(self) -> int:
        if self.config.asset == "mock":
            return self.config.mock_asset.decimals
        return int(self.project.MockToken.at(self.config.asset).decimals())

    def strategy_address(self, strategy: StrategyConfig) -> str:
        if strategy.kind == "erc4626":
            assert strategy.address is not None
            return strategy.address
        return self.manifest.address(f"strategy:{strategy.name}")

    def role_id(self, vault: Any, role: str) -> bytes:
        return DEFAULT_ADMIN_ROLE if role == "admin" else bytes(getattr(vault, f"{role.upper()}_ROLE")())

    def curator_is_deployer(self) -> bool:
        return self.config.role_address("curator", self.deployer) == self.deployer

    # --- steps -----------------------------------------------------------------------------------------
    def steps(self) -> list[Step]:
        steps: list[Step] = []
        if self.config.asset == "mock":
            steps.append(
                self._deploy_step("asset", lambda: (self.project.MockToken, *self._mock_asset_args()))
            )
        else:
            steps.append(Step("check:asset", done=self._check_asset, run=lambda: None))
        for tier in self.config.tiers:
            for strategy in tier.strategies:
                if strategy.kind == "erc4626":
                    steps.append(
                        Step(f"check:strategy:{strategy.name}", self._checker(strategy), lambda: None)
                    )
                else:
                    steps.append(
                        self._deploy_step(f"strategy:{strategy.name}", self._strategy_args(strategy))
                    )
        for tier in self.config.tiers:
            steps.append(self._deploy_step(f"vault:{tier.name}", self._vault_args(tier)))
        steps.append(self._deploy_step("pool", self._pool_args))
        for tier in self.config.tiers:
            steps.append(self._grant_step(tier, "depositor", lambda: self.manifest.address("pool")))
        for tier in self.config.tiers:
            for role in ("curator", "allocator", "guardian"):
                steps.append(self._grant_step(tier, role, self.config.role_address(role, self.deployer)))
            if not self.curator_is_deployer():
                steps.append(self._grant_step(tier, "curator", self.deployer))
        for tier in self.config.tiers:
            for strategy in tier.strategies:
                steps.append(self._submit_step(tier, strategy))
        for tier in self.config.tiers:
            for strategy in tier.strategies:
                steps.append(self._accept_step(tier, strategy))
        if self.config.performance_fee.bps:
            for tier in self.config.tiers:
                steps.append(self._fee_step(tier))
        steps.extend(self._handover_steps())
        return steps

    def _mock_asset_args(self) -> tuple[Any, ...]:
        mock = self.config.mock_asset
        return (mock.name, mock.symbol, mock.decimals)

    def _deploy_step(self, key: str, build: Callable[[], tuple[Any, ...]]) -> Step:
        def run() -> None:
            container, *args = build()
            self.runner.deploy(key, container, *args)

        return Step(f"deploy:{key}", done=lambda: self.runner.deployed(key), run=run)

    def _check_asset(self) -> bool:
        address = self.config.asset
        if not self.runner.has_code(address):
            raise DeployError(f"asset {address} has no code on this chain: wrong address or wrong network")
        try:
            self.decimals()
        except Exception as err:
            raise DeployError(f"asset {address} does not answer decimals(): is it an ERC-20?") from err
        return True

    def _checker(self, strategy: StrategyConfig) -> Callable[[], bool]:
        def check() -> bool:
            address = self.strategy_address(strategy)
            if not self.runner.has_code(address):
                raise DeployError(f"strategy {strategy.name}: {address} has no code on this chain")
            asset = self.project.TierVault.at(address).asset()
            if asset != self.asset_address():
                raise DeployError(
                    f"strategy {strategy.name}: {address} is a vault of {asset}, not of the asset"
                )
            return True

        return check

    def _strategy_args(self, strategy: StrategyConfig) -> Callable[[], tuple[Any, ...]]:
        def build() -> tuple[Any, ...]:
            container = (
                self.project.MockYieldSource if strategy.kind == "mock-yield" else self.project.LossyStrategy
            )
            return (container, *mock_strategy_args(strategy, self.asset_address()))

        return build

    def _vault_args(self, tier: TierConfig) -> Callable[[], tuple[Any, ...]]:
        def build() -> tuple[Any, ...]:
            return (
                self.project.TierVault,
                self.asset_address(),
                f"Tributary {tier.name.capitalize()}",
                tier.symbol,
                tier.risk_ceiling,
                self.deployer,
                self.config.timelock,
                self.config.profit_unlock_time,
            )

        return build

    def _pool_args(self) -> tuple[Any, ...]:
        tiers = [self.manifest.address(f"vault:{t.name}") for t in self.config.tiers]
        admin = self.config.role_address("admin", self.deployer)
        weth = self.config.weth or "0x0000000000000000000000000000000000000000"
        return (
            self.project.Pool,
            self.asset_address(),
            tiers,
            list(self.config.default_profile),
            admin,
            weth,
        )

    def _grant_step(self, tier: TierConfig, role: str, who: str | Callable[[], str]) -> Step:
        # `who` may be known only once an earlier step has run (the pool's address): then it is a callable,
        # and the step id names the contract key instead of an address.
        step_id = f"grant:{tier.name}:{role}:{'pool' if callable(who) else who}"

        def grantee() -> str:
            return who() if callable(who) else who

        def done() -> bool:
            vault = self.vault(tier)
            return bool(
                vault.hasRole(self.role_id(vault, role), grantee())
            ) or self.runner.sent_before_interruption(step_id)

        def run() -> None:
            vault = self.vault(tier)
            self.runner.transact(step_id, vault.grantRole, self.role_id(vault, role), grantee())

        return Step(step_id, done, run)

    def _is_active(self, tier: TierConfig, strategy: StrategyConfig) -> bool:
        return self.strategy_address(strategy) in list(self.vault(tier).strategies())

    def _add_args(self, strategy: StrategyConfig) -> tuple[str, int, int, int]:
        cap = to_base_units(strategy.cap, self.decimals())
        return (self.strategy_address(strategy), strategy.risk, strategy.weight_bps, cap)

    def _pending_at(self, tier: TierConfig, strategy: StrategyConfig) -> int:
        """When the submitted addStrategy call may run (0: nothing pending)."""
        vault = self.vault(tier)
        calldata = bytes(vault.addStrategy.encode_input(*self._add_args(strategy)))
        return int(vault.executableAt(keccak(calldata)))

    def _submit_step(self, tier: TierConfig, strategy: StrategyConfig) -> Step:
        step_id = f"submit:{tier.name}:{strategy.name}"

        def done() -> bool:
            return self._is_active(tier, strategy) or self._pending_at(tier, strategy) != 0

        def run() -> None:
            vault = self.vault(tier)
            self.runner.transact(
                step_id, vault.submit, vault.addStrategy.encode_input(*self._add_args(strategy))
            )

        return Step(step_id, done, run)

    def _accept_step(self, tier: TierConfig, strategy: StrategyConfig) -> Step:
        step_id = f"accept:{tier.name}:{strategy.name}"

        def done() -> bool:
            return self._is_active(tier, strategy)

        def run() -> None:
            due = self._pending_at(tier, strategy)
            if due == 0:
                raise DeployError(
                    f"{step_id}: strategy is neither active nor pending (revoked by the curator?); "
                    "resubmit it or change the config"
                )
            now = int(self.runner.provider.web3.eth.get_block("latest")["timestamp"])
            if now < due:
                when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(due))
                raise Pending(due, f"timelock until {when} ({due - now} s); rerun the deploy then to accept")
            self.runner.transact(step_id, self.vault(tier).addStrategy, *self._add_args(strategy))

        return Step(step_id, done, run)

    def _fee_step(self, tier: TierConfig) -> Step:
        step_id = f"fee:{tier.name}"
        fee = self.config.performance_fee
        recipient = self.deployer if fee.recipient == "deployer" else fee.recipient

        def done() -> bool:
            return fee_is_set(self.vault(tier), fee.bps, recipient) or self.runner.sent_before_interruption(
                step_id
            )

        def run() -> None:
            set_fee(self.runner, step_id, self.vault(tier), fee.bps, recipient)

        return Step(step_id, done, run)

    def _handover_steps(self) -> list[Step]:
        steps: list[Step] = []
        admin = self.config.role_address("admin", self.deployer)
        for tier in self.config.tiers:
            if admin != self.deployer:
                grant = self._grant_step(tier, "admin", admin)
                grant.needs_all_before = True
                steps.append(grant)
            if not self.curator_is_deployer():
                steps.append(self._renounce_step(tier, "curator"))
            if admin != self.deployer:
                steps.append(self._renounce_step(tier, "admin"))
        return steps

    def _renounce_step(self, tier: TierConfig, role: str) -> Step:
        step_id = f"renounce:{tier.name}:{role}"

        def done() -> bool:
            vault = self.vault(tier)
            return not vault.hasRole(self.role_id(vault, role), self.deployer)

        def run() -> None:
            vault = self.vault(tier)
            self.runner.transact(step_id, vault.renounceRole, self.role_id(vault, role), self.deployer)

        return Step(step_id, done, run, needs_all_before=True)

    # --- verification ----------------------------------------------------------------------------------
    def verify(self) -> list[str]:
        """Everything the config promises, read back from the chain; returns human-readable mismatches."""
        problems: list[str] = []
        asset = self.asset_address()
        vaults = [self.manifest.address(f"vault:{t.name}") for t in self.config.tiers]
        admin = self.config.role_address("admin", self.deployer)

        def expect(what: str, actual: Any, wanted: Any) -> None:
            if actual != wanted:
                problems.append(f"{what}: chain has {actual!r}, config wants {wanted!r}")

        for tier in self.config.tiers:
            vault = self.vault(tier)
            expect(f"vault {tier.name} asset", vault.asset(), asset)
            expect(f"vault {tier.name} riskCeiling", int(vault.riskCeiling()), tier.risk_ceiling)
            expect(f"vault {tier.name} timelock", int(vault.timelock()), self.config.timelock)
            for role in ("admin", "curator", "allocator", "guardian"):
                who = self.config.role_address(role, self.deployer)
                if not vault.hasRole(self.role_id(vault, role), who):
                    problems.append(f"vault {tier.name}: {who} lacks the {role} role")
            active = list(vault.strategies())
            wanted = [self.strategy_address(s) for s in tier.strategies]
            expect(f"vault {tier.name} strategies", sorted(active), sorted(wanted))
            for strategy in tier.strategies:
                params = vault.strategyParams(self.strategy_address(strategy))
                expect(f"strategy {strategy.name} risk", int(params.risk), strategy.risk)
                expect(f"strategy {strategy.name} targetBps", int(params.targetBps), strategy.weight_bps)
                expect(
                    f"strategy {strategy.name} cap",
                    int(params.cap),
                    to_base_units(strategy.cap, self.decimals()),
                )
            fee = self.config.performance_fee
            if fee.bps:
                recipient = self.deployer if fee.recipient == "deployer" else fee.recipient
                expect(f"vault {tier.name} performance fee", int(vault.performanceFee()), fee.bps)
                expect(f"vault {tier.name} fee recipient", vault.feeRecipient(), recipient)
            for role in ("admin", "curator"):
                held = vault.hasRole(self.role_id(vault, role), self.deployer)
                if held and self.config.role_address(role, self.deployer) != self.deployer:
                    problems.append(f"vault {tier.name}: the deployer still holds the {role} role")
        pool = self.at("pool", self.project.Pool)
        for tier in self.config.tiers:
            vault = self.vault(tier)
            if not vault.hasRole(self.role_id(vault, "depositor"), pool.address):
                problems.append(f"vault {tier.name}: the pool lacks the depositor role (payments revert)")
        expect("pool asset", pool.asset(), asset)
        expect("pool tiers", list(pool.tiers()), vaults)
        expect("pool admin (owner)", pool.owner(), admin)
        expect("pool default profile", list(pool.defaultProfile()), list(self.config.default_profile))
        return problems


def mock_strategy_args(strategy: StrategyConfig, asset: str) -> tuple[Any, ...]:
    """Constructor arguments of the test-only strategies (contracts/test/): MockYieldSource(asset, rateBps)
    earns simple interest with time; LossyStrategy(asset) earns nothing and can be slashed by its deployer."""
    return (asset, strategy.apr_bps) if strategy.kind == "mock-yield" else (asset,)


def fee_is_set(vault: Any, bps: int, recipient: str) -> bool:
    return int(vault.performanceFee()) == bps and vault.feeRecipient() == recipient


def set_fee(runner: StepRunner, step_id: str, vault: Any, bps: int, recipient: str) -> None:
    runner.transact(step_id, vault.setPerformanceFee, bps, recipient)
