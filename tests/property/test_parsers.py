"""Property tests: every manifest parser, fed arbitrary, mutated and wrongly-typed input, either returns a
Manifest or raises a clean ManifestError naming the file — never another exception, never a hang.

Four kinds of input, because random text rarely gets past a parser's first syntax check:
- arbitrary text (biased towards each format's syntax characters), and arbitrary bytes through the decode step
  of checker/manifests/collect.py;
- real files (the shared corpus, skipped when absent, and the project's fixtures) mutated line by line and
  character by character: lines deleted, duplicated, swapped, the file cut short, quotes, brackets, NULs,
  control characters, huge numbers and deep nesting inserted;
- valid-shaped documents: the data of a real or template document (JSON, TOML, YAML) with a subtree replaced by
  a value of the wrong type, a key removed or renamed, re-serialised — these reach the type checks deep inside;
- for the two formats with a fast reader beside the full one (uv.lock, pnpm/Yarn YAML), both readers give the
  same result on the same text.

The contract checked on a Manifest: its path and format are the ones asked for, and every dependency is a
well-formed Dependency whose line lies inside the file. On an error: ManifestError, naming this file (or a file
it reads, such as a sibling package.json), with a line inside that file when it names one.

Profiles and the hang guard: tests/hypothesis_profiles.py (``LOCKGATE_HYPOTHESIS=thorough`` for a long run).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

from tests.conftest import corpus_dir
from tests.hypothesis_profiles import THOROUGH, hang_guard, use_profile

from checker.manifests.collect import decode
from checker.errors import ManifestError
from checker.manifests import FORMATS_BY_NAME, Format
from checker.model import ECOSYSTEMS, SCOPES, Dependency, Manifest

use_profile()

TESTS = Path(__file__).resolve().parents[1]  # the seed patterns below name fixture folders from here

# The path each format is parsed under (its name decides nothing inside the parser, but must be one it reads).
PATHS = {
    "requirements": "requirements.txt",
    "pyproject": "pyproject.toml",
    "poetry-lock": "poetry.lock",
    "uv-lock": "uv.lock",
    "pipfile-lock": "Pipfile.lock",
    "pylock": "pylock.toml",
    "gha-workflow": ".github/workflows/ci.yml",
    "gha-action": "action.yml",
    "dockerfile": "Dockerfile",
    "package-json": "package.json",
    "package-lock": "package-lock.json",
    "npm-shrinkwrap": "npm-shrinkwrap.json",
    "yarn-lock": "yarn.lock",
    "pnpm-lock": "pnpm-lock.yaml",
    "pnpm-workspace": "pnpm-workspace.yaml",
    "npmrc": ".npmrc",
    "yarnrc-yml": ".yarnrc.yml",
    "yarnrc": ".yarnrc",
    "pip-conf": "pip.conf",
    "uv-toml": "uv.toml",
    "bunfig": "bunfig.toml",
    "pre-commit-config": ".pre-commit-config.yaml",
    "setup-py": "setup.py",
    "setup-cfg": "setup.cfg",
    "tox-ini": "tox.ini",
    "pipfile": "Pipfile",
    "tox-toml": "tox.toml",
    "conda-env": "environment.yml",
    "gitmodules": ".gitmodules",
    "bun-lock": "bun.lock",
    "bun-lockb": "bun.lockb",
    "cargo-lock": "Cargo.lock",
    "cargo-toml": "Cargo.toml",
    "package-resolved": "Package.resolved",
    "gemfile": "Gemfile",
    "gemfile-lock": "Gemfile.lock",
    "composer-json": "composer.json",
    "composer-lock": "composer.lock",
    "gradle-lockfile": "gradle.lockfile",
    "gradle-catalog": "gradle/libs.versions.toml",
    "maven-pom": "pom.xml",
    "maven-extensions": ".mvn/extensions.xml",
    "gradle-wrapper": "gradle/wrapper/gradle-wrapper.properties",
    "maven-wrapper": ".mvn/wrapper/maven-wrapper.properties",
    "go-mod": "go.mod",
    "go-sum": "go.sum",
    "go-work": "go.work",
    "nuget-lock": "src/App/packages.lock.json",
    "nuget-central": "Directory.Packages.props",
    "msbuild-project": "src/App/App.csproj",
    "pubspec-lock": "pubspec.lock",
    "pubspec": "pubspec.yaml",
}
ALL_FORMATS = sorted(PATHS)
assert set(PATHS) == set(FORMATS_BY_NAME), "a format was added: give it a path here"

# Characters each family of formats gives meaning to; arbitrary text is drawn mostly from these.
_SYNTAX = {
    "toml": '[]{}=,."\'#\\\n\t -_:+0123456789truefalsnaiTZ',
    "json": '{}[]:,"\\\n\t -0123456789.eEtruefalsn/u',
    "yaml": ':-?[]{},#&*!|>\'"%@`\n\t ~.0123456789<=',
    "requirements": '-=<>~!;@#[]()/:.,*\\$"\'\n\t rcehi0123456789_+',
    "dockerfile": 'FROMASRUNCOPYARG${}:-+=@/\\#\n\t <>"\'.0123456789',
    "yarn": '"@:#,^~ \n\t-./0123456789abcdefvrsionlvdgty',
    "ini": '[]=;#"\'\\${}:/@.\n\r\t -_registryscatruefalsn[]',
    "python": "()[]{}=,.:'\"\\#*+\n\t fimportsetup_requiresxtlb0123456789<>=;",
    "gitconfig": '[]"\\=#; \t\n\r.-submodulepathrbnch/:@',
    "ruby": 'GEMITPAHSDNCKUR ()!:=,-.~>\'"#{}[]|%\n\t0123456789abcdegimnoprstuwx_',
    "xml": '<>/="\'!?[]&;#${}\n\t -.:projectdenyvrsiogaulfcmbh0123456789',
    "gradle-lock": ':=,#.\n\r\t -_emptycomrgslf4jaiRuntimeClasspath0123456789',
    "gomod": '()[]{},"`/=> \t\n\r.-+:!vh1 requiremoduleplacgxtdin0123456789ABZ=',
}
_FAMILY = {
    "requirements": "requirements",
    "pyproject": "toml",
    "poetry-lock": "toml",
    "uv-lock": "toml",
    "pylock": "toml",
    "cargo-lock": "toml",
    "cargo-toml": "toml",
    "package-resolved": "json",
    "pipfile-lock": "json",
    "package-json": "json",
    "package-lock": "json",
    "npm-shrinkwrap": "json",
    "gha-workflow": "yaml",
    "gha-action": "yaml",
    "pnpm-lock": "yaml",
    "pre-commit-config": "yaml",
    "pnpm-workspace": "yaml",
    "yarn-lock": "yarn",
    "dockerfile": "dockerfile",
    "npmrc": "ini",
    "pip-conf": "ini",
    "yarnrc-yml": "yaml",
    "yarnrc": "yarn",
    "uv-toml": "toml",
    "bunfig": "toml",
    "setup-py": "python",
    "setup-cfg": "ini",
    "tox-ini": "ini",
    "pipfile": "toml",
    "tox-toml": "toml",
    "conda-env": "yaml",
    "gitmodules": "gitconfig",
    "bun-lock": "json",
    "bun-lockb": "json",
    "gemfile": "ruby",
    "gemfile-lock": "ruby",
    "composer-json": "json",
    "composer-lock": "json",
    "gradle-lockfile": "gradle-lock",
    "gradle-catalog": "toml",
    "maven-pom": "xml",
    "maven-extensions": "xml",
    "gradle-wrapper": "ini",
    "maven-wrapper": "ini",
    "go-mod": "gomod",
    "go-sum": "gomod",
    "go-work": "gomod",
    "nuget-lock": "json",
    "nuget-central": "xml",
    "msbuild-project": "xml",
    "pubspec-lock": "yaml",
    "pubspec": "yaml",
}


# ---------------------------------------------------------------------------------------------------------------
# The contract


class _Reads:
    """A ``read`` callback for the parser: answers every sibling (an include, a package.json) with the same text,
    or None, and remembers which paths were asked for (an error may name one of them)."""

    def __init__(self, text: str | None) -> None:
        self.text = text
        self.asked: set[str] = set()

    def __call__(self, path: str) -> str | None:
        self.asked.add(path)
        return self.text


def _line_count(text: str) -> int:
    """The number of lines of a text, by the most generous convention: ``\n`` (git, GitHub) or every line break
    Python knows (pip splits requirements files with ``str.splitlines``, Yarn breaks lines at a lone CR too)."""
    return max(text.count("\n") + 1, len(text.splitlines()))


def check_contract(name: str, text: str, sibling: str | None = None) -> Manifest | ManifestError:
    """Parse ``text`` as format ``name``; assert the contract; return the Manifest or the ManifestError."""
    fmt: Format = FORMATS_BY_NAME[name]
    path = PATHS[name]
    reads = _Reads(sibling)
    with hang_guard(f"parsing {len(text)} characters as {name}"):
        try:
            manifest = fmt.parse(text, path, reads)
        except ManifestError as error:
            _check_error(error, path, text, reads, sibling)
            return error
    _check_manifest(manifest, name, path, text)
    return manifest


def _check_error(error: ManifestError, path: str, text: str, reads: _Reads, sibling: str | None) -> None:
    assert error.message and isinstance(error.message, str)
    assert error.path == path or error.path in reads.asked, (error.path, path, reads.asked)
    if error.line is not None:
        source = text if error.path == path else (sibling or "")
        assert isinstance(error.line, int) and 1 <= error.line <= _line_count(source), (error.line, str(error))
    assert str(error).startswith(error.path)


def _check_manifest(manifest: Manifest, name: str, path: str, text: str) -> None:
    assert isinstance(manifest, Manifest)
    assert manifest.path == path
    assert manifest.format == ("package-lock" if name == "npm-shrinkwrap" else name) or manifest.format == name
    assert manifest.ecosystem in ECOSYSTEMS
    assert manifest.kind in ("lock", "declared")
    lines = _line_count(text)
    for dependency in manifest.dependencies:
        assert isinstance(dependency, Dependency)
        assert dependency.ecosystem in ECOSYSTEMS
        assert isinstance(dependency.name, str) and dependency.name, dependency
        assert dependency.version is None or isinstance(dependency.version, str), dependency
        assert isinstance(dependency.specifier, str)
        assert dependency.scope in SCOPES, dependency
        assert all(isinstance(h, str) for h in dependency.hashes)
        if dependency.manifest == path and dependency.line is not None:
            assert 1 <= dependency.line <= lines, (dependency.line, lines, dependency)
    for include in manifest.includes:
        assert isinstance(include, str)


# ---------------------------------------------------------------------------------------------------------------
# Arbitrary text and bytes


def _text_for(name: str) -> st.SearchStrategy[str]:
    syntax = _SYNTAX[_FAMILY[name]]
    biased = st.text(alphabet=st.sampled_from(syntax + "abcxyz"), max_size=400)
    anything = st.text(max_size=200)
    return st.one_of(biased, anything, st.lists(st.one_of(biased, anything), max_size=4).map("".join))


@pytest.mark.parametrize("name", ALL_FORMATS)
def test_arbitrary_text_gives_a_manifest_or_a_clean_error(name):
    @given(text=_text_for(name), sibling=st.one_of(st.none(), _text_for(name)))
    def run(text, sibling):
        check_contract(name, text, sibling)

    run()


@pytest.mark.parametrize("name", ALL_FORMATS)
def test_arbitrary_bytes_through_decode(name):
    path = PATHS[name]

    @given(data=st.binary(max_size=300))
    def run(data):
        try:
            text = decode(data, path)
        except ManifestError as error:
            assert error.path == path
            assert error.line is not None and 1 <= error.line <= data.count(b"\n") + 1
            assert error.message.startswith(("binary data", "not UTF-8"))
            return
        assert isinstance(text, str) and not text.startswith("\ufeff")
        check_contract(name, text)

    run()


def test_decode_reports_the_line_of_bad_bytes():
    with pytest.raises(ManifestError) as caught:
        decode(b"a==1\nb==2\n\xff\n", "requirements.txt")
    assert (caught.value.line, caught.value.message) == (3, "not UTF-8 text (byte 0xff)")
    with pytest.raises(ManifestError) as caught:
        decode(b"a==1\n\0", "requirements.txt")
    assert (caught.value.line, caught.value.message) == (2, "binary data, expected a text file")
    assert decode("\ufeffa==1\n".encode(), "requirements.txt") == "a==1\n"


# ---------------------------------------------------------------------------------------------------------------
# Seed files: the project's fixtures (always present) and the shared corpus (when present)

# Files above this size are cut to their first lines in the default profile (a 1.5 MB uv.lock parsed hundreds of
# times would make the default run slow); the thorough profile uses them whole.
_SEED_BYTES = 10**9 if THOROUGH else 48 * 1024
_SEED_HEAD_LINES = 400

_FIXTURE_SEEDS = {
    "requirements": ["manifests/fixtures/requirements/repo/**/*.txt"],
    "pyproject": ["manifests/fixtures/pyproject/*.toml", "manifests/fixtures/*/**/pyproject.toml"],
    "poetry-lock": ["manifests/fixtures/poetry_lock/**/*.lock"],
    "uv-lock": ["manifests/fixtures/uv_lock/*.lock"],
    "pipfile-lock": ["manifests/fixtures/pipfile_lock/*.json", "manifests/fixtures/pipfile_lock/**/Pipfile.lock"],
    "pylock": ["manifests/fixtures/pylock/**/*.toml"],
    "gha-workflow": ["manifests/fixtures/workflow/*.yml", "fixtures/zizmor_oracle/*.yml"],
    "gha-action": ["manifests/fixtures/action_yml/*"],
    "dockerfile": ["manifests/fixtures/dockerfile/*"],
    "package-json": ["manifests/fixtures/package_json/*.json", "manifests/fixtures/yarn_lock/**/package.json"],
    "package-lock": ["manifests/fixtures/package_lock/*.json"],
    "npm-shrinkwrap": ["manifests/fixtures/package_lock/*.json"],
    "yarn-lock": ["manifests/fixtures/yarn_lock/*/yarn.lock"],
    "pnpm-lock": ["manifests/fixtures/pnpm_lock/*.yaml"],
    "pnpm-workspace": ["manifests/fixtures/pnpm_workspace/*.yaml"],
    "npmrc": ["manifests/fixtures/registry_settings/npmrc/*"],
    "yarnrc-yml": ["manifests/fixtures/registry_settings/yarnrc_yml/*"],
    "yarnrc": ["manifests/fixtures/registry_settings/yarnrc/*"],
    "pip-conf": ["manifests/fixtures/registry_settings/pip_conf/*"],
    "uv-toml": ["manifests/fixtures/registry_settings/uv_toml/*"],
    "bunfig": ["manifests/fixtures/registry_settings/bunfig/*"],
    "pre-commit-config": ["manifests/fixtures/precommit_config/real/*.yaml"],
    "setup-py": ["manifests/fixtures/setup_py/*.py"],
    "setup-cfg": ["manifests/fixtures/setup_cfg/*.cfg"],
    "tox-ini": ["manifests/fixtures/tox_ini/*.ini"],
    "pipfile": ["manifests/fixtures/pipfile/*Pipfile"],
    "tox-toml": ["manifests/fixtures/tox_ini/*.toml"],
    "conda-env": ["manifests/fixtures/conda_env/*.yml"],
    "gitmodules": ["manifests/fixtures/gitmodules/*/.gitmodules"],
    "bun-lock": ["manifests/fixtures/bun_lock/*/*"],
    "bun-lockb": ["manifests/fixtures/bun_lock/*/*"],  # any text: the binary lockfile is refused whatever it holds
    "cargo-lock": ["manifests/fixtures/cargo_lock/*.lock"],
    "cargo-toml": ["manifests/fixtures/cargo_toml/*.toml"],
    "package-resolved": ["manifests/fixtures/package_resolved/*.json"],
    "gemfile": ["manifests/fixtures/gemfile/*.Gemfile"],
    "gemfile-lock": ["manifests/fixtures/gemfile/*.Gemfile.lock"],
    "composer-json": ["manifests/fixtures/composer/*.composer.json"],
    "composer-lock": ["manifests/fixtures/composer/*.composer.lock"],
    "gradle-lockfile": ["manifests/fixtures/gradle_lockfile/*/*.lockfile",
                        "manifests/fixtures/gradle_lockfile/*/gradle/dependency-locks/*.lockfile"],
    "gradle-catalog": ["manifests/fixtures/gradle_catalog/*.toml"],
    "maven-pom": ["manifests/fixtures/maven_pom/*.xml"],
    "maven-extensions": ["manifests/fixtures/maven_extensions/*.xml"],
    "gradle-wrapper": ["manifests/fixtures/java_wrapper/*/gradle-wrapper.properties"],
    "maven-wrapper": ["manifests/fixtures/java_wrapper/*/maven-wrapper.properties"],
    "go-mod": ["manifests/fixtures/go/*.go.mod"],
    "go-sum": ["manifests/fixtures/go/*.go.sum"],
    "go-work": ["manifests/fixtures/go/*.go.work"],
    "nuget-lock": ["manifests/fixtures/nuget/*.packages.lock.json"],
    "nuget-central": ["manifests/fixtures/nuget/*.props"],
    "msbuild-project": ["manifests/fixtures/nuget/*.csproj", "manifests/fixtures/nuget/*.props"],
    "pubspec-lock": ["manifests/fixtures/pub/*.pubspec.lock"],
    "pubspec": ["manifests/fixtures/pub/*.pubspec.yaml"],
}
_CORPUS_SEEDS = {
    "requirements": ["edge/requirements/*.txt", "real/*/requirements/*.txt"],
    "pyproject": ["edge/pyprojecttoml/*.toml", "real/*/pyproject.toml"],
    "poetry-lock": ["edge/poetrylock/*", "real/*/poetry.lock"],
    "uv-lock": ["edge/uvlock/*", "real/*/uv.lock"],
    "pipfile-lock": ["edge/pipfilelock/*", "real/*/Pipfile.lock"],
    "pylock": ["edge/pylock/*", "real/*/pylock.toml"],
    "gha-workflow": ["real/*/.github/workflows/*.yml"],
    "gha-action": [],
    "dockerfile": ["real/*/Dockerfile"],
    "package-json": ["edge/packagejson/**/*.json", "real/*/package.json"],
    "package-lock": ["edge/packagelockjson/**/*.json", "real/*/package-lock.json"],
    "npm-shrinkwrap": ["edge/packagelockjson/**/npm-shrinkwrap.json"],
    "yarn-lock": ["edge/yarnlock/*.lock", "real/*/yarn.lock"],
    "pnpm-lock": ["edge/pnpmlock/*.yaml", "real/*/pnpm-lock.yaml"],
    "pnpm-workspace": ["real/*/pnpm-workspace.yaml"],
    "npmrc": [],
    "yarnrc-yml": ["real/*/.yarnrc.yml"],
    "yarnrc": [],
    "pip-conf": [],
    "uv-toml": [],
    "bunfig": [],
    "pre-commit-config": ["real/*/.pre-commit-config.yaml"],
    "setup-py": [],
    "setup-cfg": [],
    "tox-ini": [],
    "pipfile": [],
    "tox-toml": [],
    "conda-env": [],
    "gitmodules": [],
    "bun-lock": [],
    "bun-lockb": [],
    "cargo-lock": [],
    "cargo-toml": [],
    "package-resolved": [],
    "gemfile": [],
    "gemfile-lock": [],
    "composer-json": [],
    "composer-lock": [],
    "gradle-lockfile": [],
    "gradle-catalog": [],
    "maven-pom": [],
    "maven-extensions": [],
    "gradle-wrapper": [],
    "maven-wrapper": [],
    "go-mod": [],
    "go-sum": [],
    "go-work": [],
    "nuget-lock": [],
    "nuget-central": [],
    "msbuild-project": [],
    "pubspec-lock": [],
    "pubspec": [],
}


def _read_seed(path: Path) -> str | None:
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if len(text) > _SEED_BYTES:
        text = "".join(text.splitlines(True)[:_SEED_HEAD_LINES])
    return text


def _seeds(name: str) -> list[str]:
    paths: list[Path] = []
    for pattern in _FIXTURE_SEEDS[name]:
        paths.extend(sorted(TESTS.glob(pattern)))
    corpus = corpus_dir()
    if corpus is not None:
        for pattern in _CORPUS_SEEDS[name]:
            paths.extend(sorted(corpus.glob(pattern)))
    texts = [text for text in map(_read_seed, dict.fromkeys(p for p in paths if p.is_file())) if text is not None]
    assert texts, f"no seed files for {name}"
    return texts


_SEED_CACHE: dict[str, list[str]] = {}


def seeds(name: str) -> list[str]:
    if name not in _SEED_CACHE:
        _SEED_CACHE[name] = _seeds(name)
    return _SEED_CACHE[name]


# ---------------------------------------------------------------------------------------------------------------
# Mutated real files

# What gets inserted: the characters that end strings and collections, the ones a reader must refuse (NUL,
# escapes, bidi overrides, odd line breaks), and the classic resource attacks (a number Python will not convert,
# nesting deeper than any stack, alias and merge syntax).
_INSERTS = [
    '"', "'", "[", "]", "{", "}", ":", "=", ",", "#", "\\", "\n", "\r", "\t", " ", "-", "@", "*",
    "\0", "\x1b[31m", "\x07", "\u202e", "\u2028", "\x85", "\ufeff", "é", "\U0001f600",
    "9" * 5000, "-" + "9" * 4400, "1e999999", "0x1F", "1_000", "nan", "inf", "true", "null", "~", "yes",
    "[" * 3000, "{" * 3000, '{"a":' * 1200, "- " * 3000, "? " * 3000, "a = [" * 1200, "\n" + " " * 3000 + "x",
    "&anchor ", "*anchor", "<<: *anchor\n", "!!python/object:os.system ", "%YAML 1.1\n---\n", "---\n", "...\n",
    "${{ matrix.x }}", "${VAR}", "-r other.txt\n", "-c other.txt\n", "-e ./x\n", "--hash=sha256:00\n",
    "npm:", "git+https://github.com/a/b#", "file:../x", "workspace:*", "link:./x", "x" * 20000,
    '"version": ', "version = ", "lockfileVersion: ", "__metadata:\n  version: 6\n", "<<<<<<< HEAD\n",
]


def _mutate(text: str, data: st.DataObject) -> str:
    lines = text.splitlines(True) or [""]
    kind = data.draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "flip", "insert", "replace"]))
    if kind in ("delete", "duplicate", "replace") and lines:
        index = data.draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, lines[index])
        else:
            lines[index] = data.draw(st.text(max_size=40)) + "\n"
        return "".join(lines)
    if kind == "swap" and len(lines) > 1:
        first, second = data.draw(st.integers(0, len(lines) - 1)), data.draw(st.integers(0, len(lines) - 1))
        lines[first], lines[second] = lines[second], lines[first]
        return "".join(lines)
    position = data.draw(st.integers(0, len(text)))
    if kind == "truncate":
        return text[:position]
    if kind == "flip" and text:
        position = min(position, len(text) - 1)
        return text[:position] + data.draw(st.characters()) + text[position + 1 :]
    return text[:position] + data.draw(st.sampled_from(_INSERTS)) + text[position:]


def _sibling_for(name: str) -> st.SearchStrategy[str | None]:
    if name in ("package-lock", "npm-shrinkwrap", "yarn-lock", "pnpm-lock"):
        return st.sampled_from([None] + seeds("package-json")[:3])
    if name in ("requirements", "poetry-lock", "pylock", "pipfile-lock", "setup-cfg", "tox-ini", "conda-env", "tox-toml"):
        return st.sampled_from([None, "flask==2.0.0\n-r requirements.txt\n", '[project]\nname = "x"\n'])
    if name == "gradle-lockfile":  # gradle/verification-metadata.xml (and gradle.properties), or none
        return st.sampled_from([None, '<verification-metadata><components><component group="a" name="b" version="1">'
                                '<artifact name="b.jar"><sha256 value="00"/></artifact></component></components>'
                                '</verification-metadata>', "org.gradle.dependency.verification=off\n"])
    if name == "maven-pom":  # a parent POM, or none
        return st.sampled_from([None, "<project><groupId>a</groupId><artifactId>p</artifactId><version>1</version>"
                                "</project>"])
    if name == "bun-lock":  # a patch file, or none
        return st.sampled_from([None, "--- a/x.js\n+++ b/x.js\n@@ -1 +1 @@\n-a\n+b\n"])
    if name == "gitmodules":  # every submodule path a gitlink, or none
        return st.sampled_from([None, "Subproject commit " + "a" * 40 + "\n"])
    return st.none()


@pytest.mark.parametrize("name", ALL_FORMATS)
def test_mutated_real_files_give_a_manifest_or_a_clean_error(name):
    @given(data=st.data())
    def run(data):
        text = data.draw(st.sampled_from(seeds(name)), label="seed")
        for _ in range(data.draw(st.integers(1, 4), label="mutations")):
            text = _mutate(text, data)
        note(f"mutated text: {text[:2000]!r}")
        check_contract(name, text, data.draw(_sibling_for(name), label="sibling"))

    run()


@pytest.mark.parametrize("name", ALL_FORMATS)
def test_unmutated_seed_files_parse(name):
    """The seeds themselves: the corpus and fixture files parse or fail as the contract allows (several fixtures
    are broken on purpose), and most of them parse."""
    outcomes = [check_contract(name, text) for text in seeds(name)]
    if name == "bun-lockb":  # the binary lockfile is refused whatever it holds
        assert not any(isinstance(outcome, Manifest) for outcome in outcomes)
        return
    assert sum(isinstance(outcome, Manifest) for outcome in outcomes) >= 1


# ---------------------------------------------------------------------------------------------------------------
# Valid-shaped documents with wrong values: the data of a seed, one subtree changed, written out again

# Keys the parsers read (and a few they should ignore), so that generated keys land where a parser looks.
_KEYS = sorted({
    "name", "version", "dependencies", "devDependencies", "optionalDependencies", "peerDependencies",
    "peerDependenciesMeta", "bundleDependencies", "bundledDependencies", "workspaces", "overrides", "resolutions",
    "pnpm", "packages", "resolved", "integrity", "lockfileVersion", "requires", "dev", "optional", "devOptional",
    "link", "inBundle", "hasInstallScript", "source", "hashes", "markers", "marker", "index", "url", "git", "ref",
    "path", "editable", "extras", "extra", "sdist", "wheels", "hash", "importers", "snapshots", "specifiers",
    "specifier", "resolution", "tarball", "commit", "repo", "type", "directory", "checksum", "languageName",
    "linkType", "__metadata", "cacheKey", "dependenciesMeta", "catalogs", "jobs", "steps", "uses", "container",
    "image", "services", "runs", "using", "strategy", "matrix", "include", "on", "project", "dependency-groups",
    "include-group", "optional-dependencies", "dynamic", "tool", "poetry", "uv", "sources", "group", "groups",
    "metadata", "content-hash", "python-versions", "files", "file", "category", "lock-version", "created-by",
    "vcs", "archive", "requested-revision", "commit-id", "_meta", "default", "develop", "pipfile-spec",
    "verify_ssl", "manifest", "members", "revision", "requires-python", "package", "dev-dependencies", "rev",
    "tag", "branch", "subdirectory", "registry", "virtual", "reference", "resolved_reference", "main",
    "python", "platform", "upload-time", "size", "zstd", "filename",
})

_INTERESTING_STRINGS = [
    "", " ", "*", "latest", "^1.2.3", "~1.2", "1.0.0", "1.0.0-rc.1+build", ">=1,<2", "==1.0", "===1.0", "1.*",
    "npm:real@^1", "npm:@scope/real@1.0.0", "@scope/name", "a@1.0.0", "/a/1.0.0", "a@1.0.0(b@2.0.0)", "/a/1.0.0_b@2",
    "git+https://github.com/a/b.git#" + "a" * 40, "github:a/b#main", "a/b", "git@github.com:a/b.git",
    "https://registry.npmjs.org/a/-/a-1.0.0.tgz", "https://files.pythonhosted.org/x-1.0.tar.gz#sha256=00",
    "file:../outside", "../../etc/passwd", "/etc/passwd", "C:\\x", "link:./x", "workspace:^", "catalog:",
    "patch:a@npm%3A1.0.0#./p.patch::version=1.0.0&hash=abc", "sha512-" + "A" * 86 + "==", "sha1-AAAA",
    "sha256:" + "0" * 64, "md5:00", "sha512-!!", "10/" + "0" * 128, "${VAR}", "${{ matrix.x }}",
    "actions/checkout@" + "a" * 40, "docker://alpine:3", "./local", "owner/repo/path@v1", "\x1b[31mred",
    "a\nb", "\u202eevil", "\0", "x" * 300, "https://[bad/x.tgz", "git+https://[::1/r.git@v1", "http://h:99999/x", "registry", "git", "url", "path", "directory", "editable", "virtual",
    "prod", "dev", "true", "yes", "python_version < '3.8'", "extra == 'x'", "5.4", "6.0", "9.0", "5.4-inline-specifiers",
]
_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20), st.sampled_from(_INTERESTING_STRINGS),
)
_KEY = st.one_of(st.sampled_from(_KEYS), st.sampled_from(_INTERESTING_STRINGS[:30]), st.text(max_size=8))
_VALUES = st.recursive(
    _LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEY, inner, max_size=3)),
    max_leaves=8,
)


def _pick(tree: object, data: st.DataObject) -> tuple[object, object] | None:
    """A random (container, key or index) inside ``tree``, or None when the tree has no container."""
    if not isinstance(tree, (dict, list)) or not tree:
        return None
    container: object = tree
    while True:
        keys = list(container) if isinstance(container, dict) else list(range(len(container)))  # type: ignore
        key = data.draw(st.sampled_from(keys))
        child = container[key]  # type: ignore[index]
        if not isinstance(child, (dict, list)) or not child or data.draw(st.booleans()):
            return container, key
        container = child


def _mutate_tree(tree: object, data: st.DataObject) -> object:
    """One change to a copy of ``tree``: a value replaced (usually by one of another type), a key removed,
    renamed or added."""
    tree = json.loads(json.dumps(tree, default=str))  # a deep copy, dates and the like as strings
    spot = _pick(tree, data)
    if spot is None:
        return data.draw(_VALUES)
    container, key = spot
    kind = data.draw(st.sampled_from(["replace", "replace", "delete", "rename", "add"]))
    if kind == "replace":
        container[key] = data.draw(_VALUES)  # type: ignore[index]
    elif kind == "delete":
        del container[key]  # type: ignore[attr-defined]
    elif isinstance(container, dict):
        new_key = data.draw(_KEY)
        if kind == "rename":
            container[new_key] = container.pop(key)
        else:
            container[new_key] = data.draw(_VALUES)
    else:
        container.append(data.draw(_VALUES))  # type: ignore[attr-defined]
    return tree


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value("" if item is None else item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(v)}" for k, v in value.items() if v is not None)
        return "{" + ", ".join(pairs) + "}"
    return '""'  # None


def to_toml(document: object) -> str:
    """TOML for a tree: top-level tables as ``[table]`` sections, arrays of tables as ``[[name]]`` blocks, the rest
    inline. No TOML writer is a dependency; this one only needs to be right for the shapes generated here."""
    if not isinstance(document, dict):
        return f"value = {_toml_value(document)}\n"
    plain, sections = [], []
    for key, value in document.items():
        quoted = json.dumps(str(key), ensure_ascii=False)
        if value is None:
            continue
        if isinstance(value, dict):
            sections.append(f"[{quoted}]\n" + "".join(
                f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(v)}\n" for k, v in value.items() if v is not None
            ))
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            for item in value:
                sections.append(f"[[{quoted}]]\n" + "".join(
                    f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(v)}\n" for k, v in item.items() if v is not None
                ))
        else:
            plain.append(f"{quoted} = {_toml_value(value)}\n")
    return "".join(plain) + "\n".join(sections)


def to_yaml(document: object) -> str:
    """Block-style YAML (the style pnpm and Yarn write, so the fast lockfile reader is exercised too)."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def to_yarn_classic(document: object) -> str:
    """Yarn 1's own format for a tree of entries: ``key:`` lines, two-space indentation, quoted values."""
    if not isinstance(document, dict):
        return json.dumps(document) + "\n"
    out = ["# yarn lockfile v1\n\n"]

    def emit(table: dict, depth: int) -> None:
        for key, value in table.items():
            key_text = json.dumps(str(key)) if not str(key).replace("-", "").isalnum() else str(key)
            if isinstance(value, dict):
                out.append("  " * depth + f"{key_text}:\n")
                emit(value, depth + 1)
            else:
                shown = value if isinstance(value, (bool, int, float)) else json.dumps(value if value is not None else "")
                out.append("  " * depth + f"{key_text} {str(shown).lower() if isinstance(value, bool) else shown}\n")

    for key, value in document.items():
        out.append(f"{json.dumps(str(key))}:\n")
        if isinstance(value, dict):
            emit(value, 1)
        out.append("\n")
    return "".join(out)


