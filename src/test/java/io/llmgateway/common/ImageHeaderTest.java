package io.llmgateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.backend.Images;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageHeaderTest {

    @Test
    void eachFormatConverseTakes_isReadWithItsSize() {
        assertThat(ImageHeader.read(Images.PNG)).contains(new ImageHeader("png", 1, 1));
        assertThat(ImageHeader.read(Images.GIF)).contains(new ImageHeader("gif", 1, 1));
        assertThat(ImageHeader.read(Images.JPEG)).contains(new ImageHeader("jpeg", 3, 2));
        assertThat(ImageHeader.read(Images.WEBP)).contains(new ImageHeader("webp", 640, 480));
        assertThat(ImageHeader.read(Images.pngOfSize(8001, 20))).contains(new ImageHeader("png", 8001, 20));
    }

    @Test
    void otherBytes_andCutHeaders_areNoImage() {
        assertThat(ImageHeader.read("BM not a bitmap".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(ImageHeader.read(new byte[0])).isEmpty();
        assertThat(ImageHeader.read(Arrays.copyOf(Images.PNG, 12))).isEmpty();
        assertThat(ImageHeader.read(Arrays.copyOf(Images.JPEG, 20))).isEmpty();
        assertThat(ImageHeader.read(Arrays.copyOf(Images.WEBP, 20))).isEmpty();
    }
}
