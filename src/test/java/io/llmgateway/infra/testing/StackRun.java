package io.llmgateway.infra.testing;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.pulumi.Log;
import com.pulumi.core.internal.OutputData;
import com.pulumi.resources.Resource;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import com.pulumi.test.internal.MockMonitor;
import com.pulumi.test.internal.PulumiTestInternal;
import io.llmgateway.App;
import io.llmgateway.config.ConfigLoader;
import io.llmgateway.config.StackConfig;
import io.llmgateway.infra.LambdaArchive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import pulumirpc.Resource.RegisterResourceOutputsRequest;
import pulumirpc.Resource.RegisterResourceRequest;
import pulumirpc.Resource.RegisterResourceResponse;

/**
 * The whole Pulumi program ({@link App#stack}) run once on {@link AwsMocks}, with everything a test
 * asserts on captured as plain data: what the provider was asked for, the raw registration requests
 * (parents, dependencies, secret markers), the stack outputs and the log.
 *
 * <p>This uses {@code com.pulumi.test.internal.PulumiTestInternal}, an internal API of the Pulumi
 * Java SDK (1.36.1): it is the only way to pass config and secret keys to a test run, and to see the
 * registration requests. Re-check it when upgrading the SDK.
 */
public final class StackRun {

    /** The engine's marker for a secret value in a serialized property (Pulumi's "special signature"). */
    static final String SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
    static final String SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
    /** The same marker's value for an archive (Pulumi's "special signature" of assets and archives). */
    static final String ARCHIVE_SIGNATURE = "0def7320c3a5731c473e5ecbe6d01bc7";

    private static final AtomicInteger RUNS = new AtomicInteger();

    /**
     * A registration as the engine would see it: the request (inputs with their secret markers, the
     * options) and the outputs the provider (here the mocks) answered with.
     *
     * @param additionalSecretOutputs the output properties the engine stores as secrets whatever the
     *                                provider returns (the SDK adds a resource's schema-secret ones)
     * @param object                  the inputs, serialized
     * @param outputs                 the outputs the mocks returned, serialized
     * @param replaceOnChanges        the properties whose change replaces the resource (its option)
     */
    public record Request(String type, String name, String urn, String parent, List<String> dependencies,
                          boolean deleteBeforeReplace, List<String> additionalSecretOutputs, Struct object,
                          Struct outputs, List<String> replaceOnChanges) {
    }

    /** A component's or the stack's {@code registerOutputs}, serialized (secrets marked). */
    public record RegisteredOutputs(String urn, Struct outputs) {
    }

    private final EngineConfig config;
    private final AwsMocks mocks;
    private final List<Request> requests;
    private final List<RegisteredOutputs> registeredOutputs;
    private final Map<String, OutputData<Object>> outputs;
    private final List<Exception> exceptions;
    private final List<LogRecord> log;
    private final long millis;

    private StackRun(EngineConfig config, AwsMocks mocks, List<Request> requests, List<RegisteredOutputs> registeredOutputs,
                     Map<String, OutputData<Object>> outputs, List<Exception> exceptions, List<LogRecord> log,
                     long millis) {
        this.config = config;
        this.mocks = mocks;
        this.requests = requests;
        this.registeredOutputs = registeredOutputs;
        this.outputs = outputs;
        this.exceptions = exceptions;
        this.log = log;
        this.millis = millis;
    }

    public static StackRun of(EngineConfig config) {
        return of(config, new AwsMocks());
    }

    public static StackRun of(EngineConfig config, AwsMocks mocks) {
        return of(config, mocks, LambdaArchive.backend(), LambdaArchive.authorizer());
    }

    public static StackRun of(EngineConfig config, LambdaArchive backend, LambdaArchive authorizer) {
        return of(config, new AwsMocks(), backend, authorizer);
    }

    @SuppressWarnings("unchecked")
    private static StackRun of(EngineConfig config, AwsMocks mocks, LambdaArchive backend, LambdaArchive authorizer) {
        List<Request> requests = Collections.synchronizedList(new ArrayList<>());
        List<RegisteredOutputs> registeredOutputs = Collections.synchronizedList(new ArrayList<>());
        List<LogRecord> log = Collections.synchronizedList(new ArrayList<>());
        Logger logger = Logger.getLogger(StackRun.class.getName() + ".run" + RUNS.incrementAndGet());
        logger.setUseParentHandlers(false);
        // What the program logs (ctx.log() arrives here at INFO and above). The SDK's own FINEST
        // tracing, on only with PULUMI_JAVA_LOG_VERBOSE, is not the program's log.
        logger.setLevel(Level.INFO);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                log.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        long start = System.nanoTime();
        try {
            TestResult result = PulumiTestInternal.builder()
                    .options(TestOptions.builder()
                            .projectName(ConfigLoader.NAMESPACE)
                            .stackName(config.stack())
                            .preview(false)
                            .build())
                    .config(config.engineConfig(), config.engineSecretKeys())
                    .mocks(mocks)
                    .standardLogger(logger)
                    .monitorDecorator(monitor -> new RecordingMonitor(mocks, PulumiTestInternal.mockLog(logger), requests,
                            registeredOutputs))
                    .build()
                    .runTest(ctx -> App.stack(ctx, config.presentKeys(), config.secretKeys(), backend, authorizer));
            Map<String, OutputData<Object>> outputs = new LinkedHashMap<>();
            result.outputs().forEach((name, output) ->
                    outputs.put(name, (OutputData<Object>) PulumiTestInternal.extractOutputData(output)));
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new StackRun(config, mocks, List.copyOf(requests), List.copyOf(registeredOutputs), outputs,
                    result.exceptions(), List.copyOf(log), millis);
        } finally {
            PulumiTest.cleanup();
        }
    }

