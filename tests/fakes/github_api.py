"""A fake GitHub REST API on 127.0.0.1, for the real PyGithub to talk to (the one fake of GitHub the tests use).

It keeps one repository's pull requests, reviews, issue comments, issue events, commit statuses, teams and git
trees in memory and answers the endpoints lockgate uses the way api.github.com does: the same JSON shapes (the
fields PyGithub reads), URLs under a GitHub Enterprise-style ``/api/v3`` prefix (so ``GITHUB_API_URL`` must be
honoured), pagination with ``Link`` headers (``per_page``, ``page``; 30 by default, 100 at most), 401 for an
unknown token, 403 ``Resource not accessible by integration`` with ``X-Accepted-GitHub-Permissions`` for a token
without the permission (a fork's read-only token), 404 ``Not Found``, 422 ``Validation Failed`` (a comment over
65,536 characters, an unknown status state), and the secondary rate limit (403 with ``Retry-After``) on demand.

Other public repositories (``repos``: the actions a workflow pins) are modelled as commits with parents,
branches, lightweight and annotated tags, and commits only a fork's network has, for the pin-comment lookups
(checker/registries/github.py): ``GET /repos/{o}/{r}``, ``/git/ref/tags/{tag}``, ``/git/tags/{sha}``,
``/compare/{base}...{head}``, ``/tags`` and ``/branches``. Like GitHub for public repositories, they answer without
a token. ``fail(prefix, status, times)`` injects failures on any path, ``hold(route)`` makes one request a slow
one; ``authorizations`` logs the Authorization header of every request.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, Callable
from urllib.parse import parse_qs, quote, unquote, urlencode, urlparse

from .server import FakeServer, read_body, send_json

DOCS = "https://docs.github.com/rest"
BODY_LIMIT = 65536
READ, WRITE = "read", "write"
ALL_WRITE = {"contents": WRITE, "pull_requests": WRITE, "issues": WRITE, "statuses": WRITE, "metadata": READ}
READ_ONLY = {"contents": READ, "pull_requests": READ, "issues": READ, "statuses": READ, "metadata": READ}


@dataclass
class Token:
    """``kind``: ``installation`` (like the workflow's GITHUB_TOKEN: acts as github-actions[bot], cannot call
    GET /user) or ``user`` (a personal access token). ``permissions``: GitHub App permission -> read|write."""

    login: str = "github-actions[bot]"
    kind: str = "installation"
    permissions: dict[str, str] = field(default_factory=lambda: dict(ALL_WRITE))


def blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class _Error(Exception):
    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        self.status, self.body, self.headers = status, body, headers or {}


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha(label: str) -> str:
    """A stable fake 40-hex commit id for a readable label."""
    return hashlib.sha1(label.encode()).hexdigest()


@dataclass
class FakeRepo:
    """A public repository as the pin-comment lookups see it."""

    default_branch: str = "main"
    parents: dict[str, list[str]] = field(default_factory=dict)  # commit -> parents
    branches: dict[str, str] = field(default_factory=dict)  # name -> commit
    tags: dict[str, str] = field(default_factory=dict)  # name -> commit (lightweight) or tag object sha
    tag_objects: dict[str, str] = field(default_factory=dict)  # tag object sha -> commit (annotated tags)
    network: set[str] = field(default_factory=set)  # commits pushed to forks: served, on no branch or tag here

    def ancestors(self, commit: str) -> set[str]:
        seen: set[str] = set()
        stack = [commit]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            stack.extend(self.parents.get(current, []))
        return seen

    def knows(self, commit: str) -> bool:
        return commit in self.parents or commit in self.network

    def peel(self, sha: str) -> str:
        return self.tag_objects.get(sha, sha)

    def resolve(self, ref: str) -> str | None:
        ref = ref.removeprefix("refs/heads/").removeprefix("refs/tags/")
        if ref in self.branches:
            return self.branches[ref]
        if ref in self.tags:
            return self.peel(self.tags[ref])
        return ref if self.knows(ref) else None


def checkout_repo() -> FakeRepo:
    """actions/checkout as the tests know it: main with releases v4.1.0 (lightweight tag) and v4.2.0 (annotated),
    a release branch, and a fork commit that only the fork network has."""
    c1, c2, c3, c4 = sha("c1"), sha("c2-v4.1.0"), sha("c3-v4.2.0"), sha("c4-main")
    r0, r1 = sha("r0-releases/v3"), sha("r1-releases/v3")
    impostor = sha("fork-impostor")
    return FakeRepo(
        default_branch="main",
        parents={c1: [], c2: [c1], c3: [c2], c4: [c3], r0: [c1], r1: [r0], impostor: [c3]},
        branches={"main": c4, "releases/v3": r1},
        tags={"v4.1.0": c2, "v4.2.0": sha("tagobject-v4.2.0"), "v4": c3},
        tag_objects={sha("tagobject-v4.2.0"): c3},
        network={impostor},
    )


class FakeGitHub(FakeServer):
    """The state and the server. Use as a context manager (or ``start()`` / ``stop()``); ``api_url`` is what
    GITHUB_API_URL should be."""

    protocol = "HTTP/1.1"

    def __init__(self, owner: str = "acme", name: str = "app") -> None:
        super().__init__()
        self.owner, self.name = owner, name
        self.full_name = f"{owner}/{name}"
        self.clock = dt.datetime(2026, 3, 20, 10, 0, 0, tzinfo=dt.timezone.utc)
        self.tokens: dict[str, Token] = {}
        self.users: dict[str, str] = {}  # login -> type (User | Bot)
        self.pulls: dict[int, dict[str, Any]] = {}
        self.reviews: dict[int, list[dict[str, Any]]] = {}
        self.comments: dict[int, dict[str, Any]] = {}  # id -> comment (with "_issue")
        self.events: dict[int, list[dict[str, Any]]] = {}
        self.statuses: dict[str, list[dict[str, Any]]] = {}
        self.commits: dict[str, list[str]] = {}  # sha -> parent shas
        self.trees: dict[str, dict[str, bytes]] = {}  # commit sha or ref -> files
        self.symlinks: dict[str, set[str]] = {}  # commit sha or ref -> paths that are symbolic links (content: target)
        self.gitlinks: dict[str, dict[str, str]] = {}  # commit sha or ref -> submodule path -> its commit
        self.teams: dict[tuple[str, str], dict[str, str]] = {}  # (org, slug) -> login -> state
        self.requests: list[tuple[str, str]] = []  # (method, path)
        self.authorizations: list[str | None] = []  # the Authorization header of each request, in order
        self.repos: dict[str, FakeRepo] = {}  # other public repositories, by lower-case owner/name
        self.failures: list[tuple[str, int, int]] = []  # (path prefix, status, how many times; -1 always)
        self.secondary_limit_remaining = 0
        self.secondary_limit_hits = 0
        self.server_errors_remaining = 0
        self.too_many_requests_remaining = 0
        self.echo_token_in_errors = False
        self.hooks: dict[str, Callable[[], None]] = {}
        self._next_id = 1000

    # --- serving -----------------------------------------------------------------------------------------------

    def serve(self, request: BaseHTTPRequestHandler) -> None:
        body = read_body(request)
        url = urlparse(request.path)
        try:
            status, payload, headers = self.handle(request.command, url.path, parse_qs(url.query), request.headers, body)
        except _Error as exc:
            status, payload, headers = exc.status, exc.body, exc.headers
        send_json(request, status, payload, {"X-GitHub-Media-Type": "github.v3; format=json", **headers})

    def fail(self, prefix: str, status: int, times: int = -1) -> None:
        """Answer requests whose path starts with ``prefix`` with ``status`` (``times`` times; -1: always)."""
        with self.lock:
            self.failures.append((prefix, status, times))

    def hold(self, route: str, status: int | None = None) -> tuple[threading.Event, threading.Event]:
        """A slow endpoint: the next request to ``route`` (a route name: ``create_comment``) waits until the returned
        ``release`` is set, then is answered with ``status`` (``{"message": "Server Error"}``) or, without one, as
        usual. Returns (``arrived``, set when that request is in; ``release``). Later requests are not held."""
        arrived, release = threading.Event(), threading.Event()

        def slow() -> None:
            if arrived.is_set():
                return
            arrived.set()
            release.wait(60)
            if status is not None:
                raise _Error(status, {"message": "Server Error"})

        self.hooks[route] = slow
        return arrived, release

    def paths(self) -> list[str]:
        with self.lock:
            return [path for _, path in self.requests]

    def clear_log(self) -> None:
        with self.lock:
            self.requests.clear()
            self.authorizations.clear()

    @property
    def api_url(self) -> str:
        return f"{self.root}/api/v3"

    @property
    def repo_url(self) -> str:
        return f"{self.api_url}/repos/{self.full_name}"

    # --- building state ----------------------------------------------------------------------------------------

    def new_id(self) -> int:
        with self.lock:
            self._next_id += 1
            return self._next_id

    def tick(self, seconds: float = 1) -> dt.datetime:
        with self.lock:
            self.clock += dt.timedelta(seconds=seconds)
            return self.clock

    def add_token(self, value: str, token: Token | None = None) -> Token:
        token = token or Token()
        self.tokens[value] = token
        self.users.setdefault(token.login, "Bot" if token.kind == "installation" else "User")
        return token

    def user(self, login: str) -> dict[str, Any]:
        kind = self.users.get(login, "Bot" if login.endswith("[bot]") else "User")
        return {"login": login, "id": abs(hash(login)) % 10**8, "type": kind, "url": f"{self.api_url}/users/{quote(login)}",
                "html_url": f"https://github.com/{quote(login)}"}

    def add_pull(self, number: int, author: str, base: str, head: str, labels: tuple[str, ...] = (),
                 fork: str | None = None) -> dict[str, Any]:
        repo = {"full_name": self.full_name, "name": self.name, "owner": self.user(self.owner)}
        head_repo = {"full_name": fork or self.full_name, "name": self.name,
                     "owner": self.user((fork or self.full_name).split("/")[0])}
        pull = {
            "url": f"{self.repo_url}/pulls/{number}",
            "issue_url": f"{self.repo_url}/issues/{number}",
            "html_url": f"https://github.com/{self.full_name}/pull/{number}",
            "id": self.new_id(), "number": number, "state": "open", "title": f"pull {number}",
            "user": self.user(author),
            "labels": [{"id": self.new_id(), "name": name, "color": "ededed"} for name in labels],
            "head": {"sha": head, "ref": "feature", "label": "feature", "repo": head_repo},
            "base": {"sha": base, "ref": "main", "label": "main", "repo": repo},
            "created_at": _iso(self.clock), "updated_at": _iso(self.clock),
        }
        with self.lock:
            self.pulls[number] = pull
            self.reviews.setdefault(number, [])
            self.events.setdefault(number, [])
        return pull

    def push(self, number: int, head: str) -> None:
        """A new head for the pull request (the clock moves on)."""
        with self.lock:
            self.tick(60)
            self.pulls[number]["head"]["sha"] = head

    def add_review(self, number: int, login: str, state: str, commit: str, association: str = "MEMBER") -> dict[str, Any]:
        with self.lock:
            review = {
                "id": self.new_id(), "user": self.user(login), "body": "", "state": state, "commit_id": commit,
                "submitted_at": _iso(self.tick()), "author_association": association,
                "html_url": f"https://github.com/{self.full_name}/pull/{number}#pullrequestreview-1",
                "pull_request_url": f"{self.repo_url}/pulls/{number}",
            }
            self.reviews[number].append(review)
            return review

    def dismiss(self, review: dict[str, Any]) -> None:
        review["state"] = "DISMISSED"

    def label(self, number: int, name: str, actor: str) -> None:
        with self.lock:
            pull = self.pulls[number]
            if not any(l["name"] == name for l in pull["labels"]):
                pull["labels"].append({"id": self.new_id(), "name": name, "color": "ededed"})
            self.events[number].append({
                "id": self.new_id(), "event": "labeled", "actor": self.user(actor),
                "label": {"name": name, "color": "ededed"}, "created_at": _iso(self.tick()),
                "url": f"{self.repo_url}/issues/events/{self._next_id}",
            })

    def add_comment(self, number: int, login: str, body: str) -> dict[str, Any]:
        with self.lock:
            cid = self.new_id()
            comment = {
                "id": cid, "_issue": number, "url": f"{self.repo_url}/issues/comments/{cid}",
                "html_url": f"https://github.com/{self.full_name}/pull/{number}#issuecomment-{cid}",
                "issue_url": f"{self.repo_url}/issues/{number}", "body": body, "user": self.user(login),
                "created_at": _iso(self.tick()), "updated_at": _iso(self.clock),
            }
            self.comments[cid] = comment
            return comment

    def comments_on(self, number: int) -> list[dict[str, Any]]:
        with self.lock:
            return sorted((c for c in self.comments.values() if c["_issue"] == number), key=lambda c: c["id"])

    def add_status(self, sha: str, state: str, context: str = "lockgate", creator: str = "github-actions[bot]") -> None:
        with self.lock:
            self._status(sha, {"state": state, "context": context, "description": ""}, creator)

    def add_tree(self, ref: str, files: dict[str, bytes], parents: tuple[str, ...] = ()) -> None:
        self.trees[ref] = files
        self.commits[ref] = list(parents)

    # --- the API -----------------------------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes) -> tuple[int, Any, dict[str, str]]:
        with self.lock:
            self.requests.append((method, path))
            self.authorizations.append(headers.get("Authorization"))
            for index, (prefix, status, times) in enumerate(self.failures):
                if path.startswith(prefix) and times != 0:
                    if times > 0:
                        self.failures[index] = (prefix, status, times - 1)
                    raise _Error(status, {"message": "Service Unavailable"})
        public = self._public(method, path, query)
        if public is not None:
            return public
        token = self._token(headers.get("Authorization", ""))
        if self.secondary_limit_remaining > 0:
            with self.lock:
                self.secondary_limit_remaining -= 1
                self.secondary_limit_hits += 1
            raise _Error(403, {
                "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
                "If you reach out to GitHub Support for help, please include the request ID.",
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
            }, {"Retry-After": "1"})
        if self.too_many_requests_remaining > 0:
            with self.lock:
                self.too_many_requests_remaining -= 1
            raise _Error(429, {"message": "Too Many Requests"}, {"Retry-After": "1"})
        if self.server_errors_remaining > 0:
            with self.lock:
                self.server_errors_remaining -= 1
            raise _Error(502, {"message": "Server Error"})
        prefix = "/api/v3"
        if not path.startswith(prefix + "/"):
            raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})
        route = path[len(prefix):]
        for pattern, verb, name in _ROUTES:
            match = re.fullmatch(pattern, route)
            if match and verb == method:
                if name in self.hooks:
                    self.hooks[name]()
                data = json.loads(body) if body else None
                with self.lock:
                    return getattr(self, f"_api_{name}")(token, query, data, *[unquote(g) for g in match.groups()])
        raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})

    # --- other public repositories (pin-comment lookups) ---------------------------------------------------------

    def _public(self, method: str, path: str, query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]] | None:
        """The answer for a repository of ``repos`` (None: not one of them)."""
        match = re.fullmatch(r"/api/v3/repos/([^/]+)/([^/]+)(/.*)?", path)
        if match is None or method != "GET":
            return None
        owner, name, rest = match.group(1), match.group(2), match.group(3) or ""
        full = f"{owner}/{name}"
        if full.lower() == self.full_name.lower():
            return None
        repo = self.repos.get(full.lower())
        if repo is None:
            raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})
        base = f"{self.api_url}/repos/{full}"
        if rest == "":
            return 200, {"id": 1, "node_id": "R_1", "name": name, "full_name": full, "private": False,
                         "owner": {"login": owner, "id": 2, "type": "Organization"}, "url": base,
                         "default_branch": repo.default_branch, "fork": False}, {}
        if rest.startswith("/git/ref/tags/"):
            tag = unquote(rest[len("/git/ref/tags/"):])
            if tag not in repo.tags:
                raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})
            target = repo.tags[tag]
            kind = "tag" if target in repo.tag_objects else "commit"
            return 200, {"ref": f"refs/tags/{tag}", "node_id": "REF_1", "url": f"{base}/git/refs/tags/{tag}",
                         "object": {"sha": target, "type": kind, "url": f"{base}/git/{kind}s/{target}"}}, {}
        if rest.startswith("/git/tags/"):
            tag_sha = rest[len("/git/tags/"):]
            if tag_sha not in repo.tag_objects:
                raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})
            commit = repo.tag_objects[tag_sha]
            return 200, {
                "node_id": "TAG_1", "tag": "annotated", "sha": tag_sha, "url": f"{base}/git/tags/{tag_sha}",
                "message": "release", "tagger": {"name": "r", "email": "r@example.invalid", "date": "2026-01-01T00:00:00Z"},
                "object": {"type": "commit", "sha": commit, "url": f"{base}/git/commits/{commit}"},
                "verification": {"verified": False, "reason": "unsigned", "signature": None, "payload": None},
            }, {}
        if rest.startswith("/compare/"):
            left, sep, right = unquote(rest[len("/compare/"):]).partition("...")
            if not sep:
                raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})
            return self._compare(repo, base, left, right)
        if rest == "/tags":
            items = [{"name": tag, "commit": {"sha": repo.peel(t), "url": f"{base}/commits/{repo.peel(t)}"},
                      "zipball_url": f"{base}/zipball/refs/tags/{tag}", "tarball_url": f"{base}/tarball/refs/tags/{tag}",
                      "node_id": "T"} for tag, t in repo.tags.items()]
            return self._page(items, query, f"{base}/tags")
        if rest == "/branches":
            items = [{"name": branch, "commit": {"sha": c, "url": f"{base}/commits/{c}"}, "protected": False}
                     for branch, c in repo.branches.items()]
            return self._page(items, query, f"{base}/branches")
        raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})

    def _compare(self, repo: FakeRepo, base: str, left: str, right: str) -> tuple[int, Any, dict[str, str]]:
        a, b = repo.resolve(left), repo.resolve(right)
        if a is None or b is None:
            raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})
        ancestors_a, ancestors_b = repo.ancestors(a), repo.ancestors(b)
        if a == b:
            status, ahead, behind = "identical", 0, 0
        elif b in ancestors_a:
            status, ahead, behind = "behind", 0, len(ancestors_a - ancestors_b)
        elif a in ancestors_b:
            status, ahead, behind = "ahead", len(ancestors_b - ancestors_a), 0
        else:
            status, ahead, behind = "diverged", len(ancestors_b - ancestors_a), len(ancestors_a - ancestors_b)
        commit = {"sha": a, "url": f"{base}/commits/{a}", "commit": {"message": "m"}, "parents": []}
        return 200, {
            "url": f"{base}/compare/{left}...{right}", "html_url": "h", "permalink_url": "p", "diff_url": "d",
            "patch_url": "p", "base_commit": commit, "merge_base_commit": commit, "status": status,
            "ahead_by": ahead, "behind_by": behind, "total_commits": ahead, "commits": [], "files": [],
        }, {}

    def _token(self, header: str) -> Token:
        scheme, _, value = header.partition(" ")
        token = self.tokens.get(value) if scheme.lower() in ("token", "bearer") else None
        if token is None:
            raise _Error(401, {"message": "Bad credentials", "documentation_url": DOCS})
        token.value = value  # type: ignore[attr-defined]
        return token

    def _need(self, token: Token, *options: tuple[str, str]) -> None:
        """403 unless the token has one of the (permission, level) options (write includes read)."""
        for permission, level in options:
            granted = token.permissions.get(permission)
            if granted == WRITE or granted == level:
                return
        message = "Resource not accessible by integration"
        if self.echo_token_in_errors:
            message += f" (token {token.value})"  # type: ignore[attr-defined]
        accepted = "; ".join(f"{p}={l}" for p, l in options)
        raise _Error(403, {"message": message, "documentation_url": DOCS, "status": "403"},
                     {"X-Accepted-GitHub-Permissions": accepted})

    def _pull(self, number: str) -> dict[str, Any]:
        pull = self.pulls.get(int(number))
        if pull is None:
            raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})
        return pull

    def _page(self, items: list[Any], query: dict[str, list[str]], url: str) -> tuple[int, Any, dict[str, str]]:
        per_page = max(1, min(100, int(query.get("per_page", ["30"])[0])))
        page = max(1, int(query.get("page", ["1"])[0]))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page: page * per_page]
        links = []
        keep = {k: v[0] for k, v in query.items() if k not in ("page", "per_page")}

        def link(n: int, rel: str) -> str:
            return f'<{url}?{urlencode({**keep, "per_page": per_page, "page": n})}>; rel="{rel}"'

        if page > 1:
            links += [link(page - 1, "prev"), link(1, "first")]
        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        return 200, chunk, ({"Link": ", ".join(links)} if links else {})

    def _api_repo(self, token: Token, query: Any, data: Any, owner: str, name: str) -> tuple[int, Any, dict[str, str]]:
        self._repo(owner, name)
        return 200, {"id": 1, "name": self.name, "full_name": self.full_name, "owner": self.user(self.owner),
                     "private": False, "url": self.repo_url, "default_branch": "main"}, {}

    def _repo(self, owner: str, name: str) -> None:
        if f"{owner}/{name}".lower() != self.full_name.lower():
            raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})

    def _api_pull(self, token: Token, query: Any, data: Any, owner: str, name: str, number: str) -> tuple[int, Any, dict[str, str]]:
        self._repo(owner, name)
        self._need(token, ("pull_requests", READ))
        return 200, self._pull(number), {}

    def _api_reviews(self, token: Token, query: Any, data: Any, owner: str, name: str, number: str) -> tuple[int, Any, dict[str, str]]:
        self._repo(owner, name)
        self._need(token, ("pull_requests", READ))
        self._pull(number)
        return self._page(list(self.reviews[int(number)]), query, f"{self.repo_url}/pulls/{number}/reviews")

    def _public_comment(self, comment: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in comment.items() if not k.startswith("_")}

    def _api_list_comments(self, token: Token, query: Any, data: Any, owner: str, name: str, number: str) -> tuple[int, Any, dict[str, str]]:
        self._repo(owner, name)
        self._need(token, ("issues", READ), ("pull_requests", READ))
        self._pull(number)
        items = [self._public_comment(c) for c in self.comments_on(int(number))]
        return self._page(items, query, f"{self.repo_url}/issues/{number}/comments")

    def _check_body(self, data: Any) -> str:
        body = data.get("body") if isinstance(data, dict) else None
        if not isinstance(body, str):
            raise _Error(422, {"message": "Invalid request.\n\n\"body\" wasn't supplied.", "documentation_url": DOCS})
        if len(body) > BODY_LIMIT:
            raise _Error(422, {"message": "Validation Failed", "errors": [
                {"resource": "IssueComment", "code": "custom", "field": "body",
                 "message": f"body is too long (maximum is {BODY_LIMIT} characters)"}], "documentation_url": DOCS})
        return body

    def _api_create_comment(self, token: Token, query: Any, data: Any, owner: str, name: str, number: str) -> tuple[int, Any, dict[str, str]]:
        self._repo(owner, name)
        self._need(token, ("issues", WRITE), ("pull_requests", WRITE))
        self._pull(number)
        comment = self.add_comment(int(number), token.login, self._check_body(data))
        return 201, self._public_comment(comment), {}

    def _comment(self, cid: str) -> dict[str, Any]:
        comment = self.comments.get(int(cid))
        if comment is None:
            raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})
        return comment

    def _api_edit_comment(self, token: Token, query: Any, data: Any, owner: str, name: str, cid: str) -> tuple[int, Any, dict[str, str]]:
        self._repo(owner, name)
        self._need(token, ("issues", WRITE), ("pull_requests", WRITE))
        comment = self._comment(cid)
        comment["body"] = self._check_body(data)
        comment["updated_at"] = _iso(self.tick())
        return 200, self._public_comment(comment), {}

    def _api_delete_comment(self, token: Token, query: Any, data: Any, owner: str, name: str, cid: str) -> tuple[int, Any, dict[str, str]]:
        self._repo(owner, name)
        self._need(token, ("issues", WRITE), ("pull_requests", WRITE))
        self._comment(cid)
        del self.comments[int(cid)]
        return 204, None, {}

    def _api_events(self, token: Token, query: Any, data: Any, owner: str, name: str, number: str) -> tuple[int, Any, dict[str, str]]:
        self._repo(owner, name)
        self._need(token, ("issues", READ), ("pull_requests", READ))
        self._pull(number)
        return self._page(list(self.events[int(number)]), query, f"{self.repo_url}/issues/{number}/events")

    def _commit_json(self, sha: str) -> dict[str, Any]:
        if sha not in self.commits and not re.fullmatch(r"[0-9a-f]{40}", sha):
            raise _Error(422, {"message": f"No commit found for SHA: {sha}", "documentation_url": DOCS})
        return {
            "sha": sha, "url": f"{self.repo_url}/commits/{sha}", "html_url": f"https://github.com/{self.full_name}/commit/{sha}",
            "parents": [{"sha": p, "url": f"{self.repo_url}/commits/{p}"} for p in self.commits.get(sha, [])],
            "commit": {"message": "", "tree": {"sha": sha}},
        }

    def _api_commit(self, token: Token, query: Any, data: Any, owner: str, name: str, sha: str) -> tuple[int, Any, dict[str, str]]:
        self._repo(owner, name)
        self._need(token, ("contents", READ))
        return 200, self._commit_json(sha), {}

    def _api_list_statuses(self, token: Token, query: Any, data: Any, owner: str, name: str, sha: str) -> tuple[int, Any, dict[str, str]]:
        self._repo(owner, name)
        self._need(token, ("statuses", READ))
        newest_first = list(reversed(self.statuses.get(sha, [])))
        return self._page(newest_first, query, f"{self.repo_url}/commits/{sha}/statuses")

    def _status(self, sha: str, data: dict[str, Any], creator: str) -> dict[str, Any]:
        status = {
            "id": self.new_id(), "url": f"{self.repo_url}/statuses/{sha}", "state": data["state"],
            "description": data.get("description"), "target_url": data.get("target_url"),
            "context": data.get("context") or "default", "created_at": _iso(self.tick()),
            "updated_at": _iso(self.clock), "creator": self.user(creator),
        }
        self.statuses.setdefault(sha, []).append(status)
        return status

    def _api_create_status(self, token: Token, query: Any, data: Any, owner: str, name: str, sha: str) -> tuple[int, Any, dict[str, str]]:
        self._repo(owner, name)
        self._need(token, ("statuses", WRITE))
        if not isinstance(data, dict) or data.get("state") not in ("error", "failure", "pending", "success"):
            raise _Error(422, {"message": "Validation Failed", "errors": [
                {"resource": "Status", "code": "custom", "field": "state",
                 "message": "state is not included in the list"}], "documentation_url": DOCS})
        return 201, self._status(sha, data, token.login), {}

    def _api_me(self, token: Token, query: Any, data: Any) -> tuple[int, Any, dict[str, str]]:
        if token.kind == "installation":
            raise _Error(403, {"message": "Resource not accessible by integration", "documentation_url": DOCS})
        return 200, self.user(token.login), {}

    def _api_org(self, token: Token, query: Any, data: Any, org: str) -> tuple[int, Any, dict[str, str]]:
        if not any(o == org for o, _ in self.teams):
            raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})
        return 200, {"login": org, "id": 7, "url": f"{self.api_url}/orgs/{org}"}, {}

    def _team_id(self, org: str, slug: str) -> int:
        return sorted(self.teams).index((org, slug)) + 1

    def _api_team(self, token: Token, query: Any, data: Any, org: str, slug: str) -> tuple[int, Any, dict[str, str]]:
        self._need(token, ("members", READ))
        if (org, slug) not in self.teams:
            raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})
        tid = self._team_id(org, slug)
        return 200, {"id": tid, "slug": slug, "name": slug, "url": f"{self.api_url}/organizations/7/team/{tid}"}, {}

    def _api_membership(self, token: Token, query: Any, data: Any, oid: str, tid: str, login: str) -> tuple[int, Any, dict[str, str]]:
        self._need(token, ("members", READ))
        teams = sorted(self.teams)
        index = int(tid) - 1
        if not 0 <= index < len(teams) or login not in self.teams[teams[index]]:
            raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})
        return 200, {"url": f"{self.api_url}/organizations/{oid}/team/{tid}/memberships/{login}", "role": "member",
                     "state": self.teams[teams[index]][login]}, {}

    def _files(self, ref: str) -> dict[str, bytes]:
        files = self.trees.get(ref)
        if files is None:
            raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})
        return files

    def _api_tree(self, token: Token, query: Any, data: Any, owner: str, name: str, ref: str) -> tuple[int, Any, dict[str, str]]:
        self._repo(owner, name)
        self._need(token, ("contents", READ))
        files = self._files(ref)
        links = self.symlinks.get(ref, set())
        entries = [{"path": p, "mode": "120000" if p in links else "100644", "type": "blob", "sha": blob_id(b), "size": len(b),
                    "url": f"{self.repo_url}/git/blobs/{blob_id(b)}"} for p, b in sorted(files.items())]
        # Submodules as the trees API lists them: type "commit", the submodule's commit as sha, no size, no url.
        entries += [{"path": p, "mode": "160000", "type": "commit", "sha": commit}
                    for p, commit in sorted(self.gitlinks.get(ref, {}).items())]
        return 200, {"sha": ref, "url": f"{self.repo_url}/git/trees/{ref}", "tree": entries, "truncated": False}, {}

    def _api_contents(self, token: Token, query: Any, data: Any, owner: str, name: str, path: str) -> tuple[int, Any, dict[str, str]]:
        self._repo(owner, name)
        self._need(token, ("contents", READ))
        ref = query.get("ref", ["main"])[0]
        content = self._files(ref).get(path)
        if content is None:
            raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})
        large = len(content) > 1024 * 1024
        encoded = base64.b64encode(content).decode()
        wrapped = "\n".join(encoded[i:i + 60] for i in range(0, len(encoded), 60)) + "\n"
        return 200, {"type": "file", "encoding": "none" if large else "base64", "size": len(content),
                     "name": path.rsplit("/", 1)[-1], "path": path, "content": "" if large else wrapped,
                     "sha": blob_id(content), "url": f"{self.repo_url}/contents/{quote(path)}?ref={ref}"}, {}

    def _api_blob(self, token: Token, query: Any, data: Any, owner: str, name: str, sha: str) -> tuple[int, Any, dict[str, str]]:
        self._repo(owner, name)
        self._need(token, ("contents", READ))
        for files in self.trees.values():
            for content in files.values():
                if blob_id(content) == sha:
                    return 200, {"sha": sha, "size": len(content), "url": f"{self.repo_url}/git/blobs/{sha}",
                                 "content": base64.b64encode(content).decode(), "encoding": "base64"}, {}
        raise _Error(404, {"message": "Not Found", "documentation_url": DOCS})


_R = r"/repos/([^/]+)/([^/]+)"
_ROUTES = [
    (_R, "GET", "repo"),
    (_R + r"/pulls/(\d+)", "GET", "pull"),
    (_R + r"/pulls/(\d+)/reviews", "GET", "reviews"),
    (_R + r"/issues/(\d+)/comments", "GET", "list_comments"),
    (_R + r"/issues/(\d+)/comments", "POST", "create_comment"),
    (_R + r"/issues/comments/(\d+)", "PATCH", "edit_comment"),
    (_R + r"/issues/comments/(\d+)", "DELETE", "delete_comment"),
    (_R + r"/issues/(\d+)/events", "GET", "events"),
    (_R + r"/commits/([^/]+)", "GET", "commit"),
    (_R + r"/commits/([^/]+)/statuses", "GET", "list_statuses"),
    (_R + r"/statuses/([^/]+)", "GET", "list_statuses"),
    (_R + r"/statuses/([^/]+)", "POST", "create_status"),
    (r"/user", "GET", "me"),
    (r"/orgs/([^/]+)", "GET", "org"),
    (r"/orgs/([^/]+)/teams/([^/]+)", "GET", "team"),
    (r"/organizations/(\d+)/team/(\d+)/memberships/([^/]+)", "GET", "membership"),
    (_R + r"/git/trees/([^/]+)", "GET", "tree"),
    (_R + r"/contents/(.+)", "GET", "contents"),
    (_R + r"/git/blobs/([0-9a-f]+)", "GET", "blob"),
]
