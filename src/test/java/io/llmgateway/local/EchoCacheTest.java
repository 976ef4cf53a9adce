package io.llmgateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;

/** The echo model's prompt cache: what it counts as read and written, deterministically. */
class EchoCacheTest {

    private static final String NOVA_MICRO = "amazon.nova-micro-v1:0";
    /** 8,000 characters: 2,000 echo tokens, above Nova Micro's 1,536. */
    private static final String LONG = "x".repeat(8_000);

    private static ConverseRequest request(String model, String system, String... userTexts) {
        List<ContentBlock> content = new java.util.ArrayList<>();
        for (String text : userTexts) {
            content.add(ContentBlock.fromText(text));
            content.add(ContentBlock.fromCachePoint(c -> c.type(CachePointType.DEFAULT)));
        }
        return ConverseRequest.builder().modelId(model)
                .system(SystemContentBlock.fromText(system), SystemContentBlock.fromCachePoint(c -> c.type(CachePointType.DEFAULT)))
                .messages(Message.builder().role(ConversationRole.USER).content(content).build())
                .build();
    }

    @Test
    void aPrefixSeenBefore_isRead_theRestUpToTheLastPointIsWritten() {
        EchoCache cache = new EchoCache();

        EchoCache.Use first = cache.use(request(NOVA_MICRO, LONG, "Question one?"), b -> EchoModel.tokens(b.text()));
        EchoCache.Use again = cache.use(request(NOVA_MICRO, LONG, "Question one?"), b -> EchoModel.tokens(b.text()));
        EchoCache.Use longer = cache.use(request(NOVA_MICRO, LONG, "Question one?", "Question two?"),
                b -> EchoModel.tokens(b.text()));
        EchoCache.Use otherSystem = cache.use(request(NOVA_MICRO, LONG + "!", "Question one?"),
                b -> EchoModel.tokens(b.text()));

        assertThat(first).isEqualTo(new EchoCache.Use(0, 2_000 + 4));
        assertThat(again).isEqualTo(new EchoCache.Use(2_004, 0));
        assertThat(longer).isEqualTo(new EchoCache.Use(2_004, 4));
        assertThat(otherSystem).as("a changed system prompt invalidates what follows").isEqualTo(new EchoCache.Use(0, 2_005));
    }

    @Test
    void aPrefixBelowTheModelsMinimum_orAModelWithoutCaching_cachesNothing() {
        EchoCache cache = new EchoCache();

        for (int i = 0; i < 2; i++) {
            assertThat(cache.use(request(NOVA_MICRO, "Short.", "Hi."), b -> EchoModel.tokens(b.text())))
                    .isEqualTo(EchoCache.Use.NONE);
            assertThat(cache.use(request("anthropic.claude-3-haiku-20240307-v1:0", LONG, "Hi."),
                    b -> EchoModel.tokens(b.text()))).isEqualTo(EchoCache.Use.NONE);
        }
    }
}