    /** Fails with every exception of the run, like {@code TestResult.throwOnError()}. */
    public StackRun throwOnError() {
        if (!exceptions.isEmpty()) {
            AssertionError error = new AssertionError("the program failed: " + exceptions);
            exceptions.forEach(error::addSuppressed);
            throw error;
        }
        return this;
    }

    public EngineConfig engineConfig() {
        return config;
    }

    /** The config this run was given, as the loader reads it: what the resources must show. */
    public StackConfig config() {
        return ConfigLoader.load(config.values(), config.secretKeys()).config();
    }

    public List<Exception> exceptions() {
        return exceptions;
    }

    public long millis() {
        return millis;
    }

    /** Every custom and component resource the provider was asked for. */
    public List<AwsMocks.Registered> resources() {
        return mocks.registered();
    }

    public List<String> invokes() {
        return mocks.invokes();
    }

    public List<AwsMocks.Registered> ofType(String type) {
        return resources().stream().filter(r -> r.type().equals(type)).toList();
    }

    /** The one resource of this type and logical name. */
    public AwsMocks.Registered one(String type, String name) {
        List<AwsMocks.Registered> found = ofType(type).stream().filter(r -> r.name().equals(name)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type + " named " + name + ", found " + found.size()
                    + " among " + ofType(type).stream().map(AwsMocks.Registered::name).toList());
        }
        return found.get(0);
    }

    public List<Request> requests() {
        return requests;
    }

    public Request request(String type, String name) {
        return requests.stream().filter(r -> r.type().equals(type) && r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no registration of " + type + " " + name));
    }

    public List<Request> requests(Predicate<Request> filter) {
        return requests.stream().filter(filter).toList();
    }

    /**
     * The file an archive input points at, as the engine receives it (e.g. a Function's {@code code}):
     * the path the program gave, relative to the project directory.
     */
    public Path fileArchive(String type, String name, String property) {
        Value value = request(type, name).object().getFieldsMap().get(property);
        if (value == null || !value.hasStructValue()) {
            throw new AssertionError(type + " " + name + " has no archive in " + property);
        }
        Map<String, Value> fields = value.getStructValue().getFieldsMap();
        Value signature = fields.get(SECRET_SIGNATURE_KEY);
        Value path = fields.get("path");
        if (signature == null || !ARCHIVE_SIGNATURE.equals(signature.getStringValue()) || path == null) {
            throw new AssertionError(type + " " + name + "." + property + " is not a file archive: " + value);
        }
        return Path.of(path.getStringValue());
    }

    /** Every {@code registerOutputs} call: the components' and the stack's outputs. */
    public List<RegisteredOutputs> registeredOutputs() {
        return registeredOutputs;
    }

    public Map<String, OutputData<Object>> outputs() {
        return outputs;
    }

    public OutputData<Object> output(String name) {
        OutputData<Object> output = outputs.get(name);
        if (output == null) {
            throw new AssertionError("no stack output " + name + "; outputs: " + outputs.keySet());
        }
        return output;
    }

    public Object outputValue(String name) {
        return output(name).getValueNullable();
    }

    public List<String> logMessages() {
        return log.stream().map(LogRecord::getMessage).filter(m -> m != null).toList();
    }

    public List<String> warnings() {
        return log.stream().filter(r -> r.getLevel() == Level.WARNING).map(LogRecord::getMessage).toList();
    }

    /** Every string in a serialized property tree, split by whether it sits inside a secret. */
    public static void strings(Value value, boolean insideSecret, List<String> plain, List<String> secret) {
        switch (value.getKindCase()) {
            case STRING_VALUE -> (insideSecret ? secret : plain).add(value.getStringValue());
            case LIST_VALUE -> value.getListValue().getValuesList().forEach(v -> strings(v, insideSecret, plain, secret));
            case STRUCT_VALUE -> {
                Map<String, Value> fields = value.getStructValue().getFieldsMap();
                Value signature = fields.get(SECRET_SIGNATURE_KEY);
                boolean isSecret = signature != null && SECRET_SIGNATURE.equals(signature.getStringValue());
                fields.forEach((k, v) -> {
                    if (!k.equals(SECRET_SIGNATURE_KEY)) {
                        strings(v, insideSecret || isSecret, plain, secret);
                    }
                });
            }
            default -> {
            }
        }
    }

    /** The mock monitor, also keeping each registration as the engine would receive it. */
    private static final class RecordingMonitor extends MockMonitor {
        private final List<Request> requests;
        private final List<RegisteredOutputs> registeredOutputs;

        RecordingMonitor(AwsMocks mocks, Log log, List<Request> requests, List<RegisteredOutputs> registeredOutputs) {
            super(mocks, log);
            this.requests = requests;
            this.registeredOutputs = registeredOutputs;
        }

        @Override
        public CompletableFuture<RegisterResourceResponse> registerResourceAsync(Resource resource,
                                                                                 RegisterResourceRequest request) {
            return super.registerResourceAsync(resource, request).thenApply(response -> {
                requests.add(new Request(request.getType(), request.getName(), response.getUrn(), request.getParent(),
                        List.copyOf(request.getDependenciesList()), request.getDeleteBeforeReplace(),
                        List.copyOf(request.getAdditionalSecretOutputsList()), request.getObject(),
                        response.getObject(), List.copyOf(request.getReplaceOnChangesList())));
                return response;
            });
        }

        @Override
        public CompletableFuture<Void> registerResourceOutputsAsync(RegisterResourceOutputsRequest request) {
            registeredOutputs.add(new RegisteredOutputs(request.getUrn(), request.getOutputs()));
            return super.registerResourceOutputsAsync(request);
        }
    }
}
