"""Race-safety of public submissions: the same idempotency key posted at the same moment from
several threads saves one request (the unique column decides; the losers get the winner)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from gongkai.foi import actions
from gongkai.foi.models import InfoRequest

from .conftest import asking, person


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs concurrent writers (PostgreSQL)")
def test_same_key_at_the_same_time_makes_one_request(government, dept_a):
    n = 8
    barrier = threading.Barrier(n)
    results, errors = [], []

    def submit():
        try:
            barrier.wait()
            req, created = actions.submit_online(
                government, dept_a, person(), asking(), idempotency_key="race-1"
            )
            results.append((req.pk, created))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert InfoRequest.objects.count() == 1
    assert {pk for pk, _ in results} == {InfoRequest.objects.get().pk}
    assert sum(created for _, created in results) == 1
