package io.skylift.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A TCP proxy on 127.0.0.1 in front of an HTTP/1.1 server (S3, or a stand-in), which injects
 * the failures of real networks and real storage on demand: error answers, reset connections,
 * stalls and a slow uplink.
 *
 * <p>It reads the client's requests just enough to know where each one starts (head up to the
 * blank line, then {@code Content-Length} body bytes; keep-alive works, chunked bodies do not)
 * and copies the server's bytes back untouched. Each planned fault applies to the next requests
 * it matches, in the order the plans were made, and can be planned while requests are flowing.
 * Rates can be capped for all connections together and for each on its own (a long link, where
 * one connection moves at most its window per round trip). Thread-safe.
 */
public final class FaultProxy implements AutoCloseable {

    /**
     * What a request asks for, as the proxy saw it.
     *
     * @param path    the request target before any {@code ?}, as sent (still percent-encoded)
     * @param query   what follows the {@code ?}, as sent; empty when there is none
     * @param headers lower-cased names; repeated headers joined with {@code ", "}
     */
    public record RequestHead(String method, String path, String query, Map<String, String> headers) {
        public RequestHead {
            headers = Map.copyOf(headers);
        }
    }

    static final int MAX_CONNECTIONS = 256;
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int CHUNK = 16 * 1024;

    private sealed interface Fault permits Forward, Fail, Reset, Stall, ShiftRange, StallAnswer {}

    private record Forward() implements Fault {}

    private record Fail(int status) implements Fault {}

    private record Reset(long afterBodyBytes) implements Fault {}

    private record Stall(Duration duration) implements Fault {}

    private record ShiftRange() implements Fault {}

    private record StallAnswer(Duration duration) implements Fault {}

    private static final class Plan {
        final Fault fault;
        final Predicate<RequestHead> match;
        int remaining;

        Plan(Fault fault, Predicate<RequestHead> match, int remaining) {
            this.fault = fault;
            this.match = match;
            this.remaining = remaining;
        }
    }

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final List<Plan> plans = new ArrayList<>(); // guarded by itself
    private final Throttle throttle = new Throttle();
    private final Throttle downThrottle = new Throttle();
    private final AtomicLong bodyBytesForwarded = new AtomicLong();
    private final AtomicLong bytesReturned = new AtomicLong();
    private final AtomicInteger requestsSeen = new AtomicInteger();
    private final AtomicInteger faultsInjected = new AtomicInteger();
    private final AtomicInteger connectionsAccepted = new AtomicInteger();
    private final AtomicInteger peakConnections = new AtomicInteger();
    private volatile long perConnectionBytesPerSecond;
    private volatile Thread acceptor;
    private volatile boolean closed;

    private FaultProxy(InetSocketAddress target, ServerSocket listener) {
        this.target = target;
        this.listener = listener;
    }

    /** Listens on an ephemeral port of 127.0.0.1 and forwards every connection to {@code target}. */
    public static FaultProxy start(InetSocketAddress target) throws IOException {
        Objects.requireNonNull(target, "target");
        // A backlog above the connection limit, so that a burst is refused by the proxy, not by the kernel.
        var proxy = new FaultProxy(target, new ServerSocket(0, 2 * MAX_CONNECTIONS, InetAddress.getLoopbackAddress()));
        proxy.acceptor = Thread.ofPlatform().daemon().name("fault-proxy-accept-" + proxy.port())
                .start(proxy::acceptConnections);
        return proxy;
    }

    public int port() {
        return listener.getLocalPort();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /**
     * The next {@code count} requests matching {@code match} get {@code status} with an S3 error
     * body ({@code SlowDown} for 503, {@code InternalError} for 500, S3's expired-URL refusal for 403)
     * instead of reaching the server,
     * and their connection is closed.
     */
    public void failNext(int count, Predicate<RequestHead> match, int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("Not an HTTP status: " + status);
        }
        plan(count, match, new Fail(status));
    }

    /**
     * The next {@code count} requests matching {@code match} are forwarded until {@code afterBodyBytes}
     * of their body (or all of it, if shorter) reached the server; then the client's connection is
     * reset (TCP RST) and the server's closed.
     */
    public void resetNext(int count, Predicate<RequestHead> match, long afterBodyBytes) {
        if (afterBodyBytes < 0) {
            throw new IllegalArgumentException("Negative byte count: " + afterBodyBytes);
        }
        plan(count, match, new Reset(afterBodyBytes));
    }

