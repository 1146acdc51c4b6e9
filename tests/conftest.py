"""Session-wide named actors and the base asset. Area-specific builders live in each folder's conftest."""

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def admin(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def curator(accounts):
    return accounts[1]


@pytest.fixture(scope="session")
def allocator(accounts):
    return accounts[2]


@pytest.fixture(scope="session")
def guardian(accounts):
    return accounts[3]


@pytest.fixture(scope="session")
def platform(accounts):
    """A payer: an ad network, a game, a storage market."""
    return accounts[4]


@pytest.fixture(scope="session")
def alice(accounts):
    return accounts[5]


@pytest.fixture(scope="session")
def bob(accounts):
    return accounts[6]


@pytest.fixture(scope="session")
def carol(accounts):
    return accounts[7]


@pytest.fixture(scope="session")
def stranger(accounts):
    """Holds no role anywhere: every permissioned call from it must revert."""
    return accounts[8]


@pytest.fixture(scope="session")
def fee_recipient(accounts):
    return accounts[9]


@pytest.fixture(scope="session", params=[18, 6], ids=["18dec", "6dec"])
def decimals(request) -> int:
    return request.param


@pytest.fixture(scope="session")
def make_token(project, admin):
    def make(decimals: int = 18, name: str = "Mock USD", symbol: str = "mUSD"):
        return admin.deploy(project.MockToken, name, symbol, decimals)

    return make


@pytest.fixture(scope="session")
def asset(make_token):
    """The default 18-decimal asset."""
    return make_token(18)


@pytest.fixture(scope="module")
def quiet_revert_traces() -> Iterator[None]:
    """ape prints (and first fetches and enriches) a full call trace for every reverted transaction, ~1 s
    each on anvil. Folders that expect many reverts and assert on the decoded custom error (which needs no
    trace) opt in with an autouse fixture; printing is restored after the module."""
    from ape_ethereum.trace import Trace

    original = Trace.show
    Trace.show = lambda self, *args, **kwargs: None  # type: ignore[method-assign]
    yield
    Trace.show = original  # type: ignore[method-assign]
