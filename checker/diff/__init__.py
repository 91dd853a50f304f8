"""The diff stage: what changed between the base's and the head's manifests, one ``Change`` per dependency
version that moved (``changes.py``).

May import: checker.model, checker.versions.
"""
