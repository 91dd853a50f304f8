"""Tests of checker/registries/: each client (``test_pypi.py``, ``test_npm.py``, ``test_github.py``), the HTTP helper,
the cache, gathering, the facts stage (``test_stage.py``), and the clients against misbehaving servers
(``test_faults.py``). They talk only to the fakes of tests/fakes/ on 127.0.0.1; ``test_live.py`` is opt-in."""
