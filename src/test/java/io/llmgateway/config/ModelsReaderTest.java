package io.llmgateway.config;

import static io.llmgateway.config.Configs.map;
import static io.llmgateway.config.Configs.problems;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code models}: aliases, model ids, and whether an inference profile fits the stack's Region.
 */
class ModelsReaderTest {

    @Test
    void anEmptyModelMapIsRejected() {
        assertThat(problems(set(valid(), "models", map()))).containsExactly(
                "models: must not be empty: the public model aliases, e.g. {\"nova-micro\": \"amazon.nova-micro-v1:0\"}");
    }

    @Test
    void aModelIdThatIsNotABedrockIdIsRejected() {
        assertThat(problems(set(valid(), "models", map("gpt", "gpt-4o")))).containsExactly(
                "models.gpt: 'gpt-4o' does not look like a Bedrock model id or inference-profile id "
                        + "(expected e.g. amazon.nova-micro-v1:0 or us.anthropic.claude-3-5-haiku-20241022-v1:0)");
    }

    // ---- model kinds ---------------------------------------------------------------------------------

    @Test
    void aStringKeepsWorking_andAnObjectStatesTheKind() {
        StackConfig config = ConfigLoader.load(set(valid(), "models", map(
                "nova", "amazon.nova-micro-v1:0",
                "titan", "amazon.titan-embed-text-v2:0",
                "cohere", map("id", "cohere.embed-v4:0", "kind", "embedding"),
                "haiku", map("id", "anthropic.claude-3-haiku-20240307-v1:0", "kind", "chat"),
                "bare", map("id", "amazon.nova-lite-v1:0"))), Set.of()).config();
        assertThat(config.models()).containsOnlyKeys("nova", "titan", "cohere", "haiku", "bare");
        assertThat(config.models().get("cohere").id()).isEqualTo("cohere.embed-v4:0");
        assertThat(config.backendSettings().models()).containsEntry("cohere", "cohere.embed-v4:0")
                .containsEntry("haiku", "anthropic.claude-3-haiku-20240307-v1:0");
    }

    @Test
    void aKindThatContradictsTheModelsFamilyIsRefusedNamingTheKey() {
        assertThat(problems(set(valid(), "models", map(
                "titan", map("id", "amazon.titan-embed-text-v2:0", "kind", "chat"),
                "nova", map("id", "amazon.nova-micro-v1:0", "kind", "embedding"))))).containsExactly(
                "models.titan.kind: 'chat' contradicts 'amazon.titan-embed-text-v2:0', which is an embedding model "
                        + "(served by POST /v1/embeddings); drop 'kind' or set it to 'embedding'",
                "models.nova.kind: 'embedding' contradicts 'amazon.nova-micro-v1:0', which is a chat model "
                        + "(served by POST /v1/chat/completions); drop 'kind' or set it to 'chat'");
    }

    @Test
    void anUnknownKind_aMissingId_andAnUnknownKeyAreRefused() {
        assertThat(problems(set(valid(), "models", map(
                "a", map("id", "amazon.nova-micro-v1:0", "kind", "vision"),
                "b", map("kind", "chat"),
                "c", map("id", "amazon.nova-micro-v1:0", "knd", "chat"))))).containsExactly(
                "models.a.kind: 'vision' is not a model kind; use 'chat' or 'embedding'",
                "models.b.id: required: the Bedrock model id or inference-profile id",
                "models.c.knd: unknown key (did you mean 'kind'?); valid keys here: id, kind, promptCache");
    }

    @Test
    void anEmbeddingModelTheBackendCannotCallIsRefused_sayingWhichItCan() {
        assertThat(problems(set(valid(), "models", map("mm", "amazon.nova-2-multimodal-embeddings-v1:0"))))
                .singleElement().asString()
                .startsWith("models.mm: 'amazon.nova-2-multimodal-embeddings-v1:0' is an embedding model this gateway "
                        + "cannot call; embeddings work with amazon.titan-embed-text-v2 (Amazon Titan Text Embeddings V2)")
                .contains("cohere.embed-v4 (Cohere Embed v4)");
    }

