"""The offline compiler path: the solcjs shim must behave like native solc for ape/py-solc-x/slither."""

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLC = ROOT / "tools" / "solcx" / "solc-v0.8.28"


def _standard_json(sources: dict[str, str]) -> dict:
    request = {
        "language": "Solidity",
        "sources": {name: {"content": text} for name, text in sources.items()},
        "settings": {"outputSelection": {"*": {"*": ["abi"]}}},
    }
    out = subprocess.run(
        [str(SOLC), "--standard-json", "--base-path", str(ROOT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_shim__version__matches_pinned_solidity() -> None:
    out = subprocess.run([str(SOLC), "--version"], capture_output=True, text=True, check=True)
    assert "Version: 0.8.28+commit.7893614a" in out.stdout


def test_shim__syntax_error__surfaces_solc_own_message() -> None:
    result = _standard_json({"Bad.sol": "pragma solidity 0.8.28; contract Bad { uint x = ; }"})
    errors = [e for e in result["errors"] if e["severity"] == "error"]
    assert errors, "a syntax error must be reported"
    assert errors[0]["type"] == "ParserError"
    assert "Expected primary expression" in errors[0]["formattedMessage"]


def test_shim__import_from_base_path__resolves() -> None:
    source = 'pragma solidity 0.8.28; import "node_modules/@openzeppelin/contracts/utils/math/Math.sol";'
    result = _standard_json({"Ok.sol": source})
    assert not [e for e in result.get("errors", []) if e["severity"] == "error"]
    assert any("Math.sol" in name for name in result["sources"])


def test_shim__missing_import__is_a_clear_error() -> None:
    result = _standard_json({"Missing.sol": 'pragma solidity 0.8.28; import "nope/Missing.sol";'})
    messages = " ".join(e["formattedMessage"] for e in result["errors"])
    assert "File not found: nope/Missing.sol" in messages


# --- issue 13: CI gates and bootstrap/compile noise ---------------------------------------------------
def test_ci__runs_lint_and_typecheck_before_the_readme_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    lint, typecheck, test = (script.index(f"make {t}") for t in ("lint", "typecheck", "test\n"))
    assert lint < typecheck < test
    assert 'if [ "$rc" -eq 5 ]' in script  # "no tests collected" stays a failure
    makefile = (ROOT / "Makefile").read_text()
    assert "ruff check tributary scripts" in makefile and "ruff format --check" in makefile
    assert "typecheck: bootstrap\n\t@.venv/bin/mypy" in makefile


def test_mypy__is_pinned_and_strict_about_untyped_code() -> None:
    import tomllib

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert any(dep.startswith("mypy==") for dep in pyproject["project"]["dependencies"])
    settings = pyproject["tool"]["mypy"]
    assert settings["files"] == ["tributary", "scripts"]
    assert settings["disallow_untyped_defs"] and settings["warn_return_any"]
    lock = (ROOT / "requirements.lock").read_text()
    assert next(d for d in pyproject["project"]["dependencies"] if d.startswith("mypy==")) in lock


def test_pyproject__license_is_an_spdx_string_so_setuptools_stays_quiet() -> None:
    import tomllib

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["license"] == "MIT"  # the {text = ...} table warned 3x per bootstrap
    assert "setuptools>=77" in pyproject["build-system"]["requires"]  # PEP 639 strings need >= 77
    bootstrap = (ROOT / "tools" / "bootstrap.sh").read_text()
    assert "PYTHONWARNINGS=ignore .venv/bin/python -m pip install -q --no-deps -e ." in bootstrap


def test_make_compile__does_not_list_every_source() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "compile: bootstrap\n\t@$(APE) compile -v WARNING\n" in makefile


def test_standard_abis__are_openzeppelins_interfaces() -> None:
    shipped = {p.stem: json.loads(p.read_text()) for p in (ROOT / "tributary" / "abi").glob("*.json")}
    assert set(shipped) == {"IERC20", "IERC20Metadata", "IERC4626"}
    names = {n: {i["name"] for i in abi if i["type"] == "function"} for n, abi in shipped.items()}
    assert {"convertToAssets", "balanceOf", "asset", "maxWithdraw", "maxDeposit"} <= names["IERC4626"]
    assert {"decimals", "symbol"} <= names["IERC20Metadata"] and "mint" not in names["IERC20Metadata"]


def test_production_python__reads_foreign_contracts_through_standard_abis() -> None:
    """Issue 13 habit: the real asset and ERC-4626 strategies are read through IERC20/IERC4626, never
    through a test mock's ABI (MockToken) or our own vault's ABI (TierVault) standing in for a foreign one."""
    for module in ("keeper", "income", "recover", "manifest"):
        text = (ROOT / "tributary" / f"{module}.py").read_text()
        assert '"MockToken"' not in text, module
    keeper = (ROOT / "tributary" / "keeper.py").read_text()
    assert 'standard(w3, "IERC4626", s)' in keeper and 'contract(w3, project, "TierVault", s)' not in keeper
    deploy = (ROOT / "tributary" / "deploy.py").read_text()
    assert "MockToken.at(" not in deploy and "TierVault.at(address)" not in deploy
