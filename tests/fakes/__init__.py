"""Test doubles that speak real protocols on 127.0.0.1 (see github_api.py) and small test-only checkers."""
