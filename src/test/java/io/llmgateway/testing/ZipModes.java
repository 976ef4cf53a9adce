package io.llmgateway.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Unix permissions a zip stores for its entries. java.util.zip does not expose them: they sit in
 * the high 16 bits of each central directory header's external file attributes, when the header's
 * "version made by" names Unix (3) as the host system (PKWARE APPNOTE.TXT, sections 4.3.12 and
 * 4.4.2). That is what Lambda reads when it unpacks a function's code.
 */
public final class ZipModes {

    private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
    private static final int CENTRAL_DIRECTORY_HEADER = 0x02014b50;
    private static final int UNIX = 3;

    private ZipModes() {
    }

    /** Entry name to its Unix mode (e.g. 0100755 for an executable file); entries made on other hosts are left out. */
    public static Map<String, Integer> of(Path zip) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(zip)).order(ByteOrder.LITTLE_ENDIAN);
        int end = bytes.limit() - 22;
        while (end >= 0 && bytes.getInt(end) != END_OF_CENTRAL_DIRECTORY) {
            end--;
        }
        if (end < 0) {
            throw new IOException(zip + " has no end of central directory record");
        }
        int entries = Short.toUnsignedInt(bytes.getShort(end + 10));
        int at = bytes.getInt(end + 16);
        Map<String, Integer> modes = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            if (bytes.getInt(at) != CENTRAL_DIRECTORY_HEADER) {
                throw new IOException(zip + ": no central directory header at " + at);
            }
            int madeBy = Short.toUnsignedInt(bytes.getShort(at + 4)) >>> 8;
            int nameLength = Short.toUnsignedInt(bytes.getShort(at + 28));
            int extraLength = Short.toUnsignedInt(bytes.getShort(at + 30));
            int commentLength = Short.toUnsignedInt(bytes.getShort(at + 32));
            int external = bytes.getInt(at + 38);
            String name = new String(bytes.array(), at + 46, nameLength, StandardCharsets.UTF_8);
            if (madeBy == UNIX) {
                modes.put(name, external >>> 16);
            }
            at += 46 + nameLength + extraLength + commentLength;
        }
        return modes;
    }
}