    /**
     * The next {@code count} requests matching {@code match} have their head forwarded, then nothing
     * more moves on their connection, either way, for {@code stall}; then forwarding resumes.
     */
    public void stallNext(int count, Predicate<RequestHead> match, Duration stall) {
        if (stall.isNegative() || stall.isZero()) {
            throw new IllegalArgumentException("A stall must last: " + stall);
        }
        plan(count, match, new Stall(stall));
    }

    /**
     * From now on, plays a proxy that never relays {@code 100 Continue}: a client that asks for it
     * hears nothing until it sends its body anyway. (The server is not asked, so it sends none and
     * waits for the body, as a server behind such a proxy does.)
     */
    public void swallowContinue() {
        swallowContinue = true;
    }

    /**
     * The next {@code count} requests matching {@code match} that ask for a range get the range one
     * byte further on ({@code bytes=a-b} becomes {@code bytes=a+1-b+1}): as long as was asked, but
     * other bytes, as a broken cache or middlebox might answer. The server's Content-Range says so.
     */
    public void shiftRangeNext(int count, Predicate<RequestHead> match) {
        plan(count, match, new ShiftRange());
    }

    /**
     * From now on, each request matching {@code match} that no plan covers meets a fault with
     * probability {@code rate}, one of four alike: a reset part way through its body, a stall of
     * {@code stall}, a 500 or a 503. Seeded, so a run can be repeated.
     */
    public void randomFaults(double rate, Predicate<RequestHead> match, long seed, Duration stall) {
        randomFaults = new RandomFaults(rate, match, new java.util.Random(seed), stall);
    }

    /**
     * The next {@code count} requests matching {@code match} go through whole, and then their
     * connection moves nothing either way for {@code stall}: the server's answer is late (an interim
     * {@code 100 Continue} sent before the body still comes through in time).
     */
    public void stallAnswerNext(int count, Predicate<RequestHead> match, Duration stall) {
        plan(count, match, new StallAnswer(stall));
    }

    /** Drops every fault still planned: the network or the service is well again. */
    public void clearFaults() {
        synchronized (plans) {
            plans.clear();
        }
    }

    /** Limits client-to-server bytes, over all connections together, to {@code bytesPerSecond}; 0 lifts the limit. */
    public void throttle(long bytesPerSecond) {
        throttle.set(bytesPerSecond);
    }

    /** Limits server-to-client bytes, over all connections together; 0 lifts the limit. */
    public void throttleDownloads(long bytesPerSecond) {
        downThrottle.set(bytesPerSecond);
    }

