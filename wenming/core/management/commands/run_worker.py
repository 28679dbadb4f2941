"""`wenming run_worker`: the background worker (`wenming worker`, a db_worker steady on a locked SQLite) under a small supervisor that logs why it stopped and
starts it again. `make run` uses it; a production host may use it or systemd's Restart=always."""

import logging
import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

logger = logging.getLogger("wenming.worker")

# A worker that ran at least this long before it stopped is restarted after the first delay again.
STEADY_SECONDS = 60
MAX_DELAY = 60


def exit_reason(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        hint = "（多为内存不足被系统终止）" if -code == signal.SIGKILL else ""
        return f"被信号 {name} 终止{hint}"
    return f"退出码 {code}"


def supervise(argv: list[str], *, delay: float = 5, max_restarts: int | None = None, sleep=time.sleep) -> int:
    """Run `argv` until asked to stop; each unexpected exit is logged with its reason and followed by a restart
    (waiting longer after quick successive failures). Returns the number of restarts."""
    stopping = False
    child: subprocess.Popen | None = None

    def stop(signum, _frame):
        nonlocal stopping
        stopping = True
        logger.warning("后台任务守护进程收到 %s，正在停止后台任务进程。", signal.Signals(signum).name)
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    restarts, wait = 0, delay
    try:
        while True:
            started = time.monotonic()
            child = subprocess.Popen(argv)
            code = child.wait()
            if stopping:
                logger.warning("后台任务进程已停止（%s）。", exit_reason(code))
                return restarts
            ran = time.monotonic() - started
            wait = delay if ran >= STEADY_SECONDS or restarts == 0 else min(wait * 2, MAX_DELAY)
            if max_restarts is not None and restarts >= max_restarts:
                logger.error("后台任务进程（db_worker）意外退出：%s，运行了 %d 秒；已达重启次数上限，不再重启。",
                             exit_reason(code), ran)
                return restarts
            logger.error("后台任务进程（db_worker）意外退出：%s，运行了 %d 秒；%d 秒后重新启动。",
                         exit_reason(code), ran, wait)
            sleep(wait)
            restarts += 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class Command(BaseCommand):
    help = ("运行后台任务进程（db_worker）并守护它：意外退出时在日志中写明原因（退出码或信号）并自动重新启动。"
            "Run db_worker, log why it stops and restart it.")

    def add_arguments(self, parser):
        parser.add_argument("--delay", type=float, default=5, help="重新启动前等待的秒数（连续失败时加倍，最多 60 秒）")
        parser.add_argument("worker_args", nargs="*", help="传给后台任务进程（db_worker）的参数")

    def handle(self, *args, delay=5, worker_args=(), **options):
        logger.warning("后台任务守护进程已启动（进程号 %d）。", os.getpid())
        supervise([sys.executable, "-m", "wenming", "worker", *worker_args], delay=delay)
