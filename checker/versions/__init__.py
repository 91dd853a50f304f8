"""What a version and a pin mean, per ecosystem: shared by the parsers, the diff, the rules and the facts stage.

``compare.py``: ordering, bump type, matching a version against a range, across ecosystems. ``semver.py``:
node-semver (npm's versions and ranges). ``refs.py``: ordering Action refs, pre-commit revs and image tags.
``gitrefs.py``: commit SHAs, version comments and the GitHub repository a pin belongs to. ``licenses.py``: a
version's license as an SPDX expression, and whether it satisfies allow and deny lists. ``osv_ranges.py``: whether
a version lies in an OSV advisory's affected ranges, and the fix to point at.

May import: nothing of lockgate (only the standard library, ``packaging`` and ``license_expression``).
"""