def _load_tree(name: str, text: str) -> object | None:
    """The data of a seed file in the format's own syntax, or None when it is not readable as such."""
    try:
        if name in ("pyproject", "poetry-lock", "uv-lock", "pylock", "uv-toml", "bunfig", "pipfile", "tox-toml",
                    "cargo-lock", "cargo-toml", "gradle-catalog"):
            import tomllib

            return tomllib.loads(text)
        if name in ("pipfile-lock", "package-json", "package-lock", "npm-shrinkwrap", "package-resolved",
                    "nuget-lock"):
            return json.loads(text)
        if name == "bun-lock":
            from checker.manifests.jsonc import to_json

            return json.loads(to_json(text, "bun.lock"))
        if name == "yarn-lock" and "__metadata" not in text:
            from checker.manifests.yarn_classic import _Classic

            entries = _Classic(text, "yarn.lock", lambda p: None, fast=False)._entries()
            return {", ".join(e.descriptors): e.fields for e in entries}
        from ruamel.yaml import YAML

        return YAML(typ="safe", pure=True).load(text)
    except Exception:
        return None


def _writer(name: str, text: str):  # type: ignore[no-untyped-def]
    if name in ("pyproject", "poetry-lock", "uv-lock", "pylock", "uv-toml", "bunfig", "pipfile", "tox-toml",
                "cargo-lock", "cargo-toml", "gradle-catalog"):
        return to_toml
    if name in ("pipfile-lock", "package-json", "package-lock", "npm-shrinkwrap", "bun-lock", "package-resolved",
                "nuget-lock"):
        return lambda tree: json.dumps(tree, indent=2, ensure_ascii=False)
    if name == "yarn-lock" and "__metadata" not in text:
        return to_yarn_classic
    return to_yaml


