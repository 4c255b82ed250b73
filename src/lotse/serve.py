"""Serve Lotse locally as it runs in production: gunicorn for the web, the task worker beside
it, and the participation scheduler that enqueues the daily notification digest at 07:00
(installations with cron can run ``lotse send_digests`` instead and start the server with
``--no-scheduler``). ``make run`` uses this; Ctrl+C stops all three."""

import argparse
import os
import signal
import subprocess
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    parser.add_argument("--workers", default=os.environ.get("LOTSE_WEB_WORKERS", "2"))
    parser.add_argument("--threads", default=os.environ.get("LOTSE_WEB_THREADS", "16"))
    parser.add_argument(
        "--no-scheduler",
        action="store_true",
        help="Do not start the digest scheduler (e.g. when cron runs `lotse send_digests`).",
    )
    args = parser.parse_args()

    bin_dir = os.path.dirname(sys.executable)
    # The commands come from this virtualenv's bin directory, not from user input.
    worker = subprocess.Popen([os.path.join(bin_dir, "lotse"), "db_worker"])  # noqa: S603
    helpers = [worker]
    if not args.no_scheduler:
        helpers.append(
            subprocess.Popen(  # noqa: S603
                [os.path.join(bin_dir, "lotse"), "participation_scheduler"]
            )
        )
    web = subprocess.Popen(  # noqa: S603
        [
            os.path.join(bin_dir, "gunicorn"),
            "lotse.wsgi",
            "--bind",
            f"{args.host}:{args.port}",
            "--workers",
            str(args.workers),
            # Threads, so the live meeting pages' event streams do not hold a whole worker.
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--access-logfile",
            "-",
        ]
    )

    def stop(*_):
        for process in (web, *helpers):
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        code = web.wait()
    except KeyboardInterrupt:
        code = 0
    finally:
        stop()
        for process in (web, *helpers):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return code


if __name__ == "__main__":
    sys.exit(main())