    // ---- inference profiles and the stack's Region -------------------------------------------------

    private static final String US_HAIKU = "us.anthropic.claude-3-5-haiku-20241022-v1:0";

    private static List<String> problemsIn(String region, String modelId) {
        return problems(set(valid(), "models", map("haiku", modelId)), Secrets.withoutStackFile(Set.of(), "test"),
                Optional.of(new StackRegion(region, "aws:region")));
    }

    private static StackConfig loadIn(String region, String modelId) {
        return ConfigLoader.load(set(valid(), "models", map("haiku", modelId)), Secrets.withoutStackFile(Set.of(), "test"),
                Optional.of(new StackRegion(region, "aws:region"))).config();
    }

    @Test
    void aUsProfileInAnEuRegionIsRefused_withThePrefixThatFitsAndTheRegionsThatFit() {
        assertThat(problemsIn("eu-west-1", US_HAIKU)).containsExactly("models.haiku: '" + US_HAIKU + "' is a "
                + "cross-Region inference profile of geography 'us', which can be called only from us-* Regions other "
                + "than GovCloud, but the stack deploys to eu-west-1 (aws:region). Use a profile of eu-west-1's "
                + "geography: 'eu.anthropic.claude-3-5-haiku-20241022-v1:0' or 'global.anthropic.claude-3-5-haiku-20241022-v1:0' "
                + "where Bedrock offers it, or set aws:region to one of us-* Regions other than GovCloud, such as us-east-1");
    }

    @Test
    void aProfileOfTheRegionsGeography_aGlobalProfile_andAPlainModelIdAreAccepted() {
        assertThat(loadIn("us-east-1", US_HAIKU).models()).containsOnlyKeys("haiku");
        assertThat(loadIn("eu-west-1", "eu.anthropic.claude-3-5-haiku-20241022-v1:0").models()).containsOnlyKeys("haiku");
        assertThat(loadIn("ap-northeast-1", "jp.anthropic.claude-sonnet-4-5-20250929-v1:0").models()).containsOnlyKeys("haiku");
        assertThat(loadIn("sa-east-1", "global.anthropic.claude-sonnet-4-20250514-v1:0").models()).containsOnlyKeys("haiku");
        assertThat(loadIn("cn-north-1", "amazon.nova-micro-v1:0").models()).containsOnlyKeys("haiku");
    }

    @Test
    void whereNoProfileCanBeCalled_theFixIsThePlainModelId() {
        assertThat(problemsIn("cn-north-1", US_HAIKU)).singleElement().asString().contains("No cross-Region inference "
                + "profile can be called from cn-north-1; use the model id without the geography prefix "
                + "(anthropic.claude-3-5-haiku-20241022-v1:0)");
        assertThat(problemsIn("us-gov-west-1", "global.anthropic.claude-sonnet-4-20250514-v1:0")).singleElement().asString()
                .contains("'us-gov.anthropic.claude-sonnet-4-20250514-v1:0'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"us-east1", "eu-west", "us-east-1a", "US-EAST-1", "useast1", ""})
    void aRegionThatDoesNotLookLikeOneIsRefused_andProfilesAreNotCheckedAgainstIt(String region) {
        assertThat(problemsIn(region, US_HAIKU)).containsExactly("aws:region: '" + region + "' does not look like an "
                + "AWS Region (e.g. us-east-1, eu-west-1); set it with: pulumi config set aws:region <region>");
    }

    @Test
    void withoutARegionProfilesAreNotChecked() {
        StackConfig config = ConfigLoader.load(set(valid(), "models", map("haiku", US_HAIKU)),
                Secrets.withoutStackFile(Set.of(), "test"), Optional.empty()).config();
        assertThat(config.models()).containsOnlyKeys("haiku");
    }
}
