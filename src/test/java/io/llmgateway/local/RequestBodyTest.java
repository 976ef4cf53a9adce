package io.llmgateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

    @Test
    void aDeclaredLengthOverTheLimit_isRefusedWithoutReadingAByte() throws Exception {
        InputStream neverRead = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body was read");
            }
        };
        RequestBody body = new RequestBody(11, neverRead);

        assertThat(body.readAtMost(10)).isNull();
        assertThat(body.complete()).isFalse();
    }

    @Test
    void aChunkedBody_isCountedWhileRead_andRefusedOnceOverTheLimit() throws Exception {
        assertThat(new RequestBody(-1, new ByteArrayInputStream(new byte[11])).readAtMost(10)).isNull();
        RequestBody fits = new RequestBody(-1, new ByteArrayInputStream(new byte[10]));
        assertThat(fits.readAtMost(10)).hasSize(10);
        assertThat(fits.complete()).isTrue();
    }

    @Test
    void noBody_isEmptyAndComplete() throws Exception {
        RequestBody none = new RequestBody(0, new ByteArrayInputStream(new byte[0]));

        assertThat(none.complete()).isTrue();
        assertThat(none.readAtMost(10)).isEmpty();
    }

    /** A refused body's rest is read and dropped (so the client gets its answer), up to a bound. */
    @Test
    void theRestOfARefusedBody_isSkippedUpToItsBound() throws Exception {
        RequestBody small = new RequestBody(11, new ByteArrayInputStream(new byte[11]));
        assertThat(small.readAtMost(10)).isNull();
        assertThat(small.skipRest(100)).isTrue();
        assertThat(small.complete()).isTrue();

        RequestBody large = new RequestBody(-1, new ByteArrayInputStream(new byte[1_000_000]));
        assertThat(large.skipRest(100_000)).isFalse();
    }
}
