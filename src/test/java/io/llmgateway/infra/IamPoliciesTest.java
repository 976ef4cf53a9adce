package io.llmgateway.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.BedrockModelId;
import io.llmgateway.common.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IamPoliciesTest {

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(String document) throws Exception {
        return (List<Map<String, Object>>) Json.readObject(document).get("Statement");
    }

    @Test
    void aPlainModelIsGrantedOnItsFoundationModelArnInThisRegion() throws Exception {
        List<Map<String, Object>> statements = statements(IamPolicies.invokeModels(
                List.of(new BedrockModelId("amazon.nova-micro-v1:0")), "aws", "eu-west-1", "111122223333"));
        assertThat(statements).singleElement().satisfies(s -> {
            assertThat(s.get("Action")).isEqualTo(List.of("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"));
            assertThat(s.get("Resource")).isEqualTo(List.of("arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-micro-v1:0"));
            assertThat(s).doesNotContainKey("Condition");
        });
    }

    @Test
    void anInferenceProfileIsGrantedOnTheProfileAndOnItsModelOnlyThroughTheProfile() throws Exception {
        BedrockModelId profile = new BedrockModelId("eu.anthropic.claude-3-5-haiku-20241022-v1:0");
        List<Map<String, Object>> statements = statements(IamPolicies.invokeModels(List.of(profile), "aws-cn", "cn-north-1",
                "111122223333"));
        String profileArn = "arn:aws-cn:bedrock:cn-north-1:111122223333:inference-profile/eu.anthropic.claude-3-5-haiku-20241022-v1:0";
        assertThat(statements).hasSize(2);
        assertThat(statements.get(0).get("Resource")).isEqualTo(List.of(profileArn));
        assertThat(statements.get(0)).doesNotContainKey("Condition");
        assertThat(statements.get(1).get("Resource"))
                .isEqualTo(List.of("arn:aws-cn:bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"));
        assertThat(statements.get(1).get("Condition"))
                .isEqualTo(Map.of("StringEquals", Map.of("bedrock:InferenceProfileArn", profileArn)));
    }

    /**
     * Bedrock user guide, "Prerequisites for inference profiles": a global profile is granted on the
     * foundation model in the source Region and on its Region-less ARN, arn:aws:bedrock:::foundation-model/...
     */
    @Test
    void aGlobalProfileIsGrantedOnItsModelInThisRegionAndOnTheRegionLessArn_onlyThroughTheProfile() throws Exception {
        BedrockModelId profile = new BedrockModelId("global.anthropic.claude-sonnet-4-20250514-v1:0");
        List<Map<String, Object>> statements = statements(IamPolicies.invokeModels(List.of(profile), "aws", "us-east-2",
                "111122223333"));
        String profileArn = "arn:aws:bedrock:us-east-2:111122223333:inference-profile/global.anthropic.claude-sonnet-4-20250514-v1:0";
        assertThat(statements).hasSize(2);
        assertThat(statements.get(0).get("Resource")).isEqualTo(List.of(profileArn));
        assertThat(statements.get(1).get("Resource")).isEqualTo(List.of(
                "arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0",
                "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0"));
        assertThat(statements.get(1).get("Condition"))
                .isEqualTo(Map.of("StringEquals", Map.of("bedrock:InferenceProfileArn", profileArn)));
    }

    @Test
    void aModelConfiguredUnderTwoAliasesIsGrantedOnce() throws Exception {
        BedrockModelId model = new BedrockModelId("amazon.nova-micro-v1:0");
        List<Map<String, Object>> statements = statements(IamPolicies.invokeModels(List.of(model, model), "aws", "us-east-1", "1"));
        assertThat(statements).singleElement().satisfies(s -> assertThat((List<?>) s.get("Resource")).hasSize(1));
    }

    @Test
    void anEmbeddingModelIsGrantedLikeAChatModel_forItIsCalledWithInvokeModel() throws Exception {
        List<Map<String, Object>> statements = statements(IamPolicies.invokeModels(List.of(
                new BedrockModelId("amazon.nova-micro-v1:0"), new BedrockModelId("amazon.titan-embed-text-v2:0"),
                new BedrockModelId("cohere.embed-v4:0")), "aws", "us-east-1", "1"));
        assertThat(statements).singleElement().satisfies(s -> assertThat(s.get("Resource")).isEqualTo(List.of(
                "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0",
                "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0",
                "arn:aws:bedrock:us-east-1::foundation-model/cohere.embed-v4:0")));
    }

    @Test
    void logWritingCoversOnlyTheStreamsOfOneGroup() throws Exception {
        List<Map<String, Object>> statements = statements(IamPolicies.writeLogs("arn:aws:logs:us-east-1:1:log-group:g"));
        assertThat(statements).singleElement().satisfies(s -> {
            assertThat(s.get("Action")).isEqualTo(List.of("logs:CreateLogStream", "logs:PutLogEvents"));
            assertThat(s.get("Resource")).isEqualTo(List.of("arn:aws:logs:us-east-1:1:log-group:g:*"));
        });
    }
}
