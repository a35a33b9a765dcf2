#!/usr/bin/env python3
"""A long fat link on loopback, for benchmarks: an HTTP forward proxy that behaves like a network path.

    python3 bench/link.py --port 8899 --rtt-ms 60 --rate-mbit 400 --window-kib 2048

Clients reach it through their proxy settings (absolute-URI requests for http://, CONNECT for https://).
The proxy stands at the client's end of the link; between it and each server it emulates:
- propagation: every byte reaches the far end RTT/2 after it entered the link, each direction; a new
  connection to a server first pays one round trip for the TCP handshake (for CONNECT, the 200 answer
  comes after it);
- a window per connection and direction: at most W bytes in the link and not yet acknowledged (an
  acknowledgement comes back RTT/2 after delivery), so one connection moves at most W / RTT, as TCP does;
- a rate: all connections together share one token bucket per direction (the link is full duplex),
  whose queue holds at most --queue-ms of sending (20 ms: 1 MB at 400 Mbit/s); a sender finding it
  full waits, as a paced TCP sender would, rather than losing packets.

Bounds: reads of at most 256 KiB; per connection and direction at most W bytes in the link; per
direction a queue of --queue-ms (overshot by at most one read per connection); a request
head of at most 256 KiB; socket receive buffers of 256 KiB. `GET /stats` sent to the proxy itself (not
as a proxy request) answers JSON counts: requests per target and method, connections, bytes each way; nothing else about requests
is kept or printed (presigned query strings are credentials).

Python 3 stdlib only. Data is moved in large chunks; no Python work per byte.
"""
import argparse
import asyncio
import collections
import json
import signal
import socket
import sys
import time

READ_CHUNK = 256 * 1024
# A reader stops reading its socket past twice this; also a request head's bound.
BUFFER = READ_CHUNK
# Bytes the proxy has taken from a sender but not yet put into the link are buffering a real path
# would not have (the kernel would otherwise grow a loopback receive buffer to tens of MB).
SOCKET_RECEIVE_BUFFER = 256 * 1024


class Bucket:
    """The link's rate in one direction, shared by every connection: a virtual clock of when the sender
    is next free, allowed to lag behind now by one burst so an idle link can send a burst at once. Its
    queue holds at most queue_s of sending: like a router's buffer, so that a few full windows do not
    delay every other connection's bytes by hundreds of milliseconds."""

    def __init__(self, bytes_per_s, burst, queue_s):
        self.rate = bytes_per_s
        self.burst_s = burst / bytes_per_s if bytes_per_s else 0.0
        self.queue_s = queue_s
        self.next_free = 0.0

    async def space(self):
        """Waits until the queue has room."""
        loop = asyncio.get_running_loop()
        while self.rate:
            wait = self.next_free - self.queue_s - loop.time()
            if wait <= 0:
                return
            await asyncio.sleep(wait)

    def reserve(self, n, now):
        """The time the last of n bytes has left the sender."""
        if not self.rate:
            return now
        start = max(self.next_free, now - self.burst_s)
        self.next_free = start + n / self.rate
        return self.next_free


class Lane:
    """One direction of one connection through the link: bytes enter with send() once room() allows,
    and are written to the far end's writer after the propagation delay, in order."""

    def __init__(self, link, bucket, writer, counter, not_before=0.0):
        self.link = link
        self.bucket = bucket
        self.writer = writer
        self.counter = counter  # a one-element list the bytes delivered are added to
        self.not_before = not_before
        self.in_flight = 0
        self.queue = collections.deque()
        self.queued = asyncio.Event()
        self.room_freed = asyncio.Event()
        self.ended = False
        self.broken = False
        self.task = asyncio.get_running_loop().create_task(self._deliver())

    async def room(self):
        """Waits until the window and the link's queue have room; returns how many bytes may enter now."""
        while True:
            if self.broken:
                raise ConnectionResetError("the far end of the link is gone")
            if self.in_flight < self.link.window:
                break
            self.room_freed.clear()
            await self.room_freed.wait()
        await self.bucket.space()
        return min(READ_CHUNK, self.link.window - self.in_flight)

    async def send(self, data):
        """Puts data into the link (waiting for room for each piece)."""
        while data:
            room = await self.room()
            self._enter(data[:room])
            data = data[room:]

    def _enter(self, piece):
        loop = asyncio.get_running_loop()
        now = loop.time()
        self.in_flight += len(piece)
        leaves = self.bucket.reserve(len(piece), now)
        self.queue.append((max(leaves, now) + self.link.delay, piece))
        self.queued.set()

    def end(self, close=False):
        """After what is queued: half-closes the far end (or closes it), RTT/2 from now like a FIN."""
        self.queue.append((asyncio.get_running_loop().time() + self.link.delay, close))
        self.queued.set()

    def _acked(self, n):
        self.in_flight -= n
        self.room_freed.set()

    async def _deliver(self):
        loop = asyncio.get_running_loop()
        try:
            while True:
                while not self.queue:
                    self.queued.clear()
                    await self.queued.wait()
                at, piece = self.queue.popleft()
                wait = max(at, self.not_before + self.link.delay) - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if isinstance(piece, bool):  # the end: close, or half-close
                    self.ended = True
                    if piece or not self.writer.can_write_eof():
                        self.writer.close()
                    else:
                        self.writer.write_eof()
                    return
                self.writer.write(piece)
                await self.writer.drain()
                self.counter[0] += len(piece)
                loop.call_later(self.link.delay, self._acked, len(piece))
        except (ConnectionError, OSError):
            # Nothing more gets through: whoever waits for room hears so instead of waiting forever.
            self.broken = True
            self.room_freed.set()
            self.writer.close()


