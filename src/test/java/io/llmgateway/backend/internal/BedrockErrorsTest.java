package io.llmgateway.backend.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** An asynchronous call (ConverseStream) wraps Bedrock's exception: it is classified as the exception itself. */
class BedrockErrorsTest {

    @Test
    void aWrappedException_isClassifiedAndBilledAsItself() {
        ThrottlingException throttled = ThrottlingException.builder().message("slow down").statusCode(429).build();
        BedrockErrors.Failure failure = BedrockErrors.classify(new CompletionException(throttled));
        assertThat(failure.error().status()).isEqualTo(429);
        assertThat(failure.upstream()).isEqualTo(BedrockErrors.classify(throttled).upstream());
        ValidationException invalid = ValidationException.builder().message("bad").statusCode(400).build();
        assertThat(BedrockErrors.mayHaveBeenBilled(new CompletionException(new ExecutionException(invalid)))).isFalse();
        assertThat(BedrockErrors.unwrap(new CompletionException(new ExecutionException(invalid)))).isSameAs(invalid);
    }
}
