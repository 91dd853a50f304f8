"""registry-source: packages come from allowed registries over HTTPS; git, URL and path sources are allowed
explicitly, and a git source is pinned to a full commit."""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

from checker.model import Dependency, IndexOption, Manifest
from checker.rules.base import Issue, Option, Rule, Subject

_FULL_SHA = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")
_ENV_REFERENCE = re.compile(r"\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]*")


def _host_allowed(host: str, allowed: list[str]) -> bool:
    host = host.lower()
    for entry in allowed:
        entry = entry.lower()
        if host == entry or (entry.startswith("*.") and host.endswith(entry[1:])):
            return True
    return False


def _transport_problem(url: str, shown: str | None = None) -> str | None:
    """An unexpanded environment reference, a scheme that is not http(s)/file, or plain HTTP. ``shown``: the URL
    as the message may show it (default: ``redact_url``; never a credential)."""
    from checker.redaction import redact_url

    shown = redact_url(url) if shown is None else shown
    references = _ENV_REFERENCE.findall(url)
    if references:
        hidden = [reference for reference in references if reference not in shown]  # were in the user-info
        where = f" in its user-info ({', '.join(hidden)})" if hidden else ""
        return f"{shown} holds an environment reference{where} that lockgate leaves unexpanded: the real source is unknown"
    from urllib.parse import urlsplit  # here, not at import: a run without URLs never needs it

    parts = urlsplit(url)
    if parts.scheme not in ("https", "http", "file"):
        return f"{shown} is not an http(s) URL"
    if parts.scheme == "http" and not _host_allowed(parts.hostname or "", ["localhost", "127.0.0.1"]):
        return f"{shown} is plain HTTP: anyone on the network path can swap the package"
    return None


def _url_problem(url: str, options: Mapping[str, Any], shown: str | None = None) -> str | None:
    """What is wrong with an index URL, or None. The URL is shown without its credentials (``shown``; default:
    user-info and a Gemfury token removed, checker/redaction.py)."""
    from urllib.parse import urlsplit

    from checker.redaction import redact_index_url

    problem = _transport_problem(url, redact_index_url(url) if shown is None else shown)
    if problem is not None:
        return problem
    parts = urlsplit(url)
    if parts.scheme != "file" and not _host_allowed(parts.hostname or "", options["hosts"]):
        return f"host {parts.hostname} is not an allowed registry host ({', '.join(options['hosts'])})"
    return None


def url_problem(url: str, options: Mapping[str, Any]) -> str | None:
    """What is wrong with a registry or index URL under this rule's options (``hosts``), or None. The facts stage
    uses it too: it never asks a host that a change names unless this rule would accept it."""
    return _url_problem(url, options)


def _registry_url_problem(url: str, options: Mapping[str, Any], fetched: bool = False) -> str | None:
    """``_url_problem`` with a fast path for the plain ``https://host/...`` URLs a large lockfile is made of.
    ``fetched``: the URL of an artifact (npm ``resolved``), not an index base."""
    if url.startswith("https://") and "$" not in url:
        host = url[8:].partition("/")[0]
        if host and "@" not in host and ":" not in host and "%" not in host:
            if _host_allowed(host, options["hosts"]):
                return None
    if fetched:
        from checker.redaction import redact_url

        return _url_problem(url, options, redact_url(url))
    return _url_problem(url, options)


def _allowed(dep: Dependency, patterns: Any) -> bool:
    return any(pattern.matches(dep.ecosystem, dep.name, dep.version) for pattern in patterns)


def _fetched_url(dep: Dependency) -> str | None:
    """The http(s) URL a lockfile says the artifact is fetched from (npm ``resolved``), or None."""
    url = dep.resolved
    if url and url[:8].lower().startswith(("https://", "http://")):
        return url
    return None


