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
