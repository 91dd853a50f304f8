"""The facts stage's clients: one module per registry or API. The only place (with checker/github/) that talks to
the network; every request has a timeout and bounded retries, and a failure is an unknown fact, never a "no"."""
