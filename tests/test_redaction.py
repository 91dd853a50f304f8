"""Tokens never leave lockgate: not in a log line, an error message, an exception's text, a report in any format,
the step summary, the outputs, a comment, SARIF, or the registry cache on disk — even when the server quotes the
token back: in an error body, a reason phrase, a ``WWW-Authenticate`` header, a redirect's ``Location``, or a
document it serves with 200.

The tokens: a PyPI index token in the index URL's user-info (``https://__token__:TOKEN@host/simple``), an npm
``_authToken`` in the user's ``.npmrc`` (``${NPM_TOKEN}`` expanded) and one in the repository's ``.npmrc`` on the
base, and ``GITHUB_TOKEN`` (pin-comment lookups, ``lockgate pr``). Each is checked in every form a server could
echo: as sent (``Basic``/``Bearer`` header values) and raw.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from checker.cli import main
from checker.github.api import ApiSettings, GitHubApiError, GitHubClient, Redactor
from checker.registries.github import GitHubRefs, GitHubUnavailable
from checker.registries.http import HttpClient, RegistryError
from tests.fakes.osv import quiet_copies
from tests.fakes import runner
from tests.fakes.github_api import FakeGitHub, sha
from tests.fakes.server import FakeServer, send

PYPI_TOKEN = "pypi-AgEIcHlwaS5vcmcSECRET0123456789abcdef"
NPM_TOKEN = "npm_UserTokenSECRET0123456789abcdefABCDEF"
REPO_NPM_TOKEN = "npm_RepoTokenSECRET0123456789abcdefABCDE"
GITHUB_TOKEN = "ghs_RedactionTokenSECRET0123456789ABCD"
TOKENS = (PYPI_TOKEN, NPM_TOKEN, REPO_NPM_TOKEN, GITHUB_TOKEN)
HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64
INTEGRITY = "sha512-" + "A" * 86 + "=="


def forms(token: str) -> list[str]:
    """Every way a token can show up: raw, in a Bearer/token header, and base64 in Basic with its user."""
    out = [token]
    for user in ("__token__", ""):
        out.append(base64.b64encode(f"{user}:{token}".encode()).decode())
    return out


def leaks(*texts: str | bytes) -> list[str]:
    """The tokens (in any form) found in ``texts``."""
    found = []
    for text in texts:
        data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape")
        for token in TOKENS:
            if any(form.encode() in data for form in forms(token)):
                found.append(token)
    return found


class EchoRegistry(FakeServer):
    """A PyPI index and an npm registry that quote the request's credentials back at every chance."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str | None]] = []

    def serve(self, request: BaseHTTPRequestHandler) -> None:
        auth = request.headers.get("Authorization") or ""
        said = f"{auth} / {self._decoded(auth)}"
        path = urlsplit(request.path).path
        with self.lock:
            self.seen.append((request.path, request.headers.get("Authorization")))
        if path == "/simple/a/" and "hop" not in request.path:  # a redirect carrying the token, then a 401 quoting it
            return send(request, 302, b"", {"Location": f"/simple/a/?hop=1&auth={self._decoded(auth)}"})
        if path == "/simple/b/":  # a page served with 200 whose yanked reason quotes the token
            page = {"meta": {"api-version": "1.1"}, "name": "b", "versions": ["1.0"], "files": [
                {"filename": "b-1.0.tar.gz", "url": f"{self.root}/files/b-1.0.tar.gz?token={self._decoded(auth)}",
                 "hashes": {"sha256": "b" * 64}, "upload-time": "2026-03-01T12:00:00Z",
                 "yanked": f"revoked, see {said}", "provenance": None}]}
            return send(request, 200, json.dumps(page).encode(), {"Content-Type": "application/vnd.pypi.simple.v1+json",
                                                                  "ETag": f'"{self._decoded(auth)}"'})
        if path == "/npm/c":  # a packument served with 200 that quotes the token in a deprecation and a tarball URL
            packument = {"_id": "c", "name": "c", "dist-tags": {"latest": "1.0.0"},
                         "time": {"1.0.0": "2026-03-01T12:00:00.000Z"},
                         "versions": {"1.0.0": {"name": "c", "version": "1.0.0", "deprecated": f"use d ({said})",
                                                "dist": {"integrity": INTEGRITY,
                                                         "tarball": f"{self.root}/npm/c/-/c-1.0.0.tgz?t={said}"}}}}
            return send(request, 200, json.dumps(packument).encode(), {"Content-Type": "application/json"})
        body = json.dumps({"error": f"bad credentials: {said}", "message": said}).encode()
        send(request, 401, body, {"Content-Type": "application/json", "WWW-Authenticate": f'Bearer realm="{said}"',
                                  "Location": f"{self.root}/login?next={said}"}, reason=f"Denied for {said}")

    @staticmethod
    def _decoded(auth: str) -> str:
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "basic":
            try:
                return base64.b64decode(value).decode()
            except ValueError:
                return value
        return value


