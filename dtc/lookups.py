"""`field__one_of=values`: the field is one of a list of values, as `__in` is, built at
the cost of one value whatever the list's length.

Every list a user reads is narrowed to the communities in their scope and clear of the
people restricted from them: fifty community ids and tens of prison numbers in most
queries. Django's `__in` prepares and compiles each value as its own parameter, which
costs more than the query's execution on a page of such lists. On PostgreSQL the list
is sent as one array parameter (`= ANY(%s)`, the form the planner gives `IN (...)`
anyway); elsewhere it is written as `IN (...)`. As with `__in`, an empty list matches
nothing."""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject, Lookup


class OneOf(Lookup):
    lookup_name = "one_of"
    prepare_rhs = False  # the values are prepared together below, not as one value

    def get_prep_lookup(self):
        prepare = self.lhs.output_field.get_prep_value
        return [prepare(value) for value in dict.fromkeys(self.rhs) if value is not None]

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]
        placeholders = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *self.rhs]


Field.register_lookup(OneOf)
# A foreign key has lookups of its own, not its Field's: `community_id__one_of`.
ForeignObject.register_lookup(OneOf)
