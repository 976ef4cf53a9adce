package io.llmgateway.contract;

/**
 * {@code GET /<stage>/health}: 200 and a small JSON body, with no key, no authorizer and no Lambda,
 * so load balancers and uptime checks can watch the gateway without a key and without being counted
 * against a usage plan. The stack answers it with a MOCK integration; the local gateway answers it
 * the same way.
 */
public final class Health {

    public static final String METHOD = "GET";
    /** Beside {@code /v1}, under the stage. */
    public static final String PATH = "/health";
    public static final int STATUS = 200;
    /** The body both gateways answer with ({@code application/json}). */
    public static final String BODY = "{\"status\":\"ok\"}";

    private Health() {
    }
}
