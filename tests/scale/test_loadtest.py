"""The load test's plan: every URL a simulated user clicks answers that user, and locust's CSV is read right."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from devdata import bench
from devdata.generate import generate_data
from devdata.loadtest import run


@pytest.mark.django_db
def test_every_planned_click_answers_its_user():
    generate_data(scale="4-clubs", seed=3, until=datetime.date.today() - datetime.timedelta(days=1))
    plan = run.build_plan(bench.bench_world(None), "http://127.0.0.1:1", communes=2)
    assert set(plan["roles"]) == {"staff", "officer", "admin"}
    clicked = 0
    for people in plan["roles"].values():
        for person in people:
            client = Client()
            client.cookies[settings.SESSION_COOKIE_NAME] = person["session"]
            for key, urls in person.items():
                if key == "session":
                    continue
                for url in urls[:3]:
                    assert client.get(url).status_code == 200, (key, url)
                    clicked += 1
    assert clicked > 10


def test_locust_statistics_are_read(tmp_path):
    (tmp_path / "run_stats.csv").write_text(
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
        "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,"
        "99.99%,100%\n"
        "GET,club page,120,0,40,45,10,300,5000,2.0,0,40,50,60,70,80,120,200,250,300,300,300\n"
        "POST,enter a repayment,30,1,90,95,50,700,100,0.5,0,90,100,110,120,130,600,650,700,700,700,700\n"
        ",Aggregated,150,1,45,50,10,700,4000,2.5,0,45,55,65,75,90,130,300,650,700,700,700\n",
        encoding="utf-8",
    )
    outcome = run._outcome(tmp_path / "run", 50, 60, [100.0, 101.0], [104.0, 103.0])
    assert (outcome.requests, outcome.failures, outcome.p50_ms, outcome.p95_ms) == (150, 1, 45, 130)
    assert not outcome.ok  # one error fails the run, whatever the speed
    assert [r["name"] for r in outcome.by_name] == ["GET club page", "POST enter a repayment"]
