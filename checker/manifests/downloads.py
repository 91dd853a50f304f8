"""Downloads in shell commands: which URLs ``curl``, ``wget``, ``gsutil`` and ``aws s3`` fetch, where they write,
and the judgement of a download that is run as code (see install_commands).

A downloaded script is pinned only when every URL names a file at a full commit on
``https://raw.githubusercontent.com/<owner>/<repo>/<commit>/<path>`` (OpenSSF Scorecard's rule); everything else
can change under the same URL. Each URL is a Dependency of ecosystem ``url`` (name = the URL), so a new or changed
URL shows in the diff and needs review. Its source is left as the default: the URL is its name, and
install-command judges it (registry-source would report every script URL a second time).
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from checker.manifests.shell import Command, Word
from checker.model import Dependency, InstallCommand

if TYPE_CHECKING:
    from checker.manifests.install_commands import Collected, Context

# Options of curl and wget that take a value (the value is not a URL). Options not listed are taken as flags:
# a value that follows one is then read as a URL, which can only add URLs, never hide one.
_CURL_VALUES = frozenset({
    "-o", "--output", "-d", "--data", "--data-raw", "--data-binary", "--data-urlencode", "-H", "--header", "-u",
    "--user", "-A", "--user-agent", "-e", "--referer", "-X", "--request", "-w", "--write-out", "-m", "--max-time",
    "--connect-timeout", "--retry", "--retry-delay", "--retry-max-time", "-C", "--continue-at", "-r", "--range",
    "-T", "--upload-file", "--proto", "--proto-redir", "-x", "--proxy", "--cacert", "--capath", "-E", "--cert",
    "--key", "-b", "--cookie", "-c", "--cookie-jar", "-F", "--form", "-y", "--speed-time", "-Y", "--speed-limit",
    "-z", "--time-cond", "--limit-rate", "--resolve", "--interface", "--output-dir", "-K", "--config",
    "--tlsv1.2-ciphers", "--ciphers", "--max-filesize", "--oauth2-bearer", "--pass", "--dns-servers",
    "--retry-all-errors-max", "--create-file-mode", "--expect100-timeout", "--happy-eyeballs-timeout-ms",
    "--keepalive-time", "--local-port", "--max-redirs", "--noproxy", "--proxy-user", "-U", "--stderr",
    "--trace", "--trace-ascii", "--variable", "--json", "--url-query", "--aws-sigv4", "--connect-to",
})
_WGET_VALUES = frozenset({
    "-O", "--output-document", "-P", "--directory-prefix", "-o", "--output-file", "-a", "--append-output", "-t",
    "--tries", "-T", "--timeout", "-w", "--wait", "-U", "--user-agent", "--header", "--user", "--password",
    "--post-data", "--post-file", "-e", "--execute", "--ca-certificate", "--certificate", "--private-key",
    "-i", "--input-file", "-B", "--base", "--limit-rate", "-Q", "--quota", "--referer", "--load-cookies",
    "--save-cookies", "-l", "--level", "-A", "--accept", "-R", "--reject", "-D", "--domains", "--method",
    "--body-data", "--bind-address", "--dns-timeout", "--connect-timeout", "--read-timeout", "--waitretry",
})
_SHORT_WITH_VALUE = {"curl": "odHuAeXwmCrTxEbcFyYzK", "wget": "OPoatTwUeiBQlARD"}


def _is_url(text: str) -> bool:
    return "://" in text


def urls(argv: list[Word]) -> list[str] | None:
    """The URLs a download command fetches, as written; ``[]`` when it downloads from something lockgate cannot
    read (a variable); None when the command is no download."""
    from checker.manifests.install_common import _base

    name = _base(argv[0].value)
    args = argv[1:]
    if name == "aws":
        written = [word.value for word in args]
        if written[:2] not in (["s3api", "get-object"], ["s3", "cp"], ["s3", "sync"]):
            return None
        return [value for value in written if value.startswith("s3://")] or ([] if written[:2] != ["s3api", "get-object"] else [_s3api_url(written)])
    if name == "gsutil":
        buckets = [word.value for word in args if word.value.startswith("gs://")]
        return buckets if buckets else ([] if any(not word.static for word in args) else None)
    if name not in ("curl", "wget", "fetch", "http", "https", "xh", "aria2c", "axel"):
        return None
    found: list[str] = []
    dynamic = False
    positional: list[str] = []
    values = _CURL_VALUES if name == "curl" else _WGET_VALUES
    shorts = _SHORT_WITH_VALUE.get(name, "")
    index = 0
    while index < len(args):
        word = args[index]
        value = word.value
        index += 1
        if value == "--url" and index < len(args):
            value = args[index].value
            index += 1
        elif value.startswith("--") and "=" in value:
            continue
        elif value.startswith("--"):
            if value in values:
                index += 1
            continue
        elif value.startswith("-") and len(value) > 1:
            for position, flag in enumerate(value[1:], 1):
                if flag in shorts:
                    if position == len(value) - 1:
                        index += 1
                    break
            continue
        if not word.static and not _is_url(value.replace("\0", "")):
            dynamic = True
            continue
        if _is_url(value):
            found.append(value if word.static else word.raw)
        else:
            positional.append(value)
    if not found and positional:
        found = positional  # curl example.com/x.sh, wget host/file
    if not found and not dynamic:
        return None if name in ("http", "https") else []
    return found


def _s3api_url(values: list[str]) -> str:
    bucket = key = ""
    for index, value in enumerate(values[:-1]):
        if value == "--bucket":
            bucket = values[index + 1]
        elif value == "--key":
            key = values[index + 1]
    return f"s3://{bucket}/{key}"


def output_files(argv: list[Word], command: Command) -> list[str]:
    """Where a download is written (``-o FILE``, ``-O``, ``> FILE``, wget's default name), as install_commands
    keys them."""
    from checker.manifests.install_common import _base, _key

    name = _base(argv[0].value)
    args = argv[1:]
    found: list[str] = []
    for redirect in command.redirects:
        if redirect.op in (">", ">>", ">|", "&>") and redirect.target is not None:
            found.append(_key(redirect.target))
    url_list = urls(argv) or []
    remote_name = posixpath.basename(url_list[0].split("?", 1)[0].rstrip("/")) if url_list else ""
    if name == "curl":
        for index, word in enumerate(args):
            value = word.value
            if value in ("-o", "--output") and index + 1 < len(args):
                found.append(_key(args[index + 1]))
            elif value.startswith("--output="):
                found.append(posixpath.normpath(value.partition("=")[2]))
            elif value.startswith("-o") and len(value) > 2 and not value.startswith("--"):
                found.append(posixpath.normpath(value[2:]))
            elif value in ("-O", "--remote-name", "--remote-name-all") or (
                    value.startswith("-") and not value.startswith("--") and value.endswith("O")):
                if remote_name:
                    found.append(remote_name)
    elif name == "wget":
        directory = ""
        chosen = None
        for index, word in enumerate(args):
            value = word.value
            if value in ("-O", "--output-document") and index + 1 < len(args):
                chosen = _key(args[index + 1])
            elif value.startswith("--output-document="):
                chosen = value.partition("=")[2]
            elif value.startswith("-") and not value.startswith("--") and "O" in value:
                rest = value[value.index("O") + 1:]
                if rest:
                    chosen = rest
                elif index + 1 < len(args):
                    chosen = _key(args[index + 1])
            elif value in ("-P", "--directory-prefix") and index + 1 < len(args):
                directory = args[index + 1].value
            elif value.startswith("--directory-prefix="):
                directory = value.partition("=")[2]
        if chosen is not None:
            if chosen != "-":
                found.append(posixpath.normpath(chosen) if "\0" not in chosen else chosen)
        elif remote_name:
            found.append(posixpath.normpath(posixpath.join(directory, remote_name)))
    elif name in ("gsutil", "aws"):
        values = [word for word in args if not word.value.startswith("-")]
        if values:
            target = _key(values[-1])
            if not (target.startswith(("gs://", "s3://"))):
                found.append(target)
                if url_list and (target in (".", "") or target.endswith("/") or values[-1].value.endswith("/")):
                    found.append(posixpath.normpath(posixpath.join(target, posixpath.basename(url_list[0]))))
    return found


def pinned_url(url: str) -> bool:
    """``https://raw.githubusercontent.com/<owner>/<repo>/<40 hex>/<path>``: a file at a commit."""
    from checker.manifests.install_common import is_commit

    if not url.startswith("https://raw.githubusercontent.com/"):
        return False
    segments = url[len("https://raw.githubusercontent.com/"):].split("?", 1)[0].split("/")
    return len(segments) >= 4 and is_commit(segments[2]) and all(segments[:4]) and "\0" not in url


def fetch_run(context: Context, out: Collected, found: list[str], text: str, line: int) -> None:
    """A download that runs as code: an InstallCommand and one ``url`` Dependency per URL."""
    static = [url for url in found if "\0" not in url and "${" not in url and "$" not in url]
    problem: str | None
    if not found:
        problem = "runs code downloaded from a location decided at run time: lockgate cannot tell what it runs"
    elif len(static) < len(found):
        problem = f"runs code downloaded from {found[0]}, a URL decided at run time"
    elif all(pinned_url(url) for url in static):
        problem = None
    else:
        shown = next(url for url in static if not pinned_url(url))
        problem = (f"runs code downloaded from {shown}: what the URL serves can change at any time (it is not a "
                   "file at a full commit, and no hash is checked)")
    out.commands.append(InstallCommand("curl|sh", text, line, problem))
    for url in dict.fromkeys(static):
        out.dependencies.append(Dependency(
            ecosystem="url", name=url, version=None, specifier="", scope=context.scope, direct=True, manifest=context.path, line=line))
