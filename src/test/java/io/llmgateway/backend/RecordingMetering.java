package io.llmgateway.backend;

import io.llmgateway.backend.metering.Caller;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.common.GuardrailPolicy;
import io.llmgateway.common.TokenRates;
import io.llmgateway.common.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Metering} that grants everything and writes down what the handler asks of it, in order:
 * {@code entitlement <key>}, {@code reserve <key> <model> in>0=<bool> out=<max_tokens>}, then how the
 * reservation ended ({@code settle <in> <out>}, {@code release}, {@code charge unsettled} or
 * {@code charge unsettled <in> <out>}; a call that used the prompt cache adds {@code cache <read> <write>},
 * and a reservation for one that may write to it {@code cache=<SHORT|LONG>}). A test sets what it answers
 * instead.
 */
public final class RecordingMetering implements Metering {

    public final List<String> events = new CopyOnWriteArrayList<>();
    /** Each reservation's input estimate, in order. */
    public final List<Integer> inputEstimates = new CopyOnWriteArrayList<>();
    /** The caller's entitlement. */
    public volatile Entitlement entitlement = Entitlement.EVERYTHING;
    /** When set, every reservation is refused with it. */
    public volatile Refusal refusal;
    /** When 0 or more, the max_tokens a reservation grants; otherwise what was asked. */
    public volatile int grantedOutput = -1;

    /** How the last reservation ended, or null while none has. */
    public String outcome() {
        for (int i = events.size() - 1; i >= 0; i--) {
            String event = events.get(i);
            if (event.startsWith("settle") || event.equals("release") || event.startsWith("charge unsettled")) {
                return event;
            }
        }
        return null;
    }

    @Override
    public Entitlement entitlement(Caller caller) {
        events.add("entitlement " + caller.apiKeyId());
        return entitlement;
    }

    @Override
    public Reservation reserve(Caller caller, String modelAlias, int inputEstimate, int maxOutputTokens,
                               Instant deadline) throws Refusal {
        return reserve(caller, modelAlias, inputEstimate, maxOutputTokens, 0, TokenRates.CacheWrites.NONE, deadline);
    }

    @Override
    public Reservation reserve(Caller caller, String modelAlias, int inputEstimate, int maxOutputTokens,
                               int guardedInputUnits, TokenRates.CacheWrites cacheWrites, Instant deadline)
            throws Refusal {
        inputEstimates.add(inputEstimate);
        events.add("reserve " + caller.apiKeyId() + " " + modelAlias + " in>0=" + (inputEstimate > 0)
                + " out=" + maxOutputTokens + (cacheWrites == TokenRates.CacheWrites.NONE ? "" : " cache=" + cacheWrites));
        if (refusal != null) {
            throw refusal;
        }
        int granted = grantedOutput < 0 ? maxOutputTokens : grantedOutput;
        return new Reservation() {
            @Override
            public int maxOutputTokens() {
                return granted;
            }

            @Override
            public Map<String, String> headers() {
                return Map.of("x-ratelimit-remaining-tokens", "1234");
            }

            @Override
            public Map<String, Object> logFields() {
                return Map.of("tokenReservation", "recorded");
            }

            @Override
            public void settle(int inputTokens, int outputTokens) {
                events.add("settle " + inputTokens + " " + outputTokens);
            }

            @Override
            public void settle(Usage usage) {
                events.add("settle " + usage.promptTokens() + " " + usage.output() + cache(usage));
            }

            @Override
            public void chargeUnsettled(Usage usage) {
                events.add("charge unsettled " + usage.promptTokens() + " " + usage.output() + cache(usage));
            }

            @Override
            public void release() {
                events.add("release");
            }

            @Override
            public void guardrailUnits(Map<GuardrailPolicy, Long> units) {
                events.add("guardrail units " + new java.util.TreeMap<>(units));
            }

            @Override
            public void chargeUnsettled() {
                events.add("charge unsettled");
            }

            @Override
            public void chargeUnsettled(int inputTokens, int outputTokens) {
                events.add("charge unsettled " + inputTokens + " " + outputTokens);
            }
        };
    }

    private static String cache(Usage usage) {
        return usage.cacheRead() == 0 && usage.cacheWrites() == 0 ? ""
                : " cache " + usage.cacheRead() + " " + usage.cacheWrites();
    }
}
