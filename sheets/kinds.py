"""The kinds of import, each a module of its own (see sheets.engine for what each module holds).

The one table of them: the engine, the templates and the commands look a kind up here."""

from sheets import import_clubs, import_contributions, import_loans, import_members

KINDS = {
    "clubs": import_clubs,
    "members": import_members,
    "loans": import_loans,
    "contributions": import_contributions,
}