    /**
     * Limits each connection on its own, each way, to {@code bytesPerSecond} (within the limits for
     * all together), open ones from their next write: as on a long link, where one connection moves
     * at most its window per round trip, only more connections go faster. 0 lifts the limit.
     */
    public void throttleEachConnection(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("Negative rate: " + bytesPerSecond);
        }
        perConnectionBytesPerSecond = bytesPerSecond;
    }

    /**
     * From now on, counts the client connections open at once that carried a request matching
     * {@code match} (from that request until they close, idle kept-alive time included); the peak is
     * {@link #peakConnections()}. Before it is called, none is counted.
     */
    public void countConnections(Predicate<RequestHead> match) {
        connectionMatch = Objects.requireNonNull(match, "match");
        peakConnections.set(countedConnections.get());
    }

    /** The most connections counted by {@link #countConnections} that were open at once. */
    public int peakConnections() {
        return peakConnections.get();
    }

    private volatile Predicate<RequestHead> connectionMatch = head -> false;
    private final AtomicInteger countedConnections = new AtomicInteger();

    /** Response bytes (heads included) written to clients so far. */
    public long bytesReturned() {
        return bytesReturned.get();
    }

    /** Request body bytes written to the server so far. */
    public long bodyBytesForwarded() {
        return bodyBytesForwarded.get();
    }

    /** Request heads read from clients so far, faulted ones included. */
    public int requestsSeen() {
        return requestsSeen.get();
    }

    /** How many of the requests seen (the last {@value #REMEMBERED_HEADS} at most) match. */
    public int requestsSeen(Predicate<RequestHead> match) {
        synchronized (heads) {
            return (int) heads.stream().filter(match).count();
        }
    }

    private volatile boolean swallowContinue;
    private volatile RandomFaults randomFaults;

    /** Faults drawn at random for requests no plan covers; see {@link #randomFaults}. */
    private record RandomFaults(double rate, Predicate<RequestHead> match, java.util.random.RandomGenerator random, Duration stall) {}

    private static final int REMEMBERED_HEADS = 100_000;
    private final java.util.ArrayDeque<RequestHead> heads = new java.util.ArrayDeque<>();

    private void remember(RequestHead head) {
        synchronized (heads) {
            if (heads.size() == REMEMBERED_HEADS) {
                heads.removeFirst();
            }
            heads.addLast(head);
        }
    }

    /**
     * From now on, counts the requests matching {@code match} that are open at once: from their head
     * until the server's first byte after their whole body (or their connection's end). The peak is
     * {@link #peakInFlight()}.
     */
    public void countInFlight(Predicate<RequestHead> match) {
        inFlightMatch = Objects.requireNonNull(match, "match");
    }

    /** The most requests matching {@link #countInFlight} that were open at once so far. */
    public int peakInFlight() {
        return peakInFlight.get();
    }

    private volatile Predicate<RequestHead> inFlightMatch = head -> false;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();

    /** Faults that took effect so far. */
    public int faultsInjected() {
        return faultsInjected.get();
    }

    /** Stops listening (connecting is refused once this returns) and closes every connection. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        // The port keeps taking connections until the thread blocked in accept() has left it.
        try {
            acceptor.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.forEach(Connection::close);
    }

    private void plan(int count, Predicate<RequestHead> match, Fault fault) {
        if (count < 1) {
            throw new IllegalArgumentException("A fault must apply to at least one request: " + count);
        }
        Objects.requireNonNull(match, "match");
        synchronized (plans) {
            plans.add(new Plan(fault, match, count));
        }
    }

    private Fault takeFault(RequestHead head) {
        synchronized (plans) {
            for (Iterator<Plan> it = plans.iterator(); it.hasNext(); ) {
                Plan plan = it.next();
                if (plan.match.test(head)) {
                    if (--plan.remaining == 0) {
                        it.remove();
                    }
                    return plan.fault;
                }
            }
        }
        RandomFaults chance = randomFaults;
        if (chance != null && chance.match().test(head)) {
            synchronized (chance.random()) {
                if (chance.random().nextDouble() < chance.rate()) {
                    long body = Long.parseLong(head.headers().getOrDefault("content-length", "0"));
                    return switch (chance.random().nextInt(4)) {
                        case 0 -> new Reset(body == 0 ? 0 : chance.random().nextLong(body));
                        case 1 -> new Stall(chance.stall());
                        case 2 -> new Fail(500);
                        default -> new Fail(503);
                    };
                }
            }
        }
        return new Forward();
    }

    private void acceptConnections() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // the listener was closed
            }
            // Only this thread adds, so the check cannot be raced past.
            if (connections.size() >= MAX_CONNECTIONS) {
                closeQuietly(client);
                continue;
            }
            var connection = new Connection(connectionsAccepted.incrementAndGet(), client);
            connections.add(connection);
            if (closed) { // close() may have swept the set just before the add
                connection.close();
                return;
            }
            connection.start();
        }
    }

    /** One client connection and its own connection to the server, each direction pumped by a thread. */
    private final class Connection implements Closeable {
        private final int id;
        private final Socket client;
        private final Socket server = new Socket();
        private final Object clientWrites = new Object();
        private final AtomicBoolean closing = new AtomicBoolean();
        private final AtomicInteger openDirections = new AtomicInteger(2);
        // 0: no counted request open; 1: a counted one is sending its body; 2: it awaits its answer
        private final AtomicInteger counted = new AtomicInteger();
        private volatile long stallEndsNanos = System.nanoTime();
        // Set once a reset request's body went: the server's answer, however quick, never reaches the client.
        private volatile boolean answersDropped;
        private volatile Thread requests;
        private volatile Thread responses;
        // This connection's own limits (throttleEachConnection), each way.
        private final Throttle ownUp = new Throttle();
        private final Throttle ownDown = new Throttle();
        // Whether countConnections counts this one (only the request thread sets it; close reads it after).
        private volatile boolean countedAsConnection;
        private InputStream fromClient;
        private OutputStream toClient;
        private OutputStream toServer;

        Connection(int id, Socket client) {
            this.id = id;
            this.client = client;
        }

        void start() {
            requests = thread("up", this::pumpRequests);
        }

        private Thread thread(String direction, Runnable pump) {
            return Thread.ofPlatform().daemon().name("fault-proxy-" + port() + "-" + id + "-" + direction).start(pump);
        }

        private void pumpRequests() {
            try {
                server.connect(target, 5_000);
                fromClient = new BufferedInputStream(client.getInputStream(), CHUNK);
                toClient = client.getOutputStream();
                toServer = server.getOutputStream();
                InputStream fromServer = server.getInputStream();
                responses = thread("down", () -> pumpResponses(fromServer));
                Incoming incoming;
                while ((incoming = Incoming.read(fromClient)) != null) {
                    requestsSeen.incrementAndGet();
                    remember(incoming.head());
                    if (!countedAsConnection && connectionMatch.test(incoming.head())) {
                        countedAsConnection = true;
                        peakConnections.accumulateAndGet(countedConnections.incrementAndGet(), Math::max);
                    }
                    if (inFlightMatch.test(incoming.head()) && counted.compareAndSet(0, 1)) {
                        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    }
                    if (!handle(incoming)) {
                        close();
                        return;
                    }
                }
                // The client is done sending; the server may still be answering.
                server.shutdownOutput();
                directionDone();
            } catch (IOException | RuntimeException e) {
                close();
            }
        }

        /** @return whether the connection carries on */
        private boolean handle(Incoming incoming) throws IOException {
            if (incoming.chunked()) {
                answer(501, "NotImplemented", "FaultProxy cannot frame chunked request bodies.");
                return false;
            }
            switch (takeFault(incoming.head())) {
                case Forward forward -> {
                    answerAwaitedAfter(incoming.bodyLength());
                    forward(headToForward(incoming));
                    forwardBody(incoming.bodyLength());
                    return true;
                }
                case Fail fail -> {
                    faultsInjected.incrementAndGet();
                    answer(fail.status());
                    // Swallow the body, so the client finishes sending and then reads the answer
                    // instead of failing on a write to a closed socket (and Expect: 100-continue
                    // clients, which wait for an answer before sending, are not kept waiting).
                    discardBody(incoming.bodyLength());
                    return false;
                }
                case Reset reset -> {
                    forward(incoming.bytes());
                    forwardBody(Math.min(incoming.bodyLength(), reset.afterBodyBytes()));
                    // From the last byte forwarded (not before: a 100 Continue must still go through).
                    answersDropped = true;
                    faultsInjected.incrementAndGet();
                    // Linger 0 first: whichever thread closes the client socket now sends an RST.
                    client.setSoLinger(true, 0);
                    server.close(); // a plain close: the server sees the body end early
                    return false;
                }
                case ShiftRange shift -> {
                    answerAwaitedAfter(incoming.bodyLength());
                    faultsInjected.incrementAndGet();
                    String head = new String(headToForward(incoming), StandardCharsets.ISO_8859_1);
                    var range = java.util.regex.Pattern.compile("(?im)^(range:\\s*bytes=)(\\d+)-(\\d+)").matcher(head);
                    String shifted = range.find() ? range.replaceFirst(range.group(1) + (Long.parseLong(range.group(2)) + 1) + "-"
                            + (Long.parseLong(range.group(3)) + 1)) : head;
                    forward(shifted.getBytes(StandardCharsets.ISO_8859_1));
                    forwardBody(incoming.bodyLength());
                    return true;
                }
                case StallAnswer late -> {
                    answerAwaitedAfter(incoming.bodyLength());
                    forward(headToForward(incoming));
                    forwardBody(incoming.bodyLength());
                    faultsInjected.incrementAndGet();
                    stallEndsNanos = System.nanoTime() + late.duration().toNanos();
                    return true;
                }
                case Stall stall -> {
                    answerAwaitedAfter(incoming.bodyLength());
                    forward(headToForward(incoming));
                    faultsInjected.incrementAndGet();
                    stallEndsNanos = System.nanoTime() + stall.duration().toNanos();
                    forwardBody(incoming.bodyLength());
                    return true;
                }
            }
        }

        private byte[] headToForward(Incoming incoming) {
            if (!swallowContinue || !incoming.head().headers().containsKey("expect")) {
                return incoming.bytes();
            }
            String head = new String(incoming.bytes(), StandardCharsets.ISO_8859_1);
            return head.replaceAll("(?im)^expect:[^\r\n]*\r\n", "").getBytes(StandardCharsets.ISO_8859_1);
        }

        private void forward(byte[] bytes) throws IOException {
            awaitStallEnd();
            throttle.acquire(bytes.length);
            ownUp.follow(perConnectionBytesPerSecond);
            ownUp.acquire(bytes.length);
            toServer.write(bytes);
        }

        private void forwardBody(long length) throws IOException {
            byte[] buffer = new byte[CHUNK];
            for (long left = length; left > 0; ) {
                ownUp.follow(perConnectionBytesPerSecond);
                int read = fromClient.read(buffer, 0, (int) Math.min(ownUp.chunkSize(throttle.chunkSize(buffer.length)), left));
                if (read < 0) {
                    throw new EOFException("The client stopped " + left + " bytes before the end of its body");
                }
                awaitStallEnd();
                throttle.acquire(read);
                ownUp.acquire(read);
                answerAwaitedAfter(left - read);
                toServer.write(buffer, 0, read);
                bodyBytesForwarded.addAndGet(read);
                left -= read;
            }
        }

        // Before the last bytes of a counted request go: the server may answer at once.
        private void answerAwaitedAfter(long bytesLeft) {
            if (bytesLeft == 0) {
                counted.compareAndSet(1, 2);
            }
        }

        private void discardBody(long length) throws IOException {
            byte[] buffer = new byte[CHUNK];
            for (long left = length; left > 0; ) {
                int read = fromClient.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    return; // the client gave up on its body once it read the answer: fine
                }
                left -= read;
            }
        }

        private void answer(int status) throws IOException {
            switch (status) {
                case 503 -> answer(status, "SlowDown", "Please reduce your request rate.");
                case 500 -> answer(status, "InternalError", "We encountered an internal error. Please try again.");
                case 403 -> answer(status, "AccessDenied", "Request has expired");
                default -> answer(status, "InjectedFault", "FaultProxy answered " + status + " in place of the server.");
            }
        }

        private void answer(int status, String code, String message) throws IOException {
            String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                    + message + "</Message><RequestId>FAULTPROXY" + id + "</RequestId></Error>";
            byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                    + "Content-Type: application/xml\r\n"
                    + "Content-Length: " + bodyBytes.length + "\r\n"
                    + "Connection: close\r\n\r\n";
            synchronized (clientWrites) {
                toClient.write(head.getBytes(StandardCharsets.US_ASCII));
                toClient.write(bodyBytes);
                toClient.flush();
            }
            client.shutdownOutput();
        }

        private void pumpResponses(InputStream fromServer) {
            try {
                byte[] buffer = new byte[CHUNK];
                int read;
                while ((read = fromServer.read(buffer, 0, ownDown.chunkSize(downThrottle.chunkSize(buffer.length)))) >= 0) {
                    if (counted.compareAndSet(2, 0)) {
                        inFlight.decrementAndGet();
                    }
                    awaitStallEnd();
                    if (answersDropped) {
                        continue;
                    }
                    downThrottle.acquire(read);
                    ownDown.follow(perConnectionBytesPerSecond);
                    ownDown.acquire(read);
                    synchronized (clientWrites) {
                        toClient.write(buffer, 0, read);
                    }
                    bytesReturned.addAndGet(read);
                }
                client.shutdownOutput();
                directionDone();
            } catch (IOException | RuntimeException e) {
                close();
            }
        }

        private void awaitStallEnd() throws InterruptedIOException {
            sleepUntil(stallEndsNanos);
        }

        private void directionDone() {
            if (openDirections.decrementAndGet() == 0) {
                close();
            }
        }

        @Override
        public void close() {
            if (!closing.compareAndSet(false, true)) {
                return;
            }
            if (counted.getAndSet(0) != 0) {
                inFlight.decrementAndGet();
            }
            if (countedAsConnection) {
                countedConnections.decrementAndGet();
            }
            closeQuietly(client);
            closeQuietly(server);
            // Wakes a pump sleeping through a stall or the throttle; socket reads end with the sockets.
            for (Thread pump : new Thread[] {requests, responses}) {
                if (pump != null && pump != Thread.currentThread()) {
                    pump.interrupt();
                }
            }
            connections.remove(this);
        }
    }

    /** A request head as read off the wire: its bytes, to forward untouched, and what they say. */
    private record Incoming(byte[] bytes, RequestHead head, long bodyLength, boolean chunked) {

        /** @return null if the client closed the connection between requests */
        static Incoming read(InputStream in) throws IOException {
            var bytes = new ByteArrayOutputStream(512);
            int matched = 0; // of "\r\n\r\n"
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    if (bytes.size() == 0) {
                        return null;
                    }
                    throw new EOFException("The client closed the connection inside a request head");
                }
                if (bytes.size() == MAX_HEAD_BYTES) {
                    throw new IOException("A request head longer than " + MAX_HEAD_BYTES + " bytes");
                }
                bytes.write(b);
                matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return parse(bytes.toByteArray());
        }

        private static Incoming parse(byte[] bytes) throws IOException {
            String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n");
            String[] requestLine = lines[0].split(" ");
            if (requestLine.length != 3) {
                throw new IOException("Not an HTTP request line: " + lines[0]);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    throw new IOException("Not an HTTP header: " + lines[i]);
                }
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                headers.merge(name, lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
            String target = requestLine[1];
            int question = target.indexOf('?');
            var head = new RequestHead(requestLine[0],
                    question < 0 ? target : target.substring(0, question),
                    question < 0 ? "" : target.substring(question + 1),
                    headers);
            long bodyLength;
            try {
                bodyLength = Long.parseLong(headers.getOrDefault("content-length", "0"));
            } catch (NumberFormatException e) {
                throw new IOException("Not a Content-Length: " + headers.get("content-length"), e);
            }
            return new Incoming(bytes, head, bodyLength, headers.containsKey("transfer-encoding"));
        }
    }

    /** Spaces client-to-server writes so that they average the rate, from the first byte on. */
    private static final class Throttle {
        private long bytesPerSecond; // guarded by this
        private long nextFreeNanos; // guarded by this

        synchronized void set(long bytesPerSecond) {
            if (bytesPerSecond < 0) {
                throw new IllegalArgumentException("Negative rate: " + bytesPerSecond);
            }
            this.bytesPerSecond = bytesPerSecond;
            this.nextFreeNanos = System.nanoTime();
        }

        /** Takes on {@code bytesPerSecond} if it is not the rate already (a change starts afresh). */
        synchronized void follow(long bytesPerSecond) {
            if (this.bytesPerSecond != bytesPerSecond) {
                set(bytesPerSecond);
            }
        }

        /** Small enough for about ten writes a second, so a change of rate takes effect soon. */
        synchronized int chunkSize(int max) {
            return bytesPerSecond == 0 ? max : Math.clamp(bytesPerSecond / 10, 1, max);
        }

        void acquire(int bytes) throws InterruptedIOException {
            long sendAt;
            synchronized (this) {
                if (bytesPerSecond == 0) {
                    return;
                }
                long now = System.nanoTime();
                // An idle link earns no credit: a burst after a pause is throttled like the rest.
                long start = nextFreeNanos - now > 0 ? nextFreeNanos : now;
                nextFreeNanos = start + bytes * 1_000_000_000L / bytesPerSecond;
                sendAt = nextFreeNanos;
            }
            sleepUntil(sendAt);
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Slow Down";
            default -> "Injected Fault";
        };
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedIOException {
        for (long left = deadlineNanos - System.nanoTime(); left > 0; left = deadlineNanos - System.nanoTime()) {
            try {
                Thread.sleep(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("FaultProxy is closing");
            }
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Closing is all that is left to do with it.
        }
    }
}
