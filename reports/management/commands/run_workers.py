import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run WORKER_COUNT background task workers (manage.py db_worker: imports, PDFs) on this machine and "
        "start again any that stops. For worker machines with TASKS_BACKEND=database; stops on SIGTERM / Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=None, help="default: settings.WORKER_COUNT")

    def handle(self, *args, count, **options):
        count = count or settings.WORKER_COUNT
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker", "--no-reload"]
        workers = [subprocess.Popen([*command, "--worker-id", f"w{i}"]) for i in range(count)]
        self.stdout.write(f"{count} task workers started (pids {', '.join(str(w.pid) for w in workers)})")
        stopping = False

        def stop(*_args):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for index, worker in enumerate(workers):
                    if worker.poll() is not None:
                        self.stderr.write(f"worker w{index} stopped ({worker.returncode}); starting it again")
                        workers[index] = subprocess.Popen([*command, "--worker-id", f"w{index}"])
                time.sleep(2)
        except KeyboardInterrupt:
            pass
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)
