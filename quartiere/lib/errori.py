"""The domain error every service raises."""

from __future__ import annotations


class ErroreDominio(Exception):
    """A rule of the domain forbids the requested change; the message is for the user."""
