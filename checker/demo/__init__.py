"""The embedded example that ``lockgate demo`` runs: a throw-away repository and registry documents, judged
offline through the real pipeline.

May import: checker.pipeline, checker.policy, checker.registries, checker.report and the shared modules.
"""
