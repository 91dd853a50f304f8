"""A tiny GitHub REST API on 127.0.0.1 for tests: the endpoints lockgate's GitHub client uses, in GitHub's real
JSON shapes, over a small in-memory model of repositories (commits with parents, branches, lightweight and
annotated tags). The real client (PyGithub) talks to it through ``GITHUB_API_URL``.

Endpoints: ``GET /repos/{o}/{r}``, ``/git/ref/tags/{tag}``, ``/git/tags/{sha}``, ``/compare/{base}...{head}``,
``/tags`` and ``/branches`` (paginated with ``Link`` headers). Failures can be injected per path prefix.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass
class FakeRepo:
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


class FakeGitHub:
    """The server: ``start()`` it, point ``GITHUB_API_URL`` at ``url``, ``stop()`` it."""

    def __init__(self) -> None:
        self.repos: dict[str, FakeRepo] = {}
        self.requests: list[tuple[str, str | None]] = []  # (path, Authorization header)
        self.failures: list[tuple[str, int, int]] = []  # (path prefix, status, how many times; -1 always)
        self._server: ThreadingHTTPServer | None = None
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/v3"

    def start(self) -> "FakeGitHub":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                fake.handle(self)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def fail(self, prefix: str, status: int, times: int = -1) -> None:
        self.failures.append((prefix, status, times))

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    # -- request handling ------------------------------------------------------------------------------------

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        path = parts.path
        with self.lock:
            self.requests.append((path, request.headers.get("Authorization")))
            for index, (prefix, status, times) in enumerate(self.failures):
                if path.startswith(prefix) and times != 0:
                    if times > 0:
                        self.failures[index] = (prefix, status, times - 1)
                    return self._send(request, status, {"message": "Service Unavailable"})
        if not path.startswith("/api/v3/"):
            return self._send(request, 404, {"message": "Not Found"})
        match = re.fullmatch(r"/api/v3/repos/([^/]+)/([^/]+)(/.*)?", path)
        if match is None:
            return self._send(request, 404, {"message": "Not Found"})
        owner, name, rest = match.group(1), match.group(2), match.group(3) or ""
        full = f"{owner}/{name}"
        repo = self.repos.get(full.lower())
        if repo is None:
            return self._send(request, 404, {"message": "Not Found", "documentation_url": "https://docs.github.com"})
        base = f"{self.url}/repos/{full}"
        if rest == "":
            return self._send(request, 200, {
                "id": 1, "node_id": "R_1", "name": name, "full_name": full, "private": False,
                "owner": {"login": owner, "id": 2, "type": "Organization"},
                "url": base, "default_branch": repo.default_branch, "fork": False,
            })
        if rest.startswith("/git/ref/tags/"):
            tag = unquote(rest[len("/git/ref/tags/"):])
            if tag not in repo.tags:
                return self._send(request, 404, {"message": "Not Found"})
            sha = repo.tags[tag]
            kind = "tag" if sha in repo.tag_objects else "commit"
            return self._send(request, 200, {
                "ref": f"refs/tags/{tag}", "node_id": "REF_1", "url": f"{base}/git/refs/tags/{tag}",
                "object": {"sha": sha, "type": kind, "url": f"{base}/git/{kind}s/{sha}"},
            })
        if rest.startswith("/git/tags/"):
            sha = rest[len("/git/tags/"):]
            if sha not in repo.tag_objects:
                return self._send(request, 404, {"message": "Not Found"})
            target = repo.tag_objects[sha]
            return self._send(request, 200, {
                "node_id": "TAG_1", "tag": "annotated", "sha": sha, "url": f"{base}/git/tags/{sha}",
                "message": "release", "tagger": {"name": "r", "email": "r@example.invalid", "date": "2026-01-01T00:00:00Z"},
                "object": {"type": "commit", "sha": target, "url": f"{base}/git/commits/{target}"},
                "verification": {"verified": False, "reason": "unsigned", "signature": None, "payload": None},
            })
        if rest.startswith("/compare/"):
            spec = unquote(rest[len("/compare/"):])
            left, sep, right = spec.partition("...")
            if not sep:
                return self._send(request, 404, {"message": "Not Found"})
            return self._compare(request, repo, base, left, right)
        if rest in ("/tags", "/branches"):
            if rest == "/tags":
                items = [
                    {"name": tag, "commit": {"sha": repo.peel(sha), "url": f"{base}/commits/{repo.peel(sha)}"},
                     "zipball_url": f"{base}/zipball/refs/tags/{tag}", "tarball_url": f"{base}/tarball/refs/tags/{tag}",
                     "node_id": "T"}
                    for tag, sha in repo.tags.items()
                ]
            else:
                items = [
                    {"name": branch, "commit": {"sha": sha, "url": f"{base}/commits/{sha}"}, "protected": False}
                    for branch, sha in repo.branches.items()
                ]
            return self._page(request, f"{base}{rest}", items, parse_qs(parts.query))
        return self._send(request, 404, {"message": "Not Found"})

    def _resolve(self, repo: FakeRepo, ref: str) -> str | None:
        ref = ref.removeprefix("refs/heads/").removeprefix("refs/tags/")
        if ref in repo.branches:
            return repo.branches[ref]
        if ref in repo.tags:
            return repo.peel(repo.tags[ref])
        return ref if repo.knows(ref) else None

    def _compare(self, request: BaseHTTPRequestHandler, repo: FakeRepo, base: str, left: str, right: str) -> None:
        a, b = self._resolve(repo, left), self._resolve(repo, right)
        if a is None or b is None:
            return self._send(request, 404, {"message": "Not Found"})
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
        return self._send(request, 200, {
            "url": f"{base}/compare/{left}...{right}", "html_url": "h", "permalink_url": "p", "diff_url": "d",
            "patch_url": "p", "base_commit": commit, "merge_base_commit": commit, "status": status,
            "ahead_by": ahead, "behind_by": behind, "total_commits": ahead, "commits": [], "files": [],
        })

    def _page(self, request: BaseHTTPRequestHandler, url: str, items: list, query: dict) -> None:
        per_page = int(query.get("per_page", ["30"])[0])
        page = int(query.get("page", ["1"])[0])
        chunk = items[(page - 1) * per_page: page * per_page]
        headers = {}
        if page * per_page < len(items):
            headers["Link"] = f'<{url}?per_page={per_page}&page={page + 1}>; rel="next"'
        self._send(request, 200, chunk, headers)

    @staticmethod
    def _send(request: BaseHTTPRequestHandler, status: int, body: object, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8")
        request.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            request.send_header(key, value)
        request.end_headers()
        request.wfile.write(data)


def sha(label: str) -> str:
    """A stable fake 40-hex commit id for a readable label."""
    import hashlib

    return hashlib.sha1(label.encode()).hexdigest()


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
