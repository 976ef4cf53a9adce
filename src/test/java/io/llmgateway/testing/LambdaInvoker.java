package io.llmgateway.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Calls a Lambda handler the way the Lambda Java runtime does, given only its handler string
 * ({@code package.Class::method}, as in a function's {@code handler} setting): the class is loaded by
 * name from a given class loader, built with its public no-argument constructor, and its
 * {@code (InputStream, OutputStream, Context)} method gets one event. The {@code Context} is a proxy
 * of the interface the handler itself declares, so this class needs nothing but the JDK: it runs
 * in-process against an isolated class loader ({@link #invoke}) or as the main class of a fresh JVM
 * on an extracted zip ({@link #main}; see {@link ExtractedZip#classpathWith}).
 */
public final class LambdaInvoker {

    /** Lambda's default method when a handler names only a class. */
    static final String DEFAULT_METHOD = "handleRequest";

    private LambdaInvoker() {
    }

    /**
     * Arguments: the handler string, then one event file per call. Prints one
     * {@code RESPONSE <output>} line per event; the handler's own output (its log lines) goes to
     * standard output too, as on Lambda.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: LambdaInvoker <package.Class::method> <event file>...");
        }
        Object handler = null;
        for (String eventFile : Arrays.asList(args).subList(1, args.length)) {
            byte[] event = Files.readAllBytes(Path.of(eventFile));
            if (handler == null) {
                handler = instantiate(ClassLoader.getSystemClassLoader(), args[0]);
            }
            byte[] response = call(handler, args[0], event);
            System.out.println("RESPONSE " + new String(response, StandardCharsets.UTF_8));
        }
    }

    /** Builds the handler from {@code loader} and has it answer {@code event}. */
    public static byte[] invoke(ClassLoader loader, String handlerString, byte[] event) throws Exception {
        return call(instantiate(loader, handlerString), handlerString, event);
    }

    /** The class of {@code package.Class::method}, loaded (not initialised) from {@code loader}. */
    public static Class<?> handlerClass(ClassLoader loader, String handlerString) throws ClassNotFoundException {
        return Class.forName(className(handlerString), false, loader);
    }

    private static Object instantiate(ClassLoader loader, String handlerString) throws Exception {
        Class<?> type = Class.forName(className(handlerString), true, loader);
        return type.getConstructor().newInstance();
    }

    private static byte[] call(Object handler, String handlerString, byte[] event) throws Exception {
        Method method = streamMethod(handler.getClass(), methodName(handlerString));
        Class<?> contextType = method.getParameterTypes()[2];
        Object context = Proxy.newProxyInstance(contextType.getClassLoader(), new Class<?>[] {contextType},
                (proxy, called, callArgs) -> contextValue(called));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            method.invoke(handler, new ByteArrayInputStream(event), out, context);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
        return out.toByteArray();
    }

    private static Method streamMethod(Class<?> type, String name) throws NoSuchMethodException {
        for (Method method : type.getMethods()) {
            Class<?>[] parameters = method.getParameterTypes();
            if (method.getName().equals(name) && parameters.length == 3 && parameters[0] == InputStream.class
                    && parameters[1] == OutputStream.class && parameters[2].isInterface()) {
                return method;
            }
        }
        throw new NoSuchMethodException(type.getName() + " has no public " + name
                + "(InputStream, OutputStream, Context): not a stream handler Lambda can call");
    }

    /** What a Lambda context answers, as far as a handler reads it during one call. */
    private static Object contextValue(Method called) {
        return switch (called.getName()) {
            case "getAwsRequestId" -> "lambda-invoker";
            case "getFunctionName" -> "lambda-invoker";
            case "getFunctionVersion" -> "$LATEST";
            case "getRemainingTimeInMillis" -> 30_000;
            case "getMemoryLimitInMB" -> 1024;
            case "toString" -> "LambdaInvoker context";
            case "hashCode" -> 0;
            case "equals" -> false;
            default -> called.getReturnType() == int.class ? 0 : null;
        };
    }

    static String className(String handlerString) {
        int separator = handlerString.indexOf("::");
        return separator < 0 ? handlerString : handlerString.substring(0, separator);
    }

    static String methodName(String handlerString) {
        int separator = handlerString.indexOf("::");
        return separator < 0 ? DEFAULT_METHOD : handlerString.substring(separator + 2);
    }
}