def _injection(dep: Dependency, url: str) -> Issue | None:
    """A registry tarball URL that names another package or version than its lockfile entry: ``npm ci`` would
    install that other tarball (integrity is no help: an injected entry brings the matching hash along)."""
    from checker.manifests.npm_tarball import parse_tarball_url

    from checker.redaction import redact_url

    tarball = parse_tarball_url(url)
    if tarball is None or dep.version is None:
        return None
    if tarball.name == dep.name and _same_version(tarball.version, dep.version):
        return None
    return Issue(
        f"resolved URL {redact_url(url)} is the tarball of {tarball.name}@{tarball.version}, not {dep.name}@{dep.version}: "
        "the lockfile installs something other than what it names (lockfile injection)",
        hint="regenerate the entry with the package manager and find out how the lockfile came to say this",
    )


def _same_version(a: str, b: str) -> bool:
    if a == b:
        return True
    from checker.versions import semver

    va, vb = semver.parse(a), semver.parse(b)
    return va is not None and vb is not None and va == vb and va.build == vb.build


# The public registry of an ecosystem whose lockfiles always name it (Gemfile.lock's `remote: https://rubygems.org/`)
# and the hosts it sends installs to (Packagist's dists are GitHub's, GitLab's and Bitbucket's archives of the
# tagged commit): allowed for that ecosystem's packages, as the public default of PyPI and npm is when unnamed.
ECOSYSTEM_HOSTS = {
    "gem": ("rubygems.org", "index.rubygems.org"),
    "composer": ("repo.packagist.org", "packagist.org", "api.github.com", "codeload.github.com", "gitlab.com",
                 "bitbucket.org"),
}


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep = subject.dependency
    if dep.ecosystem in ECOSYSTEM_HOSTS:
        options = {**options, "hosts": [*options["hosts"], *ECOSYSTEM_HOSTS[dep.ecosystem]]}
    source = dep.source
    kind = source.kind
    fetched = _fetched_url(dep) if dep.ecosystem == "npm" else None
    injection = None
    if fetched is not None:
        from checker.manifests.npm_tarball import own_registry  # npm only: a run without npm never needs it

        if own_registry(fetched, dep.name, dep.version) is None:
            injection = _injection(dep, fetched)
    if injection is not None:
        yield injection
    if kind == "registry":
        # npm: judge the URL actually fetched (its host and scheme), not only the registry it was filed under.
        url = fetched or source.url
        if url and dep.ecosystem == "cargo" and url.startswith(("registry+", "sparse+")):
            url = url.partition("+")[2]  # Cargo.lock's spelling of a registry's index: the protocol, then the URL
        if url:
            problem = _registry_url_problem(url, options, fetched=fetched is not None)
            if problem:
                yield Issue(problem, hint="use an allowed registry over HTTPS, or add the host to registry-source.hosts")
        # uv.lock, pylock.toml: the artifacts are downloaded from the URLs the lockfile records, whatever the index.
        for origin in sorted(source.hosts):
            problem = None if origin == "path" else _registry_url_problem(origin + "/", options, fetched=True)
            if problem:
                yield Issue(f"artifact {problem}", hint="regenerate the lockfile against an allowed index, or add the "
                            "host to registry-source.hosts")
        return
    from checker.redaction import redact_url

    shown = redact_url(source.url or "")
    if kind == "url" and injection is not None:
        problem = _transport_problem(source.url or "")
        if problem:
            yield Issue(problem)
        return
    if kind == "git" and dep.ecosystem == "git":
        # A submodule: git by nature, pinned by the tree's commit and reviewed as a change (review); what is left to
        # judge is how git reaches it.
        problem = submodule_url_problem(source.url or "", shown)
        if problem is not None:
            yield Issue(problem, hint="point the submodule at an https:// or ssh URL of a repository reviewers can see")
        return
    if kind == "git":
        # SwiftPM fetches every package from git (a Package.resolved pin is a repository and a commit): what is left
        # to judge is the pin and the transport, and a change of repository is a source-changed change.
        if dep.ecosystem != "swift" and not _allowed(dep, options["allow-git"]):
            yield Issue(
                f"comes from git ({shown}), outside the package registry",
                hint=f"add {dep.key} to registry-source.allow-git if this is intended",
            )
        commit = (source.commit or "").lower()
        ref = (source.ref or "").lower()
        if not (_FULL_SHA.fullmatch(commit) or _FULL_SHA.fullmatch(ref)):
            yield Issue(
                f"git ref {source.ref or '(default branch)'} is not a full commit: a branch or tag can be moved",
                hint="pin the git dependency to a full 40-character commit",
            )
        if source.url and (source.url.startswith("http://") or source.url.startswith("git://")):
            yield Issue(f"{shown} is fetched without TLS", hint="use an https:// or ssh URL")
        return
    if kind == "url":
        if not _allowed(dep, options["allow-url"]):
            yield Issue(
                f"comes from a direct URL ({shown})",
                hint=f"add {dep.key} to registry-source.allow-url if this is intended",
            )
        problem = _transport_problem(source.url or "")
        if problem:
            yield Issue(problem)
        return
    if kind == "path" and dep.ecosystem == "cargo" and _inside_repository(dep.manifest, source.url or ""):
        return  # a crate of the same repository (a workspace member): its code is part of what is reviewed
    if kind == "module":
        # Go's replace by another module: the code built is that module's, fetched under its own name and pinned
        # by its own go.sum line, not the module the requirements name.
        if not _allowed(dep, options["allow-replace"]):
            yield Issue(
                f"is replaced by another module, {source.url}@{source.ref} (go.mod/go.work replace): the code built "
                "is not the module's own",
                hint=f"add {dep.key} to registry-source.allow-replace if this is intended",
            )
        return
    if kind == "path" and dep.ecosystem == "pub" and (source.url or "").startswith("sdk:"):
        return  # a package of the installed Dart or Flutter SDK (pubspec `sdk: flutter`): fetched from nowhere
    if kind == "path" and not _allowed(dep, options["allow-path"]):
        yield Issue(
            f"comes from a local path ({shown})",
            hint=f"add {dep.key} to registry-source.allow-path if this is intended",
        )


