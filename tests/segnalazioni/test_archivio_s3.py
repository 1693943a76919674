"""Uploads on S3-compatible storage (issue 29, first step): with QUARTIERE_S3_BUCKET the
attachments go to the bucket, the views that check access stream them from it, no bucket
URL reaches a page, and the retention removes the objects of an anonymised report.

The S3 server is moto's standalone server, which speaks the real HTTP S3 API: boto3 and
django-storages talk to it over a socket as they would to any S3-compatible service.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from segnalazioni.models import Allegato, Segnalazione
from tests.s3 import nuovo_bucket, oggetti_del_bucket
from tests.segnalazioni.conftest import PDF_MINIMO, immagine
from tests.segnalazioni.passi import dati_segnalazione, invia_online

pytestmark = pytest.mark.django_db


@pytest.fixture
def bucket(server_s3, settings, monkeypatch):
    return nuovo_bucket(server_s3, settings, monkeypatch)


def _dati(san_siro, categoria):
    return dati_segnalazione(
        categoria.pk,
        san_siro.pk,
        "Buca in via Abbiati",
        allegati=[
            SimpleUploadedFile("buca.jpg", immagine("JPEG"), content_type="image/jpeg"),
            SimpleUploadedFile("verbale.pdf", PDF_MINIMO, content_type="application/pdf"),
        ],
    )


def test_gli_allegati_vanno_nel_bucket_e_le_viste_li_servono(
    client, client_di, bucket, san_siro, categoria, coordinatore, operatore_gratosoglio, settings
):
    s3, nome = bucket
    r = invia_online(client, _dati(san_siro, categoria))
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    segnalazione = Segnalazione.objects.get()
    allegati = list(Allegato.objects.order_by("pk"))
    oggetti = oggetti_del_bucket(s3, nome)
    # In the bucket, under the prefix, with the stored (random) names; nothing on disk.
    assert set(oggetti) == {f"media/{a.file.name}" for a in allegati}
    su_disco = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert su_disco == []
    foto = allegati[0]
    url = reverse("segnalazioni:allegato", args=[segnalazione.pk, foto.pk])
    risposta = client_di(coordinatore).get(url)
    assert risposta.status_code == 200
    assert b"".join(risposta.streaming_content) == oggetti[f"media/{foto.file.name}"]
    assert risposta["Content-Type"] == "image/jpeg"
    # Outside the user's scope: not found, as with files on disk.
    assert client_di(operatore_gratosoglio).get(url).status_code == 404
    # No page gives the bucket's address: the browser only ever sees the view.
    pagina = client_di(coordinatore).get(segnalazione.get_absolute_url()).content.decode()
    assert url in pagina
    assert "127.0.0.1:" not in pagina.replace("http://testserver", "")
    assert nome not in pagina


def test_il_bucket_resta_privato(bucket, server_s3):
    """Without a signature the S3 server refuses the object: the storage sets no public
    ACL, and a signed URL would expire in five minutes."""
    import urllib.error
    import urllib.request

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    s3, nome = bucket
    salvato = default_storage.save("prova/segreto.txt", ContentFile(b"dati personali"))
    assert s3.get_object(Bucket=nome, Key=f"media/{salvato}")["Body"].read() == b"dati personali"
    acl = s3.get_object_acl(Bucket=nome, Key=f"media/{salvato}")
    assert not [g for g in acl["Grants"] if "AllUsers" in str(g.get("Grantee", {}))]
    firmato = default_storage.url(salvato)
    assert "X-Amz-Signature=" in firmato and "X-Amz-Expires=300" in firmato
    senza_firma = firmato.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as rifiuto:
        urllib.request.urlopen(senza_firma, timeout=10)  # noqa: S310 - the local test server
    assert rifiuto.value.code == 403


def test_la_conservazione_toglie_gli_oggetti_dal_bucket(client, bucket, san_siro, categoria):
    from quartiere.privacy.conservazione import CLASSI

    s3, nome = bucket
    assert invia_online(client, _dati(san_siro, categoria)).status_code == 302
    assert len(oggetti_del_bucket(s3, nome)) == 2
    classe = CLASSI.voci()["segnalazioni"]
    assert classe.anonimizza(Segnalazione.objects.all()) == 1
    assert oggetti_del_bucket(s3, nome) == {}
    assert not Allegato.objects.exists()


def test_i_file_tra_un_passo_e_l_altro_aspettano_nel_bucket(
    client, bucket, san_siro, categoria, settings
):
    """The steps' waiting attachments are in the bucket too (the next step may run on
    another app server), and go when the report is filed."""
    from segnalazioni.estensioni import _allegati_in_attesa
    from tests.segnalazioni.passi import fino_al_riepilogo, gestione, passo

    s3, nome = bucket
    fino_al_riepilogo(client, _dati(san_siro, categoria))
    in_attesa = [k for k in oggetti_del_bucket(s3, nome) if k.startswith("media/procedure/")]
    assert len(in_attesa) == 2
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []
    # The clean-up keeps the files of a form still being filled in.
    assert _allegati_in_attesa() == 0
    r = client.post(passo("riepilogo"), gestione("riepilogo"))
    assert r.status_code == 302
    rimasti = oggetti_del_bucket(s3, nome)
    assert [k for k in rimasti if k.startswith("media/procedure/")] == []
    assert len(rimasti) == 2 and Allegato.objects.count() == 2
