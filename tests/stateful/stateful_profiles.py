"""Hypothesis profiles, selected by TRIBUTARY_PROFILE (default "ci"; `make test-deep` sets "deep").

  ci    every hypothesis test: no deadline (one example is many chain round trips, so wall-clock deadlines
        only produce flakes); the system machine: 200 examples × 60 steps (≥ 10,000 chain steps)
  deep  10× the examples of every hypothesis test; the machine: 1,000 examples × 100 steps = 100,000 steps

Loaded when pytest collects tests/stateful (its conftest imports this module), so the profile applies to
the whole session; a test's own @settings still wins over the profile.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "ci",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile("deep", parent=settings.get_profile("ci"), max_examples=1_000)
PROFILE = os.environ.get("TRIBUTARY_PROFILE", "ci")
settings.load_profile(PROFILE)

# steps run and seconds spent by the state machines this session (printed in the terminal summary)
STATS: dict[str, float] = {"steps": 0, "seconds": 0.0}

MACHINE_BUDGET = {"ci": (200, 60), "deep": (1_000, 100)}  # (examples, steps per example)


def machine_settings() -> settings:
    """Settings of the whole-system state machine under the active profile; TRIBUTARY_MACHINE_BUDGET=EXSxSTEPS
    (e.g. 20x50) overrides it for a quick local run."""
    examples, steps = MACHINE_BUDGET.get(PROFILE, MACHINE_BUDGET["ci"])
    if budget := os.environ.get("TRIBUTARY_MACHINE_BUDGET"):
        examples, steps = (int(x) for x in budget.split("x"))
    # no "explain" phase: it re-runs failing examples under line tracing, minutes on a chain-driving machine
    phases = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
    return settings(
        max_examples=examples, stateful_step_count=steps, phases=phases, report_multiple_bugs=False
    )
