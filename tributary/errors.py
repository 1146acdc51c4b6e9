"""User-facing errors: every one carries a message that says what was wrong and what to do.

Scripts catch `TributaryError` and print its message with a non-zero exit code instead of a traceback.
"""


class TributaryError(Exception):
    """Base class of errors a user can fix (bad input, wrong network, unfunded account...)."""


class ConfigError(TributaryError):
    """The deploy config file is missing, malformed or inconsistent."""


class NetworkError(TributaryError):
    """Unknown network, unreachable node or a chain that does not match the config."""


class AccountError(TributaryError):
    """The signing account cannot be loaded, unlocked, or cannot pay for gas."""


class ManifestError(TributaryError):
    """The deployment manifest disagrees with the chain or with the config."""


class DeployError(TributaryError):
    """A deployment step failed or the deployed wiring is not what the config asked for."""
