"""npm tarball URLs (checker/manifests/npm_tarball.py): the registry, name and version a ``resolved`` URL names, and
the fast path that refuses anything unusual."""

from __future__ import annotations

import pytest

from checker.manifests.npm_tarball import Tarball, own_registry, parse_tarball_url


# ---------------------------------------------------------------------------------------------------------------
# Tarball URLs
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",
         Tarball("https://registry.npmjs.org/", "lodash", "4.17.21")),
        ("https://registry.npmjs.org/@ctrl/tinycolor/-/tinycolor-4.1.0.tgz",
         Tarball("https://registry.npmjs.org/", "@ctrl/tinycolor", "4.1.0")),
        ("https://registry.npmjs.org/@ctrl%2ftinycolor/-/tinycolor-4.1.0.tgz",
         Tarball("https://registry.npmjs.org/", "@ctrl/tinycolor", "4.1.0")),
        ("https://registry.yarnpkg.com/debug/-/debug-4.4.1.tgz#6f5ae3c6e9b2b0a0b2a4f3c0",
         Tarball("https://registry.yarnpkg.com/", "debug", "4.4.1")),
        ("https://art.example/artifactory/api/npm/npm/@s/x/-/x-1.0.0-rc.1.tgz",
         Tarball("https://art.example/artifactory/api/npm/npm/", "@s/x", "1.0.0-rc.1")),
        ("https://npm.pkg.github.com/download/@acme/lib/1.2.3/0a1b2c3d4e5f",
         Tarball("https://npm.pkg.github.com/", "@acme/lib", "1.2.3")),
        ("https://codeload.github.com/acme/lib/tar.gz/0123456789abcdef", None),
        ("https://example.com/lib-1.0.0.tgz", None),
        ("https://registry.npmjs.org/lodash/-/other-4.17.21.tgz", None),
        ("git+ssh://git@github.com/a/b.git#abc", None),
        ("file:lib-1.0.0.tgz", None),
    ],
)
def test_parse_tarball_url(url: str, expected: Tarball | None) -> None:
    assert parse_tarball_url(url) == expected


def test_own_registry_fast_path_refuses_anything_unusual() -> None:
    assert own_registry("https://registry.npmjs.org/a/-/a-1.0.0.tgz", "a", "1.0.0") == "https://registry.npmjs.org/"
    assert own_registry("https://r.example/npm/@s/a/-/a-1.0.0.tgz", "@s/a", "1.0.0") == "https://r.example/npm/"
    assert own_registry("http://registry.npmjs.org/a/-/a-1.0.0.tgz", "a", "1.0.0") is None
    assert own_registry("https://evil.example/x?/a/-/a-1.0.0.tgz", "a", "1.0.0") is None
    assert own_registry("https://user@evil.example/a/-/a-1.0.0.tgz", "a", "1.0.0") is None
    assert own_registry("https://r.example/%2e%2e/a/-/a-1.0.0.tgz", "a", "1.0.0") is None
    assert own_registry("https://registry.npmjs.org/a/-/a-1.0.0.tgz", "a", "1.0.1") is None
    assert own_registry("https://registry.npmjs.org/a/-/a-1.0.0.tgz", "a", None) is None
