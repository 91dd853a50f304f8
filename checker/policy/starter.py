"""``lockgate init``: the starter policy, written once, never over a file that exists (unless forced)."""

from __future__ import annotations

import os

from checker.errors import UsageError

STARTER = """\
# lockgate policy (docs/policy.md documents every key; `lockgate schema` prints the JSON Schema).
# Judged on the base revision of each pull request, so a pull request cannot loosen its own gate.
extends: default            # a preset (default, strict) or a path to another policy file

on-unknown: warn            # what a fact that could not be obtained costs: off | info | warn | block

paths:
  ignore: []                # globs of manifests to skip, e.g. ["docs/**", "examples/**"]

rules:
  hash-pinning: {level: block, files-without-hashes: warn}
  exact-pinning: {level: block}
  registry-source:
    level: block
    hosts: [pypi.org, files.pythonhosted.org, registry.npmjs.org]
    allow-git: []           # e.g. ["pypi:our-fork"]
    allow-url: []
    allow-path: ["*"]
  deny:
    level: block
    known-bad: true         # publicly documented malicious releases, shipped with lockgate
    packages: []            # e.g. [{package: "pypi:requests@<2.31", reason: "CVE-2023-32681"}]
  review: {level: block}
  policy-change: {level: block}   # an edit of this file, a file it extends, or the ledger needs a review

review:
  required-for: [added, upgraded, downgraded, source-changed, hashes-changed]
  skip:
    - {scope: dev, bump: patch}
  reviewers: []             # GitHub users and teams (@org/team) whose approval counts
  label: dependencies-reviewed
  ledger: .github/lockgate-reviews.yml

exceptions: []              # [{rule: exact-pinning, package: "pypi:x", reason: "...", expires: 2027-01-31}]
"""


def write_starter(path: str, force: bool = False) -> str:
    if os.path.exists(path) and not force:
        raise UsageError(f"{path} exists already; pass --force to overwrite it")
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(STARTER)
    return path
