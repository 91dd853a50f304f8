"""pre-commit configurations: repositories and revs, additional dependencies of every language, what cannot be
judged (Problems), YAML traps, attacker variants, bad input, and real files of public repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.precommit_config import parse

PATH = ".pre-commit-config.yaml"
REAL = Path(__file__).parent / "fixtures" / "precommit_config" / "real"
SHA = "3e8a8703264a2f4a69428a0aa4dcb512790b2c8c"  # pre-commit/pre-commit-hooks v6.0.0
OTHER = "cef0300fd0fc4d2a87a85fa2093c6b283ea36f4b"  # pre-commit/pre-commit-hooks v5.0.0
HOOKS = "https://github.com/pre-commit/pre-commit-hooks"


def read(text: str, path: str = PATH):  # type: ignore[no-untyped-def]
    return parse(text, path, lambda other: None)


def repos(manifest) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(d.line, d.name, d.version, d.label) for d in manifest.dependencies if d.ecosystem == "pre-commit"]


def extras(manifest) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(d.line, d.ecosystem, d.name, d.version) for d in manifest.dependencies if d.ecosystem != "pre-commit"]


def problems(manifest) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(p.line, p.message) for p in manifest.problems]


def error(text: str) -> ManifestError:
    with pytest.raises(ManifestError) as caught:
        read(text)
    return caught.value


def hook(language: str | None, *deps: str, repo: str = "local") -> str:
    """One repository with one hook whose additional_dependencies are ``deps`` (one per line, from line 7 on)."""
    lines = ["repos:", f"- repo: {repo}"]
    lines.append(f"  rev: {SHA}" if repo != "local" else "  # local")
    lines += ["  hooks:", "  - id: h", f"    language: {language}" if language else "    name: h",
              "    additional_dependencies:"]
    lines += [f"    - {dep!r}" for dep in deps]
    return "\n".join(lines) + "\n"


# --- file names ------------------------------------------------------------------------------------------------


def test_both_names_anywhere_in_the_tree() -> None:
    assert format_for(".pre-commit-config.yaml").name == "pre-commit-config"
    assert format_for(".pre-commit-config.yml").name == "pre-commit-config"  # prek reads it
    assert format_for("services/api/.pre-commit-config.yaml").name == "pre-commit-config"  # prek workspaces
    assert format_for("pre-commit-config.yaml") is None
    assert format_for(".pre-commit-hooks.yaml") is None  # a hook repository's manifest, not a configuration


# --- repositories ----------------------------------------------------------------------------------------------


def test_repositories_revs_labels_and_lines() -> None:
    manifest = read(
        "repos:\n"
        f"- repo: {HOOKS}\n"
        f"  rev: {SHA}  # frozen: v6.0.0\n"
        "  hooks: [{id: trailing-whitespace}]\n"
        "- repo: https://github.com/psf/black\n"
        "  rev: 23.1.0  # must match requirements-dev.txt\n"
        "  hooks:\n"
        "  - id: black\n"
        "- repo: https://github.com/asottile/pyupgrade\n"
        f"  rev: '{OTHER}' # v3.15.0\n"
        "- repo: local\n"
        "  hooks: [{id: x, name: x, entry: x, language: system}]\n"
        "- repo: meta\n"
        "  hooks: [{id: check-hooks-apply}]\n"
    )
    assert (manifest.format, manifest.ecosystem, manifest.kind) == ("pre-commit-config", "pre-commit", "declared")
    assert repos(manifest) == [
        (3, HOOKS, SHA, "frozen: v6.0.0"),
        (6, "https://github.com/psf/black", "23.1.0", "must match requirements-dev.txt"),
        (10, "https://github.com/asottile/pyupgrade", OTHER, "v3.15.0"),
    ]
    assert {d.scope for d in manifest.dependencies} == {"build"} and all(d.direct for d in manifest.dependencies)
    assert manifest.problems == ()


def test_the_name_is_the_url_as_written_less_its_credentials() -> None:
    manifest = read(
        "repos:\n"
        "- repo: https://github.com/psf/black.git\n  rev: v1\n"
        "- repo: https://ci:ghp_secret123@github.com/acme/private-hooks\n  rev: v1\n"
        "- repo: https://github.com@evil.example/psf/black\n  rev: v1\n"  # user-info that looks like a host
        "- repo: git@github.com:acme/hooks.git\n  rev: v1\n"
        "- repo: file:///opt/hooks\n  rev: v1\n"
    )
    assert [d.name for d in manifest.dependencies] == [
        "https://github.com/psf/black.git",  # pre-commit keys its cache by the string: no spelling is merged
        "https://github.com/acme/private-hooks",  # never shown
        "https://evil.example/psf/black",  # the host that really serves it
        "git@github.com:acme/hooks.git",
        "file:///opt/hooks",
    ]


def test_a_repository_without_rev_is_a_problem_and_old_sha_is_read() -> None:
    manifest = read(
        "repos:\n"
        f"- repo: {HOOKS}\n  hooks: [{{id: x}}]\n"
        f"- repo: https://github.com/a/b\n  sha: {SHA}  # v1.0.0\n"
        f"- repo: https://github.com/c/d\n  rev: ~\n"
    )
    assert repos(manifest) == [(5, "https://github.com/a/b", SHA, "v1.0.0")]
    assert problems(manifest) == [
        (2, f"repos[0] ({HOOKS}) has no rev: pre-commit refuses a repository without one, and lockgate cannot tell "
            "which commit would run"),
        (7, "repos[2] (https://github.com/c/d) has no rev: pre-commit refuses a repository without one, and lockgate "
            "cannot tell which commit would run"),
    ]


def test_the_layout_before_pre_commit_1_0_a_bare_list() -> None:
    manifest = read((REAL / "pre-commit-2015.yaml").read_text())
    assert repos(manifest)[0] == (2, "git@github.com:pre-commit/pre-commit-hooks",
                                  "cf550fcab3f12015f8676b8278b30e1a5bc10e70", None)
    assert len(repos(manifest)) == 3


# --- additional dependencies by language -----------------------------------------------------------------------


def test_python_dependencies_are_pip_arguments() -> None:
    manifest = read(hook(
        "python", "Click==8.1.7", "uvloop>=0.15; sys_platform != 'win32'", "requests", "black[jupyter]==24.1.0",
        f"tool @ git+https://github.com/acme/tool@{SHA}", "pkg @ https://files.example/pkg-1.0.tar.gz#sha256=" + "a" * 64,
    ))
    deps = manifest.dependencies
    assert extras(manifest) == [
        (8, "pypi", "click", "8.1.7"), (9, "pypi", "uvloop", None), (10, "pypi", "requests", None),
        (11, "pypi", "black", "24.1.0"), (12, "pypi", "tool", None), (13, "pypi", "pkg", "1.0"),
    ]
    assert deps[1].markers == 'sys_platform != "win32"' and deps[1].specifier == ">=0.15"
    assert (deps[4].source.kind, deps[4].source.commit) == ("git", SHA)
    assert deps[5].hashes == frozenset({"sha256:" + "a" * 64})
    assert manifest.problems == ()


def test_python_venv_is_python() -> None:
    assert extras(read(hook("python_venv", "flake8==7.0.0"))) == [(8, "pypi", "flake8", "7.0.0")]


def test_node_ruby_golang_rust_conda() -> None:
    assert extras(read(hook("node", "eslint@8.56.0", "@typescript-eslint/parser@^6", "prettier", "npm:x@1"))) == [
        (8, "npm", "eslint", "8.56.0"), (9, "npm", "@typescript-eslint/parser", None), (10, "npm", "prettier", None),
    ]
    assert problems(read(hook("node", "npm:x@1")))[0][1].endswith(
        "not an npm package name (npm would install it from a URL, a path or a git repository): name it as "
        "name@X.Y.Z")
    assert extras(read(hook("ruby", "rubocop:1.60.0", "rubocop-rails", "rake:>= 13"))) == [
        (8, "gem", "rubocop", "1.60.0"), (9, "gem", "rubocop-rails", None), (10, "gem", "rake", None),
    ]
    assert extras(read(hook("golang", "golang.org/x/tools/cmd/goimports@v0.17.0", "mvdan.cc/gofumpt@latest",
                            "github.com/a/b@0123456789abcdef0123456789abcdef01234567", "github.com/a/c"))) == [
        (8, "go", "golang.org/x/tools/cmd/goimports", "v0.17.0"), (9, "go", "mvdan.cc/gofumpt", None),
        (10, "go", "github.com/a/b", "0123456789abcdef0123456789abcdef01234567"), (11, "go", "github.com/a/c", None),
    ]
    # cargo install --version 14.1.0 is that version; cargo add serde@1.0.100 is ^1.0.100, serde@=1.0.100 exact
    assert extras(read(hook("rust", "cli:ripgrep:14.1.0", "cli:fd-find", "serde:1.0.100", "serde_json:=1.0.108"))) == [
        (8, "cargo", "ripgrep", "14.1.0"), (9, "cargo", "fd-find", None), (10, "cargo", "serde", None),
        (11, "cargo", "serde_json", "1.0.108"),
    ]
    # conda: == and a space are exact, =X is X.* (fuzzy), =X=build exact
    manifest = read(hook("conda", "numpy==1.26.4", "scipy 1.12.0", "pandas=2.2", "conda-forge::pyarrow=15.0.0=py312_0",
                         "xarray>=2024"))
    assert extras(manifest) == [
        (8, "conda", "numpy", "1.26.4"), (9, "conda", "scipy", "1.12.0"), (10, "conda", "pandas", None),
        (11, "conda", "pyarrow", "15.0.0"), (12, "conda", "xarray", None),
    ]
    assert manifest.dependencies[3].source.url == "conda-forge"


def test_languages_that_install_nothing_and_those_lockgate_cannot_judge() -> None:
    for language in ("system", "script", "unsupported", "pygrep", "docker_image", "fail", "docker", "swift"):
        manifest = read(hook(language, "anything==1"))
        assert (manifest.dependencies, manifest.problems) == ((), ()), language  # pre-commit refuses or ignores them
    [(line, message)] = problems(read(hook("dart", "yaml:3.1.0")))
    assert (line, message) == (8, "additional dependency 'yaml:3.1.0' of hook h (local): pre-commit's dart language "
                                   "installs it from a registry lockgate has no ecosystem for, so lockgate cannot judge "
                                   "it: review it by hand")
    [(_, message)] = problems(read(hook("cobol", "x==1")))
    assert message.endswith("the hook's language 'cobol' is not one pre-commit knows, so lockgate cannot tell what it "
                            "installs")


# --- the language is not written: the string decides, or it is a problem ----------------------------------------


def test_without_a_language_the_syntax_decides_where_only_one_installer_accepts_it() -> None:
    manifest = read(hook(None, "pydantic==2.5.0", "click>=8", "types-requests", "@types/node@20.1.0", "eslint@8.56.0",
                         "github.com/wasilibs/go-shellcheck/cmd/shellcheck@v0.11.1", "cli:ripgrep:14.1.0",
                         "numpy=1.26", "conda-forge::scipy", "rubocop:1.60.0", "./local/pkg",
                         repo="https://github.com/pre-commit/mirrors-mypy"))
    assert extras(manifest) == [
        (8, "pypi", "pydantic", "2.5.0"), (9, "pypi", "click", None), (11, "npm", "@types/node", "20.1.0"),
        (12, "npm", "eslint", "8.56.0"), (13, "go", "github.com/wasilibs/go-shellcheck/cmd/shellcheck", "v0.11.1"),
        (14, "cargo", "ripgrep", "14.1.0"), (15, "conda", "numpy", None), (16, "conda", "scipy", None),
    ]
    found = dict(problems(manifest))
    assert found[10] == (
        "additional dependency 'types-requests' of hook h (https://github.com/pre-commit/mirrors-mypy): names no "
        "version (any package manager takes the newest release), and lockgate cannot tell which package manager "
        "installs it: the hook's language is set in its repository's .pre-commit-hooks.yaml, which lockgate does "
        "not read, and the string alone does not say; write the hook's language: in this file and pin an exact "
        "version"
    )
    # gem's exact pin, cargo's caret range: never guessed
    assert found[17].endswith("and the string alone does not say; write the hook's language: in this file "
                              "(language: python, node, ...)")
    assert "cannot tell which package manager" in found[18]
    assert len(found) == 3


def test_a_hook_language_written_in_the_config_overrides_the_guess() -> None:
    manifest = read(hook("python", "types-requests", repo="https://github.com/pre-commit/mirrors-mypy"))
    assert (extras(manifest), manifest.problems) == ([(8, "pypi", "types-requests", None)], ())


# --- attacker variants -----------------------------------------------------------------------------------------


def test_installer_options_are_problems_never_skipped() -> None:
    for language in ("python", "node", "ruby", None):
        manifest = read(hook(language, "--index-url=https://evil.example/simple", "-ihttps://evil.example/simple",
                             "--registry", "https://evil.example/"))
        assert manifest.problems and [p.line for p in manifest.problems][:2] == [8, 9], language
        assert "not a package: it can change where every package" in manifest.problems[0].message


def test_local_paths_urls_and_invalid_requirements_are_problems() -> None:
    manifest = read(hook("python", "./vendored/pkg", "file:///tmp/pkg", "foo==1.0 --hash=sha256:ab", "foo=1.0"))
    assert [line for line, _ in problems(manifest)] == [8, 9, 10, 11]
    assert "a local path: pip installs whatever is at that path" in problems(manifest)[0][1]
    assert "invalid requirement 'foo=1.0'" in problems(manifest)[3][1]


def test_an_npm_alias_is_the_package_it_installs() -> None:
    [dep] = read(hook("node", "eslint@npm:evil-eslint@8.56.0")).dependencies
    assert (dep.name, dep.version, dep.specifier) == ("evil-eslint", "8.56.0", "npm:evil-eslint@8.56.0")


def test_a_string_longer_than_any_package_is_a_problem() -> None:
    [(line, message)] = problems(read(hook("python", "requests" + " " * 2000 + "==1")))
    assert (line, message.split(": ", 1)[1]) == (8, "longer than 1000 characters: no package name and version is, "
                                                     "and lockgate does not read it")


def test_flow_lists_and_markers_hide_nothing() -> None:
    manifest = read(
        "repos:\n"
        "- repo: local\n"
        "  hooks:\n"
        "  - {id: a, name: a, entry: a, language: python, additional_dependencies: [ 'requests>=2',\n"
        "      \"evil; python_version > '3'\", safe==1.0 ]}\n"
    )
    assert [(d.line, d.name, d.version, d.markers) for d in manifest.dependencies] == [
        (4, "requests", None, None), (5, "evil", None, 'python_version > "3"'), (5, "safe", "1.0", None),
    ]


def test_local_python_hook_with_unpinned_dependencies_is_read() -> None:
    manifest = read(hook("python", "requests", "pyyaml>=6"))
    assert extras(manifest) == [(8, "pypi", "requests", None), (9, "pypi", "pyyaml", None)]


def test_duplicated_rev_is_refused() -> None:
    caught = error(f"repos:\n- repo: {HOOKS}\n  rev: {SHA}\n  rev: v6.0.0\n")
    assert (caught.line, caught.message) == (4, "duplicate key 'rev' (first on line 3)")


def test_anchors_share_a_rev_and_each_alias_keeps_its_own_comment() -> None:
    manifest = read(
        "repos:\n"
        f"- repo: {HOOKS}\n"
        f"  rev: &pinned {SHA}  # frozen: v6.0.0\n"
        "- repo: https://github.com/psf/black\n"
        "  rev: *pinned  # frozen: 24.1.0\n"
        "- &mirror\n"
        "  repo: https://github.com/pre-commit/mirrors-prettier\n"
        "  rev: v3.1.0\n"
        "- *mirror\n"
    )
    assert repos(manifest) == [
        (3, HOOKS, SHA, "frozen: v6.0.0"),
        (5, "https://github.com/psf/black", SHA, "frozen: 24.1.0"),
        (8, "https://github.com/pre-commit/mirrors-prettier", "v3.1.0", None),  # the aliased entry is read once
    ]


def test_merge_keys_bring_a_rev_and_dependencies() -> None:
    manifest = read(
        "x-defaults: &defaults\n"
        "  rev: v1.0.0\n"
        "x-hook: &hook {language: python, additional_dependencies: ['requests>=2']}\n"
        "repos:\n"
        "- <<: *defaults\n"
        "  repo: https://github.com/a/b\n"
        "  hooks:\n"
        "  - <<: *hook\n"
        "    id: h\n"
    )
    assert repos(manifest) == [(2, "https://github.com/a/b", "v1.0.0", None)]
    assert extras(manifest) == [(3, "pypi", "requests", None)]


def test_alias_bombs_cost_their_size() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 30)]  # 10**30 leaves
    manifest = read("\n".join(lines) + "\nrepos:\n- repo: local\n  hooks: [{id: x, language: python}]\n")
    assert (manifest.dependencies, manifest.problems) == ((), ())
    caught = error("\n".join(lines) + "\nrepos:\n- repo: local\n  hooks:\n  - {id: x, language: python, "
                   "additional_dependencies: *a29}\n")
    assert caught.message == "repos[0].hooks[0].additional_dependencies[*] must be a string, found a list"


def test_refs_that_only_look_like_pins_are_kept_as_written() -> None:
    manifest = read(
        "repos:\n"
        "- repo: https://github.com/a/b\n  rev: 3e8a870\n"  # a short SHA
        f"- repo: https://github.com/a/c\n  rev: {SHA.upper()}\n"  # upper-case hex: git reads it as the commit
        "- repo: https://github.com/a/d\n  rev: main\n"
        "- repo: https://github.com/a/e\n  rev: '1234567890'\n"
    )
    assert [d.version for d in manifest.dependencies] == ["3e8a870", SHA.upper(), "main", "1234567890"]


# --- bad input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, line, message", [
    ("", 1, "empty file, expected a pre-commit configuration (a mapping with repos:)"),
    ("just text\n", 1, "a pre-commit configuration must be a mapping with repos:, found 'just text'"),
    ("exclude: x\n", 1, "repos: is missing (pre-commit requires it)"),
    ("repos: {a: 1}\n", 1, "repos must be a list of repositories, found a mapping"),
    ("repos:\n- https://github.com/a/b\n", 2, "repos[0] must be a mapping with repo:, found 'https://github.com/a/b'"),
    ("repos:\n- rev: v1\n", 2, "repos[0]: repo: is missing or empty (a URL, local or meta)"),
    ("repos:\n- repo: [a]\n", 2, "repos[0].repo must be a string, found a list"),
    ("repos:\n- repo: https://x/y\n  rev: [v1]\n", 3, "repos[0].rev must be a string, found a list"),
    ("repos:\n- repo: local\n  hooks: {id: x}\n", 3, "repos[0].hooks must be a list of hooks, found a mapping"),
    ("repos:\n- repo: local\n  hooks: [x]\n", 3, "repos[0].hooks[0] must be a mapping with id:, found 'x'"),
    ("repos:\n- repo: local\n  hooks: [{id: x, additional_dependencies: requests}]\n", 3,
     "repos[0].hooks[0].additional_dependencies must be a list of strings, found 'requests'"),
    ("repos:\n- repo: local\n  hooks: [{id: x, additional_dependencies: [[a]]}]\n", 3,
     "repos[0].hooks[0].additional_dependencies[*] must be a string, found a list"),
    ("repos:\n- repo: local\n  hooks: [{id: x, additional_dependencies: [~]}]\n", 3,
     "repos[0].hooks[0].additional_dependencies holds an empty entry; pre-commit expects strings"),
    ("repos: [\n", 2, "not valid YAML: did not find expected node content"),
])
def test_bad_input_names_the_line(text: str, line: int, message: str) -> None:
    caught = error(text)
    assert (caught.path, caught.line, caught.message) == (PATH, line, message)


def test_too_large() -> None:
    caught = error("repos: []\n" + "#" * (2 * 1024 * 1024))
    assert caught.message == "larger than 2 MiB, expected a pre-commit configuration"


# --- real files of public repositories (tests/manifests/fixtures/precommit_config/real/SOURCES.md) ------------------------


def test_real_pre_commit_repository() -> None:
    manifest = read((REAL / "pre-commit-2026.yaml").read_text())
    assert repos(manifest)[0] == (3, HOOKS, "v6.0.0", None)
    assert len(repos(manifest)) == 8
    # mirrors-mypy: its language is in that repository's .pre-commit-hooks.yaml, and types-pyyaml names no version
    [(line, message)] = problems(manifest)
    assert line == 43 and message.startswith("additional dependency 'types-pyyaml' of hook mypy "
                                             "(https://github.com/pre-commit/mirrors-mypy): names no version")


def test_real_pip_pins_its_mypy_stubs_but_not_all() -> None:
    manifest = read((REAL / "pip-2026.yaml").read_text())
    assert extras(manifest)[:2] == [(42, "pypi", "keyring", "24.2.0"), (43, "pypi", "nox", "2024.03.02")]
    assert [line for line, _ in problems(manifest)] == [44, 49]  # 'pytest', 'typing-extensions' (a flow list)


def test_real_black_local_python_hooks_and_markers() -> None:
    manifest = read((REAL / "black-2026.yaml").read_text())
    assert extras(manifest)[0] == (13, "pypi", "beautifulsoup4", None)
    uvloop = next(d for d in manifest.dependencies if d.name == "uvloop")
    assert (uvloop.line, uvloop.specifier, uvloop.markers) == (53, ">=0.15.2", 'sys_platform != "win32"')
    assert read((REAL / "black-2018.yaml").read_text()).dependencies == ()  # local system hooks only


def test_real_mypy_golang_dependency_of_a_remote_hook() -> None:
    manifest = read((REAL / "mypy-2026.yaml").read_text())
    assert extras(manifest) == [(44, "go", "github.com/wasilibs/go-shellcheck/cmd/shellcheck", "v0.11.1")]
    assert manifest.problems == ()


def test_real_frozen_revs() -> None:
    manifest = read((REAL / "check-pre-commit-config-2023.yaml").read_text())
    assert repos(manifest)[:3] == [
        (3, HOOKS, "c4a0b883114b00d8d76b479c820ce7950211c99b", "frozen: v4.5.0"),
        (28, "https://github.com/real-yfprojects/check-pre-commit-config", "27c71bd46101a7de517863033531963b7d04dee2",
         "frozen: v1.0.0-alpha3"),
        (33, "https://github.com/python-poetry/poetry", "ceeb1892a1f7456a65cd847ad36d740a577dee5e", "frozen: 1.7.0"),
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("*.yaml")))
def test_real_files_lose_nothing(name: str) -> None:
    """Against an independent reading (ruamel.yaml's safe loader): every repository with a rev is a dependency,
    and every additional dependency of a hook that installs any is a dependency or a problem."""
    from ruamel.yaml import YAML

    text = (REAL / name).read_text()
    document = YAML(typ="safe", pure=True).load(text)
    entries = document if isinstance(document, list) else document["repos"]
    pinned = [(entry["repo"], str(entry.get("rev", entry.get("sha")))) for entry in entries
              if entry["repo"] not in ("local", "meta")]
    lists = {id(hook["additional_dependencies"]): hook["additional_dependencies"]  # an alias is one list
             for entry in entries for hook in entry.get("hooks", [])
             if hook.get("language") not in ("system", "script", "pygrep", "unsupported")
             and "additional_dependencies" in hook}
    strings = [dep for deps in lists.values() for dep in deps]
    manifest = read(text)
    assert [(d.name, d.version) for d in manifest.dependencies if d.ecosystem == "pre-commit"] == pinned
    assert len(manifest.dependencies) - len(pinned) + len(manifest.problems) == len(strings)
