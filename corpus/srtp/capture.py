"""tshark on lo for the capture scripts beside this file (standard library only)."""
import os
import signal
import subprocess
import tempfile
import time

# every datagram between two local ports; the calls cut it down to their own ports after
WIDE_FILTER = "udp and host 127.0.0.1 and not port 1900 and not port 5353"


class Tshark:
    """tshark -i lo -f FILTER -w PATH, started and confirmed recording; stop() by its PID."""

    def __init__(self, path: str, capture_filter: str = WIDE_FILTER):
        self.path = path
        if os.path.exists(path):
            os.unlink(path)
        self.proc = subprocess.Popen(["tshark", "-q", "-i", "lo", "-f", capture_filter,
                                      "-w", path],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.set_blocking(self.proc.stderr.fileno(), False)
        buf, end = b"", time.monotonic() + 10
        # tshark says "Capturing on 'Loopback: lo'" once it is recording.
        while b"Capturing on" not in buf and time.monotonic() < end:
            time.sleep(0.1)
            buf += self.proc.stderr.read() or b""
        if b"Capturing on" not in buf:
            self.stop()
            raise SystemExit("tshark did not start: " + buf.decode(errors="replace"))
        time.sleep(2)  # the message comes a little before dumpcap records the first packet

    def stop(self) -> None:
        time.sleep(0.5)  # let the last datagrams reach the capture
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def temp_pcap() -> str:
    fd, path = tempfile.mkstemp(suffix=".pcapng")
    os.close(fd)
    os.chmod(path, 0o666)  # tshark's dumpcap may write as another user
    return path


def candidate_ports(sdp: str) -> set[int]:
    ports = set()
    for line in sdp.splitlines():
        if line.startswith("a=candidate:"):
            ports.add(int(line.split()[5]))
    return ports


def keep_ports(raw: str, out: str, ports) -> None:
    """Copy to OUT the frames of RAW that have one of PORTS as UDP source or destination."""
    flt = " || ".join(f"udp.port == {p}" for p in sorted(ports))
    subprocess.run(["tshark", "-r", raw, "-Y", flt, "-w", out],
                   check=True, timeout=60, stderr=subprocess.DEVNULL)
