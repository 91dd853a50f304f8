"""lockgate: a supply-chain gate for dependency changes.

The import package is ``checker``; the distribution and the command are ``lockgate``.
Nothing heavy is imported here: ``lockgate --version`` must start in a few milliseconds.
"""

__version__ = "0.1.0"