def _inside_repository(manifest: str, path: str) -> bool:
    """Whether a relative path, read from the manifest's folder, stays inside the repository."""
    import posixpath

    if not path or path.startswith(("/", "~", "\\")) or ":" in path:
        return False
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(manifest), path.replace("\\", "/")))
    return joined != ".." and not joined.startswith("../")


_URL_SCHEME = re.compile(r"([A-Za-z0-9+.-]+)(::|://)")
_SSH_SCHEMES = ("ssh", "git+ssh", "ssh+git")


def submodule_url_problem(url: str, shown: str) -> str | None:
    """What is wrong with how git fetches a submodule's ``url``, or None: https, ssh, ``user@host:path`` and URLs
    relative to the superproject's own remote (``../lib.git``) are fine."""
    found = _URL_SCHEME.match(url)
    if found is not None and found.group(2) == "::":
        helper = found.group(1)
        if helper == "ext":
            return f"{shown} uses git's ext:: transport, which runs a shell command to fetch"
        return f"{shown} is fetched by git-remote-{helper}, a program of the machine that clones, not by git"
    if found is not None:
        scheme = found.group(1)
        if scheme in ("http", "git"):
            return f"{shown} is fetched without TLS"
        if scheme == "file":
            return f"{shown} is a repository on the disk of the machine that clones, not one reviewers can see"
        if scheme == "https" or scheme in _SSH_SCHEMES:
            return None
        return f"{shown} is fetched by git-remote-{scheme}, a program of the machine that clones, not by git"
    if url.startswith(("./", "../")):
        return None  # relative to the superproject's remote: fetched the way the repository itself is
    colon, slash = url.find(":"), url.find("/")
    if colon > 0 and (slash < 0 or colon < slash) and not (colon == 1 and url[0].isalpha()):
        return None  # scp-like ``git@github.com:owner/repo.git``: ssh
    return f"{shown} is a path on the disk of the machine that clones, not a repository reviewers can see"


def _index_issue(option: IndexOption, options: Mapping[str, Any]) -> Issue | None:
    from checker.redaction import redact_url

    if option.kind == "trusted-host":
        return Issue(
            f"--trusted-host {redact_url(option.value)} turns off TLS verification for that host",
            hint="remove --trusted-host and serve the index over verified HTTPS",
            line=option.line,
        )
    problem = _url_problem(option.value, options)
    if problem is None:
        return None
    return Issue(
        f"{option.kind}: {problem}",
        hint="use an allowed index over HTTPS, or add its host to registry-source.hosts",
        line=option.line,
    )


