"""Debug lines of the registry clients, without importing ``logging`` on every run.

The clients log each request, retry and cache miss at debug level for whoever configures the
``lockgate.registries`` logger (a test's ``caplog``, a program embedding lockgate). lockgate itself configures no
logging, and importing the module is a visible part of a pre-commit hook's run (``benchmarks/suite.py``, hook
row: it pulls in ``traceback``, ``string`` and ``weakref``). Nobody can have configured a handler without importing ``logging`` first, so while it is not
imported a debug line has nowhere to go and is dropped; once it is, every line goes through it as usual.
"""

from __future__ import annotations

import sys

LOGGER = "lockgate.registries"


def debug(message: str, *args: object) -> None:
    """``logging.getLogger("lockgate.registries").debug(message, *args)``, when anyone can be listening."""
    logging = sys.modules.get("logging")
    if logging is not None:
        logging.getLogger(LOGGER).debug(message, *args)
