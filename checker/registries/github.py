"""GitHub's REST API for action pins: which commit a tag points to, and whether a commit belongs to a repository.

Through PyGithub, imported on first use (a ``lockgate check`` that needs no lookup never loads it). The token
comes from ``GITHUB_TOKEN`` or ``GH_TOKEN`` (without one GitHub allows 60 requests an hour); ``GITHUB_API_URL``
points at GitHub Enterprise Server (``https://ghe.example.com/api/v3``) and is set by GitHub Actions itself.
Every request has a timeout and at most ``retries`` retries with exponential backoff on 429 and 5xx; the whole
run has a time budget. Answers are cached for the run. Anything that goes wrong raises GitHubUnavailable, which
the facts stage turns into an unknown fact, never into a "no".

Reachability follows the reference implementation, zizmor's impostor-commit audit: a commit belongs to
``owner/repo`` when a branch or tag of ``owner/repo`` contains it. Cheapest checks first: the tag the pin's comment
names, the default branch (``GET /repos/{o}/{r}/compare/{branch}...{sha}`` says ``behind`` or ``identical``),
the tips of all branches and tags, then comparisons against the other branches and the tags, newest first, up to
``max_compares``. A commit that none contains is an impostor: GitHub serves any commit of a fork network under
the parent's name.
"""

from __future__ import annotations

import os
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, TypeVar, cast

DEFAULT_API_URL = "https://api.github.com"
MAX_REFS = 300  # branches or tags listed per repository (three pages)
_CONTAINS = frozenset({"behind", "identical"})
T = TypeVar("T")

if TYPE_CHECKING:
    from github import Github
    from github.Repository import Repository


class GitHubUnavailable(Exception):
    """The API could not answer: network, timeout, rate limit, server error, bad credentials, time budget."""


class _NotFound(Exception):
    pass


