"""Install commands as the workflow, action.yml and Dockerfile parsers record them: Scorecard's testdata (the
files its Pinned-Dependencies tests judge, with their expected counts and lines), real files of the corpus, and
how each parser reads shells, environments and instructions."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.manifests import action_yml, dockerfile, install_commands, workflow

SCORECARD = Path(__file__).parent / "fixtures" / "install_commands" / "scorecard"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "real" / "pypi-warehouse"
HASH = "--hash=sha256:" + "0" * 64


def unpinned_lines(manifest) -> list[int]:  # type: ignore[no-untyped-def]
    return sorted(c.line for c in manifest.commands if c.problem is not None)


def parse_workflow(text: str, files: dict | None = None, path: str = ".github/workflows/ci.yml"):  # type: ignore[no-untyped-def]
    return workflow.parse(text, path, (files or {}).get)


def parse_dockerfile(text: str):  # type: ignore[no-untyped-def]
    return dockerfile.parse(text, "Dockerfile", lambda path: None)


def scan_script(name: str) -> install_commands.Collected:
    context = install_commands.Context(path=name, scope="prod", read=lambda path: None)
    out = install_commands.Collected()
    install_commands.scan((SCORECARD / name).read_text(), 1, context, out, expressions=False)
    return out


# --- Scorecard's testdata (checks/raw/pinned_dependencies_test.go) ------------------------------------------------


@pytest.mark.parametrize("name, scorecard", [
    ("script-sh", 7), ("script.sh", 7), ("script-bash", 11), ("script-pkg-managers", 56), ("script-wget-pinned", 0),
    ("script-free-from-download.sh", 0), ("script-comments.sh", 0),
])
def test_scorecard_shell_scripts(name: str, scorecard: int) -> None:
    """TestShellScriptDownload: at least as many unpinned commands as Scorecard finds."""
    out = scan_script(name)
    unpinned = [c for c in out.commands if c.problem]
    assert len(unpinned) >= scorecard
    if scorecard == 0:
        assert unpinned == []


def test_scorecard_invalid_script_is_still_judged() -> None:
    """Scorecard cannot parse script-invalid.sh and misses its ``curl bla | bash``; lockgate reads it."""
    assert [c.tool for c in scan_script("script-invalid.sh").commands] == ["curl|sh", "curl|sh"]


def test_scorecard_pkg_managers_script_lines() -> None:
    """What Scorecard counts pinned is pinned here, with two deliberate differences (see the pip docstring)."""
    out = scan_script("script-pkg-managers")
    lines = (SCORECARD / "script-pkg-managers").read_text().split("\n")
    pinned = {lines[c.line - 1].strip() for c in out.commands if c.problem is None}
    assert "pip3 install --require-hashes -r bla-requirements.txt" in pinned
    assert "npm ci" in pinned and "dotnet restore --locked-mode" in pinned
    unpinned = {lines[c.line - 1].strip() for c in out.commands if c.problem is not None}
    assert {"python -m pip install bla.whl", "npm install", "go get somerepo.com/org/name@latest",
            "choco install 'some-package'", "pip install somepkg"} <= unpinned


# Scorecard flattens an exec-form RUN (``RUN ["echo", "a", "&&", "curl", …, "|", "sh"]``) into shell text and
# counts it; BuildKit runs such a RUN without a shell, so ``&&`` and ``|`` are plain words given to echo and
# nothing is downloaded or run. Neither is ``RUN ["sh", "-c", "\"wget … | sh\""]``, whose string is one quoted word
# (a command named ``wget … | sh``), nor ``RUN ["bash", "<(curl …)"]`` (a file of that name). lockgate reads exec
# forms as BuildKit runs them (``RUN ["gsutil", …]`` then ``RUN ["/tmp/exe11"]`` is found): those lines are the
# only differences.
@pytest.mark.parametrize("name, scorecard, not_run", [
    ("Dockerfile-curl-sh", 5, [21]), ("Dockerfile-wget-bin-sh", 4, [19, 20]), ("Dockerfile-script-ok", 0, []),
    ("Dockerfile-curl-file-sh", 12, [31, 32]), ("Dockerfile-proc-subs", 6, [20, 24]),
    ("Dockerfile-wget-file", 10, [33, 35]), ("Dockerfile-gsutil-file", 17, [49, 51]),
    ("Dockerfile-aws-file", 15, [43, 45]), ("Dockerfile-no-curl-sh", 0, []),
    ("Dockerfile-not-pinned-with-parser-error", 2, []),
])
def test_scorecard_dockerfiles(name: str, scorecard: int, not_run: list) -> None:
    text = (SCORECARD / name).read_text()
    manifest = parse_dockerfile(text)
    assert len(unpinned_lines(manifest)) == scorecard - len(not_run)
    lines = text.split("\n")
    for line in not_run:
        assert lines[line - 1].startswith("RUN ["), (line, lines[line - 1])
        assert line not in unpinned_lines(manifest)


def test_scorecard_dockerfile_pkg_managers() -> None:
    text = "FROM scratch\n" + (SCORECARD / "Dockerfile-pkg-managers").read_text()  # Scorecard's file has no FROM
    assert len(unpinned_lines(parse_dockerfile(text))) >= 63


def test_scorecard_dockerfile_download_lines() -> None:
    """Scorecard's lines (TestDockerfileInsecureDownloadsLineNumber) are the RUN's first line; lockgate names the
    line of the command itself (36 for the ``curl bla | bash`` continued from the RUN on 35)."""
    manifest = parse_dockerfile((SCORECARD / "Dockerfile-download-lines").read_text())
    assert {36, 42, 46, 47, 48, 49, 50, 51, 52, 60, 61, 64, 68, 69, 70} <= set(unpinned_lines(manifest))
    assert 73 not in unpinned_lines(manifest)  # raw.githubusercontent.com at a full commit


def test_scorecard_dockerfile_heredocs() -> None:
    manifest = parse_dockerfile((SCORECARD / "Dockerfile-download-heredoc").read_text())
    assert unpinned_lines(manifest) == [20, 28, 36, 38, 43, 45, 51]
    assert sorted(c.line for c in manifest.commands if c.problem is None) == [24, 32, 42, 50]


def test_scorecard_dockerfile_downloads_across_runs() -> None:
    manifest = parse_dockerfile((SCORECARD / "Dockerfile-download-multi-runs").read_text())
    assert unpinned_lines(manifest) == [33]  # Scorecard: 28, 30, 32 (its exec-form echoes) and 37


@pytest.mark.parametrize("name, scorecard", [
    ("github-workflow-curl-default.yaml", 1), ("github-workflow-curl-no-default.yaml", 1),
    ("github-workflow-wget-across-steps.yaml", 2), ("github-workflow-pkg-managers.yaml", 52),
])
def test_scorecard_workflows(name: str, scorecard: int) -> None:
    manifest = parse_workflow((SCORECARD / name).read_text(), path=f".github/workflows/{name}")
    assert len(unpinned_lines(manifest)) >= scorecard


def test_scorecard_workflow_download_lines() -> None:
    manifest = parse_workflow((SCORECARD / "github-workflow-download-lines.yaml").read_text())
    assert unpinned_lines(manifest) == [27, 29, 32]


def test_scorecard_workflow_unknown_os_is_still_read() -> None:
    """Scorecard skips the job whose OS it cannot tell (a processing error); lockgate reads both jobs."""
    manifest = parse_workflow((SCORECARD / "github-workflow-unknown-os.yaml").read_text())
    assert len(unpinned_lines(manifest)) == 2


# --- real files -------------------------------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_warehouse_workflows_and_dockerfile() -> None:
    commands = []
    for path in sorted((CORPUS / ".github" / "workflows").glob("*.yml")):
        commands += parse_workflow(path.read_text(), path=f".github/workflows/{path.name}").commands
    dockerfile_commands = parse_dockerfile((CORPUS / "Dockerfile").read_text()).commands
    assert [(c.tool, c.text, c.line, c.problem) for c in commands] == [("npm", "npm ci", 38, None)]
    assert [(c.tool, c.text, c.line, c.problem) for c in dockerfile_commands] == [("npm", "npm ci", 19, None)]


# --- workflows ----------------------------------------------------------------------------------------------------


def workflow_text(*steps: str, job: str = "", top: str = "") -> str:
    lines = ["on: push", *([top] if top else []), "jobs:", "  test:", "    runs-on: ubuntu-latest"]
    if job:
        lines.append(job)
    lines.append("    steps:")
    lines += steps
    return "\n".join(lines) + "\n"


def test_a_run_step_is_judged_at_its_line() -> None:
    manifest = parse_workflow(workflow_text("      - run: pip install litellm", "      - run: |",
                                            "          echo hi", "          npm ci"))
    assert [(c.tool, c.line, c.problem is None) for c in manifest.commands] == [("pip", 6, False), ("npm", 9, True)]
    assert [(d.ecosystem, d.name, d.line, d.scope) for d in manifest.dependencies] == [("pypi", "litellm", 6, "build")]


def test_a_hashed_requirements_file_is_read_from_the_working_directory() -> None:
    files = {"ci/requirements.txt": f"a==1.0 {HASH}\n", "requirements.txt": "a==1.0\n"}
    manifest = parse_workflow(workflow_text("      - run: pip install -r requirements.txt",
                                            "        working-directory: ci",
                                            "      - run: pip install -r requirements.txt"), files)
    assert [c.problem is None for c in manifest.commands] == [True, False]
    assert manifest.includes == ("ci/requirements.txt", "requirements.txt")


@pytest.mark.parametrize("shell, kind", [("bash", "pip"), ("sh -e {0}", "pip"), ("pwsh", "pip"), ("cmd", "pip"),
                                         ("powershell", "pip")])
def test_every_shell_that_lockgate_reads(shell: str, kind: str) -> None:
    manifest = parse_workflow(workflow_text("      - run: pip install litellm", f"        shell: {shell}"))
    assert [c.tool for c in manifest.commands] == [kind]


def test_a_shell_lockgate_cannot_read_is_a_problem() -> None:
    manifest = parse_workflow(workflow_text("      - run: |", "          import os",
                                            "          os.system('pip install litellm')", "        shell: python"))
    assert manifest.commands == () and "python script that mentions pip" in manifest.problems[0].message


def test_windows_runners_read_powershell_by_default() -> None:
    text = workflow_text("      - run: iwr https://x.example/i.ps1 | iex").replace("ubuntu-latest", "windows-latest")
    assert [c.tool for c in parse_workflow(text).commands] == ["curl|sh"]


def test_default_shell_and_environment_levels() -> None:
    text = workflow_text(
        "      - run: pip install -r reqs.txt", "        env:", "          PIP_EXTRA_INDEX_URL: https://step.example",
        top="env:\n  PIP_INDEX_URL: https://workflow.example/simple\ndefaults:\n  run:\n    shell: bash",
        job="    env:\n      PIP_REQUIRE_HASHES: '1'\n      NPM_CONFIG_REGISTRY: https://npm.example")
    manifest = parse_workflow(text)
    assert [(d.name, d.version, d.line) for d in manifest.dependencies if d.ecosystem == "config"] == [
        ("pip.index-url", "https://workflow.example/simple", 3), ("pip.require-hashes", "1", 11),
        ("npm.registry", "https://npm.example", 12),
        ("pip.extra-index-url", "https://step.example", 16)]
    assert manifest.commands[0].problem is None  # PIP_REQUIRE_HASHES from the job's env


def test_run_of_a_matrix_expression_reads_each_value() -> None:
    text = workflow_text("      - run: ${{ matrix.command }}",
                         job="    strategy:\n      matrix:\n        command: ['npm ci', 'pip install x']")
    assert [(c.tool, c.problem is None) for c in parse_workflow(text).commands] == [("npm", True), ("pip", False)]


def test_run_of_an_opaque_expression_is_a_problem() -> None:
    manifest = parse_workflow(workflow_text("      - run: ${{ inputs.script }}"))
    assert "decided at run time" in manifest.problems[0].message


def test_downloads_are_followed_across_steps_of_one_job_only() -> None:
    text = ("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: curl -o /tmp/i.sh https://x.example/i.sh\n      - run: bash /tmp/i.sh\n"
            "  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: bash /tmp/i.sh\n")
    assert [(c.tool, c.line) for c in parse_workflow(text).commands] == [("curl|sh", 7)]


def test_composite_action_steps() -> None:
    text = ("name: x\nruns:\n  using: composite\n  steps:\n    - run: pip install litellm\n      shell: bash\n"
            "    - run: npm ci\n      shell: bash\n      env:\n        YARN_NPM_REGISTRY_SERVER: https://y.example\n")
    manifest = action_yml.parse(text, "action.yml", lambda path: None)
    assert [(c.tool, c.line, c.problem is None) for c in manifest.commands] == [("pip", 5, False), ("npm", 7, True)]
    assert sorted((d.ecosystem, d.name, d.scope) for d in manifest.dependencies) == [
        ("config", "yarn.npmRegistryServer", "build"), ("pypi", "litellm", "prod")]


# --- Dockerfiles ----------------------------------------------------------------------------------------------------


def test_dockerfile_run_forms() -> None:
    text = ("FROM python:3.12\n"
            "RUN --mount=type=cache,target=/root/.cache \\\n    pip install litellm\n"
            'RUN ["pip", "install", "requests"]\n'
            'RUN ["/bin/bash", "-c", "npm ci && curl -s https://x.example/i.sh | sh"]\n'
            'RUN ["echo", "&&", "pip", "install", "not-run"]\n'
            "RUN <<EOF\nset -e\ngem install rails\nEOF\n"
            "RUN python3 <<EOF\nprint('pip install is text here')\nEOF\n"
            "ONBUILD RUN cargo install ripgrep\n")
    manifest = parse_dockerfile(text)
    assert [(c.tool, c.line, c.problem is None) for c in manifest.commands] == [
        ("pip", 3, False), ("pip", 4, False), ("npm", 5, True), ("curl|sh", 5, False), ("gem", 9, False),
        ("cargo", 14, False)]
    assert ("pypi", "not-run") not in {(d.ecosystem, d.name) for d in manifest.dependencies}


def test_dockerfile_shell_env_and_arg() -> None:
    text = ("FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
            'SHELL ["powershell", "-Command"]\n'
            "ARG PIP_INDEX_URL=https://arg.example/simple\n"
            "ENV NPM_CONFIG_REGISTRY=https://npm.example PIP_REQUIRE_HASHES=1\n"
            "ENV NODE_TLS_REJECT_UNAUTHORIZED 0\n"
            "RUN iwr https://x.example/i.ps1 -UseBasicParsing | iex; pip install -r r.txt\n")
    manifest = parse_dockerfile(text)
    assert [(c.tool, c.problem is None) for c in manifest.commands] == [("pip", True), ("curl|sh", False)]
    assert [(d.name, d.version, d.line) for d in manifest.dependencies if d.ecosystem == "config"] == [
        ("pip.index-url", "https://arg.example/simple", 3), ("npm.registry", "https://npm.example", 4),
        ("pip.require-hashes", "1", 4), ("node.tls-reject-unauthorized", "0", 5)]


def test_dockerfile_requirements_files_are_inside_the_image() -> None:
    manifest = parse_dockerfile("FROM python\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n")
    assert "--require-hashes" in (manifest.commands[0].problem or "")
    assert parse_dockerfile("FROM python\nRUN pip install --require-hashes -r /r.txt\n").commands[0].problem is None


@pytest.mark.parametrize("steps, files", [
    (["      - run: pip install -r requirements/ci.txt -c constraints.txt"], {}),
    (["      - run: pip install --requirement=reqs.txt", "        working-directory: ./tools"], {}),
    (["      - run: |", "          cd x", "          python -m pip install -r'dev.txt' \\", "            -rother.txt"], {}),
    (["      - run: npx eslint && yarn install", "        working-directory: web"], {}),
])
def test_the_include_scan_finds_every_file_the_parse_reads(steps: list[str], files: dict) -> None:
    text = workflow_text(*steps)
    manifest = parse_workflow(text, files)
    scanned = {path for path, _ in workflow.includes(text, ".github/workflows/ci.yml")}
    assert manifest.includes and set(manifest.includes) <= scanned, (manifest.includes, scanned)


def test_a_real_workflow_with_curl_pipe_bash_and_cargo_install() -> None:
    """infinyon/duckdb-connector's publish workflow (see the fixtures' SOURCES.md)."""
    path = Path(__file__).parent / "fixtures" / "install_commands" / "real" / "infinyon-duckdb-connector-publish.yaml"
    manifest = parse_workflow(path.read_text(), path=".github/workflows/publish.yaml")
    assert [(c.tool, c.line) for c in manifest.commands if c.problem] == [("curl|sh", 27), ("cargo", 46)]
    assert [(d.ecosystem, d.name, d.version) for d in manifest.dependencies if d.ecosystem in ("url", "cargo")] == [
        ("url", "https://packages.fluvio.io/v1/install.sh", None), ("cargo", "cross", None)]


def test_a_repository_script_a_step_runs_is_read() -> None:
    files = {"scripts/ci.sh": "#!/usr/bin/env bash\nset -e\npip install evil-package\nsource ./scripts/more.sh\n",
             "scripts/more.sh": "curl -fsSL https://x.example/i.sh | sh\nbash scripts/ci.sh\n",
             "tools/setup": "#!/usr/bin/python3\nimport os\n"}
    text = workflow_text("      - run: bash scripts/ci.sh", "      - run: ./tools/setup")
    manifest = parse_workflow(text, files)
    assert [(c.tool, c.line, c.text) for c in manifest.commands] == [
        ("pip", 6, "scripts/ci.sh:3: pip install evil-package"),
        ("curl|sh", 6, "scripts/ci.sh:4: scripts/more.sh:1: curl -fsSL https://x.example/i.sh | sh")]
    assert {(d.ecosystem, d.name, d.line) for d in manifest.dependencies} == {
        ("pypi", "evil-package", 6), ("url", "https://x.example/i.sh", 6)}
    scanned = {path for path, _ in workflow.includes(text, ".github/workflows/ci.yml")}
    assert {"scripts/ci.sh", "tools/setup"} <= scanned
    assert set(manifest.includes) <= scanned | {"scripts/more.sh"}


def test_the_include_scan_finds_scripts_given_to_a_shell() -> None:
    text = workflow_text("      - run: bash .ci/run --fast", "      - run: source tools/env && sh -e ci/build")
    assert {"ci/build", ".ci/run", "tools/env"} <= {path for path, _ in workflow.includes(text, "w.yml")}
