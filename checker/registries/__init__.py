"""The facts stage's clients: one module per registry or API. The only place (with checker/github/) that talks to
the network; every request has a timeout and bounded retries, and a failure is an unknown fact, never a "no".

Nothing is imported here (``lockgate check`` must start fast); import the modules you need:

- ``gather.py`` — the entry point for the facts stage. ``Registries.create(offline=…, cache=True,
  credentials=…, ttl=…, timeout=…, retries=…, budget_seconds=…, workers=…)`` builds the stack;
  ``registries.gather([FactsRequest(ecosystem, name, version, registry=None, hashes=frozenset(),
  publishers=False, history=False, publisher_limit=0), …])`` returns ``{request: FactsAnswer(request, facts,
  history)}``, fetching one document per package in a bounded thread pool and never raising for registry
  trouble. ``registries.pypi(index_url)`` / ``registries.npm(registry_url)`` give the clients themselves.
- ``types.py`` — the answers: ``VersionFacts`` (exists, release_time, last_upload_time, yanked, yanked_reason,
  deprecated, hashes, evidence, publishers, install_scripts, has_install_script, files, stale, reason; UNKNOWN
  wherever not known; ``to_facts()`` gives ``checker.model.Facts``), ``History`` / ``HistoryEntry``
  (``strongest()``, ``last_publishers()``), ``Publisher`` (``matches(repository=, workflow=, environment=)``),
  ``FileFacts``, the evidence levels ``TRUSTED_PUBLISHER`` > ``PROVENANCE`` > ``NONE`` and ``EVIDENCE_RANK``.
- ``pypi.py`` — ``PypiClient``: PEP 691/700/740 simple JSON pages and PyPI's Integrity API.
- ``npm.py`` — ``NpmClient``: full packuments and SLSA provenance attestations.
- ``osv.py`` — ``OsvClient``: OSV's querybatch (1,000 queries a request, pages followed) and its records by id
  (cached, checked against ``modified``); ``registries.osv(url)`` gives it on the registries' Fetcher.
- ``scorecard.py`` — ``ScorecardClient``: a repository's OpenSSF Scorecard result (cached a day, 404: not scored);
  ``registries.scorecard(url)`` gives it on the registries' Fetcher.
- ``sourcerepo.py`` — the source repository a version names (PyPI project URLs, npm ``repository``, an action's
  name) as a ``SourceRepository``, read strictly: a URL that names no repository is None.
- ``fetch.py`` — ``Fetcher``: cache freshness (TTL), ETag/Last-Modified revalidation, offline mode, stale copies
  when a registry fails, one fetch per document per run.
- ``cache.py`` — ``Cache``: the on-disk store (LOCKGATE_CACHE_DIR, XDG_CACHE_HOME/lockgate, ~/.cache/lockgate).
- ``http.py`` — ``HttpClient``: timeouts, retries with backoff and Retry-After, a time budget, size limits,
  credentials per origin and redaction; ``RegistryError`` / ``NotFound``.
- ``connections.py`` — ``ConnectionPool``: the HTTP helper's kept-alive connections per host (and proxy), lent
  to one request at a time, given back only after an answer read whole.
- ``github.py`` — GitHub tags and commit reachability for action pins (through PyGithub).
- ``stage.py`` — the facts stage itself: which dependencies to ask about, where (the policy's registries, a
  lockfile's index), turned into the pipeline's ``Facts``.
- ``deadline.py`` — run a call within a deadline (shared with checker/github).
- ``advisories.py`` — an OSV record read for one version: ``advisory_for(record, ecosystem, name, version,
  listed=…)`` gives the model's ``Advisory`` (severity from CVSS vectors, the fix hint, malicious or not), None or
  UNKNOWN; pure, for the OSV API's records and a synced OSV export alike.

May import: checker.model, checker.errors, checker.redaction, checker.versions, checker.manifests (names, .npmrc),
checker.rules (the facts stage asks only what an enabled rule reads, and never a host registry-source refuses).
"""