class GitHubRefs:
    """Tag and commit lookups for one run. Thread-safe; each answer is asked for once."""

    def __init__(
        self,
        *,
        token: str | None = None,
        api_url: str = DEFAULT_API_URL,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 0.5,
        max_compares: int = 30,
        budget_seconds: float = 120.0,
    ) -> None:
        self.token = token
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_compares = max_compares
        self.budget_seconds = budget_seconds
        self.deadline = time.monotonic() + budget_seconds
        self.requests = 0
        self._client: Github | None = None
        self._cache: dict[tuple, Any] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, **options: Any) -> "GitHubRefs":
        env = os.environ if environ is None else environ
        token = env.get("GITHUB_TOKEN") or env.get("GH_TOKEN") or None
        api_url = env.get("GITHUB_API_URL") or DEFAULT_API_URL
        return cls(token=token, api_url=api_url, **options)

    # -- plumbing -------------------------------------------------------------------------------------------

    def _github(self) -> Github:
        with self._lock:
            if self._client is None:
                from github import Auth, Github
                from urllib3.util.retry import Retry

                retry = Retry(
                    total=self.retries,
                    connect=self.retries,
                    read=self.retries,
                    status=self.retries,
                    backoff_factor=self.backoff,
                    status_forcelist=(429, 500, 502, 503, 504),
                    allowed_methods=frozenset({"GET"}),
                    respect_retry_after_header=False,  # a Retry-After of minutes would stall the gate
                    raise_on_status=False,
                )
                self._client = Github(
                    auth=Auth.Token(self.token) if self.token else None,
                    base_url=self.api_url,
                    timeout=int(max(1, round(self.timeout))),
                    retry=retry,
                    seconds_between_requests=None,
                    seconds_between_writes=None,
                    per_page=100,
                    lazy=True,
                )
            return self._client

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        """Run one API interaction, bounded as a whole by the time left of the budget (PyGithub's own timeout is
        per socket operation, its retries come on top); 404 becomes _NotFound, every other failure
        GitHubUnavailable, whose message never holds the token (a server may quote it back)."""
        from github import GithubException, UnknownObjectException
        from requests import RequestException

        from checker.registries.deadline import DeadlineExceeded, run_within

        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise GitHubUnavailable(f"{what}: the time budget for GitHub lookups is spent")
        with self._lock:
            self.requests += 1
        try:
            return run_within(remaining, fn)
        except DeadlineExceeded:
            raise GitHubUnavailable(f"{what}: no answer from GitHub within the time budget for GitHub lookups "
                                    f"({self.budget_seconds:g} s)") from None
        except UnknownObjectException:
            raise _NotFound() from None
        except GithubException as exc:
            message = exc.data.get("message") if isinstance(exc.data, dict) else None
            said = f": {self._redact(' '.join(str(message).split())[:200])}" if message else ""
            raise GitHubUnavailable(f"{what}: GitHub answered {exc.status}{said}") from None
        except (RequestException, OSError) as exc:
            raise GitHubUnavailable(f"{what}: {type(exc).__name__}: {self._redact(str(exc))[:300]}") from None
        except Exception as exc:  # an answer PyGithub could not make sense of (not JSON, cut short, another shape)
            raise GitHubUnavailable(f"{what}: GitHub's answer could not be read ({type(exc).__name__}: "
                                    f"{self._redact(str(exc))[:200]})") from None

    def _redact(self, text: str) -> str:
        return text.replace(self.token, "***") if self.token and len(self.token) >= 4 else text

    def _cached(self, key: tuple, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._cache:
                return cast(T, self._cache[key])  # what ``compute`` returned for this key
        value = compute()
        with self._lock:
            self._cache[key] = value
        return value

    def _repo(self, repo: str) -> Repository:
        return self._github().get_repo(repo)  # lazy: the client is, so this asks nothing yet

    # -- lookups --------------------------------------------------------------------------------------------

    def tag_commit(self, repo: str, tag: str) -> str | None:
        """The commit ``tag`` of ``repo`` points to (annotated tags peeled); None when there is no such tag."""
        return self._cached(("tag", repo.lower(), tag), lambda: self._tag_commit(repo, tag))

    def _tag_commit(self, repo: str, tag: str) -> str | None:
        what = f"tag {tag} of {repo}"
        try:
            ref = self._call(what, lambda: self._repo(repo).get_git_ref(f"tags/{tag}"))
            kind, sha = self._call(what, lambda: (ref.object.type, ref.object.sha))
            for _ in range(5):  # an annotated tag points to a tag object, which may point to another
                if kind != "tag":
                    break
                tag_object = self._call(what, lambda: self._repo(repo).get_git_tag(sha))
                kind, sha = tag_object.object.type, tag_object.object.sha
        except _NotFound:
            return None
        return sha.lower() if kind == "commit" else None

    def version_tag_commit(self, repo: str, tag: str) -> str | None:
        """Like tag_commit, also trying the tag with or without a leading ``v`` (a comment ``# 4.2.0`` for the
        tag ``v4.2.0``)."""
        found = self.tag_commit(repo, tag)
        if found is None:
            other = tag[1:] if tag[:1] in "vV" else f"v{tag}"
            found = self.tag_commit(repo, other)
        return found

    def default_branch(self, repo: str) -> str | None:
        def compute() -> str | None:
            try:
                return self._call(f"repository {repo}", lambda: self._repo(repo).default_branch)
            except _NotFound:
                return None

        return self._cached(("default", repo.lower()), compute)

    def contains(self, repo: str, base: str, sha: str) -> bool:
        """Whether ``base`` (a branch name or a commit) has ``sha`` in its history. 404 means no relation."""

        def compute() -> bool:
            try:
                status = self._call(f"compare {base}...{sha[:12]} in {repo}", lambda: self._repo(repo).compare(base, sha).status)
            except _NotFound:
                return False
            return status in _CONTAINS

        return self._cached(("contains", repo.lower(), base, sha), compute)

    def _refs(self, repo: str, kind: str) -> tuple[list[tuple[str, str]], bool]:
        """(name, commit) of the first MAX_REFS branches or tags, and whether that is all of them."""

        def compute() -> tuple[list[tuple[str, str]], bool]:
            def listing() -> tuple[list[tuple[str, str]], bool]:
                source = self._repo(repo).get_branches() if kind == "branches" else self._repo(repo).get_tags()
                out: list[tuple[str, str]] = []
                for item in source:
                    if len(out) == MAX_REFS:
                        return out, False
                    out.append((item.name, item.commit.sha.lower()))
                return out, True

            try:
                return self._call(f"{kind} of {repo}", listing)
            except _NotFound:
                return [], True

        return self._cached((kind, repo.lower()), compute)

    def commit_reachable(self, repo: str, sha: str, hint_tags: Iterable[str] = ()) -> bool | None:
        """True when a branch or tag of ``repo`` contains ``sha``; False when none does (an impostor commit);
        None when ``max_compares`` comparisons did not decide it."""
        return self._cached(("reachable", repo.lower(), sha.lower()), lambda: self._reachable(repo, sha.lower(), hint_tags))

    def _reachable(self, repo: str, sha: str, hint_tags: Iterable[str]) -> bool | None:
        for tag in hint_tags:
            if self.version_tag_commit(repo, tag) == sha:
                return True
        default = self.default_branch(repo)
        if default is None:
            return False  # no such repository: nothing of it can contain the commit
        if self.contains(repo, default, sha):
            return True
        branches, all_branches = self._refs(repo, "branches")
        tags, all_tags = self._refs(repo, "tags")
        if any(commit == sha for _, commit in branches + tags):
            return True
        candidates = [commit for name, commit in branches if name != default]
        candidates += [commit for _, commit in sorted(tags, key=_newest_first)]
        compared = 1
        for commit in dict.fromkeys(candidates):
            if compared >= self.max_compares:
                return None
            compared += 1
            if self.contains(repo, commit, sha):
                return True
        return False if all_branches and all_tags else None


def _newest_first(tag: tuple[str, str]) -> tuple[int, Any]:
    from checker.versions.compare import parse_version

    parsed = parse_version(tag[0])
    return (0, _Reverse(parsed)) if parsed is not None else (1, _Reverse(tag[0]))


class _Reverse:
    """Sorts its value in descending order."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: "_Reverse") -> bool:
        return bool(self.value > other.value)  # a Version or a tag name, whichever _newest_first put in

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reverse) and self.value == other.value
