"""The access log and the retention-run log are append-only in the database itself:
a trigger rejects every UPDATE and DELETE, whoever connects (the admin, a shell, SQL)."""

from django.db import migrations

FUNZIONE = """
CREATE OR REPLACE FUNCTION mediazione_solo_aggiunta() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'La tabella % è in sola aggiunta: % non consentito', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

TABELLE = ["mediazione_accessodossier", "mediazione_esecuzioneconservazione"]


def _crea(tabella):
    return (
        f"CREATE TRIGGER {tabella}_solo_aggiunta BEFORE UPDATE OR DELETE ON {tabella} "
        "FOR EACH ROW EXECUTE FUNCTION mediazione_solo_aggiunta();"
    )


def _togli(tabella):
    return f"DROP TRIGGER IF EXISTS {tabella}_solo_aggiunta ON {tabella};"


class Migration(migrations.Migration):
    dependencies = [
        ("mediazione", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(FUNZIONE, "DROP FUNCTION IF EXISTS mediazione_solo_aggiunta();"),
        *[migrations.RunSQL(_crea(t), _togli(t)) for t in TABELLE],
    ]
