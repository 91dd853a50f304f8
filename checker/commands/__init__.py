"""The commands: one module per subcommand of ``lockgate``, each with ``run(args) -> int``.

``checker.cli`` only parses the command line and hands the parsed arguments to ``checker.commands.<name>.run``;
a command module turns them into the options of the stage it calls (``checker.pipeline`` for ``check`` and
``diff``, ``checker.review.record`` for ``review``, …), prints the result and returns the exit code.

May import: checker.pipeline, checker.github, checker.demo, checker.report, checker.judge, checker.review,
checker.policy, checker.rules, checker.registries and the shared modules. Only checker.cli imports from here. Start-up is measured (``benchmarks/suite.py``,
start-up group): a command module imports at load time only ``options`` and ``output`` (standard library only);
everything else is imported inside ``run``, so that a hook run on a commit with no manifest loads neither the
policy nor the parsers.
"""
