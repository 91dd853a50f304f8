"""Bun's binary lockfile, ``bun.lockb`` (format "bun-lockb"): never read, always reported as unreadable.

Its layout is Bun's in-memory lockfile written out (``src/install/lockfile/bun.lockb.zig``), with no
specification and changes between Bun versions. lockgate does not guess at it: the file is a ManifestError, which
the unreadable-manifest rule reports (blocking when the file changed), so a binary lockfile is never a blind spot.
The fix is Bun's text lockfile, ``bun.lock``, which lockgate reads (checker/manifests/bun_lock.py).
"""

from __future__ import annotations

from checker.errors import ManifestError
from checker.model import Manifest, Reader

MESSAGE = (
    "Bun's binary lockfile: lockgate cannot see which packages it pins, so nothing it installs is judged. Move "
    "to the text lockfile, bun.lock: `bun install --save-text-lockfile`, then delete bun.lockb (Bun 1.2 and "
    "later write bun.lock by default)"
)


def parse(text: str, path: str, read: Reader) -> Manifest:
    raise ManifestError(MESSAGE, path)