# Formats whose files are documents of nested values (line formats, ini files, Python, git's config syntax, Go's
# go.mod syntax and a binary lockfile are not).
TREE_FORMATS = [name for name in ALL_FORMATS if name not in (
    "requirements", "dockerfile", "npmrc", "pip-conf", "yarnrc", "setup-py", "setup-cfg", "tox-ini", "gitmodules",
    "bun-lockb", "gemfile", "gemfile-lock", "gradle-lockfile", "maven-pom", "maven-extensions", "gradle-wrapper",
    "maven-wrapper", "go-mod", "go-sum", "go-work", "nuget-central", "msbuild-project")]


def _tree_seeds(name: str) -> list[tuple[object, str]]:
    found = []
    for text in seeds(name):
        if len(text) > 64 * 1024 and not THOROUGH:
            continue
        tree = _load_tree(name, text)
        if isinstance(tree, dict):
            found.append((tree, text))
    return found


@pytest.mark.parametrize("name", TREE_FORMATS)
def test_documents_with_wrongly_typed_values_give_a_manifest_or_a_clean_error(name):
    trees = _tree_seeds(name)
    assert trees, f"no seed of {name} could be read as a tree"

    @given(data=st.data())
    def run(data):
        tree, text = data.draw(st.sampled_from(trees), label="seed")
        for _ in range(data.draw(st.integers(1, 3), label="changes")):
            tree = _mutate_tree(tree, data)
        try:
            document = _writer(name, text)(tree)
        except Exception:  # a tree the writer cannot express (a NUL in a YAML key, ...): nothing to test
            assume(False)
        note(f"document: {document[:3000]}")
        check_contract(name, document, data.draw(_sibling_for(name), label="sibling"))

    run()


