"""moto's standalone S3 server and new private buckets, for the tests of uploads on
S3-compatible storage (the real HTTP S3 API: boto3 and django-storages talk to it over a
socket as they would to any S3 service). A plugin of tests/conftest.py: ``server_s3`` is a
fixture of every test module."""

from __future__ import annotations

import uuid

import boto3
import pytest

from bench.harness import porta_libera

CHIAVI = {"QUARTIERE_S3_ACCESS_KEY_ID": "quartiere", "QUARTIERE_S3_SECRET_ACCESS_KEY": "segreta"}
REGIONE = "eu-south-1"


@pytest.fixture(scope="module")
def server_s3():
    from moto.server import ThreadedMotoServer

    porta = porta_libera()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=porta, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{porta}"
    server.stop()


def nuovo_bucket(server_s3: str, settings, monkeypatch, prefisso: str = "media"):
    """A new private bucket, and the settings' own S3 storage pointed at it (as
    ``QUARTIERE_S3_*`` configure it). Returns the boto3 client and the bucket's name."""
    from quartiere.lib.env import storage_s3

    nome = f"quartiere-{uuid.uuid4().hex[:12]}"
    for chiave, valore in {
        **CHIAVI,
        "QUARTIERE_S3_BUCKET": nome,
        "QUARTIERE_S3_ENDPOINT_URL": server_s3,
        "QUARTIERE_S3_REGION": REGIONE,
        "QUARTIERE_S3_PREFIX": prefisso,
    }.items():
        monkeypatch.setenv(chiave, valore)
    client = boto3.client(
        "s3",
        endpoint_url=server_s3,
        region_name=REGIONE,
        aws_access_key_id=CHIAVI["QUARTIERE_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=CHIAVI["QUARTIERE_S3_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=nome, CreateBucketConfiguration={"LocationConstraint": REGIONE})
    # Setting STORAGES resets Django's storages (setting_changed): FileFields use the bucket.
    settings.STORAGES = {**settings.STORAGES, "default": storage_s3()}
    return client, nome


def oggetti_del_bucket(client, nome: str) -> dict[str, bytes]:
    """Every object of the bucket, by key."""
    chiavi = [o["Key"] for o in client.list_objects_v2(Bucket=nome).get("Contents", [])]
    return {k: client.get_object(Bucket=nome, Key=k)["Body"].read() for k in chiavi}
