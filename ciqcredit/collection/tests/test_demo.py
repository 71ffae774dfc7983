"""The demo's year of records is made through the services and respects their rules."""

import datetime as dt
import random

from ciqcredit.actors import Actor
from ciqcredit.collection.demo import demo_records
from ciqcredit.collection.models import CreditRecord


def test_demo_records_go_through_the_services(world):
    summary = demo_records(rng=random.Random(1), actor=Actor.job("demo"), today=dt.date(2017, 10, 20), count=60)
    records = CreditRecord.objects.all()
    assert records.count() > 20 and "条信用信息" in summary
    assert {r.route for r in records} >= {"eciq", "external"}
    assert records.filter(status="effective").exists()
    assert (
        records.filter(status="effective").values("enterprise", "act_ref").distinct().count()
        == records.filter(status="effective").count()
    )
    again = demo_records(rng=random.Random(1), actor=Actor.job("demo"), today=dt.date(2017, 10, 20), count=60)
    assert "跳过" in again and CreditRecord.objects.count() == records.count()
