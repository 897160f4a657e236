"""The installable, offline-capable site (README "Without signal"): the service worker at the root, the
page it shows for what it did not keep, the manifest, and logout clearing the device."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_at_the_root_from_our_static_files(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    imported = json.loads(re.search(r"importScripts\(\.\.\.(\[.*?\])\)", body).group(1))
    assert [url.rsplit("/", 1)[-1] for url in imported] == [
        "workbox-core.prod.js",
        "workbox-routing.prod.js",
        "workbox-strategies.prod.js",
        "workbox-precaching.prod.js",
    ]
    assert all(url.startswith("/static/vendor/workbox/") for url in imported)
    assert "https://" not in body and "http://" not in body  # nothing from a CDN
    assert '"/offline/"' in body and "clb-pages" in body


def test_the_vendored_libraries_match_their_recorded_checksums():
    import hashlib
    from pathlib import Path

    versions = Path(finders.find("vendor/VERSIONS")).read_text().splitlines()
    assert "dexie@4.4.7" in versions
    rows = [line.split() for line in versions if re.match(r"^[0-9a-f]{64} ", line)]
    assert len(rows) >= 10
    for digest, name in rows:
        assert hashlib.sha256(Path(finders.find(f"vendor/{name}")).read_bytes()).hexdigest() == digest, name


def test_the_offline_page_names_no_one(client_for, staff):
    response = client_for(staff).get(reverse("offline"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Không có sóng" in page and staff.username not in page
    assert "<script>" not in page


def test_the_manifest_makes_the_site_installable():
    manifest = json.loads(open(finders.find("manifest.json"), encoding="utf-8").read())
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"]), icon["src"]


def test_logout_clears_the_device(client_for, staff):
    response = client_for(staff).post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'


def test_pages_with_the_offline_panel_say_what_is_kept_on_the_device(client_for, staff, club):
    page = client_for(staff).get(reverse("life:meeting-day", args=[club.pk])).content.decode()
    assert "data-offline-panel" in page and "lưu trên máy này" in page
    assert "Chuẩn bị cho buổi sinh hoạt" in page
    assert "vendor/dexie/dexie.min.js" in page and "js/offline.js" in page
