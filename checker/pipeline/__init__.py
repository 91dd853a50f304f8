"""The wiring of one run: snapshot -> manifests -> diff -> facts -> judge -> Report. Decides nothing about
dependencies itself; it calls the stages in order.

``run.py``: ``CheckRequest`` in, ``Report`` out (``run_check``, ``run_diff``). ``unchanged.py``: the start-up fast
path for a commit that changes no manifest (no policy, parser or model loaded). ``pending.py``: the run behind
``lockgate review --all-pending``.

May import: every stage (checker.snapshot, checker.manifests, checker.diff, checker.registries, checker.policy,
checker.rules, checker.review, checker.judge, checker.report) and the shared modules.
"""
