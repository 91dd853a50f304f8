"""What a package's license is, as an SPDX expression, and whether it satisfies a policy's allow and deny lists.

Registries say it in many ways; only what names a license unambiguously becomes an expression, the rest is kept as
text for the reviewer and counts as "no recognisable license":
- PyPI (``pypi_license``): PEP 639's ``License-Expression`` (core metadata 2.4; the JSON API's
  ``info.license_expression``) first; else the license trove classifiers that name one license and version
  (``CLASSIFIERS``: "BSD License" and "Apache Software License" name no version, so they map to nothing); else
  the free-text ``license`` field when it is itself a valid SPDX expression (``MIT``; "Apache 2.0" or a pasted
  license text is not).
- npm (``npm_license``): the version's ``license`` string (``UNLICENSED`` and ``SEE LICENSE IN <file>`` name no
  SPDX license), a legacy ``{"type": …}`` object, or a legacy ``licenses`` array, which npm's documentation reads
  as a choice (``(MIT OR Apache-2.0)``).

Validation is PEP 639's, by ``packaging.licenses`` (the PyPA implementation PyPI itself uses: SPDX license and
exception ids, ``LicenseRef-``, ``AND``/``OR``/``WITH``, parentheses, any case); the expression is then parsed by
``license-expression`` (nexB's SPDX library, with boolean.py's algebra), which also maps deprecated ids to their
successors (``GPL-2.0`` -> ``GPL-2.0-only``, ``GPL-2.0+`` -> ``GPL-2.0-or-later``), so that a list entry and a
package's license compare as one license.

Evaluation (``evaluate``): ``OR`` is a choice the user makes and ``AND`` binds them to every part, so ``MIT OR
GPL-3.0-only`` satisfies an allow-list that has ``MIT`` and ``MIT AND GPL-3.0-only`` needs both. A term ``X WITH E``
(an exception grants more permissions) matches list entries ``X WITH E`` and ``X``: allowing ``X`` allows it,
denying ``X`` denies it unless ``X WITH E`` itself is allowed. ``X+`` and ``X-or-later`` (this version or any later)
likewise match ``X`` and ``X-only``: allowing the version allows the choice of it, and denying it denies the "or
later" spelling too (a later version of a refused license is not waved through by a ``+``). A list entry that is a
compound expression (``MIT AND BSD-3-Clause``) matches a package whose whole expression is that one. A term is
acceptable when it is not denied and, when there is an allow-list, allowed; the expression passes when some choice
of its ``OR`` branches uses acceptable terms only (the terms substituted by TRUE/FALSE and the expression
simplified).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from license_expression import Licensing

# A license field longer than this is a pasted license text, not an expression (and no parser gets 1 MB lines).
MAX_EXPRESSION = 512
MAX_TEXT = 200  # how much of an unrecognised license text a finding quotes

# Trove license classifiers that name one SPDX license and version. Hand-kept: no well-kept library publishes this
# table (pip-licenses prints classifiers as they are, packaging and license-expression have none); a classifier
# without a version ("Apache Software License", "BSD License", "GNU General Public License (GPL)") maps to nothing.
CLASSIFIERS: Mapping[str, str] = {
    "License :: OSI Approved :: MIT License": "MIT",
    "License :: OSI Approved :: MIT No Attribution License (MIT-0)": "MIT-0",
    "License :: OSI Approved :: ISC License (ISCL)": "ISC",
    "License :: OSI Approved :: Zero-Clause BSD (0BSD)": "0BSD",
    "License :: OSI Approved :: Boost Software License 1.0 (BSL-1.0)": "BSL-1.0",
    "License :: OSI Approved :: The Unlicense (Unlicense)": "Unlicense",
    "License :: OSI Approved :: Universal Permissive License (UPL)": "UPL-1.0",
    "License :: OSI Approved :: Mozilla Public License 1.0 (MPL)": "MPL-1.0",
    "License :: OSI Approved :: Mozilla Public License 1.1 (MPL 1.1)": "MPL-1.1",
    "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "License :: OSI Approved :: European Union Public Licence 1.2 (EUPL 1.2)": "EUPL-1.2",
    "License :: OSI Approved :: GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)": "GPL-2.0-or-later",
    "License :: OSI Approved :: GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
    "License :: OSI Approved :: GNU Lesser General Public License v2 (LGPLv2)": "LGPL-2.0-only",
    "License :: OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)": "LGPL-2.0-or-later",
    "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "License :: OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)": "LGPL-3.0-or-later",
    "License :: OSI Approved :: GNU Affero General Public License v3": "AGPL-3.0-only",
    "License :: OSI Approved :: GNU Affero General Public License v3 or later (AGPLv3+)": "AGPL-3.0-or-later",
    "License :: OSI Approved :: Python Software Foundation License": "PSF-2.0",
    "License :: CC0 1.0 Universal (CC0 1.0) Public Domain Dedication": "CC0-1.0",
}


def spdx_ids() -> list[str]:
    """Every SPDX license id PEP 639 accepts (packaging's copy of the SPDX list), for the policy schema."""
    from packaging.licenses._spdx import LICENSES  # the list packaging validates with; no public name for it

    return sorted(entry["id"] for entry in LICENSES.values())


class License(NamedTuple):
    """A version's license: ``expression`` (normalised SPDX; None when nothing recognisable was given) and ``text``
    (what the registry said, as written, when it is not that expression; None otherwise)."""

    expression: str | None
    text: str | None = None


class Verdict(NamedTuple):
    """``evaluate``'s answer: ``passes``, and the terms that failed it (denied ones, and ones not on the allow-list),
    as the expression spells them."""

    passes: bool
    denied: tuple[str, ...] = ()
    not_allowed: tuple[str, ...] = ()


@functools.lru_cache(maxsize=1)
def _licensing() -> Licensing:
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


@functools.lru_cache(maxsize=4096)
def normalise(text: str) -> str | None:
    """The normalised SPDX expression ``text`` is, or None when it is not a valid one (PEP 639's rules)."""
    text = text.strip()
    if not text or len(text) > MAX_EXPRESSION:
        return None
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    try:
        canonical = str(canonicalize_license_expression(text))
    except InvalidLicenseExpression:
        return None
    try:
        parsed = _licensing().parse(canonical)
    except Exception:  # license-expression raises its own ExpressionError family; packaging accepted it
        return canonical
    return str(parsed.render()) if parsed is not None else None


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def pypi_license(info: Mapping[str, Any]) -> License:
    """A PyPI version's license from its JSON API ``info`` (see the module docstring for the order)."""
    declared = info.get("license_expression")
    if isinstance(declared, str) and declared.strip():
        found = normalise(declared)
        return License(found, None if found else _quoted(declared))
    classifiers = [c for c in info.get("classifiers") or () if isinstance(c, str) and c.startswith("License ::")]
    free = info.get("license")
    free_text = free.strip() if isinstance(free, str) else ""
    mapped = [CLASSIFIERS.get(c.strip()) for c in classifiers]
    if mapped and all(mapped):
        # Several license classifiers: whether the authors meant a choice or all of them, the metadata does not
        # say; AND is what binds a user in either reading.
        parts = list(dict.fromkeys(m for m in mapped if m))
        text = _quoted(free_text) if free_text and normalise(free_text) is None else None
        return License(normalise(" AND ".join(parts)), text)
    if free_text:
        found = normalise(free_text)
        if found is not None:
            return License(found)
    said = [free_text] if free_text else []
    said += [c.removeprefix("License :: ").removeprefix("OSI Approved :: ") for c in classifiers]
    return License(None, _quoted("; ".join(said)) if said else None)


def _npm_term(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("type"), str):
        return str(value["type"])
    return None


def npm_license(manifest: Mapping[str, Any]) -> License:
    """An npm version's license from its packument entry (see the module docstring)."""
    value = manifest.get("license")
    if value is None and "licenses" in manifest:
        value = manifest.get("licenses")
    if isinstance(value, list):
        terms = [_npm_term(v) for v in value]
        if not terms:
            return License(None)
        written = " OR ".join(t if t is not None else "?" for t in terms)
        if any(t is None for t in terms):
            return License(None, _quoted(written))
        parts = [normalise(t) for t in terms if t is not None]
        if all(parts):
            return License(normalise(" OR ".join(f"({p})" for p in parts if p)))
        return License(None, _quoted(written))
    term = _npm_term(value)
    if term is None:
        return License(None, None if value is None else _quoted(str(value)))
    found = normalise(term)
    return License(found, None if found else _quoted(term))


# -- evaluation ----------------------------------------------------------------------------------------------------


def _term(symbol: Any) -> tuple[str, list[str]]:
    """(the term as written, the entries it also matches) of a symbol of a parsed expression: ``X WITH E``
    matches ``X``; ``X+`` and ``X-or-later`` (a version or any later one) match ``X`` and ``X-only``."""
    rendered = str(symbol.render())
    key = getattr(getattr(symbol, "license_symbol", None), "key", None)
    bases = [str(key)] if key is not None and str(key) != rendered else []
    for base in [rendered, *bases]:
        if base.endswith("+"):
            bases.append(base[:-1])
        elif base.endswith("-or-later"):
            bases += [base[: -len("-or-later")], base[: -len("-or-later")] + "-only"]
    return rendered, bases


def is_compound(entry: str) -> bool:
    """Whether a list entry is an expression of several licenses (AND/OR), not one term."""
    words = {word.upper() for word in entry.replace("(", " ").replace(")", " ").split()}
    return bool(words & {"AND", "OR"})


def evaluate(expression: str, allow: Sequence[str], deny: Sequence[str]) -> Verdict:
    """Whether the normalised ``expression`` satisfies the lists (normalised entries; see the module docstring)."""
    licensing = _licensing()
    whole = expression.casefold()
    if any(is_compound(entry) and entry.casefold() == whole for entry in deny):
        return Verdict(False, denied=(expression,))
    if any(is_compound(entry) and entry.casefold() == whole for entry in allow):
        return Verdict(True)
    allowed = {entry.casefold() for entry in allow if not is_compound(entry)}
    denied = {entry.casefold() for entry in deny if not is_compound(entry)}
    try:
        parsed = licensing.parse(expression)
    except Exception:  # not expected of a normalised expression; never a pass on what could not be read
        return Verdict(False, not_allowed=(expression,))
    substitutions: dict[Any, Any] = {}
    refused_deny: list[str] = []
    refused_allow: list[str] = []
    for symbol in licensing.license_symbols(parsed, unique=True, decompose=False):
        term, bases = _term(symbol)
        exact_allowed = term.casefold() in allowed
        is_allowed = not allow or exact_allowed or any(b.casefold() in allowed for b in bases)
        is_denied = term.casefold() in denied or (any(b.casefold() in denied for b in bases) and not exact_allowed)
        if is_denied:
            refused_deny.append(term)
        elif not is_allowed:
            refused_allow.append(term)
        substitutions[symbol] = licensing.TRUE if is_allowed and not is_denied else licensing.FALSE
    result = parsed.subs(substitutions).simplify() if substitutions else licensing.FALSE
    if result == licensing.TRUE:
        return Verdict(True)
    return Verdict(False, tuple(refused_deny), tuple(refused_allow))


def normalise_entries(entries: Iterable[str]) -> tuple[list[str], list[str]]:
    """(the normalised entries, the entries that are no valid SPDX expression) of an allow or deny list."""
    good: list[str] = []
    bad: list[str] = []
    for entry in entries:
        found = normalise(entry) if isinstance(entry, str) else None
        (good.append(found) if found is not None else bad.append(str(entry)))
    return good, bad
