"""A `connector sandbox` process on a free 127.0.0.1 port, for the benchmarks."""
import socket, subprocess, time
from contextlib import contextmanager

@contextmanager
def sandbox(binary, scale, faults="none", extra=()):
    """Yields the sandbox's two base URLs (core API, Copilot: separate hosts in production);
    stops the process afterwards. `extra`: more `connector sandbox` options (latency, limits)."""
    ports = []
    for _ in range(2):
        s = socket.socket(); s.bind(("127.0.0.1", 0)); ports.append(s.getsockname()[1]); s.close()
    port, copilot_port = ports
    process = subprocess.Popen([binary, "sandbox", "--port", str(port), "--copilot-port", str(copilot_port),
                                "--scale", str(scale), "--faults", faults, *extra],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close(); break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", f"http://127.0.0.1:{copilot_port}"
    finally:
        process.terminate(); process.wait()
