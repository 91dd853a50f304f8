"""lockgate: a supply-chain gate for dependency changes.

The package is the pipeline (DESIGN.md), one sub-package per stage, each importing only from the stages before it
(its ``__init__`` docstring says which; tests/project/test_layout.py holds every import to that):

    snapshot -> manifests -> diff -> registries (facts) -> judge (the policy stage) -> report

with ``versions`` (what a version and a pin mean) below them all, ``rules`` (one module per rule) read by the
facts stage and the judge, ``policy`` (the policy file) and ``review`` (the ledger and the pull request's
evidence) read by the judge, ``pipeline`` wiring the stages for one run, ``github`` (inside GitHub Actions) and
``commands`` (one module per subcommand) on top, and ``cli`` parsing the command line. At this level only what
every stage shares: ``model`` (the records passed between stages), ``errors`` and ``redaction``.

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
