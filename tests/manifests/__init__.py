"""Tests of checker/manifests/: one file per format (``test_<format>.py``) or per shared reader (``test_lockyaml.py``,
``test_shell.py``, ...), each on minimal, real and hostile files. The fixtures they read are in ``fixtures/<format>/``
beside them (real files name their source in that folder's SOURCES.md); the property tests read them too."""