@pytest.fixture
def echo() -> Iterator[EchoRegistry]:
    with EchoRegistry() as server:
        yield server


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.delenv("LOCKGATE_REGISTRY_OFFLINE", raising=False)
    monkeypatch.setenv("LOCKGATE_CACHE_DIR", str(cache))
    quiet_copies(cache)  # OSV knows no advisory, offline as online (tests/conftest.py)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "GH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return cache


def cache_files(cache: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in cache.rglob("*") if p.is_file()}


def package_lock(*names: str) -> str:
    packages: dict[str, Any] = {"": {"name": "app", "version": "1.0.0", "dependencies": {n: "*" for n in names}}}
    for name in names:
        packages[f"node_modules/{name}"] = {
            "version": "1.0.0", "resolved": f"https://registry.npmjs.org/{name}/-/{name.split('/')[-1]}-1.0.0.tgz",
            "integrity": INTEGRITY}
    return json.dumps({"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
                       "packages": packages}, indent=2) + "\n"


@pytest.fixture
def bumped(repo, echo, online, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """A change adding PyPI packages a, b (index with the token in its URL) and npm packages c, d (user .npmrc
    token) and @scope/e (the repository .npmrc's token, on the base)."""
    port = echo.port
    user_npmrc = tmp_path / "user.npmrc"
    user_npmrc.write_text(f"registry=http://127.0.0.1:{port}/npm/\n//127.0.0.1:{port}/npm/:_authToken=${{NPM_TOKEN}}\n")
    monkeypatch.setenv("NPM_CONFIG_USERCONFIG", str(user_npmrc))
    monkeypatch.setenv("NPM_TOKEN", NPM_TOKEN)
    policy = ("extends: default\non-unknown: warn\n"
              f"registries:\n  pypi: http://__token__:{PYPI_TOKEN}@127.0.0.1:{port}/simple\n  timeout: 2\n  retries: 0\n")
    base = repo.commit("base", {
        ".github/lockgate.yml": policy, ".npmrc": f"@scope:registry=http://127.0.0.1:{port}/npm2/\n"
                                                  f"//127.0.0.1:{port}/npm2/:_authToken={REPO_NPM_TOKEN}\n",
        "requirements.txt": f"z==1.0 \\\n    --hash={HASH_A}\n", "package-lock.json": package_lock()})
    head = repo.commit("add", {
        "requirements.txt": "".join(f"{n}==1.0 \\\n    --hash={HASH_B}\n" for n in ("a", "b", "z")),
        "package-lock.json": package_lock("c", "d", "@scope/e")})
    return base, head


def test_echoed_registry_tokens_reach_no_output_log_or_cache_file(capsys, caplog, repo, echo, online, bumped) -> None:
    base, head = bumped
    caplog.set_level(logging.DEBUG)
    outputs: dict[str, str] = {}
    for fmt in ("json", "text", "markdown", "sarif", "github"):
        code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", fmt])
        out, err = capsys.readouterr()
        assert code in (0, 1), err
        outputs[fmt] = out + err
    # the servers were asked with the credentials, and quoted them back
    sent = {path.split("?")[0]: auth for path, auth in echo.seen}
    assert sent["/simple/a/"] == "Basic " + base64.b64encode(f"__token__:{PYPI_TOKEN}".encode()).decode()
    assert sent["/npm/c"] == f"Bearer {NPM_TOKEN}" and sent["/npm2/@scope%2fe"] == f"Bearer {REPO_NPM_TOKEN}"
    doc = json.loads(outputs["json"])
    reasons = {f["name"]: f["reason"] for f in doc["facts"]}
    assert reasons["a"] == f"HTTP 401 from http://127.0.0.1:{echo.port}/simple/a/?hop=***&auth=***"  # redirected
    assert reasons["d"] == f"HTTP 401 from http://127.0.0.1:{echo.port}/npm/d"
    assert reasons["@scope/e"] == f"HTTP 401 from http://127.0.0.1:{echo.port}/npm2/@scope%2fe"
    facts = {f["name"]: f for f in doc["facts"]}
    assert facts["b"]["yanked_reason"] == "revoked, see *** / ***"  # served with 200: scrubbed
    assert facts["c"]["deprecated"] == "use d (*** / ***)"
    assert "revoked, see *** / ***" in outputs["text"] + outputs["markdown"]
    assert leaks(*outputs.values()) == []
    assert leaks(*(record.getMessage() for record in caplog.records)) == []
    stored = cache_files(online)
    assert any(b"revoked, see *** / ***" in data for data in stored.values())  # cached, scrubbed
    assert leaks(*stored.values()) == [], [name for name, data in stored.items() if leaks(data)]
    assert leaks(*stored) == []  # nor in a file name


def test_exceptions_never_hold_a_token(echo) -> None:
    client = HttpClient(timeout=2, retries=0, proxies={}, credentials={f"//127.0.0.1:{echo.port}/npm/": f"Bearer {NPM_TOKEN}"})
    for url in (f"http://__token__:{PYPI_TOKEN}@127.0.0.1:{echo.port}/simple/a/", f"http://127.0.0.1:{echo.port}/npm/d"):
        with pytest.raises(RegistryError) as caught:
            client.get(url)
        error = caught.value
        assert leaks(str(error), repr(error), error.reason, error.url, *map(str, error.args)) == []
    refs = GitHubRefs(token=GITHUB_TOKEN, api_url=f"{echo.root}/api/v3", timeout=2, retries=0, backoff=0)
    with pytest.raises(GitHubUnavailable) as unavailable:
        refs.tag_commit("actions/checkout", "v4")
    assert str(unavailable.value) == "tag v4 of actions/checkout: GitHub answered 401: token *** / ***"
    api = GitHubClient(ApiSettings(token=GITHUB_TOKEN, repository="acme/app", url=f"{echo.root}/api/v3", timeout=2,
                                   retries=0), Redactor(GITHUB_TOKEN))
    with pytest.raises(GitHubApiError) as refused:
        api.repo()
    assert str(refused.value) == "cannot read repository acme/app: GitHub refused the token (401: token *** / ***)"
    assert leaks(repr(unavailable.value), repr(refused.value), *map(str, refused.value.args)) == []


def test_a_pin_comment_lookup_quoting_the_token(capsys, repo, echo, online, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", GITHUB_TOKEN)
    monkeypatch.setenv("GITHUB_API_URL", f"{echo.root}/api/v3")
    workflow = "jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@{} # v4.2.0\n"
    base = repo.commit("base", {".github/workflows/ci.yml": workflow.format(sha("old"))})
    head = repo.commit("bump", {".github/workflows/ci.yml": workflow.format(sha("new"))})
    for fmt in ("json", "text", "markdown", "sarif", "github"):
        main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", fmt])
        out, err = capsys.readouterr()
        if fmt in ("json", "text", "github", "sarif"):
            assert "GitHub answered 401: token *** / ***" in out
        assert leaks(out, err) == []


# --- lockgate pr -------------------------------------------------------------------------------------------------------


class Runner(runner.Runner):
    token = GITHUB_TOKEN


def test_pr_with_an_echoing_github_and_index(repo, echo, tmp_path) -> None:
    """Every GitHub call (reviews, comment, status, pin lookups) and the index answer 401 quoting the tokens."""
    port = echo.port
    policy = (f"extends: default\nregistries:\n  pypi: http://__token__:{PYPI_TOKEN}@127.0.0.1:{port}/simple\n"
              "  retries: 0\nreview:\n  reviewers: [alice]\n")
    workflow = "jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@{} # v4.2.0\n"
    base = repo.commit("base", {".github/lockgate.yml": policy, "requirements.txt": f"a==0.9 \\\n    --hash={HASH_A}\n",
                                ".github/workflows/ci.yml": workflow.format(sha("old"))})
    repo.git("checkout", "-q", "-b", "feature")
    head = repo.commit("bump", {"requirements.txt": f"a==1.0 \\\n    --hash={HASH_B}\n",
                                ".github/workflows/ci.yml": workflow.format(sha("new"))})
    with FakeGitHub() as shape:  # only to build the event GitHub would send
        shape.add_pull(5, "mallory", base, head)
        run = Runner(tmp_path, repo.path, shape, repo.env)
        event = run.pull_event(5)
    sarif = tmp_path / "out.sarif"
    cache = tmp_path / "registry-cache"
    result = run.run("pull_request", event, "--sarif", str(sarif), env={
        "GITHUB_API_URL": f"{echo.root}/api/v3", "LOCKGATE_REGISTRY_OFFLINE": "0", "LOCKGATE_GITHUB_BUDGET": "20"})
    assert result.stderr == ""
    assert result.code == 1, result.stdout
    assert "GitHub refused the token (401: token *** / ***)" in result.stdout
    assert f"HTTP 401 from http://127.0.0.1:{port}/simple/a/" in result.stdout
    assert "GitHub answered 401: token *** / ***" in result.stdout  # the pin-comment lookup's reason
    written = [result.stdout, result.summary, json.dumps(result.outputs), sarif.read_text()]
    written += [(tmp_path / f"run{run.count}" / name).read_text() for name in ("output", "summary")]
    assert leaks(*written) == []
    assert leaks(*cache_files(cache).values()) == []
    assert any(auth == f"token {GITHUB_TOKEN}" for _, auth in echo.seen)  # it was sent, and echoed, and hidden


def test_the_redactor_masks_every_registered_secret() -> None:
    redact = Redactor(GITHUB_TOKEN, None, "", "abc")  # too short to mask safely: left alone
    assert redact(f"x {GITHUB_TOKEN} y abc") == "x *** y abc"
    assert os.environ.get("GITHUB_TOKEN") != GITHUB_TOKEN
    assert re.search("SECRET", redact(f"{GITHUB_TOKEN}")) is None


# --- credentials in the index URLs a repository names (checker/redaction.py) -----------------------------------------

FURY = "FuryT0kenSECRET123"  # a Gemfury token in the index URL's path
PIP_INFO = "PipT0kenSECRET456"  # user-info of an extra index
GIT_INFO = "GhT0kenSECRET789"  # user-info of a git dependency
URL_INFO = "UrlT0kenSECRET321"  # user-info of a direct URL
PIPENV_INFO = "PipenvT0kenSECRET654"  # user-info of a Pipfile.lock source
NPM_INFO = "NpmT0kenSECRET987"  # user-info of an npm `resolved` URL
MANIFEST_SECRETS = (FURY, PIP_INFO, GIT_INFO, URL_INFO, PIPENV_INFO, NPM_INFO)
ALLOWED = "[pypi.org, files.pythonhosted.org, registry.npmjs.org, pypi.fury.io, pypi.corp.example, registry.corp.example]"


def _credentialed_manifests() -> dict[str, str]:
    requirements = (f"--index-url https://pypi.fury.io/{FURY}/acme/\n"
                    f"--extra-index-url http://__token__:{PIP_INFO}@pypi.internal.example/simple/\n"
                    "z==1.0\n"
                    f"lib @ git+https://x-access-token:{GIT_INFO}@github.com/acme/lib@main\n"
                    f"tool @ https://dl:{URL_INFO}@files.example.com/tool-1.0.tar.gz#sha256=abc\n")
    pipfile = {"_meta": {"pipfile-spec": 6, "sources": [
        {"name": "corp", "url": f"https://ci:{PIPENV_INFO}@pypi.corp.example/simple", "verify_ssl": True}]},
        "default": {"y": {"hashes": [], "index": "corp", "version": "==1.0"}}}
    lock = {"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": True, "packages": {
        "": {"name": "app", "version": "1.0.0", "dependencies": {"x": "*"}},
        "node_modules/x": {"version": "1.0.0", "resolved": f"https://npmuser:{NPM_INFO}@registry.corp.example/x/-/x-1.0.0.tgz",
                           "integrity": INTEGRITY}}}
    return {"requirements.txt": requirements, "Pipfile.lock": json.dumps(pipfile, indent=4) + "\n",
            "package-lock.json": json.dumps(lock, indent=2) + "\n"}


def test_credentials_in_manifest_urls_reach_no_finding_report_or_fact(capsys, repo) -> None:
    """Index URLs with a token in their user-info or (Gemfury) in their path, git and direct URLs with user-info,
    an npm `resolved` with user-info: every format shows the URLs without them, and says what is wrong."""
    base = repo.commit("base", {"requirements.txt": "z==1.0\n", ".github/strict.yml": "extends: default\n",
                                ".github/allowing.yml": f"extends: default\nrules:\n  registry-source:\n    hosts: {ALLOWED}\n"})
    head = repo.commit("head", _credentialed_manifests())
    written = []
    for policy in ("strict", "allowing"):
        for fmt in ("json", "text", "markdown", "sarif", "github"):
            code = main(["check", "-C", str(repo.path), "--offline", "--base", base, "--head", head, "--format", fmt,
                         "--policy", str(repo.path / ".github" / f"{policy}.yml")])
            out, err = capsys.readouterr()
            assert code == 1, err
            written.append(out + err)
            if fmt == "json":
                doc = json.loads(out)
                messages = {(f["manifest"], f["line"], f["message"]) for f in doc["findings"] if f["rule"] == "registry-source"}
                facts = {f["name"]: (f["reason"], f["registry"]) for f in doc["facts"]}
                if policy == "strict":
                    not_allowed = "is not an allowed registry host (pypi.org, files.pythonhosted.org, registry.npmjs.org, registry.yarnpkg.com, conda.anaconda.org, repo.anaconda.com)"
                    assert ("requirements.txt", 1, f"index-url: host pypi.fury.io {not_allowed}") in messages
                    assert ("Pipfile.lock", 7, f"index: host pypi.corp.example {not_allowed}") in messages  # the url line
                else:
                    assert facts["z"] == ("offline, not cached: https://pypi.fury.io/***/acme/z/", "https://pypi.fury.io/***/acme")
                    assert facts["y"] == ("offline, not cached: https://pypi.corp.example/simple/y/", "https://pypi.corp.example/simple")
                    assert facts["x"] == ("offline, not cached: https://registry.corp.example/x", "https://registry.corp.example")
                assert {
                    ("requirements.txt", 2, "extra-index-url: http://pypi.internal.example/simple/ is plain HTTP: anyone on "
                                            "the network path can swap the package"),
                    ("requirements.txt", 4, "comes from git (https://github.com/acme/lib), outside the package registry"),
                    # an ordinary URL keeps what is not a credential, its fragment included
                    ("requirements.txt", 5, "comes from a direct URL (https://files.example.com/tool-1.0.tar.gz#sha256=abc)"),
                } <= messages
    for text in written:
        assert [secret for secret in MANIFEST_SECRETS if secret in text] == []


def test_an_error_message_quoting_a_credentialed_url_shows_none_of_it(capsys, repo) -> None:
    """A manifest or policy error quotes the offending value: its credentials are removed on the way out."""
    repo.commit("base", {".github/lockgate.yml": f"extends: default\nregistries:\n  pypi: https://ci:{PIP_INFO}@pypi.corp.example/simple?x=1\n"})
    assert main(["check", "-C", str(repo.path), "--offline", "--all"]) == 2
    assert capsys.readouterr().err == (
        "lockgate: error: .github/lockgate.yml:3: registries.pypi.url must be an http(s) URL such as "
        "https://pypi.org/simple; found 'https://pypi.corp.example/simple?x=***'\n")
    pipfile = {"_meta": {"pipfile-spec": 6, "sources": [
        {"name": "corp", "url": f"https://ci:{PIPENV_INFO}@[pypi.corp.example/simple", "verify_ssl": False}]}, "default": {}}
    repo.commit("bad source", {".github/lockgate.yml": "extends: default\n", "Pipfile.lock": json.dumps(pipfile)})
    assert main(["check", "-C", str(repo.path), "--offline", "--all"]) == 1
    out = capsys.readouterr().out
    assert "cannot be read: _meta.sources corp url '<unparsable URL>' is not a valid URL" in out
    assert PIPENV_INFO not in out


@pytest.fixture
def expanded(repo, echo, online, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """A user .npmrc whose scope registry has a token spliced into its path from the environment, and whose default
    registry is a whole URL from the environment (no secret: it must stay readable)."""
    port = echo.port
    user_npmrc = tmp_path / "user.npmrc"
    user_npmrc.write_text(f"registry=${{NPM_REGISTRY}}\n@acme:registry=http://127.0.0.1:{port}/${{FURY_PATH}}/acme/\n")
    monkeypatch.setenv("NPM_CONFIG_USERCONFIG", str(user_npmrc))
    monkeypatch.setenv("FURY_PATH", FURY)
    monkeypatch.setenv("NPM_REGISTRY", f"http://127.0.0.1:{port}/npm/")
    base = repo.commit("base", {".github/lockgate.yml": "extends: default\non-unknown: warn\nregistries:\n  timeout: 2\n"
                                                        "  retries: 0\n", "package-lock.json": package_lock()})
    head = repo.commit("add", {"package-lock.json": package_lock("d", "@acme/w")})
    return base, head


def test_a_token_lockgate_expanded_from_the_environment_is_masked(capsys, caplog, repo, echo, online, expanded) -> None:
    base, head = expanded
    caplog.set_level(logging.DEBUG)
    port = echo.port
    written = []
    for offline in ([], ["--offline"]):
        code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json", *offline])
        out, err = capsys.readouterr()
        assert code in (0, 1), err
        written.append(out + err)
        facts = {f["name"]: (f["reason"], f["registry"]) for f in json.loads(out)["facts"]}
        if not offline:
            assert facts["@acme/w"] == (f"HTTP 401 from http://127.0.0.1:{port}/***/acme/@acme%2fw",
                                        f"http://127.0.0.1:{port}/***/acme")
            assert facts["d"] == (f"HTTP 401 from http://127.0.0.1:{port}/npm/d", f"http://127.0.0.1:{port}/npm")
        else:
            assert facts["@acme/w"] == (f"offline, not cached: http://127.0.0.1:{port}/***/acme/@acme%2fw",
                                        f"http://127.0.0.1:{port}/***/acme")
    assert f"/{FURY}/acme/@acme%2fw" in [path for path, _ in echo.seen]  # it was asked, with the token in its path
    for text in (*written, *(record.getMessage() for record in caplog.records), *map(str, cache_files(online))):
        assert FURY not in text


def test_what_a_url_must_not_show_and_what_it_must() -> None:
    from checker.redaction import index_url_secrets, redact_credentials, redact_index_url, redact_url
    from checker.registries.npmrc import parse_npmrc

    assert redact_url(f"https://__token__:{PYPI_TOKEN}@h.example/simple/") == "https://h.example/simple/"
    assert redact_url(f"https://{PYPI_TOKEN}@h.example/simple/") == "https://h.example/simple/"  # a bare token
    assert redact_index_url(f"https://pypi.fury.io/{FURY}/acme/") == "https://pypi.fury.io/***/acme/"
    assert index_url_secrets(f"https://pypi.fury.io/{FURY}/acme/") == (FURY,)
    assert index_url_secrets("https://ci:p%40ss-word@h.example/simple") == ("p%40ss-word", "p@ss-word")
    assert index_url_secrets(f"https://{FURY}:@pypi.fury.io/acme/") == (FURY,)  # Gemfury's form for pip
    for public in ("https://pypi.fury.io/acme/", "https://pypi.org/simple", "git+ssh://git@github.com/acme/lib.git",
                   "https://files.pythonhosted.org/packages/x-1.0.tar.gz#sha256=abc", "https://registry.npmjs.org/@s/n"):
        assert redact_index_url(public) == public and index_url_secrets(public) == ()
    assert redact_credentials(f"see (git+https://x:{GIT_INFO}@github.com/a/b), and https://pypi.org/simple") == (
        "see (git+https://github.com/a/b), and https://pypi.org/simple")
    config = parse_npmrc(["@a:registry=https://npm.example/${TOKEN}/a/\nregistry=${REGISTRY}\n"
                          "//npm.example/:_authToken=${AUTH}\n"],
                         {"TOKEN": FURY, "REGISTRY": "https://registry.npmjs.org/", "AUTH": NPM_TOKEN})
    assert config.secrets == frozenset({FURY, NPM_TOKEN})  # the whole-URL value is no secret: it stays readable
    assert config.scopes["@a"] == f"https://npm.example/{FURY}/a"
