"""Every paginated list uses the GOV.UK pagination component: Previous, the page
numbers with ellipses, the current page marked, Next."""

import re

from django.core.paginator import Paginator
from django.urls import reverse

from dtc.templatetags.pagination import page_links
from tests.factories import ResidentFactory


def test_the_links_show_both_ends_and_the_neighbours_of_the_current_page():
    paginator = Paginator(range(400), 10)
    assert page_links(paginator.page(1)) == [1, 2, None, 40]
    assert page_links(paginator.page(10)) == [1, None, 9, 10, 11, None, 40]
    assert page_links(Paginator(range(30), 10).page(2)) == [1, 2, 3]


def test_a_list_pages_with_numbers_and_marks_the_current_page(client, cast):
    for _ in range(26 * 3):
        ResidentFactory(community=cast.a)
    client.force_login(cast.tm_a)
    page = client.get(reverse("residents:resident_list"), {"page": 2}).content.decode()
    nav = re.search(r'<nav class="govuk-pagination".*?</nav>', page, re.S).group(0)
    assert re.search(r'href="\?page=1"[^>]*aria-label="Page 1"', nav)
    assert re.search(r'aria-label="Page 2" aria-current="page"', nav)
    assert re.search(r'href="\?page=4"[^>]*aria-label="Page 4"', nav)
    assert 'rel="prev"' in nav and 'rel="next"' in nav
    # The page count no longer sits on the current page's blue, where it failed contrast.
    assert "govuk-body-s" not in nav
