"""The repository as a whole: the package layout (what each stage may import), lockgate's own policy and pins, the
requirements files against pyproject.toml, the files it ships (action.yml, the pre-commit hook) run as GitHub and
pre-commit run them, and the benchmarks' and replay harness's own machinery at tiny sizes."""
