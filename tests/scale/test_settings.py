"""Settings for several app servers: the shared cache from CACHE_URL."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import cache_from_url


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("locmem://", "locmem.LocMemCache", "default"),
        ("db://django_cache", "db.DatabaseCache", "django_cache"),
        ("redis://cache.internal:6379/0", "redis.RedisCache", "redis://cache.internal:6379/0"),
        ("memcached://cache.internal:11211", "memcached.PyMemcacheCache", "cache.internal:11211"),
        ("file:///var/cache/clb", "filebased.FileBasedCache", "/var/cache/clb"),
    ],
)
def test_cache_url(url, backend, location):
    assert cache_from_url(url) == {"BACKEND": f"django.core.cache.backends.{backend}", "LOCATION": location}


def test_unknown_cache_url():
    with pytest.raises(ImproperlyConfigured):
        cache_from_url("mongodb://x")
