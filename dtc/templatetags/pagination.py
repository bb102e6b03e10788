"""{% for link in page|page_links %}: the numbered links of the GOV.UK pagination
component, the first and last pages and one either side of the current, the gaps
between them shown as ellipses (None)."""

from django import template

register = template.Library()


@register.filter
def page_links(page) -> list[int | None]:
    return [
        None if number == page.paginator.ELLIPSIS else number
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