class Target:
    """Counts for one server (host:port) the link carried traffic to."""

    def __init__(self):
        self.requests = collections.Counter()
        self.connections = 0
        self.tunnels = 0
        self.up = [0]
        self.down = [0]

    def json(self):
        return {"requests": dict(self.requests), "connections": self.connections, "tunnels": self.tunnels,
                "bytesUp": self.up[0], "bytesDown": self.down[0]}


class Upstream:
    """A connection from the proxy to one server over the link, with its two lanes and the pump that
    carries the server's bytes back."""

    def __init__(self, link, target, reader, writer, client_writer, opened):
        self.target = target
        self.writer = writer
        stats = link.target(target)
        # The TCP handshake: the first byte goes out one round trip after the connection was asked for.
        self.up = Lane(link, link.up, writer, stats.up, not_before=opened + link.rtt)
        self.down = Lane(link, link.down, client_writer, stats.down)
        self.pump = asyncio.get_running_loop().create_task(self._pump(reader))

    async def _pump(self, reader):
        # When the server closes, so does the client's connection, once the last bytes arrived.
        await pipe(reader, self.down, close=True)

    def close(self):
        for task in (self.pump, self.up.task, self.down.task):
            task.cancel()
        self.writer.close()


class Link:
    """The proxy: serves each client connection, and keeps the link's settings and counts. One thread
    (the event loop's)."""

    def __init__(self, rtt_s, rate_bytes, window, queue_s):
        self.rtt = rtt_s
        self.delay = rtt_s / 2
        self.window = window
        burst = max(READ_CHUNK, int(rate_bytes * 0.002))
        self.up = Bucket(rate_bytes, burst, queue_s)
        self.down = Bucket(rate_bytes, burst, queue_s)
        self.targets = {}
        self.clients = 0
        self.clients_open = 0
        self.clients_peak = 0
        self.errors = 0

    def target(self, name):
        if name not in self.targets:
            self.targets[name] = Target()
        return self.targets[name]

    def stats(self):
        return {"targets": {name: t.json() for name, t in self.targets.items()},
                "clientConnections": self.clients, "clientConnectionsOpen": self.clients_open,
                "clientConnectionsPeak": self.clients_peak,
                "errors": self.errors, "rttMs": self.rtt * 1000, "windowBytes": self.window,
                "rateBytesPerSecond": self.up.rate, "queueMs": self.up.queue_s * 1000, "cpuSeconds": round(time.process_time(), 2)}

    async def serve(self, reader, writer):
        bound(writer)
        self.clients += 1
        self.clients_open += 1
        self.clients_peak = max(self.clients_peak, self.clients_open)
        upstream = None
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except asyncio.IncompleteReadError:
                    break
                except asyncio.LimitOverrunError:
                    writer.write(b"HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    break
                request_line, _, rest = head.partition(b"\r\n")
                parts = request_line.split(b" ")
                if len(parts) != 3:
                    writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    break
                method, uri, version = parts
                headers = parse_headers(rest)
                if method == b"CONNECT":
                    if upstream:
                        upstream.close()
                        upstream = None
                    await self.tunnel(uri.decode("latin-1"), reader, writer)
                    return
                if uri.startswith(b"/"):
                    if not await self.answer_itself(uri, writer):
                        break
                    continue
                try:
                    host, port, path = split_absolute(uri)
                except ValueError:
                    writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    break
                name = "%s:%d" % (host, port)
                if upstream is None or upstream.target != name or upstream.down.ended or upstream.pump.done():
                    if upstream:
                        upstream.close()
                    upstream = await self.open(name, host, port, writer)
                    if upstream is None:
                        writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        break
                self.target(name).requests[method.decode("latin-1")] += 1
                kept = [line for line in rest.split(b"\r\n")
                        if line and not line.lower().startswith((b"proxy-connection:", b"proxy-authorization:"))]
                if not any(line.lower().startswith(b"host:") for line in kept):
                    kept.insert(0, b"Host: " + host.encode() + (b":%d" % port if port != 80 else b""))
                await upstream.up.send(b" ".join((method, path, version)) + b"\r\n" + b"\r\n".join(kept) + b"\r\n\r\n")
                await self.forward_body(headers, reader, upstream.up)
            if upstream:
                # The client is done sending: tell the server, and let the answer finish arriving.
                upstream.up.end()
                await asyncio.wait_for(upstream.pump, 30)
        except (ConnectionError, OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError):
            self.errors += 1
        finally:
            self.clients_open -= 1
            if upstream:
                upstream.close()
            writer.close()

    async def open(self, name, host, port, client_writer):
        opened = asyncio.get_running_loop().time()
        try:
            reader, writer = await asyncio.open_connection(host, port, limit=BUFFER)
        except OSError:
            self.errors += 1
            return None
        bound(writer)
        self.target(name).connections += 1
        return Upstream(self, name, reader, writer, client_writer, opened)

    async def forward_body(self, headers, reader, lane):
        """Forwards exactly the request's body (by Content-Length, or chunk by chunk), so the next
        request on a kept-alive connection is read as a request."""
        if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
            while True:
                size_line = await reader.readuntil(b"\r\n")
                await lane.send(size_line)
                size = int(size_line.split(b";")[0].strip(), 16)
                if size == 0:
                    while True:  # trailers, up to the empty line
                        line = await reader.readuntil(b"\r\n")
                        await lane.send(line)
                        if line == b"\r\n":
                            return
                await self.forward_exactly(size + 2, reader, lane)  # the data and its CRLF
        length = int(headers.get(b"content-length", b"0") or b"0")
        await self.forward_exactly(length, reader, lane)

    async def forward_exactly(self, n, reader, lane):
        while n > 0:
            room = await lane.room()
            data = await reader.read(min(room, n))
            if not data:
                raise asyncio.IncompleteReadError(b"", n)
            n -= len(data)
            lane._enter(data)

    async def tunnel(self, authority, reader, writer):
        host, _, port = authority.rpartition(":")
        host = host.strip("[]")
        name = "%s:%s" % (host, port)
        loop = asyncio.get_running_loop()
        opened = loop.time()
        try:
            up_reader, up_writer = await asyncio.open_connection(host, int(port), limit=BUFFER)
        except (OSError, ValueError):
            self.errors += 1
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        bound(up_writer)
        stats = self.target(name)
        stats.tunnels += 1
        stats.requests["CONNECT"] += 1
        # The handshake with the server took one round trip.
        wait = opened + self.rtt - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        await writer.drain()
        up = Lane(self, self.up, up_writer, stats.up)
        down = Lane(self, self.down, writer, stats.down)
        try:
            await asyncio.gather(pipe(reader, up), pipe(up_reader, down))
        finally:
            for task in (up.task, down.task):
                task.cancel()
            up_writer.close()

    async def answer_itself(self, uri, writer):
        if uri.split(b"?")[0] == b"/stats":
            body = json.dumps(self.stats(), indent=1).encode()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
            await writer.drain()
            return True
        writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        return False


async def pipe(reader, lane, close=False):
    """Raw bytes from reader into lane until end of stream, then half-closes (or closes) the far end."""
    try:
        while True:
            room = await lane.room()
            data = await reader.read(room)
            if not data:
                break
            lane._enter(data)
    except (ConnectionError, OSError):
        pass
    lane.end(close)
    await lane.task


def bound(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SOCKET_RECEIVE_BUFFER)


def parse_headers(block):
    headers = {}
    for line in block.split(b"\r\n"):
        name, sep, value = line.partition(b":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return headers


def split_absolute(uri):
    """http://host[:port]/path?query -> (host, port, b"/path?query")."""
    scheme, sep, rest = uri.partition(b"://")
    if not sep or scheme.lower() != b"http":
        raise ValueError("not an http absolute URI")
    authority, slash, path = rest.partition(b"/")
    authority = authority.decode("latin-1").rpartition("@")[2]
    if authority.startswith("["):
        host, _, port = authority[1:].partition("]")
        port = port.lstrip(":")
    else:
        host, _, port = authority.partition(":")
    if not host:
        raise ValueError("no host")
    return host, int(port) if port else 80, b"/" + path


async def main():
    parser = argparse.ArgumentParser(description="A long fat link on loopback: an HTTP forward proxy.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8899, help="0 picks a free port (printed)")
    parser.add_argument("--rtt-ms", type=float, default=60)
    parser.add_argument("--rate-mbit", type=float, default=400, help="each direction; 0 for no cap")
    parser.add_argument("--window-kib", type=int, default=2048, help="bytes in flight per connection and direction")
    parser.add_argument("--queue-ms", type=float, default=20, help="the most sending the link queues, each direction")
    args = parser.parse_args()
    link = Link(args.rtt_ms / 1000, args.rate_mbit * 1e6 / 8, args.window_kib * 1024, args.queue_ms / 1000)
    server = await asyncio.start_server(link.serve, args.host, args.port, limit=BUFFER)
    port = server.sockets[0].getsockname()[1]
    print("link on %s:%d: %g ms round trip, %g Mbit/s each way, %d KiB window, %g ms queue"
          % (args.host, port, args.rtt_ms, args.rate_mbit, args.window_kib, args.queue_ms), file=sys.stderr, flush=True)
    print(port, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()
    print(json.dumps(link.stats()), file=sys.stderr, flush=True)


if __name__ == "__main__":
    asyncio.run(main())
