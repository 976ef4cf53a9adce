package io.llmgateway.local;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP server and its lifecycle: the JDK's {@link HttpServer} on loopback with a pool of
 * request threads.
 */
final class HttpFrontEnd implements AutoCloseable {

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
        // and the client's delayed ACK hold every keep-alive response back by ~40 ms. The JDK reads
        // this once, when the first server of the process starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private volatile boolean closing;

    HttpFrontEnd(InetSocketAddress address, HttpHandler handler) throws IOException {
        this.server = HttpServer.create(address, 256);
        this.threads = Executors.newFixedThreadPool(32, Threads.daemon("local-gateway-http"));
        server.setExecutor(threads);
        server.createContext("/", handler);
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

    @Override
    public void close() {
        closing = true;
        server.stop(0);
        threads.shutdownNow();
    }
}
