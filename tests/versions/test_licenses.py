"""checker/versions/licenses.py: reading registries' license fields as SPDX, and judging them against lists."""

from __future__ import annotations

import pytest

from checker.versions.licenses import License, evaluate, normalise, normalise_entries, npm_license, pypi_license


@pytest.mark.parametrize(("text", "expected"), [
    ("MIT", "MIT"),
    ("mit or gpl-3.0-only", "MIT OR GPL-3.0-only"),
    ("GPL-2.0", "GPL-2.0-only"),  # deprecated id -> its successor, so that list entries compare
    ("GPL-2.0+", "GPL-2.0-or-later"),
    ("Apache-2.0 with llvm-exception", "Apache-2.0 WITH LLVM-exception"),
    ("LicenseRef-Proprietary", "LicenseRef-Proprietary"),
    ("(MIT)", "MIT"),
    ("Apache 2.0", None),  # free text, not SPDX
    ("MIT License", None),
    ("\u041cIT", None),  # a Cyrillic M: not the MIT id
    ("mit\u200b", None),  # a zero-width space
    ("MIT OR (GPL-3.0-only", None),
    ("MIT WITH MIT", None),  # not an exception id
    ("MIT AND", None),
    ("UNLICENSED", None),
    ("", None),
    ("MIT OR " * 200 + "MIT", None),  # a pasted text / a pathological line: not read
])
def test_normalise(text: str, expected: str | None) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(("expression", "allow", "deny", "passes"), [
    ("MIT OR GPL-3.0-only", ["MIT"], [], True),  # OR: the user chooses MIT
    ("MIT AND GPL-3.0-only", ["MIT"], [], False),  # AND: both bind
    ("MIT AND GPL-3.0-only", ["MIT", "GPL-3.0-only"], [], True),
    ("MIT OR GPL-3.0-only", [], ["GPL-3.0-only"], True),
    ("MIT AND GPL-3.0-only", [], ["GPL-3.0-only"], False),
    ("BUSL-1.1", [], ["BUSL-1.1"], False),
    ("BUSL-1.1", ["MIT", "Apache-2.0"], [], False),
    ("LicenseRef-Proprietary", ["MIT"], [], False),
    ("GPL-2.0-only WITH Classpath-exception-2.0", ["GPL-2.0-only"], [], True),  # allowing X allows X WITH E
    ("GPL-2.0-only WITH Classpath-exception-2.0", [], ["GPL-2.0-only"], False),  # denying X denies X WITH E ...
    ("GPL-2.0-only WITH Classpath-exception-2.0",  # ... unless X WITH E itself is allowed
     ["GPL-2.0-only WITH Classpath-exception-2.0"], ["GPL-2.0-only"], True),
    ("GPL-2.0-only", ["GPL-2.0-only WITH Classpath-exception-2.0"], [], False),  # the exception is no wildcard
    ("MIT AND BSD-3-Clause", ["MIT AND BSD-3-Clause"], [], True),  # a compound entry matches the whole
    ("MIT AND BSD-3-Clause", ["Apache-2.0"], ["MIT AND BSD-3-Clause"], False),
    ("MIT", [], [], True),
    ("mit", ["MIT"], [], True),
    ("LicenseRef-MIT", ["MIT"], [], False),  # a LicenseRef is the author's own text, whatever its name says
    ("MIT+", [], ["MIT"], False),  # "or later" does not slip past a deny of the version
    ("GPL-2.0+", [], ["GPL-2.0-only"], False),
    ("GPL-3.0-or-later", [], ["GPL-3.0"], False),
    ("GPL-3.0-or-later", ["GPL-3.0-only"], [], True),  # the user may choose 3.0
    ("GPL-3.0-or-later", ["GPL-3.0-or-later"], ["GPL-3.0-only"], True),  # an exact allow wins
    ("GPL-2.0-only", ["GPL-2.0-or-later"], [], False),  # not the other way round
])
def test_evaluate(expression: str, allow: list[str], deny: list[str], passes: bool) -> None:
    assert evaluate(normalise(expression) or expression, allow, deny).passes is passes


