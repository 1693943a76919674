"""A lab meeting held in a Sede takes the hall, under the core's one rule (quartiere 0009).

A meeting without an end time takes it for two hours (``laboratori.models.DURATA_INCONTRO``).
Existing meetings are recorded one by one: one that collides with an earlier occupation is
left out with a warning in the migration's output, so an upgrade never stops on old data;
docs/calendario.md tells how to find and fix them.
"""

from django.db import migrations

OCCUPA = """
CREATE FUNCTION laboratori_incontro_occupa() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM quartiere_occupa('laboratori.incontro', OLD.id, NULL, NULL, NULL);
    ELSE
        PERFORM quartiere_occupa('laboratori.incontro', NEW.id,
            CASE WHEN NEW.stato <> 'annullato' THEN NEW.sede_id END,
            NEW.inizio, coalesce(NEW.fine, NEW.inizio + interval '2 hours'));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER laboratori_incontro_occupa AFTER INSERT OR UPDATE OR DELETE
    ON laboratori_incontro FOR EACH ROW EXECUTE FUNCTION laboratori_incontro_occupa();

DO $$
DECLARE
    i record;
BEGIN
    FOR i IN SELECT id, sede_id, inizio, fine FROM laboratori_incontro
              WHERE sede_id IS NOT NULL AND stato <> 'annullato' ORDER BY inizio, id LOOP
        BEGIN
            PERFORM quartiere_occupa('laboratori.incontro', i.id, i.sede_id, i.inizio,
                                     coalesce(i.fine, i.inizio + interval '2 hours'));
        EXCEPTION WHEN exclusion_violation THEN
            RAISE WARNING 'incontro % non registrato: la sala è già occupata', i.id;
        END;
    END LOOP;
END $$;
"""

OCCUPA_INDIETRO = """
DROP TRIGGER IF EXISTS laboratori_incontro_occupa ON laboratori_incontro;
DROP FUNCTION IF EXISTS laboratori_incontro_occupa();
DELETE FROM quartiere_occupazione WHERE origine = 'laboratori.incontro';
"""


class Migration(migrations.Migration):
    dependencies = [
        ("laboratori", "0003_presenza_versione"),
        ("quartiere", "0009_occupazione_sale"),
    ]

    operations = [migrations.RunSQL(OCCUPA, OCCUPA_INDIETRO)]
