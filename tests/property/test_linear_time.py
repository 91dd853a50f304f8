"""Every parser reads a 1 MB pathological line in linear time (issue 16): a 200 KB requirements line of spaces once
took minutes (pip's own comment pattern backtracks quadratically), and every reader is fed what a pull request can
write. Each format gets runs of the characters regular expressions and hand-written loops trip on (blanks, quotes,
brackets, backslashes, separators, `${`, digits, ...) in the places its grammar reads them: a name, a version, a
key, a URL, a comment, a command. A parse may succeed or fail with a ManifestError; it may not hang. The hang guard
(tests/hypothesis_profiles.py) is not a timed assertion: a quadratic reader needs minutes on a megabyte, a linear one
a fraction of a second, and the guard only ends an example that would not end. The default profile samples the
grid; ``LOCKGATE_HYPOTHESIS=thorough`` walks it whole.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_profiles import THOROUGH, hang_guard, use_profile

from checker.errors import ManifestError
from checker.manifests import FORMATS_BY_NAME

use_profile()

SIZE = 1 << 20
UNITS = [" ", "\t", "a", "-", "[", "]", "{", "\\", '"', "'", "#", "@", ":", "/", "a ", "${", "$(", ".", "0", "=",
         "%", ",", "a.", "-a", " #", "-r ", "==", "\\\n", "a\t", "<", "*", "|", "&&", ";", "`"]

# Where each format's grammar reads text: ``{}`` is replaced by the megabyte run.
CONTEXTS: dict[str, list[str]] = {
    "requirements": ["{}", "pkg==1.0 {}", "-r {}", "pkg @ {}", "pkg; {}", "pkg{}==1", "-e {}", "--hash=sha256:{}",
                     "pkg==1 --hash {}", "a{}b#c"],
    "pyproject": ['[project]\nname = "x"\ndependencies = ["{}"]\n', '[tool.poetry.dependencies]\na = "{}"\n',
                  '[[tool.uv.index]]\nname = "a"\nurl = "{}"\n', '[tool.tox]\nlegacy_tox_ini = """\n[testenv]\ndeps = {}\n"""\n',
                  "[tool.{}]\n", "a{} = 1\n"],
    "poetry-lock": ['[[package]]\nname = "{}"\nversion = "1"\nfiles = []\n[metadata]\nlock-version = "2.0"\n',
                    '[[package]]\nname = "a"\nversion = "{}"\nfiles = []\n[metadata]\nlock-version = "2.0"\n'],
    "uv-lock": ['version = 1\n[[package]]\nname = "{}"\nversion = "1"\nsource = {{ registry = "https://pypi.org/simple" }}\n',
                'version = 1\n[[package]]\nname = "a"\nversion = "1"\nsource = {{ registry = "{}" }}\n'
                'wheels = [\n    {{ url = "{}", hash = "sha256:aa" }},\n]\n'],
    "pipfile-lock": ['{{"_meta": {{"pipfile-spec": 6, "sources": []}}, "default": {{"{}": {{"version": "==1"}}}}}}',
                     '{{"_meta": {{"pipfile-spec": 6, "sources": []}}, "default": {{"a": {{"version": "{}"}}}}}}'],
    "pylock": ['lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "{}"\nversion = "1"\n',
               'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "a"\nmarker = "{}"\n'],
    "gha-workflow": ["on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: {}\n",
                     "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: {}\n",
                     "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: pip install {}\n",
                     "on: push\njobs:\n  a:\n    runs-on: x\n    container: {}\n",
                     "on: push\nenv:\n  PIP_INDEX_URL: {}\njobs: {{}}\n"],
    "gha-action": ["runs:\n  using: composite\n  steps:\n    - uses: {}\n",
                   "runs:\n  using: composite\n  steps:\n    - run: {}\n      shell: bash\n"],
    "dockerfile": ["FROM {}\n", "FROM python:3.12\nRUN {}\n", "FROM python:3.12\nRUN pip install {}\n",
                   "ARG X={}\nFROM python:$X\n", "FROM a\nENV PIP_INDEX_URL={}\n"],
    "package-json": ['{{"dependencies": {{"{}": "1"}}}}', '{{"dependencies": {{"a": "{}"}}}}',
                     '{{"scripts": {{"postinstall": "{}"}}}}', '{{"packageManager": "{}"}}',
                     '{{"pnpm": {{"patchedDependencies": {{"a@1": "{}"}}}}}}'],
    "package-lock": ['{{"lockfileVersion": 3, "packages": {{"node_modules/{}": {{"version": "1"}}}}}}',
                     '{{"lockfileVersion": 3, "packages": {{"node_modules/a": {{"version": "1", "resolved": "{}"}}}}}}'],
    "yarn-lock": ['# yarn lockfile v1\n\n"{}@^1":\n  version "1"\n', '# yarn lockfile v1\n\na@^1:\n  version "{}"\n',
                  '__metadata:\n  version: 8\n\n"a@npm:^1":\n  version: 1\n  resolution: "{}"\n'],
    "pnpm-lock": ["lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      {}:\n        specifier: 1\n        version: 1\n",
                  "lockfileVersion: '9.0'\npackages:\n  a@1:\n    resolution: {{integrity: {}}}\n",
                  # a runtime's variants: block mappings as sequence entries, a key and a value on the dash's line
                  "lockfileVersion: '9.0'\npackages:\n  a@1:\n    resolution:\n      variants:\n        - {}: 1\n",
                  "lockfileVersion: '9.0'\npackages:\n  a@1:\n    resolution:\n      variants:\n        - a: {}\n"],
    "pnpm-workspace": ["packages:\n  - {}\n", "catalog:\n  a: {}\n", "onlyBuiltDependencies:\n  - {}\n"],
    "npmrc": ["registry={}\n", "{}=1\n", "@a:registry={}\n", "; {}\n"],
    "yarnrc-yml": ["npmRegistryServer: {}\n", "npmScopes:\n  {}:\n    npmRegistryServer: x\n"],
    "yarnrc": ["registry {}\n", '"{}" x\n'],
    "pip-conf": ["[global]\nindex-url = {}\n", "[{}]\n", "[global]\nextra-index-url =\n  {}\n"],
    "uv-toml": ['index-url = "{}"\n', '[[index]]\nname = "{}"\nurl = "x"\n'],
    "bunfig": ['[install]\nregistry = "{}"\n'],
    "pre-commit-config": ["repos:\n- repo: {}\n  rev: v1\n  hooks: []\n",
                          "repos:\n- repo: https://x\n  rev: {}\n  hooks: []\n",
                          "repos:\n- repo: local\n  hooks:\n  - id: a\n    language: python\n    additional_dependencies: [{}]\n"],
    "setup-py": ['setup(install_requires=["{}"])\n', "setup(install_requires={})\n", "X = {}\nsetup(name=X)\n"],
    "setup-cfg": ["[options]\ninstall_requires =\n    {}\n", "[{}]\n", "[options]\ninstall_requires = %({})s\n"],
    "tox-ini": ["[testenv]\ndeps = {}\n", "[testenv]\ndeps =\n    py38: {}\n", "[testenv:{}]\ndeps = a\n"],
    "tox-toml": ['[env_run_base]\ndeps = ["{}"]\n'],
    "pipfile": ['[packages]\n"{}" = "*"\n', '[packages]\na = "{}"\n', '[[source]]\nname = "a"\nurl = "{}"\n'],
    "conda-env": ["dependencies:\n  - {}\n", "dependencies:\n  - pip:\n    - {}\n", "channels:\n  - {}\n"],
    "bun-lock": ['{{"lockfileVersion": 1, "packages": {{"{}": ["a@1", "", {{}}, "sha512-x"]}}}}',
                 '{{"lockfileVersion": 1, // {}\n"packages": {{}}}}'],
    "gitmodules": ['[submodule "{}"]\n\tpath = a\n\turl = x\n', '[submodule "a"]\n\tpath = a\n\turl = {}\n', "# {}\n"],
    "cargo-lock": ['version = 4\n[[package]]\nname = "{}"\nversion = "1.0.0"\nsource = "x"\n',
                   'version = 4\n[[package]]\nname = "a"\nversion = "1.0.0"\nsource = "git+{}"\n',
                   'version = 4\n[[package]]\nname = "a"\nversion = "1"\ndependencies = [\n "{}",\n]\n', "# {}\n"],
    "cargo-toml": ['[dependencies]\n{} = "1"\n', '[dependencies]\na = {{ git = "{}" }}\n', "[{}]\n",
                   "[target.{}.dependencies]\n"],
    "package-resolved": ['{{"pins": [{{"identity": "{}", "kind": "remoteSourceControl", "location": "x", '
                         '"state": {{"revision": "a"}}}}], "version": 2}}',
                         '{{"object": {{"pins": [{{"repositoryURL": "{}", "state": {{"revision": "a"}}}}]}}, '
                         '"version": 1}}'],
    "gemfile": ['gem "{}"\n', 'gem "a", "{}"\n', "group :a do\n  gem {}\nend\n", "# {}\n", 'gem "a", {}: 1\n'],
    "gemfile-lock": ["GEM\n  remote: {}\n  specs:\n    a (1)\n", "GEM\n  remote: x\n  specs:\n    {} (1)\n",
                     "GEM\n  remote: x\n  specs:\n    a ({})\n", "CHECKSUMS\n  a (1) {}\n", "DEPENDENCIES\n  {}\n"],
    "composer-json": ['{{"require": {{"{}": "1"}}}}', '{{"require": {{"a/b": "{}"}}}}',
                      '{{"repositories": [{{"type": "vcs", "url": "{}"}}]}}'],
    "composer-lock": ['{{"packages": [{{"name": "{}", "version": "1", "dist": {{"type": "zip", "url": "x"}}}}]}}',
                      '{{"packages": [{{"name": "a/b", "version": "{}", "dist": {{"type": "zip", "url": "x"}}}}]}}'],
    "gradle-lockfile": ["{}\n", "a:b:{}=runtimeClasspath\n", "a:b:1={}\n"],
    "gradle-catalog": ['[libraries]\na = "{}"\n', '[libraries]\na = {{ module = "{}", version = "1" }}\n',
                       '[versions]\nx = "{}"\n'],
    "maven-pom": ["<project>{}</project>", "<project><dependencies><dependency><groupId>{}</groupId>"
                  "<artifactId>a</artifactId><version>1</version></dependency></dependencies></project>",
                  "<project><properties><p>{}</p></properties><dependencies><dependency><groupId>a</groupId>"
                  "<artifactId>a</artifactId><version>${{p}}</version></dependency></dependencies></project>",
                  "<project><parent>{}</parent></project>"],
    "maven-extensions": ["<extensions><extension><groupId>{}</groupId><artifactId>a</artifactId></extension>"
                         "</extensions>", "<extensions>{}</extensions>"],
    "gradle-wrapper": ["distributionUrl={}\n", "{}=x\n", "# {}\n"],
    "maven-wrapper": ["distributionUrl={}\n", "wrapperUrl=\\\n{}\n"],
    "go-mod": ["module m\nrequire {} v1.0.0\n", "module m\nrequire a.com/b {}\n", "module m\nreplace a.com/b => {}\n",
               "module m\nrequire (\n\t{} v1.0.0 // indirect\n)\n", "module m\n// {}\n", 'module m\nrequire "{}" v1.0.0\n',
               "module m\nretract [{}, v1.0.0]\n", "module m\nrequire a.com/b v1.0.0-{}\n"],
    "go-sum": ["{} v1.0.0 h1:" + "A" * 43 + "=\n", "a.com/b {} h1:" + "A" * 43 + "=\n", "a.com/b v1.0.0 {}\n",
               "a.com/b v1.0.0-{} h1:" + "A" * 43 + "=\n", "a.com/b v1.0.0/go.mod h1:{}\n"],
    "go-work": ["go 1.22\nuse {}\n", "go 1.22\nreplace a.com/b => {}\n", "go 1.22\nuse (\n\t{}\n)\n"],
    "nuget-lock": ['{{"version": 1, "dependencies": {{"net8.0": {{"{}": {{"type": "Direct", "resolved": "1.0.0"}}}}}}}}',
                   '{{"version": 1, "dependencies": {{"net8.0": {{"a": {{"type": "Direct", "resolved": "{}"}}}}}}}}'],
    "nuget-central": ['<Project><ItemGroup><PackageVersion Include="{}" Version="1.0.0" /></ItemGroup></Project>',
                      '<Project><ItemGroup><PackageVersion Include="a" Version="{}" /></ItemGroup></Project>'],
    "msbuild-project": ['<Project><ItemGroup><PackageReference Include="a" Version="$({})" /></ItemGroup></Project>',
                        '<Project><PropertyGroup><V>{}</V></PropertyGroup><ItemGroup>'
                        '<PackageReference Include="a" Version="$(V)" /></ItemGroup></Project>',
                        '<Project Sdk="{}"></Project>'],
    "pubspec-lock": ['packages:\n  a:\n    dependency: transitive\n    description:\n      name: a\n      url: "{}"\n'
                     '    source: hosted\n    version: "1.0.0"\n', "packages:\n  {}: 1\n"],
    "pubspec": ["dependencies:\n  a: {}\n", "flutter:\n  {}\ndependencies:\n  a: any\n", "{}: 1\n"],
}
CONTEXTS["npm-shrinkwrap"] = CONTEXTS["package-lock"]
PATHS = {"gha-workflow": ".github/workflows/ci.yml", "gha-action": "action.yml", "pylock": "pylock.toml",
         "conda-env": "environment.yml", "go-mod": "go.mod", "go-sum": "go.sum", "go-work": "go.work"}


def _contexts(name: str) -> list[str]:
    return CONTEXTS.get(name, ["{}"])


def _parse(name: str, context: str, unit: str) -> None:
    fmt = FORMATS_BY_NAME[name]
    run = unit * (SIZE // len(unit))
    # The contexts are written as format strings: {} is the run, {{ and }} are braces.
    text = context.replace("{{", "\1").replace("}}", "\2").replace("{}", run).replace("\1", "{").replace("\2", "}")
    path = PATHS.get(name, name if "." in name else {"pipfile": "Pipfile"}.get(name, name))
    path = {"requirements": "requirements.txt", "pyproject": "pyproject.toml", "poetry-lock": "poetry.lock",
            "uv-lock": "uv.lock", "pipfile-lock": "Pipfile.lock", "dockerfile": "Dockerfile",
            "package-json": "package.json", "package-lock": "package-lock.json",
            "npm-shrinkwrap": "npm-shrinkwrap.json", "yarn-lock": "yarn.lock", "pnpm-lock": "pnpm-lock.yaml",
            "pnpm-workspace": "pnpm-workspace.yaml", "npmrc": ".npmrc", "yarnrc-yml": ".yarnrc.yml",
            "yarnrc": ".yarnrc", "pip-conf": "pip.conf", "uv-toml": "uv.toml", "bunfig": "bunfig.toml",
            "pre-commit-config": ".pre-commit-config.yaml", "setup-py": "setup.py", "setup-cfg": "setup.cfg",
            "tox-ini": "tox.ini", "tox-toml": "tox.toml", "bun-lock": "bun.lock", "bun-lockb": "bun.lockb",
            "gitmodules": ".gitmodules", "cargo-lock": "Cargo.lock", "cargo-toml": "Cargo.toml",
            "package-resolved": "Package.resolved", "gemfile": "Gemfile", "gemfile-lock": "Gemfile.lock",
            "composer-json": "composer.json", "composer-lock": "composer.lock", "gradle-lockfile": "gradle.lockfile",
            "gradle-catalog": "gradle/libs.versions.toml", "maven-pom": "pom.xml",
            "maven-extensions": ".mvn/extensions.xml", "gradle-wrapper": "gradle/wrapper/gradle-wrapper.properties",
            "maven-wrapper": ".mvn/wrapper/maven-wrapper.properties", "nuget-lock": "packages.lock.json",
            "nuget-central": "Directory.Packages.props", "msbuild-project": "App.csproj",
            "pubspec-lock": "pubspec.lock", "pubspec": "pubspec.yaml"}.get(name, path)
    with hang_guard(f"parsing a 1 MB run of {unit!r} in {context[:40]!r} as {name}"):
        try:
            fmt.parse(text, path, lambda other: None)
        except ManifestError:
            pass


GRID = [(name, context, unit) for name in sorted(FORMATS_BY_NAME) for context in _contexts(name) for unit in UNITS]


def test_every_format_has_contexts() -> None:
    assert set(CONTEXTS) | {"bun-lockb"} >= set(FORMATS_BY_NAME), "a format was added: give it contexts here"


@settings(max_examples=len(GRID) if THOROUGH else 120)
@given(st.sampled_from(GRID))
def test_a_megabyte_line_is_read_in_linear_time(case: tuple[str, str, str]) -> None:
    _parse(*case)


@pytest.mark.parametrize("name", sorted(FORMATS_BY_NAME))
def test_each_format_once(name: str) -> None:
    """Each format at least once in the default run, on a run of blanks in its first context."""
    _parse(name, _contexts(name)[0], " ")


def test_the_error_helpers_are_linear_too() -> None:
    """What readers call once they have given up (where the nesting went too deep, which number is too long) reads
    hostile text by definition: a line of unclosed strings and runs of just too few digits, a megabyte each."""
    from checker.manifests.common import number_too_long, too_deep

    with hang_guard("locating the nesting and the long number of hostile text"):
        assert too_deep("[" * 600 + '"\\' * (SIZE // 2), "x.json").line == 1
        assert too_deep('"\\"' * (SIZE // 3), "x.json").message == "values nested too deeply to read"
        assert number_too_long(("1" * 4299 + "a") * (SIZE // 4300), "x.toml").line is None


@pytest.mark.parametrize("unit", ["a", "9", "-", "a1", "+."])
def test_finding_urls_in_free_text_is_linear(unit: str) -> None:
    """Every message and hint passes through ``redact_credentials``; a message may quote a hostile line, so a
    megabyte run of scheme characters with no ``://`` after it must not be rescanned from each of its positions."""
    from checker.redaction import redact_credentials

    text = "token@x https://a ? " + unit * (SIZE // len(unit))
    with hang_guard(f"finding URLs in a megabyte run of {unit!r}"):
        assert redact_credentials(text) == text


def test_url_redaction_still_finds_the_scheme_after_digits_and_inside_words() -> None:
    from checker.redaction import redact_credentials

    assert redact_credentials("9http://u:secretpw@h/x x1.https://t:secretpw@h/") == "9http://h/x x1.https://h/"
    assert redact_credentials("see(git+https://u:secretpw@h/r.git)") == "see(git+https://h/r.git)"


@pytest.mark.parametrize("unit", [b"a", b"-", b".", b"/", b"-."])
def test_the_policy_file_scan_is_linear(unit: bytes, tmp_path) -> None:
    """The no-change path scans the base's policy for words that could name a repository file (``extends``); a
    megabyte word that names none is read once, not once from each position."""
    from checker.policy.watch import path_tokens

    with hang_guard(f"scanning a policy holding a megabyte run of {unit!r}"):
        tokens = path_tokens(b"extends: ../base.yml\nx: " + unit * (SIZE // len(unit)) + b"\n")
    assert b"../base.yml" in tokens
