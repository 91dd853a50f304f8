"""What of a URL, or of a message holding URLs, may be shown: never a credential.

A package index URL can carry a credential in three ways, and a report, a log line or an error message must show
none of them:
- user-info, ``https://user:TOKEN@host/simple/`` or a bare ``https://TOKEN@host/`` (pip sends both as Basic
  authentication): always removed, as pip's ``redact_auth_from_url`` does. ``git@`` alone (the SSH user of every
  git host) is no secret and stays;
- a token as the first path segment of a Gemfury index, ``https://pypi.fury.io/TOKEN/acme/`` (the form Gemfury's
  own documentation gives; a public index is ``https://pypi.fury.io/acme/``): shown as ``***``. Only where the URL
  is known to be an index base (``redact_index_url``), since a package page of a public index has two segments too;
- a value lockgate itself expanded from the environment (``${NPM_TOKEN}`` in an ``.npmrc``): that is for the code
  that expands it to register (``Redactor``, ``HttpClient.add_secret``), since nothing in the result marks it.
Query values are replaced by ``***`` as well (``?token=...``). Everything else of a URL is shown as written: a
public URL is never mangled.

lockgate never expands ``${VAR}`` in a manifest (pip, uv and Poetry do, at install time): such a URL is shown with
the reference as written, which names a variable, not its value.

Pure and cheap to import (``urllib.parse`` only when a URL needs taking apart): the policy engine runs every
finding's message through ``redact_credentials``.
"""

from __future__ import annotations

import re

# A URL inside free text: a scheme, then anything up to white space or a character that ends a quoted URL. The
# scheme starts at the first letter of a run of scheme characters (group 1 is the URL; what precedes it in the run,
# ``9`` of ``9http://``, stays). Anchoring at the run's start is what keeps this linear: a scheme searched for from
# every position rescanned a long run without ``://`` once per character (tests/property/test_linear_time.py).
_URL_IN_TEXT = re.compile(r"(?<![A-Za-z0-9+.-])[0-9+.-]*([A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>`]+)")
_GEMFURY_SUFFIX = ".fury.io"


def redact_url(url: str) -> str:
    """The URL as it may be shown: no ``user:password@`` (``git@`` stays), query values replaced by ``***``; the
    fragment (``#sha256=...``, never sent to a server) as written."""
    start = url.find("://") + 3 if "://" in url else 0
    end = url.find("/", start)
    if "@" not in url[start: end if end >= 0 else len(url)] and "?" not in url:
        return url  # the common case, fast: nothing to hide (an ``@scope`` in the path is no user-info)
    import urllib.parse

    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    userinfo, at, host = parts.netloc.rpartition("@")
    netloc = parts.netloc if at and userinfo == "git" else host
    query = parts.query
    if query:
        query = "&".join(item.split("=", 1)[0] + ("=***" if "=" in item else "") for item in query.split("&"))
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def url_credentials(url: str) -> tuple[str, ...]:
    """The secrets a URL's user-info holds: the password, or a user without a password (a token, for pip and for
    Gemfury's ``https://TOKEN:@pypi.fury.io/acme/``), each as written and percent-decoded. Nothing for a URL
    without user-info or with ``git@``."""
    start = url.find("://") + 3 if "://" in url else 0
    end = url.find("/", start)
    userinfo, at, _ = url[start: end if end >= 0 else len(url)].rpartition("@")
    if not at or not userinfo or userinfo == "git":
        return ()
    from urllib.parse import unquote

    user, _, password = userinfo.partition(":")
    secret = password or user  # ``TOKEN:@host``, Gemfury's form for pip, is a token with an empty password
    found = {secret, unquote(secret)} if secret else set()
    return tuple(sorted(value for value in found if len(value) >= 4))


def index_url_secrets(url: str) -> tuple[str, ...]:
    """The secrets of a package index's base URL: its user-info's, and a Gemfury token path segment."""
    found = list(url_credentials(url))
    token = _gemfury_token(url)
    if token is not None:
        found.append(token)
    return tuple(found)


def redact_index_url(url: str) -> str:
    """A package index's base URL as it may be shown (``redact_url``, and a Gemfury token as ``***``)."""
    shown = redact_url(url)
    token = _gemfury_token(url)
    return shown.replace(f"/{token}/", "/***/", 1) if token is not None else shown


def redact_credentials(text: str) -> str:
    """Free text (a message, a hint) with every URL in it passed through ``redact_url``."""
    if "://" not in text or ("@" not in text and "?" not in text):
        return text  # the common case, fast
    return _URL_IN_TEXT.sub(lambda match: match.group()[: match.start(1) - match.start()] + redact_url(match.group(1)),
                            text)


def _gemfury_token(url: str) -> str | None:
    """``TOKEN`` of ``https://pypi.fury.io/TOKEN/acme/`` (two or more path segments on a ``*.fury.io`` host)."""
    if _GEMFURY_SUFFIX not in url:
        return None
    import urllib.parse

    try:
        parts = urllib.parse.urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if not (host == "fury.io" or host.endswith(_GEMFURY_SUFFIX)):
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    return segments[0] if len(segments) >= 2 and len(segments[0]) >= 4 else None


class Redactor:
    """Replaces every secret it knows with ``***`` (the way the Actions runner masks secrets in the log). Every
    string lockgate writes anywhere after it has a token passes through one. Secrets shorter than four characters
    are left alone: masking them would mangle ordinary words."""

    def __init__(self, *secrets: str | None) -> None:
        self._secrets = tuple(sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True))

    def __call__(self, text: object) -> str:
        value = str(text)
        for secret in self._secrets:
            value = value.replace(secret, "***")
        return value
