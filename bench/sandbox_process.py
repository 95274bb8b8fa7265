"""A `connector sandbox` process on a free 127.0.0.1 port, for the benchmarks."""
import socket, subprocess, time
from contextlib import contextmanager

@contextmanager
def sandbox(binary, scale, faults="none"):
    """Yields the sandbox's base URL; stops the process afterwards."""
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    process = subprocess.Popen([binary, "sandbox", "--port", str(port), "--scale", str(scale), "--faults", faults],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close(); break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate(); process.wait()
