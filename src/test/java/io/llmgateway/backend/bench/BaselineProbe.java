package io.llmgateway.backend.bench;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * The baseline: a bare program that builds a Bedrock client (URL-connection client, explicit region,
 * static credentials) and makes one Converse call, with no gateway around it. Argument: the stub's URL.
 */
public final class BaselineProbe {

    private BaselineProbe() {
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        BedrockRuntimeClient client = BedrockRuntimeClient.builder()
                .region(Region.EU_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench")))
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(args[0]))
                .build();
        long constructed = System.nanoTime();
        ConverseResponse response = client.converse(r -> r.modelId("anthropic.claude-3-haiku-20240307-v1:0")
                .inferenceConfig(c -> c.maxTokens(64))
                .messages(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Say hello.")).build()));
        String metrics = ProbeMetrics.snapshot((constructed - started) / 1_000_000,
                (System.nanoTime() - constructed) / 1_000_000);
        System.out.println("RESPONSE " + response.stopReasonAsString());
        System.out.println(metrics);
    }
}
