"""The policy file: what the gate is configured to do.

``load.py``: reads ``.github/lockgate.yml`` (``extends`` resolved, every value checked, errors with file and
line) into a ``Policy``. ``schema.py``: its JSON Schema. ``patterns.py``: the package patterns of deny lists,
allowances, exceptions and skips. ``starter.py``: ``lockgate init``'s file. ``watch.py``: which files are the gate
(cheap: on the start-up path). ``compare.py``: what a change to the policy or the ledger does, in words.

May import: checker.model, checker.errors, checker.redaction, checker.versions, checker.snapshot,
checker.manifests, checker.rules (each rule declares its options), checker.policies (the shipped presets).
"""
