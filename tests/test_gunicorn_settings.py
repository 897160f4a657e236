"""gunicorn's settings file (config/gunicorn.py): what it does before forking the workers."""

import gc
import importlib


def test_the_loaded_app_is_set_aside_from_the_collector_before_each_fork():
    settings = importlib.import_module("config.gunicorn")
    assert settings.preload_app  # the app's objects exist before the fork: freezing them is what pays
    gc.unfreeze()
    try:
        settings.pre_fork(server=None, worker=None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
