package io.llmgateway.local;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server and its lifecycle: the JDK's {@link HttpServer} on loopback, sized and timed so
 * that slow or stalled clients cannot shut out well-behaved ones, and a close that lets requests in
 * flight finish.
 *
 * <p><b>Stalled clients.</b> The JDK server reads a request's line and headers, and the handler reads
 * its body, on an executor thread with blocking reads that have no timeout of their own, so each
 * stalled client holds a thread. Three things bound that: the pool has {@value #REQUEST_THREADS}
 * threads, so a few dozen stalled connections leave plenty for everyone else;
 * {@code sun.net.httpserver.maxReqTime} makes the server close a connection whose request (line,
 * headers and body) has not fully arrived {@value #MAX_REQUEST_SECONDS} s after its first byte,
 * which frees the thread; and {@code jdk.httpserver.maxConnections} caps open connections. A
 * connection that has sent nothing holds no thread and is closed after the server's idle interval.
 * The JDK reads these properties once, when the first server of the process starts, so they are set
 * here, before the gateway's server, unless the JVM was started with its own values. (In a test JVM
 * another server may start first; the tests do not depend on these values.)
 *
 * <p><b>Close.</b> {@link #close()} stops accepting connections at once, lets requests in flight
 * finish for up to the grace period (real time: it bounds how long a process takes to exit), and
 * then closes whatever is still open.
 */
final class HttpFrontEnd implements AutoCloseable {

    /** Threads that read requests and run the pipeline; each waits for its backend call. */
    static final int REQUEST_THREADS = 256;
    /** A request must have fully arrived this long after its first byte. */
    static final int MAX_REQUEST_SECONDS = 30;
    /** Open connections, idle keep-alive ones included. */
    static final int MAX_CONNECTIONS = 1_000;

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
        // and the client's delayed ACK hold every keep-alive response back by ~40 ms.
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        setIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
        setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
    }

    private final HttpServer server;
    private final ThreadPoolExecutor threads;
    private final Duration grace;
    private final Object lock = new Object();
    private int inFlight;
    private volatile boolean closing;
    private boolean closed;

    /**
     * @param grace how long {@link #close()} lets requests in flight finish
     */
    HttpFrontEnd(InetSocketAddress address, HttpHandler handler, Duration grace) throws IOException {
        this.grace = grace;
        this.server = HttpServer.create(address, 256);
        this.threads = new ThreadPoolExecutor(REQUEST_THREADS, REQUEST_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), Threads.daemon("local-gateway-http"));
        threads.allowCoreThreadTimeOut(true);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            synchronized (lock) {
                inFlight++;
            }
            try {
                handler.handle(exchange);
            } finally {
                synchronized (lock) {
                    inFlight--;
                    lock.notifyAll();
                }
            }
        });
    }

    void start() {
        server.start();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    /** True once {@link #close()} has begun: answers should then tell clients not to reuse the connection. */
    boolean closing() {
        return closing;
    }

    /** Requests whose handler is running. */
    int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closing = true;
        // HttpServer.stop closes the listening socket first and then serves what is in flight; it
        // waits its whole delay when nothing is in flight, so it runs on a thread of its own and the
        // stop(0) below ends it once this gateway's own count says the work is done.
        Thread stopper = new Thread(() -> server.stop((int) Math.max(1, grace.toSeconds() + 1)), "local-gateway-stop");
        stopper.setDaemon(true);
        stopper.start();
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (lock) {
            long remaining;
            while (inFlight > 0 && (remaining = deadline - System.nanoTime()) > 0) {
                try {
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        server.stop(0);
        threads.shutdownNow();
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
