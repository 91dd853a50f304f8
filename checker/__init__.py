"""lockgate: a supply-chain gate for dependency changes.

The import package is ``checker``; the distribution and the command are ``lockgate``.
Nothing heavy is imported here: ``lockgate --version`` must start in a few milliseconds.

``__version__`` is the one place the version is written: ``pyproject.toml`` reads it (setuptools' dynamic
version), the release workflow refuses a tag that differs from it, and reports carry it. lockgate follows
semantic versioning; CHANGELOG.md records every release.

``POLICY_SCHEMA_VERSION`` is the version of the policy file's format (``lockgate schema``, whose ``$id`` ends in
``policy-v<N>.json``). It changes only when a policy that loaded before no longer loads, or means something
else: new keys and rules are additions within the same version.
"""

__version__ = "0.1.0"
POLICY_SCHEMA_VERSION = 1
