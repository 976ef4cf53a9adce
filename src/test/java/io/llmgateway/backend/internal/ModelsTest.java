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
            "apac.amazon.nova-lite-v1:0, amazon",
            "not-a-model-id, bedrock"})
    void ownedBy_isTheProviderSegmentOfTheBedrockId(String modelId, String provider) {
        assertThat(Models.ownedBy(modelId)).isEqualTo(provider);
    }
}