# ---------------------------------------------------------------------------------------------------------------
# Fast readers agree with the full ones: uv.lock (a reader for uv's TOML subset, else tomllib), pnpm and Yarn
# Berry (a reader for the YAML subset package managers write, else ruamel.yaml), Yarn classic (a line reader for
# the canonical layout, else one that follows Yarn's grammar)


def _outcome(parse_once) -> tuple:  # type: ignore[no-untyped-def]
    """A parse's Manifest, or its error as (message, line): what must not depend on the reader."""
    with hang_guard("a differential parse"):
        try:
            return ("manifest", parse_once())
        except ManifestError as error:
            return ("error", error.message, error.line)


_FAST_AND_FULL = {
    "uv-lock": lambda text, fast: __import__("checker.manifests.uv_lock", fromlist=["x"]).parse_lock(
        text, "uv.lock", fast=fast),
    "pnpm-lock": lambda text, fast: __import__("checker.manifests.pnpm_lock", fromlist=["x"]).parse_lock(
        text, "pnpm-lock.yaml", fast=fast),
    "yarn-lock": lambda text, fast: __import__("checker.manifests.yarn_lock", fromlist=["x"]).parse_lock(
        text, "yarn.lock", lambda p: None, fast=fast),
}


@pytest.mark.parametrize("name", sorted(_FAST_AND_FULL))
def test_the_fast_reader_gives_what_the_full_reader_gives(name):
    parse_lock = _FAST_AND_FULL[name]

    @given(data=st.data())
    def run(data):
        text = data.draw(st.sampled_from(seeds(name)), label="seed")
        for _ in range(data.draw(st.integers(0, 3), label="mutations")):
            text = _mutate(text, data)
        note(f"text: {text[:2000]!r}")
        fast = _outcome(lambda: parse_lock(text, True))
        full = _outcome(lambda: parse_lock(text, False))
        assert fast == full

    run()


def test_the_lockfile_yaml_fast_reader_declines_or_agrees_with_ruamel():
    from checker.manifests import lockyaml

    texts = seeds("pnpm-lock") + [t for t in seeds("yarn-lock") if "__metadata" in t]

    @given(data=st.data())
    def run(data):
        text = data.draw(st.sampled_from(texts), label="seed")
        for _ in range(data.draw(st.integers(0, 3), label="mutations")):
            text = _mutate(text, data)
        depth = data.draw(st.sampled_from([1, 2]), label="line depth")
        with hang_guard("the fast YAML reader"):
            fast = lockyaml.read_fast(text, depth)
        if fast is None:
            return
        try:
            full = lockyaml.load_full(text, "lock.yaml", depth)
        except ManifestError as error:
            raise AssertionError(f"the fast reader read what the full loader refuses: {error}") from None
        assert fast == full
        assert repr(fast[0]) == repr(full[0])  # the same types all the way down (1 vs 1.0 vs "1", True vs 1)

    run()
