package io.llmgateway.local;

import io.llmgateway.common.PromptCaching;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;

/**
 * The echo model's prompt cache, deterministic: it walks a Converse request in Bedrock's order (system,
 * then messages; the echo model counts no tokens for tools), and at each {@code cachePoint} whose prefix
 * reaches the model's minimum ({@link PromptCaching}) asks whether it has seen that exact prefix in this
 * process. The longest prefix seen counts as read, the rest up to the last point as written, and every
 * point's prefix is remembered. No TTL: the local gateway is for trying clients, not for timing.
 */
final class EchoCache {

    /** How many prefixes are remembered; the oldest is forgotten first. */
    static final int CAPACITY = 10_000;

    /**
     * What a call read and wrote.
     *
     * @param read    tokens of the longest prefix seen before
     * @param written tokens from there to the last cache point
     */
    record Use(int read, int written) {
        static final Use NONE = new Use(0, 0);
    }

    private final Map<String, Boolean> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    /** @param tokens the echo model's count of a content block */
    Use use(ConverseRequest request, ToIntFunction<ContentBlock> tokens) {
        int minimum = PromptCaching.of(request.modelId()).map(PromptCaching::minTokens).orElse(Integer.MAX_VALUE);
        MessageDigest digest = sha256();
        digest.update(request.modelId().getBytes(StandardCharsets.UTF_8));
        List<String> prefixes = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        int prefix = 0;
        for (SystemContentBlock block : request.system()) {
            if (block.cachePoint() != null) {
                point(digest, prefix, minimum, prefixes, lengths);
            } else if (block.text() != null) {
                digest.update(("s" + block.text()).getBytes(StandardCharsets.UTF_8));
                prefix += EchoModel.tokens(block.text());
            }
        }
        for (Message message : request.messages()) {
            digest.update(("r" + message.roleAsString()).getBytes(StandardCharsets.UTF_8));
            for (ContentBlock block : message.content()) {
                if (block.cachePoint() != null) {
                    point(digest, prefix, minimum, prefixes, lengths);
                } else {
                    digest.update(("b" + (block.text() != null ? block.text() : block.toString()))
                            .getBytes(StandardCharsets.UTF_8));
                    prefix += tokens.applyAsInt(block);
                }
            }
        }
        if (prefixes.isEmpty()) {
            return Use.NONE;
        }
        int read = 0;
        synchronized (seen) {
            for (int i = 0; i < prefixes.size(); i++) {
                if (seen.get(prefixes.get(i)) != null) {
                    read = lengths.get(i);
                }
            }
            prefixes.forEach(p -> seen.put(p, Boolean.TRUE));
        }
        return new Use(read, lengths.get(lengths.size() - 1) - read);
    }

    /** A cache point: the prefix so far, when it is long enough for the model to cache it. */
    private static void point(MessageDigest digest, int prefix, int minimum, List<String> prefixes,
                              List<Integer> lengths) {
        if (prefix < minimum) {
            return;
        }
        try {
            prefixes.add(HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest()));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests clone in every JDK", e);
        }
        lengths.add(prefix);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
