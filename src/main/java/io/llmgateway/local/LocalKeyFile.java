package io.llmgateway.local;

import io.llmgateway.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the local gateway keeps the keys it generated, so a restart hands out the same ones and no
 * client needs a new key: a JSON file (ignored by git), by stack file and client,
 * {@code {"Pulumi.dev.yaml": {"demo": {"id": "...", "value": "..."}}}}. A client whose key the stack
 * file supplies keeps only its key id here, never the value. The file is readable by its owner only
 * where the file system allows it.
 */
final class LocalKeyFile {

    /** In the directory the gateway starts in: the project's. */
    static final Path DEFAULT = Path.of(".llm-gateway-local-keys.json");

    /** The file cannot be read or written; the message says which and why. */
    static final class Unusable extends IOException {
        private static final long serialVersionUID = 1L;

        Unusable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A kept key: its id, and its value when the gateway generated it (null for a supplied key). */
    record Kept(String id, String value) {
    }

    private final Path file;
    private final String stack;

    /**
     * @param stack which stack's keys, e.g. {@code Pulumi.dev.yaml}: each stack file has its own
     */
    LocalKeyFile(Path file, String stack) {
        this.file = file;
        this.stack = stack;
    }

    Path path() {
        return file;
    }

    /** This stack's kept keys by client; empty when the file does not exist yet. */
    Map<String, Kept> load() throws Unusable {
        Map<String, Kept> kept = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return kept;
        }
        if (read().get(stack) instanceof Map<?, ?> clients) {
            clients.forEach((client, entry) -> {
                if (entry instanceof Map<?, ?> fields && fields.get("id") instanceof String id) {
                    kept.put(String.valueOf(client), new Kept(id, fields.get("value") instanceof String v ? v : null));
                }
            });
        }
        return kept;
    }

    /** Replaces this stack's entry with these keys, leaving other stacks' as they are. */
    void save(List<ApiKeys.Key> keys) throws Unusable {
        try {
            write(keys);
        } catch (Unusable e) {
            throw e;
        } catch (IOException e) {
            throw new Unusable("cannot keep the generated keys in " + file.toAbsolutePath() + ": " + e.getMessage()
                    + " (pass --keys-file FILE)", e);
        }
    }

    private void write(List<ApiKeys.Key> keys) throws IOException {
        Map<String, Object> all = Files.exists(file) ? read() : new LinkedHashMap<>();
        Map<String, Object> clients = new LinkedHashMap<>();
        for (ApiKeys.Key key : keys) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", key.id());
            if (key.generated()) {
                entry.put("value", key.value());
            }
            clients.put(key.client().name(), entry);
        }
        if (clients.equals(all.get(stack))) {
            return;
        }
        all.put(stack, clients);
        Path absolute = file.toAbsolutePath();
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(temporary);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot write " + temporary + ": it appeared meanwhile", e);
        }
        Files.writeString(temporary, Json.write(all) + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Map<String, Object> read() throws Unusable {
        try {
            return new LinkedHashMap<>(Json.readObject(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            throw new Unusable(file.toAbsolutePath() + " is not a key file the local gateway can read (JSON by stack "
                    + "file and client); move it away or pass --keys-file FILE", e);
        }
    }
}
