package io.llmgateway.common;

import java.util.Optional;

/**
 * What an image's first bytes say: its format (png, jpeg, gif or webp, the formats Converse takes) and
 * its size in pixels. The backend checks images with it, and the local echo model describes them with
 * it. Only the header is read; nothing is decoded.
 *
 * @param format {@code png}, {@code jpeg}, {@code gif} or {@code webp}
 */
public record ImageHeader(String format, int width, int height) {

    /** The header of an image in one of Converse's formats; empty for anything else or a broken header. */
    public static Optional<ImageHeader> read(byte[] b) {
        try {
            if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A) && b.length >= 24) {
                // IHDR is the first chunk: width and height, big-endian, at bytes 16 and 20 (PNG spec, 11.2.2).
                return Optional.of(new ImageHeader("png", int32(b, 16), int32(b, 20)));
            }
            if (startsWith(b, 'G', 'I', 'F', '8') && b.length >= 10) {
                // Logical screen width and height, little-endian, after "GIF87a"/"GIF89a" (GIF89a spec, 18).
                return Optional.of(new ImageHeader("gif", u16le(b, 6), u16le(b, 8)));
            }
            if (startsWith(b, 'R', 'I', 'F', 'F') && b.length >= 30 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B'
                    && b[11] == 'P') {
                return webp(b);
            }
            if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
                return jpeg(b);
            }
        } catch (IndexOutOfBoundsException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The three WebP flavours (RFC 9649, "WebP Image Format"): lossy VP8, lossless VP8L, extended VP8X. */
    private static Optional<ImageHeader> webp(byte[] b) {
        String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
        return switch (chunk) {
            case "VP8 " -> Optional.of(new ImageHeader("webp", u16le(b, 26) & 0x3FFF, u16le(b, 28) & 0x3FFF));
            case "VP8L" -> {
                int bits = (b[21] & 0xFF) | (b[22] & 0xFF) << 8 | (b[23] & 0xFF) << 16 | (b[24] & 0xFF) << 24;
                yield Optional.of(new ImageHeader("webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1));
            }
            case "VP8X" -> Optional.of(new ImageHeader("webp", u24le(b, 24) + 1, u24le(b, 27) + 1));
            default -> Optional.empty();
        };
    }

    /** The first start-of-frame marker (SOF0-SOF15 but DHT, JPG and DAC) holds height then width (ITU T.81, B.2.2). */
    private static Optional<ImageHeader> jpeg(byte[] b) {
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return Optional.empty();
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            int length = u16be(b, i + 2);
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return Optional.of(new ImageHeader("jpeg", u16be(b, i + 7), u16be(b, i + 5)));
            }
            if (length < 2) {
                return Optional.empty();
            }
            i += 2 + length;
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static int u16be(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static int u16le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int u24le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16;
    }
}
