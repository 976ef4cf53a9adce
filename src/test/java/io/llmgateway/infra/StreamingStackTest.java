package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.ALIAS;
import static io.llmgateway.infra.testing.AwsTypes.FUNCTION;
import static io.llmgateway.infra.testing.AwsTypes.METHOD_SETTINGS;
import static io.llmgateway.infra.testing.AwsTypes.PERMISSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.BackendSettings;
import io.llmgateway.contract.Route;
import io.llmgateway.infra.testing.AwsMocks.Registered;
import io.llmgateway.infra.testing.ImportedApi;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import io.llmgateway.testing.ZipModes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * config streaming: the routes that may stream get a STREAM integration on Lambda's
 * InvokeWithResponseStream, with their own timeout; the function's timeout covers it, and the function
 * runs this project's runtime client, which knows which routes stream and their deadlines.
 */
class StreamingStackTest {

    private static final StackRun STREAMING = StackRuns.devWithStreaming();

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(StackRun run) {
        return (Map<String, String>) ((Map<String, Object>) run.one(FUNCTION, "backend-function").inputs()
                .get("environment")).get("variables");
    }

    @Test
    void onlyTheStreamingRoutesStream_onInvokeWithResponseStreamOnTheAlias_withTheStreamsTimeout() {
        Registered alias = STREAMING.one(ALIAS, "backend-alias");
        ImportedApi document = ImportedApi.of(STREAMING);
        assertThat(Route.streaming()).containsExactly(Route.CHAT_COMPLETIONS, Route.RESPONSES);
        for (Route route : Route.served(false)) {
            Map<String, Object> integration = document.operation(route).integration();
            if (route.streams()) {
                assertThat(integration).as(route.toString())
                        .containsEntry("type", "aws_proxy")
                        .containsEntry("httpMethod", "POST")
                        .containsEntry("uri", "arn:aws:apigateway:us-east-1:lambda:path/2021-11-15/functions/"
                                + alias.state().get("arn") + "/response-streaming-invocations")
                        .containsEntry("timeoutInMillis", StackRuns.STREAM_TIMEOUT_MS)
                        .containsEntry("responseTransferMode", "STREAM");
            } else {
                assertThat(integration).as(route.toString())
                        .containsEntry("uri", alias.state().get("invokeArn"))
                        .containsEntry("timeoutInMillis", STREAMING.config().api().integrationTimeoutMs())
                        .containsEntry("responseTransferMode", "BUFFERED");
            }
        }
    }

    @Test
    void withStreamingOffTheStreamTimeoutChangesNothing() {
        StackRun off = StackRuns.devWithStreamingOff();
        assertThat(ImportedApi.of(off).json()).isEqualTo(ImportedApi.of(StackRuns.devBuffered()).json());
        assertThat(withoutCode(off)).isEqualTo(withoutCode(StackRuns.devBuffered()));
        assertThat(off.warnings()).isEqualTo(StackRuns.devBuffered().warnings());
    }

    /** The function's inputs but its code, a FileArchive object per run. */
    private static Map<String, Object> withoutCode(StackRun run) {
        Map<String, Object> inputs = new LinkedHashMap<>(run.one(FUNCTION, "backend-function").inputs());
        inputs.remove("code");
        return inputs;
    }

    @Test
    void theFunctionsTimeoutCoversTheStream() {
        assertThat(STREAMING.config().lambda().timeoutSeconds()).isLessThan(StackRuns.STREAM_TIMEOUT_MS / 1000);
        assertThat(STREAMING.one(FUNCTION, "backend-function").inputs())
                .containsEntry("timeout", (double) (StackRuns.STREAM_TIMEOUT_MS / 1000));
    }

    @Test
    void theFunctionRunsTheWrapperItsZipHolds() throws Exception {
        assertThat(environment(STREAMING)).containsEntry("AWS_LAMBDA_EXEC_WRAPPER", "/var/task/llm-gateway-runtime");
        // Lambda unpacks the zip in /var/task: the variable names a file at the zip's root, executable.
        Path zip = STREAMING.fileArchive(FUNCTION, "backend-function", "code");
        String wrapper = Path.of(BackendFunction.RUNTIME_WRAPPER).getFileName().toString();
        assertThat(Path.of(BackendFunction.RUNTIME_WRAPPER).getParent()).isEqualTo(Path.of("/var/task"));
        assertThat(ZipModes.of(zip)).containsEntry(wrapper, 0100755);
    }

    @Test
    void theBackendLearnsWhichRoutesStreamAndTheirDeadline() {
        Map<String, String> environment = environment(STREAMING);
        assertThat(environment).containsEntry(BackendSettings.ENV_STREAMING_ROUTES,
                "{\"/v1/chat/completions/POST\":" + StackRuns.STREAM_TIMEOUT_MS + ",\"/v1/responses/POST\":"
                        + StackRuns.STREAM_TIMEOUT_MS + "}");
        BackendSettings settings = BackendSettings.fromEnvironment(new LinkedHashMap<>(environment));
        assertThat(settings).isEqualTo(STREAMING.config().backendSettings());
        assertThat(settings.streams(Route.CHAT_COMPLETIONS.throttlePath())).isTrue();
        assertThat(settings.integrationTimeoutMs(Route.CHAT_COMPLETIONS.throttlePath())).isEqualTo(StackRuns.STREAM_TIMEOUT_MS);
        assertThat(settings.streams(Route.MODELS.throttlePath())).isFalse();
        assertThat(settings.integrationTimeoutMs(Route.MODELS.throttlePath()))
                .isEqualTo(STREAMING.config().api().integrationTimeoutMs());
    }

    @Test
    void thePermissionsAndTheStageSettingsAreTheBufferedOnes() {
        for (String type : List.of(PERMISSION, METHOD_SETTINGS)) {
            assertThat(STREAMING.ofType(type)).extracting(Registered::inputs)
                    .containsExactlyInAnyOrderElementsOf(StackRuns.dev().ofType(type).stream().map(Registered::inputs).toList());
        }
    }

    @Test
    void turningItOnWarnsOfNothing_forTheBackendStreams() {
        assertThat(STREAMING.warnings()).isEqualTo(StackRuns.dev().warnings());
    }
}
