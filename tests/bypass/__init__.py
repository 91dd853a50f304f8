"""Ways around the gate (issue 16's adversarial pass), end to end and grouped by attack, not by package: each file
takes one way an attacker could get a change past lockgate (an include, a symbolic link, a scope move, a setting
made by a command, ...) and runs it through ``lockgate check`` in every spelling and every place it works, so that
a fix in any stage that reopens it fails here."""
