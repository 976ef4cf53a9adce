package io.llmgateway.local;

import io.llmgateway.contract.Headers;
import io.llmgateway.contract.OpenAiError;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server and its lifecycle: Jetty on loopback, sized and timed so that slow, stalled or
 * oversized clients cannot shut out well-behaved ones, every answer of its own in OpenAI's JSON error
 * shape, and a close that lets requests in flight finish.
 *
 * <p><b>Why Jetty.</b> The JDK's {@code HttpServer} reads a request's line and headers with blocking
 * reads on a pool thread: 300 connections stalled in their headers held its 256 threads, and a normal
 * request waited 29.8 s for its 30 s request deadline; 1,010 idle sockets made it reset new
 * connections; it has no limit on header bytes; and it answers what it refuses itself (a malformed
 * URL, a path outside its context) in HTML. Jetty reads headers without a thread (NIO), caps the
 * request line and headers, keeps idle sockets without threads, and lets an error handler write every
 * refusal. The figures before and after are in docs/benchmarks.md ({@code HostileClientsBenchmark}).
 *
 * <p><b>Limits.</b> The request line and headers may hold {@value #MAX_HEADER_BYTES} bytes, API
 * Gateway's limit ("Total combined size of request line and header values"); more gets 431. A
 * connection that neither sends nor receives for {@link #IDLE_TIMEOUT} is closed, stalled headers
 * included. At most {@value #MAX_CONNECTIONS} connections are open; past that, new ones wait in the
 * listen backlog instead of being reset. {@value #REQUEST_THREADS} threads run the pipeline, each
 * waiting for its backend call; a body is read on the request's thread, within the gateway's
 * {@link BodyBudget}.
 *
 * <p><b>Close.</b> {@link #close()} stops accepting connections at once, lets requests in flight
 * finish for up to the grace period (real time: it bounds how long a process takes to exit), and
 * then closes whatever is still open.
 */
final class HttpFrontEnd implements AutoCloseable {

    /** Threads that run the pipeline; each waits for its backend call. */
    static final int REQUEST_THREADS = 256;
    /** API Gateway's limit on the request line and headers together. */
    static final int MAX_HEADER_BYTES = 10_240;
    /** Open connections, idle keep-alive ones included. */
    static final int MAX_CONNECTIONS = 10_000;
    /** A connection that makes no progress for this long is closed. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    /** Answers one request: reads it, sends its answer through {@code responder}, then logs it. */
    interface Exchange {
        void serve(IncomingRequest request, Responder responder) throws IOException;
    }

    /** Sends an answer to the client; returns once it is written. */
    interface Responder {
        void send(int status, Map<String, List<String>> headers, byte[] body) throws IOException;

        /**
         * Sends the status and headers, then each chunk of the body as it comes, flushed (chunked
         * transfer coding): a streaming integration's answer.
         *
         * @return the body's bytes sent
         * @throws StreamCut when the client went away; the body is cancelled first
         */
        long stream(int status, Map<String, List<String>> headers, LocalRuntime.Body body) throws IOException;
    }

    private final Server server;
    private final ServerConnector connector;
    private final Duration grace;
    private volatile InetSocketAddress address;
    private final Object lock = new Object();
    private int inFlight;
    private volatile boolean closing;
    private boolean closed;

    /**
     * @param clock  when a request arrived ({@code requestTime})
     * @param budget the bytes of bodies the gateway holds at once
     * @param grace  how long {@link #close()} lets requests in flight finish
     */
    HttpFrontEnd(InetSocketAddress address, Exchange exchange, Supplier<Instant> clock, BodyBudget budget,
                 Duration grace) {
        this.grace = grace;
        QueuedThreadPool threads = new QueuedThreadPool(REQUEST_THREADS, 8);
        threads.setName("local-gateway-http");
        threads.setDaemon(true);
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        // The address as an IP literal: a host name ("localhost") could resolve to another address.
        connector.setHost(address.getAddress().getHostAddress());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, server));
        server.setErrorHandler(new JsonErrors());
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                synchronized (lock) {
                    inFlight++;
                }
                try {
                    exchange.serve(incoming(request, clock.get(), budget), new Responder() {
                        @Override
                        public void send(int status, Map<String, List<String>> headers, byte[] body) throws IOException {
                            write(request, response, status, headers, body);
                        }

                        @Override
                        public long stream(int status, Map<String, List<String>> headers, LocalRuntime.Body body)
                                throws IOException {
                            return writeStream(response, status, headers, body);
                        }
                    });
                    callback.succeeded();
                } catch (Throwable e) {
                    callback.failed(e);
                } finally {
                    synchronized (lock) {
                        inFlight--;
                        lock.notifyAll();
                    }
                }
                return true;
            }
        });
    }

    /** @throws BindException when the address is in use */
    void start() throws IOException {
        try {
            server.start();
            address = new InetSocketAddress(InetAddress.getByName(connector.getHost()), connector.getLocalPort());
        } catch (Exception e) {
            stopQuietly();
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException bind) {
                    throw bind;
                }
            }
            throw e instanceof IOException io ? io
                    : new IOException("the local gateway's HTTP server did not start: " + e.getMessage(), e);
        }
    }

    /** Where it listens (also after {@link #close()}). */
    InetSocketAddress address() {
        return address;
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

    /** One request as the pipeline sees it; the body is read on demand, within the budget. */
    private static IncomingRequest incoming(Request request, Instant received, BodyBudget budget) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName(), n -> new ArrayList<>()).add(field.getValue());
        }
        headers.replaceAll((name, values) -> List.copyOf(values));
        // Jetty has already refused a request with both Content-Length and Transfer-Encoding, a
        // Transfer-Encoding other than chunked, and an unreadable Content-Length.
        long declared = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING) ? -1 : Math.max(0, request.getLength());
        return new IncomingRequest(request.getMethod().toUpperCase(Locale.ROOT), request.getHttpURI().getPath(),
                request.getHttpURI().getQuery(), request.getConnectionMetaData().getProtocol(), Request.getRemoteAddr(request),
                headers, new RequestBody(declared, Content.Source.asInputStream(request), budget), received);
    }

    private static void write(Request request, Response response, int status, Map<String, List<String>> headers,
                              byte[] body) throws IOException {
        response.setStatus(status);
        HttpFields.Mutable out = response.getHeaders();
        headers.forEach((name, values) -> values.forEach(value -> out.add(name, value)));
        out.put(HttpHeader.CONTENT_LENGTH, body.length);
        boolean head = request.getMethod().equals("HEAD");
        try (Blocker.Callback written = Blocker.callback()) {
            response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), written);
            written.block();
        }
    }

    /** The client went away while a streamed body was being sent. */
    static final class StreamCut extends IOException {
        private final transient long sent;

        StreamCut(long sent, IOException cause) {
            super("the client went away after " + sent + " bytes of a streamed body", cause);
            this.sent = sent;
        }

        /** The body's bytes sent before the client went away. */
        long sent() {
            return sent;
        }
    }

    private static long writeStream(Response response, int status, Map<String, List<String>> headers,
                                    LocalRuntime.Body body) throws IOException {
        response.setStatus(status);
        HttpFields.Mutable out = response.getHeaders();
        headers.forEach((name, values) -> values.forEach(value -> out.add(name, value)));
        out.remove(HttpHeader.CONTENT_LENGTH);
        long sent = 0;
        try {
            for (byte[] chunk; (chunk = body.next()) != null; ) {
                try (Blocker.Callback written = Blocker.callback()) {
                    response.write(false, ByteBuffer.wrap(chunk), written);
                    written.block();
                }
                sent += chunk.length;
            }
            try (Blocker.Callback written = Blocker.callback()) {
                response.write(true, ByteBuffer.allocate(0), written);
                written.block();
            }
            return sent;
        } catch (IOException e) {
            body.cancel();
            throw new StreamCut(sent, e);
        } catch (RuntimeException e) {
            body.cancel();
            throw e;
        } catch (InterruptedException e) {
            body.cancel();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while streaming");
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
        // Refuse new connections at once; what is in flight gets the grace period, then everything stops.
        connector.close();
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
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            // Stopping anyway: the threads are daemons and the sockets are closed.
        }
    }

    /**
     * What the server itself refuses (a malformed request line, header or URL; headers over the limit)
     * in OpenAI's JSON error shape, as every other answer of the gateway.
     */
    static final class JsonErrors extends ErrorHandler {

        static OpenAiError error(int status) {
            return switch (status) {
                case HttpStatus.BAD_REQUEST_400 -> OpenAiError.malformedHttp();
                case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431, HttpStatus.URI_TOO_LONG_414 ->
                        OpenAiError.headersTooLarge(MAX_HEADER_BYTES);
                default -> OpenAiError.httpStatus(status);
            };
        }

        /** Every method gets its error body (Jetty's default gives one to GET, POST and HEAD only). */
        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, Headers.JSON);
            // API Gateway's header on every answer, its own refusals included.
            response.getHeaders().put(LocalGateway.REQUEST_ID_HEADER, UUID.randomUUID().toString());
            response.write(true, ByteBuffer.wrap(error(code).toJson().getBytes(StandardCharsets.UTF_8)), callback);
        }
    }
}
