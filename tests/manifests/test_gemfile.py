"""Tests for checker.manifests.gemfile: the statically readable part of Bundler's DSL, and every other piece of Ruby
reported as a Problem (never a silent skip)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.manifests.gemfile import parse
from checker.model import IndexOption, Source

FIXTURES = Path(__file__).parent / "fixtures" / "gemfile"


def _parse(text: str):
    return parse(text, "Gemfile", lambda path: None)


def _deps(text: str):
    return {d.name: d for d in _parse(text).dependencies}


GEMFILE = '''# frozen_string_literal: true
source "https://rubygems.org"

git_source(:github) { |repo| "https://github.com/#{repo}.git" }

ruby "3.3.0"
gemspec

gem "rails", "~> 7.1", ">= 7.1.3"
gem 'pg', '1.5.4'
gem "puma", "= 6.4.2", require: false
gem "widget", github: "acme/widget", branch: "main"
gem "billing", path: "engines/billing"
gem "private", source: "https://gems.acme.test"
gem "multi",
    "~> 2.0",
    require: false
gem("parens", "~> 1")

group :development, :test do
  gem "rspec-rails", "~> 6.1"
  gem "debug", platforms: %i[mri windows]
end

group :test do
  gem "capybara"
end

group :production, :test do
  gem "both"
end

group :docs, optional: true do
  gem "yard"
end

platforms :jruby do
  gem "jdbc"
end

source "https://gems.internal.test" do
  gem "internal"
end

git "https://github.com/acme/monorepo.git", tag: "v2.0" do
  gem "mono-a"
end

gem "late", group: :development
'''


def test_readable_gemfile() -> None:
    manifest = _parse(GEMFILE)
    assert manifest.problems == ()
    assert manifest.kind == "declared"
    deps = {d.name: d for d in manifest.dependencies}
    assert deps["rails"].specifier == "~> 7.1, >= 7.1.3" and deps["rails"].version is None
    assert deps["pg"].version == "1.5.4" and deps["puma"].version == "6.4.2"
    assert deps["widget"].source == Source("git", url="https://github.com/acme/widget.git", ref="main")
    assert deps["billing"].source == Source("path", url="engines/billing")
    assert deps["private"].source == Source("registry", url="https://gems.acme.test")
    assert deps["multi"].specifier == "~> 2.0" and deps["multi"].line == 15
    assert deps["parens"].specifier == "~> 1"
    assert deps["rspec-rails"].scope == "dev" and deps["capybara"].scope == "dev"
    assert deps["both"].scope == "prod"  # in production too
    assert deps["yard"].scope == "optional"
    assert deps["debug"].markers == "platforms: mri, windows"
    assert deps["jdbc"].markers == "platforms: jruby"
    assert deps["internal"].source == Source("registry", url="https://gems.internal.test")
    assert deps["mono-a"].source == Source("git", url="https://github.com/acme/monorepo.git", ref="v2.0")
    assert deps["late"].scope == "dev"
    assert deps["rails"].source == Source("registry", url="https://rubygems.org")
    assert IndexOption("index", "https://gems.internal.test", 41) in manifest.indexes


@pytest.mark.parametrize("code", [
    'eval_gemfile "other.rb"',
    'gem "rails", ENV.fetch("RAILS_VERSION", "7.1")',
    'gem "rails", "#{version}"',
    'version = "7.1"',
    'gem "evil", mygit: "x/y"',
    'git_source(:github) { |repo| "https://evil.test/#{repo}.git" }',
    '%w[a b].each { |name| gem name }',
    'gem "x", install_if: -> { RUBY_PLATFORM =~ /darwin/ }',
    'gem "x"; gem "y"',
    'instance_eval(File.read("Gemfile.local"))',
    'gem "x", ">= 1" if ENV["X"]',
    'send(:gem, "x")',
    'gem "x", <<~REQ\n  >= 1\nREQ',
    'gem RAILS_NAME',
    'gem "x", git: "https://github.com/a/#{name}.git"',
    'source ENV.fetch("GEM_SOURCE")',
])
def test_ruby_lockgate_does_not_run_is_a_problem(code: str) -> None:
    manifest = _parse(f'source "https://rubygems.org"\n{code}\n')
    assert manifest.problems, code
    assert manifest.problems[0].line == 2


def test_gems_inside_a_conditional_are_read_and_named() -> None:
    text = 'if ENV["CI"]\n  gem "ci-only"\nelse\n  gem "local-only"\nend\ngem "always"\n'
    manifest = _parse(text)
    names = [d.name for d in manifest.dependencies]
    assert names == ["ci-only", "local-only", "always"]
    assert [p.line for p in manifest.problems] == [1, 2, 4]


def test_loops_open_a_block_that_end_closes() -> None:
    manifest = _parse('%w[a b].each do |name|\n  gem name\nend\ngem "after"\n')
    assert [d.name for d in manifest.dependencies] == ["after"]
    assert manifest.problems


def test_comments_and_strings_with_hashes() -> None:
    deps = _deps('gem "a" # , "1.0"\ngem "b", "~> 1.0" # the # in a comment\n')
    assert deps["a"].specifier == "" and deps["b"].specifier == "~> 1.0"


def test_hash_rocket_options() -> None:
    deps = _deps('gem "a", :git => "https://github.com/x/a.git", :ref => "' + "a" * 40 + '"\n')
    assert deps["a"].source == Source("git", url="https://github.com/x/a.git", ref="a" * 40)


def test_real_gemfiles() -> None:
    brew = parse((FIXTURES / "brew.Gemfile").read_text(), "Library/Homebrew/Gemfile", lambda p: None)
    assert len(brew.dependencies) >= 30 and brew.problems  # `if ENV.fetch(...)` around `ruby`
    assert all(p.line in (7,) for p in brew.problems)
    old = parse((FIXTURES / "rubygems.org-2023.Gemfile").read_text(), "Gemfile", lambda p: None)
    assert old.problems == () and {"rails", "pg"} <= {d.name for d in old.dependencies}


def test_runtime_only_options_take_any_ruby() -> None:
    """discourse/discourse's Gemfile: `require:` decides only what Bundler.require loads, not what is installed."""
    manifest = _parse('group :development do\n  gem "bullet", require: !!ENV["BULLET"]\n'
                      '  gem "better_errors", platform: :mri, require: !!ENV["BETTER_ERRORS"]\nend\n')
    assert manifest.problems == ()
    assert [(d.name, d.scope) for d in manifest.dependencies] == [("bullet", "dev"), ("better_errors", "dev")]
