"""Everything lockgate does inside GitHub Actions: the event context, review evidence, the sticky comment, the
commit status, step outputs and the job summary. The only package besides checker/registries that talks to the
network, and imported only by ``lockgate pr`` (PyGithub is never loaded for ``lockgate check``).

May import: checker.model, checker.errors, checker.redaction, checker.snapshot, checker.registries (the deadline),
checker.policy, checker.review, checker.report.
"""
