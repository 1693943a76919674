"""Strict readers for settings taken from the environment.

Each helper fails loudly on a value it cannot understand, so that a typo in a
deployment shows up at start-up instead of silently falling back to a default.
Secrets can be given as ``NAME_FILE`` pointing at a file (Docker/Kubernetes style).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def get_str(name: str, default: str | None = None) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            with open(file_name, encoding="utf-8") as fh:
                return fh.read().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name}: {exc}") from exc
    return os.environ.get(name, default)


def get_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def get_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def get_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def get_reti(name: str) -> list[tuple[str, int]]:
    """Networks with a weight: ``10.1.2.0/24=20,203.0.113.7=5`` → ``[("10.1.2.0/24", 20),
    ("203.0.113.7/32", 5)]``. Each network is an IPv4 or IPv6 address or CIDR block (host
    bits must be zero), each weight a whole number from 1 up."""
    import ipaddress

    reti = []
    for voce in get_list(name):
        rete, uguale, peso = voce.partition("=")
        try:
            if not uguale:
                raise ValueError("manca =peso")
            numero = int(peso)
            if numero < 1:
                raise ValueError("il peso va da 1 in su")
            reti.append((str(ipaddress.ip_network(rete.strip())), numero))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name}: {voce!r} non è rete=peso (es. 10.1.2.0/24=20): {exc}"
            ) from exc
    return reti


def storage_s3() -> dict | None:
    """``STORAGES["default"]`` on S3-compatible storage when ``QUARTIERE_S3_BUCKET`` names a
    bucket (``None`` otherwise: the filesystem stays). django-storages with boto3; the
    objects stay private: no ACL is set (the bucket's own policy, private by default) and
    the views that check access stream every file, so no bucket URL reaches a browser. The
    keys may come from ``*_FILE``."""
    bucket = get_str("QUARTIERE_S3_BUCKET", "")
    if not bucket:
        return None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": get_str("QUARTIERE_S3_ENDPOINT_URL") or None,
            "region_name": get_str("QUARTIERE_S3_REGION") or None,
            "access_key": get_str("QUARTIERE_S3_ACCESS_KEY_ID") or None,
            "secret_key": get_str("QUARTIERE_S3_SECRET_ACCESS_KEY") or None,
            "location": get_str("QUARTIERE_S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            # A name already taken gets a new one, as on the filesystem: nothing overwritten.
            "file_overwrite": False,
        },
    }
