#!/usr/bin/env python3
"""A shaped link to a network namespace: a delay each way and a rate limit, as `tc netem delay
20ms rate 20mbit` on both ends of a veth pair would give, for kernels built without netem.

    python3 bench/shaped_link.py NAME [--delay-ms 20] [--rate-mbit 20]

Creates the network namespace NAME and two TUN devices, one here (198.18.0.1) and one moved into
NAME (198.18.0.2), point to point. Every IP packet one side sends is read here, queued behind the
packets before it at the link rate, held for the delay, and written to the other side, so TCP on
both ends sees the round trip and the bottleneck. Prints `ready` when the link is up, forwards
until SIGTERM, SIGINT or the end of its standard input, then deletes the namespace (the TUN
devices go with this process). Needs root.

The addresses are RFC 2544's benchmarking range, on devices that exist only for the run.
"""

from __future__ import annotations

import argparse
import collections
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import time

HOST_ADDRESS, NS_ADDRESS = "198.18.0.1", "198.18.0.2"
# linux/if_tun.h
TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
# A packet is at most the TUN device's MTU (1500, no offloads without IFF_VNET_HDR); read with room.
MAX_PACKET = 65_536
# Packets queued per direction before tail drop: netem's default limit.
QUEUE_LIMIT = 1_000


def open_tun(name: str) -> int:
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)


class Direction:
    """One way of the link: a FIFO at the link rate, then the propagation delay."""

    def __init__(self, out_fd: int, delay: float, rate_bps: float):
        self.out_fd, self.delay, self.rate = out_fd, delay, rate_bps
        self.queue: collections.deque[tuple[float, bytes]] = collections.deque()
        self.busy_until = 0.0
        self.dropped = 0

    def enqueue(self, packet: bytes, now: float) -> None:
        if len(self.queue) >= QUEUE_LIMIT:
            self.dropped += 1
            return
        self.busy_until = max(now, self.busy_until) + len(packet) * 8 / self.rate
        self.queue.append((self.busy_until + self.delay, packet))

    def deliver(self, now: float) -> float | None:
        """Writes what is due; returns when the next packet is due, if any."""
        while self.queue and self.queue[0][0] <= now:
            _, packet = self.queue.popleft()
            try:
                os.write(self.out_fd, packet)
            except BlockingIOError:
                self.dropped += 1
        return self.queue[0][0] if self.queue else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", help="network namespace to create")
    parser.add_argument("--delay-ms", type=float, default=20.0, help="one-way delay (default 20: 40 ms RTT)")
    parser.add_argument("--rate-mbit", type=float, default=20.0, help="rate each way (default 20)")
    args = parser.parse_args()
    tag = str(os.getpid() % 100_000)
    host_dev, ns_dev = f"sl{tag}h", f"sl{tag}n"
    stop = False

    def on_signal(*_):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    run("ip", "netns", "add", args.name)
    try:
        host_fd, ns_fd = open_tun(host_dev), open_tun(ns_dev)
        run("ip", "addr", "add", HOST_ADDRESS, "peer", f"{NS_ADDRESS}/32", "dev", host_dev)
        run("ip", "link", "set", host_dev, "up")
        # A TUN device keeps its file descriptor when it moves to another namespace.
        run("ip", "link", "set", ns_dev, "netns", args.name)
        inside = ("ip", "netns", "exec", args.name)
        run(*inside, "ip", "addr", "add", NS_ADDRESS, "peer", f"{HOST_ADDRESS}/32", "dev", ns_dev)
        run(*inside, "ip", "link", "set", ns_dev, "up")
        run(*inside, "ip", "link", "set", "lo", "up")
        rate = args.rate_mbit * 1e6
        to_ns = Direction(ns_fd, args.delay_ms / 1000, rate)
        to_host = Direction(host_fd, args.delay_ms / 1000, rate)
        ways = {host_fd: to_ns, ns_fd: to_host}
        print("ready", flush=True)
        watched = [host_fd, ns_fd, sys.stdin.fileno()]
        while not stop:
            now = time.monotonic()
            due = [t for t in (to_ns.deliver(now), to_host.deliver(now)) if t is not None]
            timeout = max(0.0, min(due) - time.monotonic()) if due else 0.5
            try:
                readable, _, _ = select.select(watched, [], [], timeout)
            except InterruptedError:
                continue
            now = time.monotonic()
            for fd in readable:
                if fd == sys.stdin.fileno():
                    if not os.read(fd, 4096):
                        stop = True
                    continue
                while True:
                    try:
                        packet = os.read(fd, MAX_PACKET)
                    except BlockingIOError:
                        break
                    ways[fd].enqueue(packet, now)
        if to_ns.dropped or to_host.dropped:
            print(f"dropped {to_ns.dropped} packets to the namespace, {to_host.dropped} from it", file=sys.stderr)
    finally:
        subprocess.run(["ip", "netns", "del", args.name], capture_output=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
