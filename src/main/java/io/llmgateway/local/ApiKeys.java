package io.llmgateway.local;

import io.llmgateway.config.Client;
import io.llmgateway.config.ClientKey;
import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.Plan;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The local gateway's API keys: one per configured client, as API Gateway would hold them. */
final class ApiKeys {

    /**
     * One key.
     *
     * @param id        a stand-in for API Gateway's key id (what logs and metering show)
     * @param value     the secret value clients send
     * @param client    the client it belongs to
     * @param plan      its usage plan
     * @param generated true when generated at start rather than taken from config
     */
    record Key(String id, String value, Client client, Plan plan, boolean generated) {
        @Override
        public String toString() {
            return "Key[id=" + id + ", client=" + client.name() + "]";
        }
    }

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final List<Key> keys;
    private final Map<String, Key> byValue;

    private ApiKeys(List<Key> keys) {
        this.keys = Collections.unmodifiableList(keys);
        this.byValue = new HashMap<>();
        keys.forEach(k -> byValue.put(k.value(), k));
    }

    /** Keys for every client: the config's value when it supplies one, otherwise a new random one. */
    static ApiKeys forConfig(GatewayConfig config, SecureRandom random) {
        List<Key> keys = new ArrayList<>();
        for (Client client : config.clients().values()) {
            String value;
            boolean generated;
            if (client.key() instanceof ClientKey.Supplied supplied) {
                value = supplied.value().reveal();
                generated = false;
            } else {
                // API Gateway generates 40 alphanumeric characters.
                value = randomString(random, ALPHANUMERIC, 40);
                generated = true;
            }
            String id = randomString(random, "abcdefghijklmnopqrstuvwxyz0123456789", 10);
            keys.add(new Key(id, value, client, config.planOf(client), generated));
        }
        return new ApiKeys(keys);
    }

    Optional<Key> byValue(String value) {
        return Optional.ofNullable(byValue.get(value));
    }

    List<Key> all() {
        return keys;
    }

    Optional<Key> forClient(String client) {
        return keys.stream().filter(k -> k.client().name().equals(client)).findFirst();
    }

    private static String randomString(SecureRandom random, String alphabet, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
