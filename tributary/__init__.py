"""Tributary: Python toolchain (deploy, keeper, simulation, income statements) for the contracts."""