def test_evaluate_names_the_terms_that_failed() -> None:
    verdict = evaluate("MIT AND (GPL-3.0-only OR BUSL-1.1)", ["MIT", "Apache-2.0"], ["BUSL-1.1"])
    assert (verdict.passes, verdict.denied, verdict.not_allowed) == (False, ("BUSL-1.1",), ("GPL-3.0-only",))


def test_normalise_entries_keeps_the_bad_ones_apart() -> None:
    assert normalise_entries(["mit", "GPL-2.0+", "Apache 2.0"]) == (["MIT", "GPL-2.0-or-later"], ["Apache 2.0"])


# PyPI's JSON API ``info``, modelled on real releases: packaging 24.2 (PEP 639 expression), requests 2.32.3 (free
# text "Apache-2.0" with the versionless Apache classifier), a classifier-only MIT package, and a pasted license.
@pytest.mark.parametrize(("info", "expected"), [
    ({"license_expression": "Apache-2.0 OR BSD-2-Clause", "license": None,
      "classifiers": ["License :: OSI Approved :: Apache Software License"]},
     License("Apache-2.0 OR BSD-2-Clause")),
    ({"license": "Apache-2.0", "classifiers": ["License :: OSI Approved :: Apache Software License"]},
     License("Apache-2.0")),
    ({"license": "", "classifiers": ["Programming Language :: Python", "License :: OSI Approved :: MIT License"]},
     License("MIT")),
    ({"license": "Apache 2.0", "classifiers": ["License :: OSI Approved :: Apache Software License"]},
     License(None, "Apache 2.0; Apache Software License")),
    ({"license": "BSD", "classifiers": ["License :: OSI Approved :: BSD License"]}, License(None, "BSD; BSD License")),
    ({"license": None, "classifiers": []}, License(None)),
    ({"license_expression": "Apache 2", "classifiers": ["License :: OSI Approved :: MIT License"]},
     License(None, "Apache 2")),  # a declared but invalid expression wins over classifiers: never a guess
    ({"license": "Copyright (c) 2020 Someone\n\nPermission is hereby granted " + "x " * 300, "classifiers": []},
     License(None, "Copyright (c) 2020 Someone Permission is hereby granted " + "x " * 71 + "…")),
    ({"license": "", "classifiers": ["License :: OSI Approved :: MIT License",
                                     "License :: OSI Approved :: GNU General Public License v3 (GPLv3)"]},
     License("MIT AND GPL-3.0-only")),  # two classifiers: the reading that binds
    ({"license": "", "classifiers": ["License :: OSI Approved :: MIT License",
                                     "License :: OSI Approved :: BSD License"]},
     License(None, "MIT License; BSD License")),  # one unmappable: not a guess
])
def test_pypi_license(info: dict, expected: License) -> None:
    found = pypi_license(info)
    assert found.expression == expected.expression
    assert (found.text or "")[:60] == (expected.text or "")[:60]


# npm packument entries as the registry serves them: a string (@uniswap/v3-core 1.0.0: "BUSL-1.1"), the legacy
# object and array forms, npm's two non-SPDX words, and nothing at all.
@pytest.mark.parametrize(("manifest", "expected"), [
    ({"license": "BUSL-1.1"}, License("BUSL-1.1")),
    ({"license": "(MIT OR Apache-2.0)"}, License("MIT OR Apache-2.0")),
    ({"license": {"type": "MIT", "url": "https://opensource.org/licenses/MIT"}}, License("MIT")),
    ({"licenses": [{"type": "MIT"}, {"type": "Apache-2.0"}]}, License("MIT OR Apache-2.0")),
    ({"license": ["MIT", "GPL-2.0"]}, License("MIT OR GPL-2.0-only")),
    ({"licenses": [{"type": "MIT"}, {"url": "x"}]}, License(None, "MIT OR ?")),
    ({"license": "UNLICENSED"}, License(None, "UNLICENSED")),
    ({"license": "SEE LICENSE IN LICENSE.md"}, License(None, "SEE LICENSE IN LICENSE.md")),
    ({"license": 42}, License(None, "42")),
    ({}, License(None)),
])
def test_npm_license(manifest: dict, expected: License) -> None:
    assert npm_license(manifest) == expected
