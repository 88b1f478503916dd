"""Version stamps of what pages show, bumped by database triggers in the same transaction as the change.

A learner's balance page is cached under the learner's stamp and the catalogue stamp (see creditbank.pagecache).
Any change to what it shows, made by any code path (the ORM, bulk imports, COPY, psql), bumps one of them, and the
new version becomes visible exactly when the change commits. So a cached page is never served after the data under
it changed, and nothing in Python has to remember to invalidate anything.

- The learner stamp: deposits recorded or voided, the learner's own details, transfer requests, their items and the
  credits applied to them.
- The catalogue stamp: names shared by many learners' pages (institutions, courses, programmes). They change
  rarely, so one province-wide version is enough.

Statement-level triggers read the changed rows from transition tables, so a 10,000-row import bumps each learner
once, in learner order (a fixed lock order across concurrent transactions).
"""

import pgtrigger

_BUMP_LEARNERS = """
    INSERT INTO registry_learnerstamp (learner_id, version)
    SELECT learner_id, 1 FROM ({learner_ids}) AS affected (learner_id)
    WHERE learner_id IS NOT NULL GROUP BY learner_id ORDER BY learner_id
    ON CONFLICT (learner_id) DO UPDATE SET version = registry_learnerstamp.version + 1;
    RETURN NULL;
"""

_BUMP_CATALOGUE = """
    INSERT INTO registry_cataloguestamp (id, version) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET version = registry_cataloguestamp.version + 1;
    RETURN NULL;
"""

_OPERATIONS = {"insert": pgtrigger.Insert, "update": pgtrigger.Update}


def bump_learner_stamps(prefix: str, learner_ids: str, operations=("insert", "update")) -> list[pgtrigger.Trigger]:
    """Triggers that bump the stamps of the learners `learner_ids` selects from the transition table `changed`."""
    return [
        pgtrigger.Trigger(
            name=f"{prefix}_{operation}_stamp",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=_OPERATIONS[operation],
            referencing=pgtrigger.Referencing(new="changed"),
            func=_BUMP_LEARNERS.replace("{learner_ids}", learner_ids),
        )
        for operation in operations
    ]


def bump_catalogue_stamp(prefix: str, operation=pgtrigger.Update) -> pgtrigger.Trigger:
    return pgtrigger.Trigger(
        name=f"{prefix}_catalogue_stamp",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=operation,
        func=_BUMP_CATALOGUE,
    )
