package io.llmgateway.backend.metering;

import io.llmgateway.common.GuardrailPolicy;
import io.llmgateway.common.PlanGuardrail;
import io.llmgateway.common.TokenRates;
import io.llmgateway.common.Usage;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a caller may use and spend, asked around every model call. Usage plans meter requests; this
 * meters what a model call costs: tokens. The backend reserves before it calls the model, and settles
 * or releases after, on every path: one template does both around every model call
 * ({@code backend.internal.MeteredCalls}), and nothing else reserves or holds a reservation (LayeringTest).
 *
 * <p>{@link #UNMETERED} is the default: every model, no token limits. Implementations decide where
 * entitlements and counters live (memory for the local gateway, a store for Lambda).
 */
public interface Metering {

    /**
     * The caller's entitlement, known without a network call.
     *
     * @param models           the aliases the caller may use; empty when every configured model is allowed
     * @param maxTokensCeiling the caller's own max_tokens ceiling, below the configured one; empty for none
     * @param plan             the caller's plan (a name from the stack's {@code plans}), for the metrics'
     *                         plan dimension; empty when metering does not know it
     * @param profileArns      per model alias, the plan's application inference profile to invoke instead of
     *                         the configured id
     * @param guardrail        the guardrail the plan's calls go through; empty for none
     */
    record Entitlement(Optional<Set<String>> models, OptionalInt maxTokensCeiling, Optional<String> plan,
                       Map<String, String> profileArns, Optional<PlanGuardrail> guardrail) {
        public static final Entitlement EVERYTHING = new Entitlement(Optional.empty(), OptionalInt.empty());

        public Entitlement {
            models = models.map(Set::copyOf);
            plan = java.util.Objects.requireNonNull(plan, "plan");
            profileArns = Map.copyOf(profileArns);
            guardrail = java.util.Objects.requireNonNull(guardrail, "guardrail");
        }

        /** An entitlement of a plan with no profiles and no guardrail. */
        public Entitlement(Optional<Set<String>> models, OptionalInt maxTokensCeiling, Optional<String> plan) {
            this(models, maxTokensCeiling, plan, Map.of(), Optional.empty());
        }

        /** An entitlement without a plan name. */
        public Entitlement(Optional<Set<String>> models, OptionalInt maxTokensCeiling) {
            this(models, maxTokensCeiling, Optional.empty());
        }

        /** What a call of {@code alias} sends as its model id: the plan's profile, or the configured id. */
        public String invokedModelId(String alias, String configuredId) {
            return profileArns.getOrDefault(alias, configuredId);
        }

        public boolean allows(String alias) {
            return models.map(m -> m.contains(alias)).orElse(true);
        }
    }

    /**
     * Tokens held for one model call until it is settled or released, by the metered-call template that
     * reserved them: exactly one of {@link #settle}, {@link #release} or a {@code chargeUnsettled}.
     */
    interface Reservation {
        /** The max_tokens to send: what was asked, or less when only that much is left. */
        int maxOutputTokens();

        /** Headers for the answer, e.g. the caller's remaining tokens; none by default. */
        default Map<String, String> headers() {
            return Map.of();
        }

        /**
         * The call succeeded: charge what the model reports instead of the estimate. Never throws: a
         * failure to record is the implementation's to log and count.
         */
        void settle(int inputTokens, int outputTokens);

        /**
         * The call succeeded: charge its usage, each kind of token at its rate (cache reads and writes
         * apart from other input). By default all input counts as input.
         */
        default void settle(Usage usage) {
            settle(usage.promptTokens(), usage.output());
        }

        /**
         * The call failed before Bedrock could bill anything (it refused the request, or it was never
         * sent): give everything back. Never throws, like {@link #settle}.
         */
        void release();

        /**
         * The call may have been billed but no usage came back (a deadline, a connection lost after the
         * request was sent, a 5xx after Bedrock accepted it, an abandoned invocation): Bedrock has no
         * cancel, so it keeps its whole reservation charged. Never throws, like {@link #settle}.
         */
        void chargeUnsettled();

        /**
         * Part of the reservation may have been billed without usage coming back (the calls of a request
         * that makes several): charge this much (the usage reported so far plus the reserved share of the
         * calls that may have run) and give the rest back. Never throws, like {@link #settle}.
         */
        void chargeUnsettled(int inputTokens, int outputTokens);

        /** {@link #chargeUnsettled(int, int)}, each kind of token at its rate. */
        default void chargeUnsettled(Usage usage) {
            chargeUnsettled(usage.promptTokens(), usage.output());
        }

        /**
         * The guardrail text units Bedrock reported for the call, per policy, told before it is settled or
         * charged: a USD budget then charges them at the plan's prices instead of their reserved estimate.
         */
        default void guardrailUnits(Map<GuardrailPolicy, Long> units) {
        }

        /**
         * Fields for the request's log line (what was reserved, how it was settled, a store failure and
         * its metric); read after {@link #settle} or {@link #release}. Never the prompt or the key.
         */
        default Map<String, Object> logFields() {
            return Map.of();
        }
    }

    /**
     * The caller's entitlement.
     *
     * @throws Refusal a 503 with Retry-After when the caller's plan cannot be known (the entitlements
     *                 could not be loaded): it may then call no model and list none
     */
    Entitlement entitlement(Caller caller) throws Refusal;

    /**
     * Reserves tokens for one call before it is made.
     *
     * @param inputEstimate   the input tokens the request is estimated to cost, erring high
     * @param maxOutputTokens the max_tokens the caller may receive
     * @param deadline        when the invocation making the call ends, answered or not: until then the
     *                        reservation is in flight, after that unsettled means charged
     * @throws Refusal a 429 when even a minimal answer does not fit (with Retry-After), or a 503
     *                 when the counters cannot be reached and the deployment says to refuse
     */
    Reservation reserve(Caller caller, String modelAlias, int inputEstimate, int maxOutputTokens, Instant deadline)
            throws Refusal;

    /**
     * Reserves for a call through the caller's guardrail, which bills text units besides the tokens.
     *
     * @param guardedInputUnits the guardrail text units of the input (0 for a call without a guardrail)
     */
    default Reservation reserve(Caller caller, String modelAlias, int inputEstimate, int maxOutputTokens,
                                int guardedInputUnits, Instant deadline) throws Refusal {
        return reserve(caller, modelAlias, inputEstimate, maxOutputTokens, deadline);
    }

    /**
     * Reserves for a call that may also write to the prompt cache: its input is reserved as if it were all
     * written at the dearest write rate the call may incur ({@link TokenRates#reserving}).
     */
    default Reservation reserve(Caller caller, String modelAlias, int inputEstimate, int maxOutputTokens,
                                int guardedInputUnits, TokenRates.CacheWrites cacheWrites, Instant deadline)
            throws Refusal {
        return reserve(caller, modelAlias, inputEstimate, maxOutputTokens, guardedInputUnits, deadline);
    }

    /** Every model, no token limits: nothing is reserved. */
    Metering UNMETERED = new Metering() {
        @Override
        public Entitlement entitlement(Caller caller) {
            return Entitlement.EVERYTHING;
        }

        @Override
        public Reservation reserve(Caller caller, String modelAlias, int inputEstimate, int maxOutputTokens,
                                   Instant deadline) {
            return new Reservation() {
                @Override
                public int maxOutputTokens() {
                    return maxOutputTokens;
                }

                @Override
                public void settle(int inputTokens, int outputTokens) {
                }

                @Override
                public void release() {
                }

                @Override
                public void chargeUnsettled() {
                }

                @Override
                public void chargeUnsettled(int inputTokens, int outputTokens) {
                }
            };
        }
    };
}
