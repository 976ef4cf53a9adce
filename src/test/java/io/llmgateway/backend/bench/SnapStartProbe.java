package io.llmgateway.backend.bench;

import com.amazonaws.services.lambda.runtime.Context;
import io.llmgateway.backend.BackendHandler;
import io.llmgateway.backend.authorizer.ApiKeyAuthorizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.crac.Resource;

/**
 * Runs in a fresh JVM on a Lambda archive's classpath and times the first real request, primed or
 * not. Arguments: {@code backend|authorizer}, then {@code primed|unprimed}.
 *
 * <p><b>backend, primed</b>: the no-argument constructor (Lambda's init, which registers the SnapStart
 * hook), then the hook itself, {@code beforeCheckpoint} and {@code afterRestore}, exactly the object
 * Lambda's runtime calls before it takes the snapshot (read from the handler by reflection: without a
 * CRaC JDK, {@code org.crac} keeps no registry to call it through); then the first chat request, to
 * the Bedrock stub the environment names. <b>unprimed</b>: the same without the hook.
 *
 * <p><b>authorizer</b>: it has no hook; "primed" runs what one would run (REQUEST events of every kind
 * through a throwaway instance) before the real instance answers its first event.
 *
 * <p>Prints {@code RESPONSE} lines for the first and second request and one {@code METRICS} line:
 * {@code initUs} (constructor), {@code primingUs}, {@code firstUs} and {@code secondUs} (wall time of
 * each request), {@code firstCpuUs} (the request thread's CPU time for the first request; JIT threads
 * are not counted), {@code respondedAtMs} (when the first answer was in hand, for the whole cold start).
 */
public final class SnapStartProbe {

    private static final String DENY_EVENT = AuthorizerProbe.EVENT.replace("Bearer AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd",
            "Basic dXNlcjpwYXNz");
    private static final String X_API_KEY_EVENT = AuthorizerProbe.EVENT.replace(
            "\"Authorization\":\"Bearer AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd\",",
            "\"x-api-key\":\"AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd\",");

    private SnapStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        boolean backend = args[0].equals("backend");
        boolean primed = args[1].equals("primed");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean(); // loaded before anything is timed
        long started = System.nanoTime();
        Handler handler = backend ? backend() : authorizer();
        long constructed = System.nanoTime();
        if (primed) {
            handler.prime();
        }
        long primedAt = System.nanoTime();

        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        String first = handler.call();
        long t1 = System.nanoTime();
        long respondedAtMs = System.currentTimeMillis();
        long cpu1 = threads.getCurrentThreadCpuTime();
        String second = handler.call();
        long t2 = System.nanoTime();

        System.out.println("RESPONSE " + first);
        System.out.println("RESPONSE " + second);
        System.out.println("METRICS {\"initUs\":" + (constructed - started) / 1000 + ",\"primingUs\":"
                + (primedAt - constructed) / 1000 + ",\"firstUs\":" + (t1 - t0) / 1000 + ",\"firstCpuUs\":"
                + (cpu1 - cpu0) / 1000 + ",\"secondUs\":" + (t2 - t1) / 1000 + ",\"respondedAtMs\":" + respondedAtMs + "}");
    }

    private interface Handler {
        void prime() throws Exception;

        String call() throws Exception;
    }

    private static Handler backend() {
        BackendHandler handler = new BackendHandler();
        return new Handler() {
            @Override
            public void prime() throws Exception {
                Field field = BackendHandler.class.getDeclaredField("priming");
                field.setAccessible(true);
                Resource hook = (Resource) field.get(handler);
                if (hook == null) {
                    throw new IllegalStateException("the handler registered no SnapStart hook (init failed?)");
                }
                hook.beforeCheckpoint(null);
                hook.afterRestore(null);
            }

            @Override
            public String call() {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                handler.handleRequest(new ByteArrayInputStream(HandlerProbe.event("chat")), out, (Context) null);
                return out.toString(StandardCharsets.UTF_8);
            }
        };
    }

    private static Handler authorizer() {
        ApiKeyAuthorizer authorizer = new ApiKeyAuthorizer();
        return new Handler() {
            @Override
            public void prime() throws Exception {
                ApiKeyAuthorizer throwaway = new ApiKeyAuthorizer(line -> { });
                for (int round = 0; round < 3; round++) {
                    for (String event : List.of(AuthorizerProbe.EVENT, X_API_KEY_EVENT, DENY_EVENT, "not json")) {
                        throwaway.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                                new ByteArrayOutputStream(), null);
                    }
                }
            }

            @Override
            public String call() throws Exception {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                authorizer.handleRequest(new ByteArrayInputStream(AuthorizerProbe.EVENT.getBytes(StandardCharsets.UTF_8)),
                        out, null);
                return out.toString(StandardCharsets.UTF_8);
            }
        };
    }
}
