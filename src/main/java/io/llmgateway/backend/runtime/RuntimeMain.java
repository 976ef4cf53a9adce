package io.llmgateway.backend.runtime;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.llmgateway.backend.runtime.crac.Core;
import java.io.ByteArrayInputStream;
import java.time.Clock;

/**
 * The function's runtime process, started by the wrapper script (src/main/lambda) in place of AWS's
 * Java runtime client: {@code RuntimeMain <handler>}, the handler as in the function's {@code handler}
 * setting ({@code package.Class} or {@code package.Class::method}). The class is built with its
 * public no-argument constructor during init. An {@link HttpHandler} answers in the modes it chooses
 * when it also implements {@link ResponseModes} (otherwise {@link ResponseMode#BUFFERED}); a
 * {@code RequestStreamHandler} answers {@link ResponseMode#RAW}, its output posted as it is, as AWS's
 * client would post it.
 */
public final class RuntimeMain {

    private RuntimeMain() {
    }

    public static void main(String[] args) {
        RuntimeEnvironment environment = RuntimeEnvironment.of(System.getenv());
        String handler = args.length > 0 ? args[0] : environment.handler();
        RuntimeLoop loop = new RuntimeLoop(new RuntimeApi(environment.runtimeApi()), System.out::println);
        System.exit(loop.run(() -> load(handler, environment, Clock.systemUTC()), environment.snapStart(),
                CheckpointHooks.of(Core.getGlobalContext())));
    }

    /**
     * @throws ReflectiveOperationException when the class cannot be loaded or built
     * @throws IllegalArgumentException     when the handler setting names no class, or a class of another kind
     */
    static RuntimeLoop.Function load(String handler, RuntimeEnvironment environment, Clock clock)
            throws ReflectiveOperationException {
        if (handler == null || handler.isBlank()) {
            throw new IllegalArgumentException("no handler: pass package.Class[::method] or set _HANDLER");
        }
        int separator = handler.indexOf("::");
        String className = separator < 0 ? handler : handler.substring(0, separator);
        Object instance = Class.forName(className, true, RuntimeMain.class.getClassLoader())
                .getDeclaredConstructor().newInstance();
        if (instance instanceof HttpHandler http) {
            return new RuntimeLoop.Function(http, instance instanceof ResponseModes modes ? modes
                    : ResponseModes.always(ResponseMode.BUFFERED));
        }
        if (instance instanceof RequestStreamHandler stream) {
            return new RuntimeLoop.Function((invocation, response) -> stream.handleRequest(
                    new ByteArrayInputStream(invocation.event()), response.body(),
                    LambdaContext.of(invocation, environment, clock)), ResponseModes.always(ResponseMode.RAW));
        }
        throw new IllegalArgumentException(className + " is neither an " + HttpHandler.class.getName()
                + " nor a " + RequestStreamHandler.class.getName());
    }
}
