package io.llmgateway.backend.responses;

import io.llmgateway.common.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A stored response's content as one gzip-compressed JSON document ({@code response}, {@code input},
 * {@code history}). Text compresses several times over, and DynamoDB bills and limits an item by its
 * size: at most 400 KB, attribute names and values together ("Service, account, and table quotas in
 * Amazon DynamoDB", https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).
 */
final class StoredResponseCodec {

    /** The compressed content's ceiling: 400 KB less room for the key, owner and expiry attributes. */
    static final int MAX_BODY_BYTES = 400 * 1024 - 2 * 1024;

    private StoredResponseCodec() {
    }

    static byte[] encode(StoredResponse stored) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("response", stored.response());
        document.put("input", stored.input());
        document.put("history", stored.history());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(Json.write(document).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    static StoredResponse decode(String id, String owner, long expiresAt, byte[] body) {
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(body))) {
            Map<String, Object> document = Json.readObject(new String(gzip.readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
            return new StoredResponse(id, owner, expiresAt, (Map<String, Object>) document.get("response"),
                    (List<Object>) document.get("input"), (List<Object>) document.get("history"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
