"""The policy stage of the pipeline: subjects (each dependency with its change, manifest and registry facts)
in, findings, review states and the verdict out.

``engine.py``: runs every rule at its configured level, applies the policy's exceptions and the review states,
and decides the verdict. ``policy_edits.py``: what the change itself does to the gate (edits of the policy, the
files it extends, the ledger), each reviewed like a bump.

Why its own package rather than a module of checker/policy: the policy file is read below this stage (the rules'
options, the review settings, the registries' URLs), and judging calls the review machinery that reads those
settings; a package that both is read by checker/review and calls it would be an import cycle.

May import: checker.model, checker.errors, checker.redaction, checker.snapshot, checker.manifests, checker.rules,
checker.policy, checker.review.
"""
