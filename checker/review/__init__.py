"""Review evidence: which changes need a review, and what counts as one.

``ledger.py``: the review ledger (a YAML file of the repository, read as it stands on the base), its entries and
the line ``lockgate review`` appends. ``decision.py``: which changes need a review, and what the ledger and the pull
request's approvals and label make of them (pure: the GitHub layer only fetches the evidence). ``record.py``: what
``lockgate review`` records, inferred from the work tree and the policy. ``pending.py``: which changes of a judged
run wait for a review (what ``lockgate review --all-pending`` records).

May import: checker.model, checker.errors, checker.versions, checker.snapshot, checker.manifests, checker.policy.
"""
