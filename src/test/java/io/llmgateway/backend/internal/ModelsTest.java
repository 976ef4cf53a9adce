package io.llmgateway.backend.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "anthropic.claude-3-haiku-20240307-v1:0, anthropic",
            "us.anthropic.claude-3-5-sonnet-20240620-v1:0, anthropic",
            "eu.amazon.nova-pro-v1:0, amazon",
            "global.anthropic.claude-sonnet-4-20250514-v1:0, anthropic",
            "meta.llama3-1-70b-instruct-v1:0, meta",
            "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-2-1b-instruct-v1:0, meta",
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6, bedrock"})
    void ownedBy_isTheProviderSegmentOfTheBedrockId(String modelId, String provider) {
        assertThat(Models.ownedBy(modelId)).isEqualTo(provider);
    }
}
