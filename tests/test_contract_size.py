"""EIP-170: a contract whose runtime code exceeds 24,576 bytes cannot be deployed on Ethereum or its L2s.

anvil enforces the limit too, but a test-only node started with --disable-code-size-limit would hide it;
this test reads the compiled artifacts, so no node setting can.
"""

import pytest

EIP170_LIMIT = 24_576
# Every production contract keeps this much room under the limit at the committed compiler settings, so that a
# fix never has to fight the size limit first (issue 12).
HEADROOM = 1_024
PRODUCTION = [
    "TierVault",
    "Pool",
    "AaveV3Strategy",
    "MorphoBlueStrategy",
    "UniswapV2Strategy",
]


@pytest.mark.parametrize("name", PRODUCTION)
def test_contract_size__production_contract__keeps_1024_bytes_under_eip170(project, name: str) -> None:
    code = project.get_contract(name).contract_type.get_runtime_bytecode()
    assert code, f"{name} has no runtime bytecode"
    size = len(code)
    assert size <= EIP170_LIMIT - HEADROOM, (
        f"{name} runtime code is {size} bytes: {EIP170_LIMIT - size} under the {EIP170_LIMIT}-byte limit, "
        f"less than the {HEADROOM} bytes of headroom required"
    )
