package io.llmgateway.infra;

import com.pulumi.core.Output;
import io.llmgateway.config.StackConfig;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.ResponseStoreSettings;
import io.llmgateway.common.TokenStoreSettings;
import io.llmgateway.common.BedrockModelId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Inputs of {@link BackendFunction}.
 *
 * @param code                the backend zip ({@link LambdaArchive#backend()}), verified
 * @param settings            what the handler is told through its environment; its models are also
 *                            the only ones the role may invoke
 * @param memoryMb            config {@code lambdaMemoryMb} (default 1024)
 * @param timeoutSeconds      config {@code lambdaTimeoutSeconds} (default 29), within the integration timeout;
 *                            with {@code streaming} on, at least the stream's timeout
 *                            ({@link io.llmgateway.config.Streaming#functionTimeoutSeconds})
 * @param reservedConcurrency config {@code reservedConcurrency} (default -1, unreserved)
 * @param logRetentionDays    config {@code logRetentionDays} (default 30)
 * @param aws                 partition, Region and account for the Bedrock ARNs
 * @param tokenStore          the token table's name and failure mode, for the environment
 * @param tokenTableArn       the token table, the only one the role may use
 * @param streamingRuntime    config {@code streaming.enabled}: run this project's runtime client, which
 *                            can stream, in place of AWS's ({@link BackendFunction#RUNTIME_WRAPPER})
 * @param directModels        the models the role may invoke by their own id ({@link PlanInference#directModels})
 * @param routing             the plans' profiles and guardrails, which the role may invoke and apply
 * @param storedResponses     the responses table, when {@code responses.store.enabled}
 */
public record BackendFunctionArgs(LambdaArchive code, BackendSettings settings, int memoryMb, int timeoutSeconds,
                                  int reservedConcurrency, int logRetentionDays, AwsEnvironment aws,
                                  TokenStoreSettings tokenStore, Output<String> tokenTableArn,
                                  boolean streamingRuntime, List<BedrockModelId> directModels,
                                  Output<PlanRouting> routing, Optional<StoredResponses> storedResponses) {

    /** What the backend learns of the responses table (its days; the name it derives), and the table the role may use. */
    public record StoredResponses(ResponseStoreSettings settings, Output<String> tableArn) {
        public StoredResponses {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(tableArn, "tableArn");
        }
    }

    public BackendFunctionArgs {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(aws, "aws");
        Objects.requireNonNull(tokenStore, "tokenStore");
        Objects.requireNonNull(tokenTableArn, "tokenTableArn");
        directModels = List.copyOf(directModels);
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(storedResponses, "storedResponses");
    }

    public static BackendFunctionArgs of(StackConfig config, LambdaArchive code, AwsEnvironment aws, String tokenTableName,
                                         Output<String> tokenTableArn, Output<PlanRouting> routing,
                                         Optional<Output<String>> responsesTableArn) {
        return new BackendFunctionArgs(code, config.backendSettings(), config.lambda().memoryMb(),
                config.streaming().functionTimeoutSeconds(config.lambda().timeoutSeconds()),
                config.lambda().reservedConcurrency(),
                config.logging().retentionDays(), aws, config.tokenStoreSettings(tokenTableName), tokenTableArn,
                config.streaming().enabled(),
                PlanInference.directModels(config.models(), List.copyOf(config.plans().values())), routing,
                config.responseStoreSettings(tokenTableName).flatMap(settings -> responsesTableArn
                        .map(arn -> new StoredResponses(settings, arn))));
    }
}
