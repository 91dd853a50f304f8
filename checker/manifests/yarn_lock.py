"""Parser for Yarn's lockfile, ``yarn.lock`` (format "yarn-lock", kind "lock"): classic (Yarn 1) and Berry (Yarn 2+).

Which one. The content decides, not the name: Berry's lockfile is YAML with a ``__metadata`` entry first, read by
checker/manifests/yarn_berry.py; the classic lockfile is Yarn 1's own format (``# yarn lockfile v1``), read by
checker/manifests/yarn_classic.py. Each states the grammar it reads. A file with neither (only comments) lists no
packages under either reading. Both turn their entries into dependencies alike (checker/manifests/yarn_common.py).

Scope and direct. Berry's workspace entries name each workspace's dependencies (dev ones included); whether one
is dev comes from that workspace's package.json, read from the snapshot. Classic lockfiles do not list the
project at all, so the package.json beside the lockfile says which packages are direct and which are dev or
optional; the rest follow the lockfile's dependency edges (a Yarn 1 workspace's own packages are not in the
lockfile, so what only they ask for shows as prod and not direct). Without that package.json (and, for Berry,
without workspace entries) lockgate cannot tell: every package is then direct and prod, the strictest reading.
"""

from __future__ import annotations

import re

from checker.errors import ManifestError
from checker.manifests import yarn_berry, yarn_classic
from checker.manifests.common import is_blank
from checker.model import Manifest, Problem, Reader

FORMAT = "yarn-lock"

_BERRY_METADATA = re.compile(r'^(?:__metadata|"__metadata"|\'__metadata\'):', re.MULTILINE)


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a yarn.lock, classic or Berry by its content; ``read`` fetches package.json files of the project."""
    return parse_lock(text, path, read)


def parse_lock(text: str, path: str, read: Reader, *, fast: bool = True) -> Manifest:
    """``parse``; ``fast=False`` skips the fast readers (classic entries read line by line, Berry YAML by the full
    loader), which tests use to check that both paths give the same Manifest."""
    if is_blank(text):
        raise ManifestError("empty file, expected a yarn.lock lockfile", path)
    problems: list[Problem] = []
    if "__metadata" in text and _BERRY_METADATA.search(text):  # the substring test first: it is far cheaper
        dependencies = yarn_berry.dependencies(text, path, read, fast, problems)
    else:
        dependencies = yarn_classic.dependencies(text, path, read, fast, problems)
    return Manifest(path=path, format=FORMAT, ecosystem="npm", dependencies=dependencies, kind="lock",
                    problems=tuple(problems))
