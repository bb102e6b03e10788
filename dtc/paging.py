"""A paginator whose count stops at a cap, for the whole-cluster lists that grow with the
years: counting a million referrals to print "Page 1 of 40,000" took longer than the page.

`CappedPaginator(rows, per_page)` counts at most CAP + 1 rows (a bounded read, however
long the history); past CAP the list says "more than 2,000" and pages up to CAP, and
its filters narrow it to what can be counted. Under CAP it is Django's Paginator."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

CAP = 2_000


class CappedPaginator(Paginator):
    cap = CAP

    @cached_property
    def count(self) -> int:
        # COUNT(*) over a subquery stopped at cap + 1 rows; the list's order is not needed.
        rows = self.object_list
        if hasattr(rows, "order_by"):
            return rows.order_by()[: self.cap + 1].count()
        return min(len(rows), self.cap + 1)

    @property
    def capped(self) -> bool:
        """Whether there are more rows than the cap (then count is cap + 1)."""
        return self.count > self.cap

    @property
    def count_text(self) -> str:
        """How many, as a list's caption says it: "25", or "more than 2,000"."""
        return f"more than {self.cap:,}" if self.capped else f"{self.count:,}"

    @cached_property
    def num_pages(self) -> int:
        # Past the cap, the pages that hold the first `cap` rows.
        if self.capped:
            return -(-self.cap // self.per_page)
        return super().num_pages
