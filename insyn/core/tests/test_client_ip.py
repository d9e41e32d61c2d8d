"""The visitor's address behind the proxy: the login lock-out and the public forms count by it."""

from __future__ import annotations

from django.test import RequestFactory

from insyn.core.client_ip import client_address


def test_a_direct_visitor_is_known_by_remote_addr_and_cannot_claim_another_address() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_address(request) == "203.0.113.7"


def test_behind_the_trusted_proxy_the_address_it_wrote_counts_not_what_the_client_prepended() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_address(request) == "203.0.113.7"


def test_axes_uses_the_same_rule() -> None:
    from axes.helpers import get_client_ip_address

    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert get_client_ip_address(request) == "203.0.113.9"
