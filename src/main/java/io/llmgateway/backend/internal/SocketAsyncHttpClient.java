package io.llmgateway.backend.internal;

import io.llmgateway.backend.runtime.HttpWire;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;

/**
 * The AWS SDK's asynchronous HTTP client interface for the one call that needs it: Bedrock's
 * ConverseStream, an event-stream operation the SDK offers only on its asynchronous client. The SDK's
 * own asynchronous clients are Netty (kept out of the Lambda zip: large, and slow to start) and the CRT
 * (native libraries for every platform in one jar). This one adds nothing to the zip: one HTTP/1.1
 * connection per call (TLS from the JDK, host name verified), on a thread of its own that reads the
 * response and hands each chunk to the SDK as it arrives, as far as the SDK asks for. Aborting the
 * call (the SDK cancels its future or the body's subscription: the client went away, the deadline
 * passed) closes the socket at once, so Bedrock sees the connection end and stops generating; the
 * JDK's {@code java.net.http} client has no way to abort a response already begun.
 */
public final class SocketAsyncHttpClient implements SdkAsyncHttpClient {

    /** Fields this client writes itself. */
    private static final List<String> OWN_FIELDS = List.of("host", "content-length", "connection", "transfer-encoding",
            "expect");

    private final int connectTimeoutMs;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "bedrock-stream-reader");
        thread.setDaemon(true);
        return thread;
    });

    public SocketAsyncHttpClient(Duration connectTimeout) {
        this.connectTimeoutMs = (int) connectTimeout.toMillis();
    }

    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
        Call call = new Call(request.responseHandler());
        collect(request.requestContentPublisher()).whenComplete((body, error) -> {
            if (error != null) {
                call.fail(error);
            } else {
                threads.execute(() -> call.run(request.request(), body));
            }
        });
        return call.done;
    }

    /** One exchange on its own connection. */
    private final class Call implements Subscription {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final SdkAsyncHttpResponseHandler handler;
        private volatile Socket socket;
        private volatile boolean aborted;
        private Subscriber<? super ByteBuffer> subscriber;
        private long demand;

        Call(SdkAsyncHttpResponseHandler handler) {
            this.handler = handler;
            done.whenComplete((ignored, error) -> {
                if (done.isCancelled()) {
                    abort();
                }
            });
        }

        void run(SdkHttpRequest request, byte[] body) {
            try {
                URI uri = request.getUri();
                socket = open(uri);
                if (aborted) {
                    socket.close();
                    return;
                }
                OutputStream out = new BufferedOutputStream(socket.getOutputStream());
                InputStream in = new BufferedInputStream(socket.getInputStream());
                HttpWire.writeHead(out, request.method().name() + " " + target(uri) + " HTTP/1.1", head(request, uri, body));
                out.write(body);
                out.flush();
                String status = HttpWire.readLine(in);
                String[] parts = status == null ? new String[0] : status.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                    throw new IOException("malformed HTTP status line: " + status);
                }
                Map<String, List<String>> fields = HttpWire.readFields(in);
                SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(Integer.parseInt(parts[1]));
                fields.forEach(response::putHeader);
                handler.onHeaders(response.build());
                handler.onStream(this::subscribe);
                byte[] whole = HttpWire.readBody(in, fields, true, chunk -> deliver(ByteBuffer.wrap(chunk)),
                        HttpWire.newFields());
                String encoding = HttpWire.first(fields, "Transfer-Encoding");
                if (encoding == null || !encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                    deliver(ByteBuffer.wrap(whole)); // a fixed-length body (an error's JSON) goes as one piece
                }
                complete();
            } catch (IOException | RuntimeException e) {
                fail(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(e);
            } finally {
                closeQuietly();
            }
        }

        private Map<String, List<String>> head(SdkHttpRequest request, URI uri, byte[] body) {
            Map<String, List<String>> fields = new LinkedHashMap<>();
            int port = uri.getPort();
            boolean defaultPort = port < 0 || (port == 443 && "https".equals(uri.getScheme()))
                    || (port == 80 && "http".equals(uri.getScheme()));
            fields.put("Host", List.of(defaultPort ? uri.getHost() : uri.getHost() + ":" + port));
            request.forEachHeader((name, values) -> {
                if (!OWN_FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
                    fields.put(name, values);
                }
            });
            fields.put("Content-Length", List.of(Integer.toString(body.length)));
            fields.put("Connection", List.of("close"));
            return fields;
        }

        private Socket open(URI uri) throws IOException {
            boolean tls = "https".equalsIgnoreCase(uri.getScheme());
            int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
            Socket plain = new Socket();
            try {
                plain.setTcpNoDelay(true);
                plain.connect(new InetSocketAddress(uri.getHost(), port), connectTimeoutMs);
                if (!tls) {
                    return plain;
                }
                SSLSocket secure = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(plain, uri.getHost(), port, true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                return secure;
            } catch (IOException | RuntimeException e) {
                plain.close();
                throw e;
            }
        }

        private String target(URI uri) {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        }

        private synchronized void subscribe(Subscriber<? super ByteBuffer> s) {
            subscriber = s;
            s.onSubscribe(this);
            notifyAll();
        }

        /** Waits for a subscriber that wants a buffer, then hands it this one. */
        private void deliver(ByteBuffer buffer) throws IOException {
            if (!buffer.hasRemaining()) {
                return;
            }
            Subscriber<? super ByteBuffer> s;
            synchronized (this) {
                while ((subscriber == null || demand == 0) && !aborted) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                }
                if (aborted) {
                    throw new IOException("the call was aborted");
                }
                demand--;
                s = subscriber;
            }
            s.onNext(buffer);
        }

        private void complete() throws InterruptedException {
            Subscriber<? super ByteBuffer> s;
            synchronized (this) {
                while (subscriber == null && !aborted) {
                    wait();
                }
                s = subscriber;
            }
            if (!aborted) {
                s.onComplete();
                done.complete(null);
            }
        }

        void fail(Throwable error) {
            if (aborted) {
                return;
            }
            Subscriber<? super ByteBuffer> s;
            synchronized (this) {
                s = subscriber;
            }
            if (s != null) {
                s.onError(error);
            } else {
                handler.onError(error);
            }
            done.completeExceptionally(error);
        }

        @Override
        public synchronized void request(long n) {
            demand = n <= 0 || demand + n < 0 ? Long.MAX_VALUE : demand + n;
            notifyAll();
        }

        @Override
        public void cancel() {
            abort();
            done.cancel(false);
        }

        private void abort() {
            synchronized (this) {
                aborted = true;
                notifyAll();
            }
            closeQuietly();
        }

        private void closeQuietly() {
            Socket s = socket;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // Closing only releases the connection.
                }
            }
        }
    }

    /** The request body, whole: Converse requests are JSON documents. */
    private static CompletableFuture<byte[]> collect(Publisher<ByteBuffer> body) {
        CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        if (body == null) {
            bytes.complete(new byte[0]);
            return bytes;
        }
        body.subscribe(new Subscriber<ByteBuffer>() {
            private final ByteArrayOutputStream out = new ByteArrayOutputStream();

            @Override
            public void onSubscribe(Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer buffer) {
                byte[] part = new byte[buffer.remaining()];
                buffer.get(part);
                out.write(part, 0, part.length);
            }

            @Override
            public void onError(Throwable t) {
                bytes.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                bytes.complete(out.toByteArray());
            }
        });
        return bytes;
    }

    @Override
    public String clientName() {
        return "LlmGatewaySocket";
    }

    @Override
    public void close() {
        threads.shutdown();
    }
}
