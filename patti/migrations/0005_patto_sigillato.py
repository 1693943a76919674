"""A signed pact is a legal record: from signature on (its signed document frozen in
``documento_firmato``) the database refuses any change to its text, parties, commitments,
projects and budget, whoever writes (a page, the admin, an import, a shell). Only the
monitoring stays editable: the status, the final report, commitments done, projects' progress,
indicators and measurements. A change of substance is a new act (docs/patti.md)."""

from django.db import migrations, models

# The columns a signature freezes; keep in step with patti.models.CAMPI_FIRMATI.
CAMPI_PATTO = """
    numero, titolo, quartiere_id, tipo, livello, bene_materiale, bene_immateriale,
    bene_digitale, beni_descrizione, luogo, lat, lon, finalita, sostegno_materiali,
    sostegno_spazi, sostegno_formazione, sostegno_rimborsi, sostegno_assicurazione,
    sostegno_esenzioni, sostegno_note, copertura_assicurativa, atto_tipo, atto_numero,
    atto_data, data_firma, data_inizio, data_fine, rinnova_id, documento_firmato
"""


def _riga(prefisso, campi):
    return ", ".join(f"{prefisso}.{c.strip()}" for c in campi.split(",") if c.strip())


CAMPI_FIRMATARIO = "patto_id, tipo, persona_id, organizzazione_id, ufficio, rappresentante, ordine"
CAMPI_IMPEGNO = "firmatario_id, descrizione, scadenza"
CAMPI_PROGETTO = "patto_id, titolo, descrizione, ambito, budget, cofinanziamento"

SIGILLO = f"""
CREATE FUNCTION patti_sigillato(patto bigint) RETURNS boolean STABLE LANGUAGE sql AS $$
    SELECT documento_firmato IS NOT NULL FROM patti_patto WHERE id = patto
$$;

CREATE FUNCTION patti_patto_sigillato() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.documento_firmato IS NULL THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'patto % firmato: non si cancella', OLD.numero
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF ({_riga("NEW", CAMPI_PATTO)}) IS DISTINCT FROM ({_riga("OLD", CAMPI_PATTO)}) THEN
        RAISE EXCEPTION 'patto % firmato: il testo firmato non si modifica', OLD.numero
            USING ERRCODE = 'restrict_violation',
                  HINT = 'Per cambiarlo serve un atto integrativo o un rinnovo.';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER patti_patto_sigillato BEFORE UPDATE OR DELETE ON patti_patto
    FOR EACH ROW EXECUTE FUNCTION patti_patto_sigillato();

-- A row under a pact: refused when it is added to, taken from or changed in a sealed pact
-- (for an update, both the pact it leaves and the one it joins count).
CREATE FUNCTION patti_riga_sigillata(patto_vecchio bigint, patto_nuovo bigint, cosa text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF (patto_vecchio IS NOT NULL AND patti_sigillato(patto_vecchio))
       OR (patto_nuovo IS NOT NULL AND patti_sigillato(patto_nuovo)) THEN
        RAISE EXCEPTION 'patto firmato: % non si aggiunge, modifica o toglie', cosa
            USING ERRCODE = 'restrict_violation',
                  HINT = 'Per cambiarlo serve un atto integrativo o un rinnovo.';
    END IF;
END;
$$;

CREATE FUNCTION patti_firmatario_sigillato() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM patti_riga_sigillata(NULL, NEW.patto_id, 'un firmatario');
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM patti_riga_sigillata(OLD.patto_id, NULL, 'un firmatario');
        RETURN OLD;
    ELSIF ({_riga("NEW", CAMPI_FIRMATARIO)}) IS DISTINCT FROM ({_riga("OLD", CAMPI_FIRMATARIO)}) THEN
        PERFORM patti_riga_sigillata(OLD.patto_id, NEW.patto_id, 'un firmatario');
    END IF;
    RETURN NEW;
END;
$$;

CREATE FUNCTION patti_impegno_sigillato() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    vecchio bigint;
    nuovo bigint;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        SELECT patto_id INTO vecchio FROM patti_firmatario WHERE id = OLD.firmatario_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        SELECT patto_id INTO nuovo FROM patti_firmatario WHERE id = NEW.firmatario_id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        PERFORM patti_riga_sigillata(vecchio, NULL, 'un impegno');
        RETURN OLD;
    END IF;
    IF TG_OP = 'INSERT'
       OR ({_riga("NEW", CAMPI_IMPEGNO)}) IS DISTINCT FROM ({_riga("OLD", CAMPI_IMPEGNO)}) THEN
        PERFORM patti_riga_sigillata(vecchio, nuovo, 'un impegno');
    END IF;
    RETURN NEW;
END;
$$;

CREATE FUNCTION patti_progetto_sigillato() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM patti_riga_sigillata(NULL, NEW.patto_id, 'un progetto');
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM patti_riga_sigillata(OLD.patto_id, NULL, 'un progetto');
        RETURN OLD;
    ELSIF ({_riga("NEW", CAMPI_PROGETTO)}) IS DISTINCT FROM ({_riga("OLD", CAMPI_PROGETTO)}) THEN
        PERFORM patti_riga_sigillata(OLD.patto_id, NEW.patto_id, 'un progetto');
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER patti_firmatario_sigillato BEFORE INSERT OR UPDATE OR DELETE ON patti_firmatario
    FOR EACH ROW EXECUTE FUNCTION patti_firmatario_sigillato();
CREATE TRIGGER patti_impegno_sigillato BEFORE INSERT OR UPDATE OR DELETE ON patti_impegno
    FOR EACH ROW EXECUTE FUNCTION patti_impegno_sigillato();
CREATE TRIGGER patti_progetto_sigillato BEFORE INSERT OR UPDATE OR DELETE ON patti_progetto
    FOR EACH ROW EXECUTE FUNCTION patti_progetto_sigillato();
"""

RIMUOVI_SIGILLO = """
DROP TRIGGER IF EXISTS patti_progetto_sigillato ON patti_progetto;
DROP TRIGGER IF EXISTS patti_impegno_sigillato ON patti_impegno;
DROP TRIGGER IF EXISTS patti_firmatario_sigillato ON patti_firmatario;
DROP TRIGGER IF EXISTS patti_patto_sigillato ON patti_patto;
DROP FUNCTION IF EXISTS patti_progetto_sigillato();
DROP FUNCTION IF EXISTS patti_impegno_sigillato();
DROP FUNCTION IF EXISTS patti_firmatario_sigillato();
DROP FUNCTION IF EXISTS patti_riga_sigillata(bigint, bigint, text);
DROP FUNCTION IF EXISTS patti_patto_sigillato();
DROP FUNCTION IF EXISTS patti_sigillato(bigint);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('laboratori', '0005_versione_db_default'),
        ('patti', '0004_versione_db_default'),
        ('quartiere', '0011_confini'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='patto',
            constraint=models.CheckConstraint(condition=models.Q(('documento_firmato__isnull', True), ('stato__in', ['firmato', 'in_attuazione', 'concluso', 'sospeso', 'revocato']), _connector='OR'), name='patto_sigillato_dopo_la_firma'),
        ),
        migrations.RunSQL(SIGILLO, RIMUOVI_SIGILLO),
    ]
