"""End-to-end tests of the subcommands (checker/commands/): lockgate as a user runs it, in real temporary git
repositories, with the fakes of tests/fakes/ on 127.0.0.1 where a command talks to GitHub or a registry. A file
here is named by the command or by what it follows end to end (``test_check_npm.py``); a format's or a rule's few
end-to-end tests stay in that format's or rule's own file."""
