"""`field__any=[...]`: a value among a list of many, sent to PostgreSQL as one array (`field = ANY(%s)`).

Django's `__in` writes one placeholder per value: for the thousand or so learners of an institution, the query is
built, interpolated and parsed a thousand values long: 13-17 ms for the search at province size, 6-8 ms with one
array. PostgreSQL plans both the same way (an index scan on the column), so `__any` is `__in` for long lists of
plain values. Registered on integer fields in RegistryConfig.ready().
"""

from django.db.models import Lookup


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False  # the list is sent as it is, as one parameter

    def get_prep_lookup(self):
        if hasattr(self.rhs, "resolve_expression"):
            raise TypeError("__any takes a list of values; use __in for a subquery or an expression.")
        # As __in does, None is left out: no row equals it, and in an array it would make NOT ... ANY never true.
        return [self.lhs.output_field.get_prep_value(value) for value in self.rhs if value is not None]

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]