def check_manifest(head: Manifest, base: Manifest | None, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Indexes, find-links and trusted hosts the manifest configures; in a pull request only the new ones."""
    known = {(o.kind, o.value) for o in base.indexes} if base is not None else set()
    if head.ecosystem in ECOSYSTEM_HOSTS and head.indexes:
        options = {**options, "hosts": [*options["hosts"], *ECOSYSTEM_HOSTS[head.ecosystem]]}
    for option in head.indexes:
        if (option.kind, option.value) in known:
            continue
        issue = _index_issue(option, options)
        if issue is not None:
            yield issue


RULE = Rule(
    id="registry-source",
    label="unapproved source",
    default_level="block",
    action="Fetch it from an allowed source",
    action_rank=40,
    summary="Packages come only from allowed registries over HTTPS; git, URL and path sources need an allowance.",
    explanation=(
        "Where a package comes from matters as much as which version it is. An extra index can shadow a private "
        "package name (dependency confusion), plain HTTP or --trusted-host lets the network path swap artifacts, "
        "and a git branch or tag can be moved after review, as the 76 force-pushed tags of trivy-action were in "
        "March 2026. lockgate accepts registry packages from the hosts the policy allows, and git, direct-URL and "
        "local-path sources only for packages the policy names; a git source must be pinned to a full commit. "
        "Environment references such as ${INDEX_URL} are left unexpanded and reported, since the real source "
        "cannot be known from the repository. For npm lockfiles the `resolved` URL itself is judged: its host "
        "must be allowed and reached over HTTPS, and its path must be the tarball of the entry's own name and "
        "version (`https://registry.npmjs.org/@scope/name/-/name-1.2.3.tgz`); a `resolved` that points at another "
        "package, another version or another host is lockfile injection, which `npm ci` would install "
        "without complaint (the injected entry brings its own matching integrity). A git submodule is git by "
        "nature and needs no allowance (its changes need review): what is judged is how git reaches it. https, "
        "ssh and URLs relative to the repository's own remote are fine; plain http and git://, `file://` and local "
        "paths (a repository on the disk of whatever machine clones, not one reviewers can see), git's `ext::` "
        "transport (a shell command) and other remote helpers are findings."
    ),
    fix="Use an allowed index over HTTPS, pin git sources to a commit, or allow the package in the policy.",
    example=(
        "requirements.txt:\n"
        "  --extra-index-url http://pypi.internal/simple    # finding: plain HTTP, host not allowed\n"
        "  mylib @ git+https://github.com/acme/mylib@main   # finding: not allowed; `main` is not a commit\n"
        "package-lock.json:\n"
        '  "node_modules/lodash": {"version": "4.17.21",\n'
        '    "resolved": "https://registry.npmjs.org/lodash-utils/-/lodash-utils-1.0.0.tgz"}   # finding: injection\n'
        ".gitmodules:\n"
        '  [submodule "lib"]\n'
        "      url = ext::sh -c ...                         # finding: a shell command fetches it"
    ),
    options=(
        Option(
            "hosts",
            "str-list",
            ["pypi.org", "files.pythonhosted.org", "registry.npmjs.org", "registry.yarnpkg.com", "conda.anaconda.org",
             "repo.anaconda.com"],
            "registry hosts packages may come from (`*.example.com` allowed)",
        ),
        Option("allow-git", "package-list", [], "packages that may come from git (`pypi:mylib`, `npm:@acme/*`)"),
        Option("allow-url", "package-list", [], "packages that may come from a direct URL"),
        Option("allow-path", "package-list", [], "packages that may come from a local path"),
        Option("allow-replace", "package-list", [],
               "Go modules that may be replaced by another module (go.mod/go.work `replace old => other vX`)"),
    ),
    check_dependency=check,
    check_manifest=check_manifest,
)
