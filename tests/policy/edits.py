"""Policies, trees and pinned requirements shared by the policy-change tests of several packages."""

from __future__ import annotations

from typing import Any

from checker.policy.load import load_policy


POLICY = ".github/lockgate.yml"
LEDGER = ".github/lockgate-reviews.yml"
BASE_POLICY = "extends: default\nreview:\n  reviewers: [alice]\n  label: deps-reviewed\n"


def load(text: str | None, files: dict[str, str] | None = None, path: str = POLICY) -> Any:
    return load_policy(text, path, (files or {}).get)
