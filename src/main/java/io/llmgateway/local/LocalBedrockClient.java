package io.llmgateway.local;

import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeServiceClientConfiguration;

/**
 * What the SDK asks of a Bedrock Runtime client beyond its operations, for the local stand-ins (sync and
 * async): the service's name, a default configuration, and nothing to close.
 */
abstract class LocalBedrockClient {

    public String serviceName() {
        return BedrockRuntimeClient.SERVICE_NAME;
    }

    public BedrockRuntimeServiceClientConfiguration serviceClientConfiguration() {
        return BedrockRuntimeServiceClientConfiguration.builder().build();
    }

    public void close() {
    }
}
