"""The read-replica router: reports read from the replica when one is configured, from default otherwise."""

import types
import warnings

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.urls import ResolverMatch

from config.db_router import ReplicaForReportsMiddleware, ReplicaRouter, reading_from_replica


def model(app_label: str):
    return types.SimpleNamespace(_meta=types.SimpleNamespace(app_label=app_label))


@pytest.fixture
def with_replica():
    replica = dict(settings.DATABASES["default"], TEST={"MIRROR": "default"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Django warns that overriding DATABASES is unusual
        with override_settings(DATABASES={**settings.DATABASES, "replica": replica}):
            yield


def test_without_a_replica_everything_reads_from_default():
    router = ReplicaRouter()
    assert "replica" not in settings.DATABASES
    assert router.db_for_read(model("reports")) is None  # None: Django's default alias
    with reading_from_replica():
        assert router.db_for_read(model("members")) is None


def test_with_a_replica_the_reports_app_reads_from_it(with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(model("reports")) == "replica"
    assert router.db_for_read(model("members")) is None
    assert router.db_for_write(model("reports")) == "default"


def test_inside_a_report_the_register_is_read_from_the_replica_but_not_accounts(with_replica):
    router = ReplicaRouter()
    with reading_from_replica():
        for label in ("clubs", "members", "funds", "life", "reports"):
            assert router.db_for_read(model(label)) == "replica"
        for label in ("auth", "sessions", "axes", "contenttypes"):
            assert router.db_for_read(model(label)) is None
    assert router.db_for_read(model("members")) is None  # the block has ended


def test_migrations_run_on_default_only(with_replica):
    router = ReplicaRouter()
    assert router.allow_migrate("default", "members")
    assert not router.allow_migrate("replica", "members")


def _request(method: str, namespace: str):
    request = getattr(RequestFactory(), method.lower())("/somewhere/")
    request.resolver_match = ResolverMatch(lambda r: None, (), {}, url_name="x", app_names=[namespace],
                                           namespaces=[namespace])  # fmt: skip
    return request


def _member_reads_go_to(request) -> str | None:
    seen = {}

    def view(req):
        middleware.process_view(req, None, (), {})
        seen["db"] = ReplicaRouter().db_for_read(model("members"))
        return "response"

    middleware = ReplicaForReportsMiddleware(view)
    assert middleware(request) == "response"
    assert ReplicaRouter().db_for_read(model("members")) is None  # reset after the request
    return seen["db"]


def test_report_pages_read_from_the_replica(with_replica):
    assert _member_reads_go_to(_request("GET", "reports")) == "replica"


def test_saving_a_report_form_and_other_pages_stay_on_default(with_replica):
    assert _member_reads_go_to(_request("POST", "reports")) is None
    assert _member_reads_go_to(_request("GET", "members")) is None


def test_report_pages_without_a_replica_read_from_default():
    assert _member_reads_go_to(_request("GET", "reports")) is None


@pytest.mark.django_db
@pytest.mark.postgresql(reason="the trigram index (pg_trgm, GIN) exists on PostgreSQL only")
def test_names_are_searched_through_a_trigram_index_on_postgresql():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'members_member_search_key_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin (search_key gin_trgm_ops)" in definition
